/*
 * Hypercall table, dispatch, rejection logging and the small handlers
 * (xen_version, console_io, set_foreground_domain).
 */
#include "hypercall.h"

#include <stdarg.h>
#include <string.h>

#include "cold.h"
#include "console.h"
#include "dom0_hcall.h"
#include "domain.h"
#include "event.h"
#include "evtchn_hcall.h"
#include "format.h"
#include "grant_glue.h"
#include "guest_access.h"
#include "log.h"
#include "memory_op.h"
#include "mm_hcall.h"
#include "pirq.h"
#include "policy.h"
#include "runstate.h"
#include "schedule.h"
#include "time.h"
#include "vtrap.h"

static uint32_t foreground_logged; /* console input switch lines logged (VMM_REJECT_LOG_LIMIT) */

static const char *const hypercall_names[VMM_HC_COUNT] = {
	[VMM_HC_set_trap_table] = "set_trap_table",
	[VMM_HC_mmu_update] = "mmu_update",
	[VMM_HC_set_callbacks] = "set_callbacks",
	[VMM_HC_dom0_op] = "dom0_op",
	[VMM_HC_memory_op] = "memory_op",
	[VMM_HC_multicall] = "multicall",
	[VMM_HC_update_va_mapping] = "update_va_mapping",
	[VMM_HC_set_timer_op] = "set_timer_op",
	[VMM_HC_event_channel_op] = "event_channel_op",
	[VMM_HC_xen_version] = "xen_version",
	[VMM_HC_console_io] = "console_io",
	[VMM_HC_physdev_op] = "physdev_op",
	[VMM_HC_grant_table_op] = "grant_table_op",
	[VMM_HC_vm_assist] = "vm_assist",
	[VMM_HC_restore_trap_frame] = "restore_trap_frame",
	[VMM_HC_vcpu_op] = "vcpu_op",
	[VMM_HC_mmuext_op] = "mmuext_op",
	[VMM_HC_acm_op] = "acm_op",
	[VMM_HC_sched_op] = "sched_op",
	[VMM_HC_set_foreground_domain] = "set_foreground_domain",
};

/* Reserved or unknown numbers: -ENOSYS, logged once per number and domain. */
static VMM_COLD long hc_reserved(uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3)
{
	struct domain *d = current;
	uint32_t nr = d->frame->r[7];
	uint32_t bit = nr < 32 ? (1u << nr) : (1u << 31);
	const char *name = nr < VMM_HC_COUNT && hypercall_names[nr] ? hypercall_names[nr] : "unknown";

	(void)a0;
	(void)a1;
	(void)a2;
	(void)a3;
	if (d->unknown_hypercalls_logged & bit)
		return -VMM_ENOSYS;
	d->unknown_hypercalls_logged |= bit;
	return hypercall_reject(d, -VMM_ENOSYS, "hypercall %u (%s) is not available", (unsigned)nr, name);
}

/* xen_version sub-commands other than the version itself (kept off the fast path). */
static long __attribute__((noinline, cold)) xen_version_other(uint32_t cmd, uint32_t arg)
{
	static const char extra[16] = "-libvmm";

	if (cmd == VMM_XENVER_extraversion) {
		if (guest_copy_to(current, arg, extra, sizeof(extra)) != 0)
			return hypercall_reject(current, -VMM_EFAULT,
						"xen_version: buffer 0x%08x outside domain memory", (unsigned)arg);
		return 0;
	}
	return hypercall_reject(current, -VMM_EINVAL, "xen_version: unknown command %u", (unsigned)cmd);
}

/* The null hypercall of the benchmarks, and the guests' way to get pending upcalls delivered. */
long hc_xen_version(uint32_t cmd, uint32_t arg, uint32_t a2, uint32_t a3)
{
	(void)a2;
	(void)a3;
	if (cmd == VMM_XENVER_version)
		return VMM_ABI_VERSION;
	return xen_version_other(cmd, arg);
}

static long console_io_write(struct domain *d, uint32_t count, uint32_t buf)
{
	char chunk[128];
	uint32_t done, n;

	if (count > VMM_CONSOLE_IO_MAX)
		return hypercall_reject(d, -VMM_E2BIG, "console_io: write of %u bytes (max %u)",
					(unsigned)count, VMM_CONSOLE_IO_MAX);
	if (!guest_range_accessible(d, buf, count))
		return hypercall_reject(d, -VMM_EFAULT, "console_io: buffer 0x%08x+%u outside domain memory",
					(unsigned)buf, (unsigned)count);
	/* Guest memory is reached page by page: copy out in chunks (checked above). */
	for (done = 0; done < count; done += n) {
		n = count - done < sizeof(chunk) ? count - done : (uint32_t)sizeof(chunk);
		guest_copy_from(d, chunk, buf + done, n);
		console_write(&d->console, d->tag, chunk, n);
	}
	time_publish(d->shared, time_now());
	return (long)count;
}

