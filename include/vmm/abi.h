/*
 * libvmm hypercall ABI, shared by the hypervisor and every guest.
 *
 * Calling convention (ARMv7-A, guest in USR mode):
 *   r7      hypercall number (VMM_HC_*)
 *   r0..r4  arguments (no hypercall implemented so far uses r4)
 *   svc     #0x82                (VMM_HYPERCALL_SVC)
 *   r0      result: >= 0 on success, a negative VMM_E* code on failure
 * Every other register is preserved. The condition flags are preserved.
 *
 * Numbers follow Xen-ARM's table so that code ported from Xen-ARM guests
 * keeps working. A number the hypervisor does not implement returns
 * -VMM_ENOSYS; an unknown number is never used as a jump index.
 *
 * This header is self-standing and free of compiler extensions so that guests
 * built with any toolchain can include it (also from assembly). docs/abi.md is the reference.
 */
#ifndef VMM_ABI_H
#define VMM_ABI_H

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

/* The immediate of the SVC instruction that enters the hypervisor. */
#define VMM_HYPERCALL_SVC 0x82
/* The immediate of the fast return to user (see "Fast system calls" below):
 * no number in r7, every register but sp, lr, pc and CPSR passes through. */
#define VMM_SYSCALL_RETURN_SVC 0x83

/* ABI version reported by xen_version(VMM_XENVER_version): major << 16 | minor. */
#define VMM_ABI_MAJOR 1
#define VMM_ABI_MINOR 0
#define VMM_ABI_VERSION ((VMM_ABI_MAJOR << 16) | VMM_ABI_MINOR)

/* ---------------------------------------------------------------------------
 * Hypercall numbers (Xen-ARM numbering). "impl" marks the ones implemented;
 * the others are reserved and return -VMM_ENOSYS until their issue lands.
 */
#define VMM_HC_set_trap_table        0  /* impl */
#define VMM_HC_mmu_update            1
#define VMM_HC_set_callbacks         4  /* impl */
#define VMM_HC_dom0_op               7  /* impl: vmm/dom0_op.h */
#define VMM_HC_memory_op            12  /* impl: vmm/memory_op.h */
#define VMM_HC_multicall            13
#define VMM_HC_update_va_mapping    14
#define VMM_HC_set_timer_op         15  /* impl */
#define VMM_HC_event_channel_op     16  /* impl: vmm/event_channel.h */
#define VMM_HC_xen_version          17  /* impl */
#define VMM_HC_console_io           18  /* impl */
#define VMM_HC_physdev_op           19  /* impl: vmm/physdev.h */
#define VMM_HC_grant_table_op       20  /* impl: vmm/grant_table.h */
#define VMM_HC_vm_assist            21
#define VMM_HC_restore_trap_frame   23  /* impl */
#define VMM_HC_vcpu_op              24  /* impl: vmm/vcpu_op.h */
#define VMM_HC_mmuext_op            26
#define VMM_HC_acm_op               27  /* impl: vmm/acm.h */
#define VMM_HC_sched_op             29  /* impl */
#define VMM_HC_set_foreground_domain 33 /* impl */
#define VMM_HC_COUNT                34  /* numbers >= this are unknown */

/* ---------------------------------------------------------------------------
 * Error codes. Hypercalls return the negated value (e.g. -VMM_EINVAL).
 * The values are Linux/Xen errno values so guests can map them 1:1.
 */
#define VMM_EPERM    1   /* caller lacks the privilege (not dom0/privileged) */
#define VMM_ESRCH    3   /* no such domain */
#define VMM_EIO      5   /* device error */
#define VMM_E2BIG    7   /* argument list or buffer too long */
#define VMM_EAGAIN  11   /* try again later (e.g. nothing to read yet) */
#define VMM_ENOMEM  12   /* out of hypervisor memory */
#define VMM_EFAULT  14   /* a guest pointer/length is outside the caller's memory */
#define VMM_EBUSY   16   /* resource in use */
#define VMM_EEXIST  17   /* already exists / already set */
#define VMM_EINVAL  22   /* invalid argument or sub-command */
#define VMM_ENOSPC  28   /* no space left (table full) */
#define VMM_ENOSYS  38   /* unknown or reserved hypercall number */
#define VMM_ETIMEDOUT 110 /* sched_op(poll): the timeout passed first (not an error log) */

/* ---------------------------------------------------------------------------
 * xen_version(cmd, arg)
 */
