/*
 * Virtual kernel/user modes and the trap bounce (see vtrap.h).
 */
#include "vtrap.h"

#include <string.h>

#include "arch.h"
#include "domain.h"
#include "guest_access.h"
#include "log.h"
#include "schedule.h"

static const void *svc_tables[2]; /* by VMM_VMODE_* */

_Static_assert(sizeof(struct vmm_trap_bounce) == VMM_TRAP_BOUNCE_SIZE, "bounce frame size");
_Static_assert(VMM_VMODE_KERNEL == 0 && VMM_VMODE_USER == 1, "svc_tables index");

static const char *const trap_kind_names[VMM_TRAP_NR] = {
	[VMM_TRAP_syscall] = "system call",
	[VMM_TRAP_undefined] = "undefined instruction",
	[VMM_TRAP_prefetch_abort] = "prefetch abort",
	[VMM_TRAP_data_abort] = "data abort",
};

void vtrap_init(const void *kernel_svc_table, const void *user_svc_table)
{
	svc_tables[VMM_VMODE_KERNEL] = kernel_svc_table;
	svc_tables[VMM_VMODE_USER] = user_svc_table;
}

void vtrap_set_mode(struct domain *d, unsigned int vmode)
{
	bool user = vmode == VMM_VMODE_USER;
	uint32_t dacr = user ? VTRAP_DACR_USER : VTRAP_DACR_KERNEL;

	d->vmode = user ? VMM_VMODE_USER : VMM_VMODE_KERNEL;
	d->shared->vcpu_info.vmode = (uint8_t)d->vmode; /* published; the guest's copy is never read */
	d->hctx.dacr = dacr;
	arch_frame_set_svc_table(d->frame, svc_tables[user ? VMM_VMODE_USER : VMM_VMODE_KERNEL]);
	if (d == current)
		arch_set_dacr(dacr);
}

/* A handler or kernel stack value: 0, or a guest address in d's memory. */
static bool vtrap_addr_ok(const struct domain *d, uint32_t va)
{
	return va == 0 || guest_range_valid(d, va & ~1u, 4);
}

long vtrap_set_table(struct domain *d, uint32_t table_va)
{
	struct vmm_trap_table t;
	unsigned int i;

	if (table_va == 0) {
		memset(&d->traps, 0, sizeof(d->traps));
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
	if (t.kernel_sp & 7u)
		return vmm_reject(d->id, &d->rejections_logged, -VMM_EINVAL,
				  "set_trap_table: kernel stack 0x%08x not 8-byte aligned", (unsigned)t.kernel_sp);
	if (t.kernel_sp && !guest_range_valid(d, t.kernel_sp - 4, 4))
		return vmm_reject(d->id, &d->rejections_logged, -VMM_EFAULT,
				  "set_trap_table: kernel stack 0x%08x outside domain memory",
				  (unsigned)t.kernel_sp);
	d->traps = t;
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
	bool from_user = d->vmode == VMM_VMODE_USER;
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
	if (d->vmode != VMM_VMODE_USER)
		return f->sp;
	f->cpsr |= VMM_PSR_VUSER; /* pushed as the interrupted context */
	vtrap_set_mode(d, VMM_VMODE_KERNEL);
	return d->traps.kernel_sp;
}

void vtrap_restore_mode(struct domain *d, const struct vmm_trap_frame *f)
{
	unsigned int want = (f->cpsr & VMM_PSR_VUSER) ? VMM_VMODE_USER : VMM_VMODE_KERNEL;

	if (want != d->vmode)
		vtrap_set_mode(d, want);
}

long vtrap_user_svc(uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3)
{
	struct domain *d = current;
	struct vmm_trap_frame *f = d->frame;
	uint32_t svc_pc = f->pc - ((f->cpsr & 0x20u) ? 2 : 4);

	(void)a0;
	(void)a1;
	(void)a2;
	(void)a3;
	switch (vtrap_bounce(d, f, VMM_TRAP_syscall, svc_pc, VMM_HYPERCALL_SVC)) {
	case VTRAP_BOUNCED:
		return (long)f->r[0]; /* the fast path stores this in frame r0 */
	case VTRAP_NO_HANDLER:
		vmm_log("dom%u: system call at pc 0x%08x from user mode with no handler; domain crashed",
			(unsigned)d->id, (unsigned)svc_pc);
		domain_kill(d, VMM_SHUTDOWN_crash);
		break;
	default:
		break;
	}
	schedule();
	return 0; /* not reached: a dead domain never runs again */
}