static long console_io_read(struct domain *d, uint32_t count, uint32_t buf)
{
	char chunk[CONSOLE_RX_SIZE];
	size_t n;

	if (d->id != console_foreground())
		return hypercall_reject(d, -VMM_EPERM, "console_io: read by a background domain");
	if (count > VMM_CONSOLE_IO_MAX)
		return hypercall_reject(d, -VMM_E2BIG, "console_io: read of %u bytes (max %u)",
					(unsigned)count, VMM_CONSOLE_IO_MAX);
	/* Writable (not a page table) before a byte leaves the receive buffer. */
	if (!guest_range_writable(d, buf, count))
		return hypercall_reject(d, -VMM_EFAULT, "console_io: buffer 0x%08x+%u outside domain memory or a page table",
					(unsigned)buf, (unsigned)count);
	/* At most what the receive buffer holds; the copy cannot fail after the check. */
	n = console_rx_pop(chunk, count < sizeof(chunk) ? count : sizeof(chunk));
	guest_copy_to(d, buf, chunk, (uint32_t)n);
	return (long)n;
}

long hc_console_io(uint32_t cmd, uint32_t count, uint32_t buf, uint32_t a3)
{
	(void)a3;
	switch (cmd) {
	case VMM_CONSOLEIO_write:
		return console_io_write(current, count, buf);
	case VMM_CONSOLEIO_read:
		return console_io_read(current, count, buf);
	default:
		return hypercall_reject(current, -VMM_EINVAL, "console_io: unknown command %u", (unsigned)cmd);
	}
}

VMM_COLD long hc_set_foreground_domain(uint32_t domid, uint32_t a1, uint32_t a2, uint32_t a3)
{
	struct domain *d = current;

	(void)a1;
	(void)a2;
	(void)a3;
	if (!(d->flags & VMM_DOMCFG_PRIVILEGED))
		return hypercall_reject(d, -VMM_EPERM, "set_foreground_domain: not privileged");
	if (!domain_find(domid))
		return hypercall_reject(d, -VMM_ESRCH, "set_foreground_domain: no domain %u", (unsigned)domid);
	if (domid == console_foreground())
		return 0;
	console_set_foreground(domid);
	/* A guest can switch in a loop: the line is rate-limited like refusals. */
	if (foreground_logged < VMM_REJECT_LOG_LIMIT) {
		vmm_log("console input now goes to dom%u", (unsigned)domid);
		if (++foreground_logged == VMM_REJECT_LOG_LIMIT)
			vmm_log("further console input switches are not logged");
	}
	return 0;
}

static long hc_grant_table_op(uint32_t cmd, uint32_t uop, uint32_t count, uint32_t a3)
{
	(void)a3;
	return grant_table_op(current, cmd, uop, count);
}

/* One batched call of multicall: only numbers pt_multicall_allowed() passed get here. */
static long multicall_one(void *arg, uint32_t op, const uint32_t args[4])
{
	(void)arg;
	if (op >= VMM_HC_COUNT)
		return -VMM_EINVAL;
	return hypercall_table[op](args[0], args[1], args[2], args[3]);
}

static long hc_multicall(uint32_t calls, uint32_t count, uint32_t a2, uint32_t a3)
{
	(void)a2;
	(void)a3;
	return mm_multicall(calls, count, multicall_one, NULL);
}

long hc_set_trap_table(uint32_t table, uint32_t flags, uint32_t a2, uint32_t a3)
{
	(void)a2;
	(void)a3;
	return vtrap_set_table(current, table, flags);
}

/* Slot VMM_HC_COUNT + 1 of every SVC table: where other SVCs go (arch.h). */
#define SVC_OTHER(label) [VMM_HC_COUNT + 1] = (hypercall_fn)(void (*)(void))label

const hypercall_fn hypercall_user_table[VMM_HC_COUNT + 2] = {
	[0 ... VMM_HC_COUNT] = vtrap_user_svc,
	SVC_OTHER(arch_svc_other),
};