#define VMM_XENVER_version      0  /* returns VMM_ABI_VERSION */
#define VMM_XENVER_extraversion 1  /* arg: char[16] filled with VMM_START_INFO_MAGIC's version part; returns 0 */

/* ---------------------------------------------------------------------------
 * console_io(cmd, count, buffer)
 *   write: prints count bytes of buffer on the hypervisor console. Output is
 *          collected per domain into lines and each line is printed whole with
 *          a "[domN] " tag. Returns count. count > VMM_CONSOLE_IO_MAX: -E2BIG.
 *   read:  copies up to count bytes the UART received into buffer, only for the
 *          foreground domain (dom0 by default). Returns the number copied
 *          (0 if nothing is waiting); a background domain gets -VMM_EPERM.
 */
#define VMM_CONSOLEIO_write 0
#define VMM_CONSOLEIO_read  1
#define VMM_CONSOLE_IO_MAX  4096

/* ---------------------------------------------------------------------------
 * sched_op(cmd, arg)
 *   yield:    give up the CPU; returns 0 when scheduled again.
 *   block:    sleep until an event is pending for the domain (its timer
 *             fires only through a bound VMM_VIRQ_TIMER port). Returns 0 at
 *             once if vcpu_info.evtchn_upcall_pending is already set. Only
 *             ports that are not masked in evtchn_mask set
 *             evtchn_upcall_pending (and their evtchn_pending_sel bit), so
 *             only they wake the domain; evtchn_upcall_mask does not prevent
 *             the wake-up.
 *   poll:     arg = guest address of a struct vmm_sched_poll. Sleeps until
 *             one of the listed ports is pending in evtchn_pending (masked
 *             or not: polling is how a guest waits with a port masked) or
 *             system time reaches `timeout` (absolute ns; 0 = no timeout).
 *             Returns 0 if a listed port is pending (checked before
 *             sleeping: an event that arrived before the call is not
 *             missed), -VMM_ETIMEDOUT if the timeout came first.
 *             Errors: -VMM_EFAULT arg or the port list outside the caller's
 *             memory; -VMM_EINVAL nr_ports is 0 or above
 *             VMM_SCHED_POLL_MAX, or a listed port is 0 or >= 1024.
 *             Other events (unlisted ports) do not end the poll; they stay
 *             pending and are delivered as usual afterwards.
 *   shutdown: arg is a VMM_SHUTDOWN_* reason. The domain stops for good; it
 *             does not return. When every domain has shut down the image powers
 *             off, with exit status 0 if all reasons were poweroff, else 1.
 */
#define VMM_SCHEDOP_yield    0
#define VMM_SCHEDOP_block    1
#define VMM_SCHEDOP_shutdown 2
#define VMM_SCHEDOP_poll     3

#define VMM_SCHED_POLL_MAX   32  /* ports one poll may list */

#ifndef __ASSEMBLER__
struct vmm_sched_poll {
	uint32_t ports;     /* guest address of uint32_t[nr_ports] */
	uint32_t nr_ports;  /* 1..VMM_SCHED_POLL_MAX */
	uint64_t timeout;   /* absolute system time in ns; 0: wait forever */
};
#endif

#define VMM_SHUTDOWN_poweroff 0  /* clean exit */
#define VMM_SHUTDOWN_reboot   1  /* treated as a clean exit (no reboot support) */
#define VMM_SHUTDOWN_suspend  2  /* rejected with -VMM_EINVAL: not supported */
#define VMM_SHUTDOWN_crash    3  /* the guest failed */

/* ---------------------------------------------------------------------------
 * set_timer_op(deadline_lo, deadline_hi)
 *   Arms the domain's one-shot timer at an absolute system time in ns (the
 *   64-bit value is split over r0/r1). When system time reaches it,
 *   VMM_VIRQ_TIMER is raised: the port the domain bound it to
 *   (event_channel.h bind_virq) becomes pending, waking a blocked domain.
 *   Without such a binding the expiry is dropped.
 *   A deadline of 0 cancels the timer. A deadline in the past fires at once.
 */

