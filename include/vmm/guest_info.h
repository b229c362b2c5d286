/*
 * The two pages the hypervisor shares with every domain: the start-info page
 * (read-only by convention, written once before the domain starts) and the
 * shared-info page (time and event bits, updated while the domain lives).
 *
 * Guest memory map (virtual addresses, identical in every domain):
 *   VMM_GUEST_BASE + 0x0000  shared-info page (struct vmm_shared_info)
 *   VMM_GUEST_BASE + 0x1000  start-info page  (struct vmm_start_info)
 *   VMM_GUEST_BASE + 0x2000  boot stack, growing down from VMM_GUEST_BASE + 0x8000
 *   VMM_GUEST_BASE + 0x8000  lowest address a guest ELF segment may load at
 *   ... up to VMM_GUEST_BASE + nr_pages * 4096 (the domain's memory)
 * Guest address VMM_GUEST_BASE + pfn * 4096 is pseudo-physical frame pfn;
 * the machine frames behind them need not be contiguous. At boot the
 * physical-to-machine list (start_info.p2m_list) sits in the domain's memory
 * on the first page boundary at or after image_end: nr_pages 32-bit machine
 * frame numbers in pfn order. It is the guest's copy, written once before
 * the domain starts; the guest may reuse that memory once it has read it.
 * On entry: pc = ELF entry, r0 = start-info address, sp = VMM_GUEST_BOOT_STACK,
 * USR mode, virtual kernel mode, events masked (evtchn_upcall_mask = 1).
 *
 * This header is self-standing; docs/abi.md is the reference.
 */
#ifndef VMM_GUEST_INFO_H
#define VMM_GUEST_INFO_H

#include <stdint.h>

#define VMM_GUEST_BASE        0xC0000000u
#define VMM_GUEST_SHARED_INFO (VMM_GUEST_BASE + 0x0000u)
#define VMM_GUEST_START_INFO  (VMM_GUEST_BASE + 0x1000u)
#define VMM_GUEST_BOOT_STACK  (VMM_GUEST_BASE + 0x8000u)
#define VMM_GUEST_LOAD_MIN    (VMM_GUEST_BASE + 0x8000u)
#define VMM_PAGE_SIZE         4096u

/* "libvmm-<major>.<minor>-arm-32", NUL-terminated, in start_info.magic. */
#define VMM_START_INFO_MAGIC "libvmm-1.0-arm-32"

#define VMM_SIF_PRIVILEGED 0x1u  /* may use privileged hypercalls (dom0_op, ...) */
#define VMM_SIF_INITDOMAIN 0x2u  /* the initial domain (dom0) */

#define VMM_CMDLINE_MAX 128

struct vmm_start_info {
	char magic[32];          /* VMM_START_INFO_MAGIC */
	uint32_t domid;          /* this domain's id (never reused) */
	uint32_t nr_pages;       /* 4 KiB pages backed and mapped at boot (config mem_initial, else
				    mem_size); the maximum: memory_op(VMM_MEMOP_maximum_reservation) */
	uint32_t shared_info;    /* guest virtual address of struct vmm_shared_info */
	uint32_t flags;          /* VMM_SIF_* */
	uint32_t mem_base;       /* guest virtual address of the domain's first page */
	uint32_t image_start;    /* lowest address the ELF loaded */
	uint32_t image_end;      /* one past the highest address the ELF loaded (incl. bss) */
	uint32_t boot_stack;     /* initial sp */
	char name[16];           /* the domain's configured name, NUL-terminated */
	char cmd_line[VMM_CMDLINE_MAX]; /* configured command line, NUL-terminated */
	uint32_t p2m_list;       /* guest address of the physical-to-machine list (see above);
				    0 if it did not fit between image_end and the end of memory */
	uint32_t pt_base_mfn;    /* machine frame number of the initial L1 table (16 KiB, pinned) */
};

/*
 * System time: ns since the hypervisor booted; wall-clock: the RTC time at
 * boot (system time 0), so now = wc_sec/wc_nsec + system time.
 *
 * Two ways to read system time, chosen by `flags`:
 *
 *  - VMM_TIME_COUNTER_CNTVCT set (boards with the ARM generic timer): the
 *    guest reads the board counter itself from USR mode (CNTVCT, `mrrc p15,
 *    1, lo, hi, c14`, after an `isb`) and converts it with
 *    vmm_time_from_counter() below. The result is exact: the very value the
 *    hypervisor's own clock gives at that counter value (floor of ticks *
 *    10^9 / counter_hz), so a deadline the hypervisor fired is never seen
 *    as not reached yet. The hypervisor takes no periodic interrupt for
 *    such guests: a domain running alone is not interrupted at all, and
 *    system_time is NOT refreshed (it is only valid in the other mode).
 *
 *  - flags without VMM_TIME_COUNTER_* (boards whose counter USR code cannot
 *    read, e.g. the Cortex-A9 global timer): read system_time. The
 *    hypervisor refreshes it whenever it switches the domain in, delivers an
 *    upcall, takes an interrupt while the domain runs, and on return from
 *    sched_op, set_timer_op, console_io and restore_trap_frame, and at least
 *    every 10 ms while the domain runs. A guest that needs a fresher value
 *    can call sched_op(yield).
 *
 * The counter fields (counter_base .. counter_hz) are written once before
 * the domain starts and never change. Writers bump `version` to odd before
 * an update of system_time and to even after; readers retry while it is odd
 * or changed across their read (Xen's protocol).
 */
