/*
 * dom0_op: scheduler control for privileged domains (see vmm/dom0_op.h).
 */
#include "domain.h"
#include "dom0_hcall.h"
#include "reject.h"
#include "guest_access.h"
#include "sched.h"
#include "schedule.h"
#include "time.h"
#include "vmm/dom0_op.h"

static long dom0_schedctl(struct domain *caller, struct vmm_sched_ctl *c)
{
	struct sched_global_params g;
	const char *why;
	int rc;

	if (c->direction == VMM_SCHED_INFO_GET) {
		sched_get_global(&g);
		c->ctx_allow_ns = g.ctx_allow_ns;
		c->mcu_ns = g.mcu_ns;
		c->max_slice_ns = g.max_slice_ns;
		return 0;
	}
	g.ctx_allow_ns = c->ctx_allow_ns;
	g.mcu_ns = c->mcu_ns;
	g.max_slice_ns = c->max_slice_ns;
	why = sched_global_invalid(&g);
	if (why)
		return hypercall_reject(caller, -VMM_EINVAL,
					"dom0_op SCHEDCTL: %s (C %llu, MCU %llu, max slice %llu ns)", why,
					(unsigned long long)g.ctx_allow_ns, (unsigned long long)g.mcu_ns,
					(unsigned long long)g.max_slice_ns);
	rc = sched_set_global(&g);
	if (rc != 0) /* not reached: the same checks */
		return hypercall_reject(caller, rc, "dom0_op SCHEDCTL: parameters rejected");
	return 0;
}

static long dom0_adjustdom(struct domain *caller, struct vmm_sched_adjdom *a)
{
	struct domain *d = domain_find(a->domain);
	struct sched_params p;
	const char *why;
	int rc;

	if (!d)
		return hypercall_reject(caller, -VMM_ESRCH, "dom0_op ADJUSTDOM: no domain %u",
					(unsigned)a->domain);
	if (a->direction == VMM_SCHED_INFO_GET) {
		p = d->sched.params;
		a->weight = p.weight;
		a->warp_enabled = p.warp_enabled;
		a->warp_ns = p.warp_ns;
		a->warp_limit_ns = p.warp_limit_ns;
		a->unwarp_ns = p.unwarp_ns;
		return 0;
	}
	if (a->warp_enabled > 1)
		return hypercall_reject(caller, -VMM_EINVAL, "dom0_op ADJUSTDOM: warp_enabled must be 0 or 1");
	p.weight = a->weight;
	p.warp_enabled = a->warp_enabled != 0;
	p.warp_ns = a->warp_ns;
	p.warp_limit_ns = a->warp_limit_ns;
	p.unwarp_ns = a->unwarp_ns;
	why = sched_params_invalid(&p);
	if (why)
		return hypercall_reject(caller, -VMM_EINVAL, "dom0_op ADJUSTDOM: %s (dom%u)",
					why, (unsigned)d->id);
	rc = sched_set_params(&d->sched, &p, time_now());
	if (rc != 0)
		return hypercall_reject(caller, rc, "dom0_op ADJUSTDOM: parameters for dom%u rejected",
					(unsigned)d->id);
	return 0;
}

static bool dom0_direction_valid(uint32_t sched_id, uint32_t direction)
{
	return sched_id == VMM_SCHED_BVT &&
	       (direction == VMM_SCHED_INFO_PUT || direction == VMM_SCHED_INFO_GET);
}

long hc_dom0_op(uint32_t op_va, uint32_t a1, uint32_t a2, uint32_t a3)
{
	struct domain *caller = current;
	struct vmm_dom0_op op;
	long rc;

	(void)a1;
	(void)a2;
	(void)a3;
	if (!(caller->flags & VMM_DOMCFG_PRIVILEGED))
		return hypercall_reject(caller, -VMM_EPERM, "dom0_op: not privileged");
	schedule_settle(); /* the scheduler's state as of now, before it is read or changed */
	if (guest_copy_from(caller, &op, op_va, sizeof(op)) != 0)
		return hypercall_reject(caller, -VMM_EFAULT, "dom0_op: op 0x%08x outside domain memory",
					(unsigned)op_va);
	/* The result goes back to the same place: refuse now, before any change. */
	if (!guest_range_writable(caller, op_va, sizeof(op)))
		return hypercall_reject(caller, -VMM_EFAULT, "dom0_op: op 0x%08x not writable (a page table)",
					(unsigned)op_va);
	if (op.interface_version != VMM_DOM0_INTERFACE_VERSION)
		return hypercall_reject(caller, -VMM_EINVAL, "dom0_op: interface version 0x%x, expected 0x%x",
					(unsigned)op.interface_version, VMM_DOM0_INTERFACE_VERSION);
	switch (op.cmd) {
	case VMM_DOM0_SCHEDCTL:
		if (!dom0_direction_valid(op.u.schedctl.sched_id, op.u.schedctl.direction))
			return hypercall_reject(caller, -VMM_EINVAL, "dom0_op SCHEDCTL: bad scheduler id or direction");
		rc = dom0_schedctl(caller, &op.u.schedctl);
		break;
	case VMM_DOM0_ADJUSTDOM:
		if (!dom0_direction_valid(op.u.adjustdom.sched_id, op.u.adjustdom.direction))
			return hypercall_reject(caller, -VMM_EINVAL, "dom0_op ADJUSTDOM: bad scheduler id or direction");
		rc = dom0_adjustdom(caller, &op.u.adjustdom);
		break;
	default:
		return hypercall_reject(caller, -VMM_EINVAL, "dom0_op: unknown command %u", (unsigned)op.cmd);
	}
	if (rc == 0 && guest_copy_to(caller, op_va, &op, sizeof(op)) != 0)
		return -VMM_EFAULT; /* cannot happen: checked writable before any change */
	/* sched_id and direction lead both structs of the union */
	if (rc == 0 && op.u.schedctl.direction == VMM_SCHED_INFO_PUT)
		schedule(); /* the running slice was planned with the old values:
			     * decide again now, so that they apply at once */
	return rc;
}
