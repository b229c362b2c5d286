/*
 * Physical IRQs given to domains (see pirq.h).
 *
 * The table is the config's (at most VMM_MAX_PIRQ_ASSIGN entries): a linear
 * search per interrupt costs less than any index for so few entries. The
 * owner is named in the config; it is matched by domain name (unique), so
 * an assignment whose domain was refused at boot is never bound.
 */
#include "pirq.h"

#include <string.h>

#include "domain.h"
#include "evtchn.h"
#include "format.h"
#include "guest_access.h"
#include "log.h"
#include "vmm/physdev.h"
#include "vmm/port.h"

struct pirq_slot {
	uint32_t irq;
	const char *owner;   /* domain name from the config */
	uint32_t domid;      /* valid while bound */
	uint32_t port;       /* valid while bound */
	bool bound;
	bool in_flight;      /* fired, disabled until the guest's EOI */
};

static struct pirq_slot pirq_table[VMM_MAX_PIRQ_ASSIGN];
static unsigned int pirq_count;

void pirq_init(const struct vmm_config *cfg)
{
	unsigned int i;

	memset(pirq_table, 0, sizeof(pirq_table));
	pirq_count = cfg->nr_pirqs <= VMM_MAX_PIRQ_ASSIGN ? cfg->nr_pirqs : 0;
	for (i = 0; i < pirq_count; i++) {
		pirq_table[i].irq = cfg->pirqs[i].irq;
		pirq_table[i].owner = cfg->pirqs[i].domain;
	}
}

static struct pirq_slot *pirq_find(uint32_t irq)
{
	unsigned int i;

	for (i = 0; i < pirq_count; i++)
		if (pirq_table[i].irq == irq)
			return &pirq_table[i];
	return NULL;
}

/* The slot of irq if d has bound it, else NULL. */
static struct pirq_slot *pirq_bound_by(const struct domain *d, uint32_t irq)
{
	struct pirq_slot *p = pirq_find(irq);

	return p && p->bound && p->domid == d->id ? p : NULL;
}

long pirq_claim_check(const struct domain *d, uint32_t irq)
{
	struct pirq_slot *p = pirq_find(irq);

	if (!p || !vmm_streq(p->owner, d->name))
		return -VMM_EPERM;
	return p->bound ? -VMM_EEXIST : 0;
}

void pirq_bind(struct domain *d, uint32_t irq, uint32_t port)
{
	struct pirq_slot *p = pirq_find(irq);

	if (!p)
		return; /* not reached: pirq_claim_check() passed */
	p->bound = true;
	p->in_flight = false;
	p->domid = d->id;
	p->port = port;
	vmm_port_irq_enable(irq);
}

void pirq_unbind(struct domain *d, uint32_t irq)
{
	struct pirq_slot *p = pirq_bound_by(d, irq);

	if (!p)
		return;
	vmm_port_irq_disable(irq);
	p->bound = false;
	p->in_flight = false;
}

bool pirq_fire(uint32_t irq)
{
	struct pirq_slot *p = pirq_find(irq);
	struct domain *d;

	if (!p)
		return false;
	d = p->bound ? domain_find(p->domid) : NULL;
	if (d && !p->in_flight) {
		p->in_flight = true;
		evtchn_send_pirq(d, p->port);
	}
	return true; /* disabled by the caller: until EOI, or for good if unbound */
}

static long physdev_eoi(struct domain *d, uint32_t arg)
{
	struct vmm_physdev_eoi op;
	struct pirq_slot *p;

	if (guest_copy_from(d, &op, arg, sizeof(op)) != 0)
		return vmm_reject(d->id, &d->rejections_logged, -VMM_EFAULT,
				  "physdev_op eoi: argument 0x%08x outside domain memory", (unsigned)arg);
	if (op.irq >= VMM_NR_PIRQS)
		return vmm_reject(d->id, &d->rejections_logged, -VMM_EINVAL, "physdev_op eoi: irq %u (max %u)",
				  (unsigned)op.irq, VMM_NR_PIRQS - 1);
	p = pirq_bound_by(d, op.irq);
	if (!p)
		return vmm_reject(d->id, &d->rejections_logged, -VMM_EPERM,
				  "physdev_op eoi: irq %u not bound by dom%u", (unsigned)op.irq, (unsigned)d->id);
	if (p->in_flight) {
		p->in_flight = false;
		vmm_port_irq_enable(op.irq);
	}
	return 0;
}

static long physdev_irq_status(struct domain *d, uint32_t arg)
{
	struct vmm_physdev_irq_status_query op;
	struct pirq_slot *p;

	if (guest_copy_from(d, &op, arg, sizeof(op)) != 0)
		return vmm_reject(d->id, &d->rejections_logged, -VMM_EFAULT,
				  "physdev_op irq_status_query: argument 0x%08x outside domain memory",
				  (unsigned)arg);
	/* Readable is not writable (a page table): the result must be storable. */
	if (!guest_range_writable(d, arg, sizeof(op)))
		return vmm_reject(d->id, &d->rejections_logged, -VMM_EFAULT,
				  "physdev_op irq_status_query: argument 0x%08x is in a page table", (unsigned)arg);
	if (op.irq >= VMM_NR_PIRQS)
		return vmm_reject(d->id, &d->rejections_logged, -VMM_EINVAL,
				  "physdev_op irq_status_query: irq %u (max %u)", (unsigned)op.irq,
				  VMM_NR_PIRQS - 1);
	p = pirq_bound_by(d, op.irq);
	op.flags = p ? VMM_PHYSDEV_IRQ_NEEDS_EOI | (p->in_flight ? VMM_PHYSDEV_IRQ_IN_FLIGHT : 0u) : 0u;
	guest_copy_to(d, arg, &op, sizeof(op)); /* checked writable above */
	return 0;
}

long hc_physdev_op(uint32_t cmd, uint32_t arg, uint32_t a2, uint32_t a3)
{
	struct domain *d = current;

	(void)a2;
	(void)a3;
	switch (cmd) {
	case VMM_PHYSDEVOP_eoi:
		return physdev_eoi(d, arg);
	case VMM_PHYSDEVOP_irq_status_query:
		return physdev_irq_status(d, arg);
	default:
		return vmm_reject(d->id, &d->rejections_logged, -VMM_EINVAL, "physdev_op: unknown command %u",
				  (unsigned)cmd);
	}
}