const hypercall_fn hypercall_user_fast_table[VMM_HC_COUNT + 2] = {
	[0 ... VMM_HC_COUNT] = vtrap_user_svc,
	SVC_OTHER(arch_svc_user_bounce),
};

#define HC(nr, fn) [nr] = fn
const hypercall_fn hypercall_table[VMM_HC_COUNT + 2] = {
	HC(0, hc_set_trap_table),  HC(1, hc_mmu_update),  HC(2, hc_reserved),
	HC(3, hc_reserved),  HC(4, hc_set_callbacks),  HC(5, hc_reserved),
	HC(6, hc_reserved),  HC(7, hc_dom0_op),  HC(8, hc_reserved),
	HC(9, hc_reserved),  HC(10, hc_reserved), HC(11, hc_reserved),
	HC(12, hc_memory_op), HC(13, hc_multicall), HC(14, hc_update_va_mapping_fast),
	HC(15, hc_set_timer_op),  HC(16, hc_event_channel_op), HC(17, hc_xen_version),
	HC(18, hc_console_io),    HC(19, hc_physdev_op), HC(20, hc_grant_table_op),
	HC(21, hc_reserved), HC(22, hc_reserved), HC(23, hc_restore_trap_frame),
	HC(24, hc_vcpu_op),  HC(25, hc_reserved), HC(26, hc_mmuext_op),
	HC(27, hc_acm_op), HC(28, hc_reserved), HC(29, hc_sched_op),
	HC(30, hc_reserved), HC(31, hc_reserved), HC(32, hc_reserved),
	HC(33, hc_set_foreground_domain),
	HC(VMM_HC_COUNT, hc_reserved),
	SVC_OTHER(arch_svc_other),
};

long hypercall_dispatch(uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3)
{
	if (nr > VMM_HC_COUNT)
		nr = VMM_HC_COUNT;
	return hypercall_table[nr](a0, a1, a2, a3);
}

/* The trapped SVC's immediate, decoded for ARM or Thumb state; -1 if the
 * instruction cannot be read or is not an SVC. */
static long hypercall_svc_immediate(struct domain *d, const struct vmm_trap_frame *f)
{
	uint32_t insn = 0;
	uint16_t half = 0;

	if (f->cpsr & 0x20u) { /* Thumb: 16-bit SVC encoding 0xDFxx */
		if (guest_copy_from(d, &half, f->pc - 2, sizeof(half)) != 0 || (half & 0xFF00u) != 0xDF00u)
			return -1;
		return half & 0xFFu;
	}
	if (guest_copy_from(d, &insn, f->pc - 4, sizeof(insn)) != 0 || (insn & 0x0F000000u) != 0x0F000000u)
		return -1;
	return (long)(insn & 0x00FFFFFFu);
}


/* An SVC in virtual user mode: a system call for the guest kernel, whatever
 * its immediate; crashes the domain if the kernel has no handler. */
static void hypercall_user_syscall(struct domain *d, struct vmm_trap_frame *f, long imm)
{
	if (vtrap_syscall(d, f, imm) != VTRAP_BOUNCED)
		schedule(); /* d is dead: never returns to it */
}

void hypercall_slow(struct vmm_trap_frame *f)
{
	struct domain *d = current;
	long imm;

	if (!arch_frame_from_guest(f) || !d) {
		vmm_log("PANIC: SVC from hypervisor mode at pc 0x%08x", (unsigned)f->pc);
		schedule_poweroff(2);
	}
	imm = hypercall_svc_immediate(d, f);
	if (vtrap_mode(d) == VMM_VMODE_USER) {
		hypercall_user_syscall(d, f, imm);
		return;
	}
	if (imm == VMM_SYSCALL_RETURN_SVC) { /* a conditional or Thumb one */
		if (vtrap_syscall_return(d, f) != VTRAP_BOUNCED)
			schedule();
		return;
	}
	if (imm != VMM_HYPERCALL_SVC) {
		uint32_t svc_pc = f->pc - ((f->cpsr & 0x20u) ? 2 : 4);

		f->r[0] = (uint32_t)hypercall_reject(d, -VMM_ENOSYS, "SVC at pc 0x%08x is not svc #0x%x",
						     (unsigned)svc_pc, VMM_HYPERCALL_SVC);
		return;
	}
	f->r[0] = (uint32_t)hypercall_dispatch(f->r[7], f->r[0], f->r[1], f->r[2], f->r[3]);
}