/* ---------------------------------------------------------------------------
 * set_callbacks(event_address, failsafe_address)
 *   event_address: guest entry point for event upcalls (see below).
 *   failsafe_address: reserved, must be 0 or a valid address; unused.
 *   Both must lie in the domain's memory: -VMM_EFAULT otherwise. An ARM-state
 *   event_address (bit 0 clear) must be word aligned: -VMM_EINVAL otherwise
 *   (bit 1 set; the upcall's exception return to it would be UNPREDICTABLE).
 *
 * The upcall (thesis 5.2.4): when an event is pending for the domain and its
 * vcpu_info.evtchn_upcall_mask is 0, the hypervisor, on its next return to the
 * guest, pushes the interrupted context as a struct vmm_trap_frame on the
 * guest stack (below the interrupted sp, 8-byte aligned), sets
 * evtchn_upcall_mask to 1 and enters event_address in virtual kernel mode with
 *   r0 = address of the pushed frame, sp = the same address.
 * The guest handles its events, may edit the frame (e.g. to switch threads)
 * and returns with restore_trap_frame(frame).
 *
 * event_address with bit 0 set is entered in Thumb state. In a pushed frame,
 * pc has bit 0 clear and the Thumb state is the T bit (0x20) of cpsr.
 *
 * restore_trap_frame(frame)
 *   Loads every register from the struct vmm_trap_frame at `frame` (in the
 *   domain's memory), clears evtchn_upcall_mask and resumes there; if events
 *   are pending again it re-enters the callback at once. It is valid at any
 *   time, not only inside an upcall: a guest may use it to resume any context
 *   of its own (e.g. a thread switch). The CPSR in the
 *   frame is sanitised: only the condition flags, IT and GE bits and the Thumb bit
 *   are taken; the mode is always USR with IRQs enabled and FIQs masked
 *   (F set: libvmm gives guests no FIQ).
 *   Does not return on success; -VMM_EFAULT if frame is not in the domain.
 */
#ifndef __ASSEMBLER__
struct vmm_trap_frame {
	uint32_t r[13];  /* r0..r12 */
	uint32_t sp;     /* r13 */
	uint32_t lr;     /* r14 */
	uint32_t pc;     /* where execution resumes */
	uint32_t cpsr;   /* condition flags etc. of the interrupted code */
};
#endif
#define VMM_TRAP_FRAME_SIZE 68

/* ---------------------------------------------------------------------------
 * Virtual kernel and user modes (thesis 5.2.6). A guest kernel and its user
 * processes both run in USR mode; libvmm tracks which one runs
 * (vcpu_info.vmode, VMM_VMODE_* in vmm/guest_info.h) and sets the ARM
 * domain access register on every transition: in virtual user mode the
 * guest kernel's pages (0xC0000000-0xDFFFFFFF, ARM domain 2) are
 * inaccessible, in virtual kernel mode both halves are; the hypervisor's
 * (ARM domain 0, PL1-only pages) never are. No TLB flush is needed.
 *
 * set_trap_table(table, flags)  (hypercall 0, virtual kernel mode only)
 *   Copies a struct vmm_trap_table from the caller's memory: one handler per
 *   VMM_TRAP_* kind (guest address, bit 0 set: Thumb; 0: none) and the
 *   kernel stack for traps and upcalls that arrive in virtual user mode
 *   (Xen's stack_switch; 0: none). Each non-zero handler and kernel_sp - 4
 *   must lie in the domain's memory, kernel_sp be 8-byte aligned and every
 *   ARM-state handler (bit 0 clear) word aligned: -VMM_EFAULT / -VMM_EINVAL
 *   otherwise, and nothing changes. flags: 0 or
 *   VMM_TRAPTABLE_fast_syscall (any other bit: -VMM_EINVAL, nothing
 *   changes). table = 0 clears every handler and the flags. Returns 0.
 *
 * Traps bounced to the guest kernel:
 *   syscall         any SVC in virtual user mode, whatever its immediate (so
 *                   a user process cannot make hypercalls: svc #0x82 there
 *                   is a system call like any other)
 *   undefined       an undefined instruction (not the lazy VFP trap)
 *   prefetch_abort  an instruction fetch fault (address = IFAR, status = IFSR)
 *   data_abort      a data access fault (address = DFAR, status = DFSR)
 * in either virtual mode. The hypervisor pushes a struct vmm_trap_bounce on
 * the kernel stack (from user mode: below kernel_sp; from kernel mode: below
 * the interrupted sp), 8-byte aligned, switches to virtual kernel mode and
 * enters the handler with r0 = sp = the bounce frame's address, IRQs
 * enabled; evtchn_upcall_mask is left as it was. A trap with no handler, or
 * one whose frame cannot be pushed (stack outside the domain's memory,
 * kernel_sp 0 from user mode), crashes the domain with a [VMM] line.
 *
 * In every frame the hypervisor pushes (bounces and upcalls), CPSR bit 20
 * (VMM_PSR_VUSER; reserved in ARMv7-A, never set by the hardware) is set
 * if the context was in virtual user mode. restore_trap_frame resumes in
 * virtual user mode exactly when the frame has it set, so a guest kernel
 * returns to user code by restoring the bounce frame (after, for a
 * syscall, storing the result in frame.r[0]) or any frame it builds with
 * the bit set.
 */