#define VMM_TIME_COUNTER_CNTVCT 0x1u /* the counter is CNTVCT, readable in USR mode */

struct vmm_vcpu_time_info {
	uint32_t version;
	uint32_t flags;          /* VMM_TIME_* */
	uint64_t system_time;    /* ns since boot (only without VMM_TIME_COUNTER_*) */
	uint64_t counter_base;   /* counter value at system time 0 */
	uint64_t ns_frac;        /* ns per counter tick, fractional part * 2^64 (rounded down) */
	uint32_t ns_whole;       /* ns per counter tick, integer part */
	uint32_t counter_hz;     /* counter frequency (1..2^32-1) */
};

/* High 64 bits of the 128-bit product a * b (32x32->64 multiplications only). */
static inline uint64_t vmm_mul_hi64(uint64_t a, uint64_t b)
{
	uint64_t a_lo = (uint32_t)a, a_hi = a >> 32;
	uint64_t b_lo = (uint32_t)b, b_hi = b >> 32;
	uint64_t hi_lo = a_hi * b_lo, lo_hi = a_lo * b_hi;
	/* middle column: each term < 2^32, the sum < 3 * 2^32 */
	uint64_t mid = ((a_lo * b_lo) >> 32) + (uint32_t)hi_lo + (uint32_t)lo_hi;

	return a_hi * b_hi + (hi_lo >> 32) + (lo_hi >> 32) + (mid >> 32);
}

/*
 * System time at counter value `count` (read by the guest, not earlier than
 * counter_base), exactly: floor((count - counter_base) * 10^9 / counter_hz).
 * With x ticks, the 96-bit multiplier ns_whole + ns_frac / 2^64 gives
 * ns = x * ns_whole + floor(x * ns_frac / 2^64), which is below the exact
 * x * 10^9 / hz by less than 2 (under 1 from rounding ns_frac down, x < 2^64
 * times 2^-64; under 1 from the floor): the floor of the exact value is ns
 * or ns + 1. The remainder x * 10^9 - ns * hz (< 2 * hz, so it is right
 * modulo 2^64) says which.
 */
static inline uint64_t vmm_time_from_counter(const volatile struct vmm_vcpu_time_info *t,
					     uint64_t count)
{
	uint64_t x = count - t->counter_base;
	uint64_t hz = t->counter_hz;
	uint64_t ns = x * t->ns_whole + vmm_mul_hi64(x, t->ns_frac);
	uint64_t rem = x * 1000000000u - ns * hz; /* in [0, 2 * hz) */

	return rem >= hz ? ns + 1 : ns;
}

/*
 * The user context of the last fast system call (vmm/abi.h, "Fast system
 * calls"): what the hardware banks on a real SVC exception. The hypervisor
 * writes it on every fast syscall bounce from virtual user mode and reads it
 * on the fast return (svc #VMM_SYSCALL_RETURN_SVC); the guest kernel may
 * read and rewrite it in between (result registers stay live in r0-r12).
 */
struct vmm_syscall_save {
	uint32_t sp;             /* user sp at the SVC */
	uint32_t lr;             /* user lr at the SVC */
	uint32_t pc;             /* where the user resumes: the instruction after the SVC */
	uint32_t cpsr;           /* user CPSR at the SVC (flags, T, IT, GE); sanitised on return */
};

struct vmm_vcpu_info {
	uint8_t evtchn_upcall_pending; /* set by the hypervisor when a port becomes pending */
	uint8_t evtchn_upcall_mask;    /* set by the guest (and on upcall entry) to hold upcalls */
	uint8_t vmode;                 /* VMM_VMODE_*: the domain's virtual mode (read-only) */
	uint8_t pad0;                  /* must stay 0 (the fast return reads these 4 bytes as one word) */
	struct vmm_syscall_save syscall; /* fast system calls (vmm/abi.h) */
	uint32_t evtchn_pending_sel;   /* bit i: a port in evtchn_pending[i] is pending */
	struct vmm_vcpu_time_info time;
};

#define VMM_VMODE_KERNEL 0
#define VMM_VMODE_USER   1

struct vmm_shared_info {
	struct vmm_vcpu_info vcpu_info;
	uint32_t evtchn_pending[32];   /* one bit per port; the guest clears bits it handled */
	uint32_t evtchn_mask[32];      /* one bit per port; a masked port does not raise upcalls (all 0 at boot) */
	uint32_t wc_version;           /* same protocol as time.version */
	uint32_t wc_sec;               /* wall-clock seconds (UNIX epoch) at system time 0 */
	uint32_t wc_nsec;
};

#endif /* VMM_GUEST_INFO_H */
