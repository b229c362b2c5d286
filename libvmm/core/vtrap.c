/*
 * Virtual kernel/user modes and the trap bounce (see vtrap.h).
 */
#include "vtrap.h"

#include <string.h>

#include "arch.h"
#include "cold.h"
#include "domain.h"
#include "guest_access.h"
#include "log.h"
#include "schedule.h"

enum { SVC_KERNEL, SVC_USER, SVC_USER_FAST, SVC_TABLES };
static const void *svc_tables[SVC_TABLES];

_Static_assert(sizeof(struct vmm_trap_bounce) == VMM_TRAP_BOUNCE_SIZE, "bounce frame size");
_Static_assert(VMM_VMODE_KERNEL == 0 && VMM_VMODE_USER == 1, "svc_tables index");

static const char *const trap_kind_names[VMM_TRAP_NR] = {
	[VMM_TRAP_syscall] = "system call",
	[VMM_TRAP_undefined] = "undefined instruction",
	[VMM_TRAP_prefetch_abort] = "prefetch abort",
	[VMM_TRAP_data_abort] = "data abort",
};

void vtrap_init(const void *kernel_svc_table, const void *user_svc_table,
		const void *user_fast_svc_table)
{
	svc_tables[SVC_KERNEL] = kernel_svc_table;
	svc_tables[SVC_USER] = user_svc_table;
	svc_tables[SVC_USER_FAST] = user_fast_svc_table;
}

unsigned int vtrap_mode(const struct domain *d)
{
	return d->hctx.dacr == VTRAP_DACR_USER ? VMM_VMODE_USER : VMM_VMODE_KERNEL;
}

bool vtrap_fast_syscall(const struct domain *d)
{
	return (d->trap_flags & VMM_TRAPTABLE_fast_syscall) && d->traps.handler[VMM_TRAP_syscall] &&
	       d->traps.kernel_sp;
}

/* The words entry.S's fast bounce and return take their stores from. */
static void vtrap_sync_extra(struct domain *d)
{
	struct arch_frame_extra *x = arch_frame_extra(d->frame);
	struct vmm_trap_frame entry;

	arch_frame_set_entry(&entry, d->traps.handler[VMM_TRAP_syscall], 0, 0);
	x->kernel_sp = d->traps.kernel_sp;
	x->handler_pc = entry.pc;
	x->handler_cpsr = entry.cpsr;
	x->dacr_kernel = VTRAP_DACR_KERNEL;
	x->kernel_table = (uint32_t)(uintptr_t)svc_tables[SVC_KERNEL];
	x->zero = VMM_VMODE_KERNEL;
	x->hctx_dacr = (uint32_t)(uintptr_t)&d->hctx.dacr;
	x->user_table = (uint32_t)(uintptr_t)svc_tables[vtrap_fast_syscall(d) ? SVC_USER_FAST : SVC_USER];
	x->dacr_user = VTRAP_DACR_USER;
	x->one = VMM_VMODE_USER;
}

void vtrap_set_mode(struct domain *d, unsigned int vmode)
{
	bool user = vmode == VMM_VMODE_USER;
	uint32_t dacr = user ? VTRAP_DACR_USER : VTRAP_DACR_KERNEL;
	struct arch_frame_extra *x = arch_frame_extra(d->frame);

	d->shared->vcpu_info.vmode = user ? VMM_VMODE_USER : VMM_VMODE_KERNEL; /* the guest's copy */
	d->hctx.dacr = dacr;
	vtrap_sync_extra(d);
	x->svc_table = user ? x->user_table : x->kernel_table;
	if (d == current)
		arch_set_dacr(dacr);
}

/* A handler or kernel stack value: 0, or a guest address in d's memory. */
static bool vtrap_addr_ok(const struct domain *d, uint32_t va)
{
	return va == 0 || guest_range_valid(d, va & ~1u, 4);
}

VMM_COLD long vtrap_set_table(struct domain *d, uint32_t table_va, uint32_t flags)
{
	struct vmm_trap_table t;
	unsigned int i;

	if (flags & ~VMM_TRAPTABLE_fast_syscall)
		return vmm_reject(d->id, &d->rejections_logged, -VMM_EINVAL,
				  "set_trap_table: unknown flags 0x%x", (unsigned)flags);
	if (table_va == 0) {
		memset(&d->traps, 0, sizeof(d->traps));
		d->trap_flags = 0;
		vtrap_sync_extra(d);
		return 0;
	}
	if (guest_copy_from(d, &t, table_va, sizeof(t)) != 0)
		return vmm_reject(d->id, &d->rejections_logged, -VMM_EFAULT,
				  "set_trap_table: table 0x%08x outside domain memory", (unsigned)table_va);
	for (i = 0; i < VMM_TRAP_NR; i++)
		if (!vtrap_addr_ok(d, t.handler[i]))
			return vmm_reject(d->id, &d->rejections_logged, -VMM_EFAULT,
					  "set_trap_table: %s handler 0x%08x outside domain memory",
					  trap_kind_names[i], (unsigned)t.handler[i]);
	for (i = 0; i < VMM_TRAP_NR; i++)
		if (!arch_entry_aligned(t.handler[i]))
			return vmm_reject(d->id, &d->rejections_logged, -VMM_EINVAL,
					  "set_trap_table: %s handler 0x%08x: ARM-state entry not 4-byte aligned",
					  trap_kind_names[i], (unsigned)t.handler[i]);
	if (t.kernel_sp & 7u)
		return vmm_reject(d->id, &d->rejections_logged, -VMM_EINVAL,
				  "set_trap_table: kernel stack 0x%08x not 8-byte aligned", (unsigned)t.kernel_sp);
	if (t.kernel_sp && !guest_range_valid(d, t.kernel_sp - 4, 4))
		return vmm_reject(d->id, &d->rejections_logged, -VMM_EFAULT,
				  "set_trap_table: kernel stack 0x%08x outside domain memory",
				  (unsigned)t.kernel_sp);
	d->traps = t;
	d->trap_flags = flags;
	vtrap_sync_extra(d);
	return 0;
}