#define VMM_TRAP_syscall        0
#define VMM_TRAP_undefined      1
#define VMM_TRAP_prefetch_abort 2
#define VMM_TRAP_data_abort     3
#define VMM_TRAP_NR             4

#define VMM_PSR_VUSER (1u << 20)

/*
 * Fast system calls (set_trap_table flag VMM_TRAPTABLE_fast_syscall; used
 * while the table has a syscall handler and a kernel_sp). Modelled on the
 * real SVC exception: an SVC in virtual user mode pushes no frame. The
 * hypervisor stores what the hardware would bank -- user sp, lr, pc (after
 * the SVC) and CPSR -- in vcpu_info.syscall (struct vmm_syscall_save,
 * vmm/guest_info.h), switches to virtual kernel mode and enters the syscall
 * handler with sp = kernel_sp, IRQs enabled, evtchn_upcall_mask as it was,
 * and r0-r12 exactly as the user left them (the number, the arguments: the
 * handler saves what it needs, like a kernel's SVC entry). lr is the
 * user's lr too. The SVC's address is vcpu_info.syscall.pc - 4 (ARM) or
 * - 2 (Thumb: CPSR.T); its immediate is not decoded.
 *
 * The return: `svc #VMM_SYSCALL_RETURN_SVC` (0x83) in virtual kernel mode
 * resumes virtual user mode with sp, lr, pc and CPSR from vcpu_info.syscall
 * and r0-r12 exactly as the kernel left them (result in r0, the user's
 * other registers restored by the kernel). The CPSR is sanitised as by
 * restore_trap_frame (USR mode, IRQs on, FIQs masked, IT bits only in
 * Thumb state and only as a valid ITSTATE, pc aligned for the state). An
 * upcall pending at the return is delivered first (the interrupted context
 * is the user's, VMM_PSR_VUSER set). The call does not return to the
 * kernel. It is valid at any time in virtual kernel mode, also without a
 * bounce before it (the save area is then whatever the kernel wrote); in
 * virtual user mode, svc #0x83 is a system call like any other SVC.
 *
 * Guest-side contract: the save area is rewritten only by the next fast
 * syscall, which cannot happen before the kernel returns to user code. A
 * kernel that may run another user context before it returns (it blocks,
 * yields or takes an upcall that switches threads) copies the four words
 * away first and puts them back before its return SVC. Faults, upcalls and
 * syscalls of domains without the flag keep the frame bounce above;
 * restore_trap_frame still resumes any frame (also user ones). Keep
 * vcpu_info.pad0 zero: a non-zero value only sends returns the slow way.
 */
#define VMM_TRAPTABLE_fast_syscall 0x1u

#ifndef __ASSEMBLER__
struct vmm_trap_table {
	uint32_t handler[VMM_TRAP_NR]; /* guest entry per VMM_TRAP_*, bit 0: Thumb; 0: none */
	uint32_t kernel_sp;            /* stack for traps/upcalls from virtual user mode; 0: none */
};

struct vmm_trap_bounce {
	struct vmm_trap_frame frame;   /* the trapped context; pc: after the SVC for a
	                                  syscall, the faulting instruction otherwise */
	uint32_t trap;                 /* VMM_TRAP_* */
	uint32_t address;              /* syscall: the SVC's address; undefined: the
	                                  instruction's; aborts: the fault address */
	uint32_t status;               /* syscall: the SVC immediate; aborts: the fault
	                                  status (DFSR/IFSR); undefined: 0 */
	uint32_t reserved;             /* 0 */
};
#endif
#define VMM_TRAP_BOUNCE_SIZE 84

/* ---------------------------------------------------------------------------
 * set_foreground_domain(domid)
 *   Privileged domains only (-VMM_EPERM otherwise). Routes UART input to
 *   domid (-VMM_ESRCH if no such live domain). Returns 0.
 */

/* ---------------------------------------------------------------------------
 * Event ports: every port, including the timer's and the console's, is bound
 * by the guest through event_channel_op (vmm/event_channel.h). Port numbers
 * are 1..VMM_NR_EVENT_PORTS-1; port 0 is never used.
 */
#define VMM_NR_EVENT_PORTS 1024

#endif /* VMM_ABI_H */