/* Pushes *b below sp in d's memory, 8-byte aligned; 0 if it does not fit
 * (a wrap-around below 0 lands in the hypervisor's range, which the
 * checked copy refuses like any address outside the domain). */
static uint32_t vtrap_push(struct domain *d, uint32_t sp, const void *b, uint32_t size)
{
	uint32_t va = (sp - size) & ~7u;

	if (guest_copy_to(d, va, b, size) != 0)
		return 0;
	return va;
}

enum vtrap_result vtrap_bounce(struct domain *d, struct vmm_trap_frame *f, unsigned int trap,
			       uint32_t address, uint32_t status)
{
	struct vmm_trap_bounce b;
	bool from_user = vtrap_mode(d) == VMM_VMODE_USER;
	uint32_t handler, sp, va;

	if (trap >= VMM_TRAP_NR || !(handler = d->traps.handler[trap]))
		return VTRAP_NO_HANDLER;
	sp = from_user ? d->traps.kernel_sp : f->sp;
	b.frame = *f;
	if (from_user)
		b.frame.cpsr |= VMM_PSR_VUSER;
	b.trap = trap;
	b.address = address;
	b.status = status;
	b.reserved = 0;
	va = vtrap_push(d, sp, &b, sizeof(b));
	if (!va) {
		vmm_log("dom%u: %s at pc 0x%08x: cannot enter the handler (stack 0x%08x outside domain memory); domain crashed",
			(unsigned)d->id, trap_kind_names[trap], (unsigned)f->pc, (unsigned)sp);
		domain_kill(d, VMM_SHUTDOWN_crash);
		return VTRAP_CRASHED;
	}
	if (from_user)
		vtrap_set_mode(d, VMM_VMODE_KERNEL);
	arch_frame_set_entry(f, handler, va, va);
	return VTRAP_BOUNCED;
}

uint32_t vtrap_upcall_stack(struct domain *d, struct vmm_trap_frame *f)
{
	if (vtrap_mode(d) != VMM_VMODE_USER)
		return f->sp;
	f->cpsr |= VMM_PSR_VUSER; /* pushed as the interrupted context */
	vtrap_set_mode(d, VMM_VMODE_KERNEL);
	return d->traps.kernel_sp;
}

void vtrap_restore_mode(struct domain *d, const struct vmm_trap_frame *f)
{
	unsigned int want = (f->cpsr & VMM_PSR_VUSER) ? VMM_VMODE_USER : VMM_VMODE_KERNEL;

	if (want != vtrap_mode(d))
		vtrap_set_mode(d, want);
}

/* The fast bounce in C (entry.S's arch_svc_user_bounce does the same):
 * the user's banked registers to vcpu_info.syscall, the handler entered on
 * the kernel stack, r0-r12 untouched. */
static void vtrap_fast_bounce(struct domain *d, struct vmm_trap_frame *f)
{
	struct vmm_syscall_save *s = &d->shared->vcpu_info.syscall;

	s->sp = f->sp;
	s->lr = f->lr;
	s->pc = f->pc;
	s->cpsr = f->cpsr;
	vtrap_set_mode(d, VMM_VMODE_KERNEL);
	arch_frame_set_entry(f, d->traps.handler[VMM_TRAP_syscall], d->traps.kernel_sp, f->r[0]);
}

enum vtrap_result vtrap_syscall(struct domain *d, struct vmm_trap_frame *f, long imm)
{
	uint32_t svc_pc = f->pc - ((f->cpsr & 0x20u) ? 2 : 4);
	enum vtrap_result r;

	if (vtrap_fast_syscall(d)) {
		vtrap_fast_bounce(d, f);
		return VTRAP_BOUNCED;
	}
	r = vtrap_bounce(d, f, VMM_TRAP_syscall, svc_pc, (uint32_t)imm);
	if (r == VTRAP_NO_HANDLER) {
		vmm_log("dom%u: system call at pc 0x%08x from user mode with no handler; domain crashed",
			(unsigned)d->id, (unsigned)svc_pc);
		domain_kill(d, VMM_SHUTDOWN_crash);
	}
	return r;
}

enum vtrap_result vtrap_syscall_return(struct domain *d, struct vmm_trap_frame *f)
{
	const struct vmm_syscall_save *s = &d->shared->vcpu_info.syscall;

	if (vtrap_mode(d) == VMM_VMODE_USER)
		return vtrap_syscall(d, f, VMM_SYSCALL_RETURN_SVC);
	f->sp = s->sp;
	f->lr = s->lr;
	f->pc = s->pc;
	f->cpsr = s->cpsr;
	arch_frame_sanitize(f);
	vtrap_set_mode(d, VMM_VMODE_USER);
	return VTRAP_BOUNCED;
}

void vtrap_syscall_return_slow(struct vmm_trap_frame *f)
{
	if (vtrap_syscall_return(current, f) != VTRAP_BOUNCED)
		schedule(); /* the domain is dead: never returns to it */
}

long vtrap_user_svc(uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3)
{
	struct domain *d = current;
	struct vmm_trap_frame *f = d->frame;

	(void)a0;
	(void)a1;
	(void)a2;
	(void)a3;
	if (vtrap_syscall(d, f, VMM_HYPERCALL_SVC) == VTRAP_BOUNCED)
		return (long)f->r[0]; /* the fast path stores this in frame r0 */
	schedule();
	return 0; /* not reached: a dead domain never runs again */
}
