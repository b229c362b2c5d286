/*
 * Event-channel state machine (see evtchn.h, vmm/event_channel.h).
 *
 * Port states and the transitions between them:
 *   FREE --alloc_unbound--> UNBOUND --peer's bind_interdomain--> INTERDOMAIN
 *   FREE --bind_interdomain--> INTERDOMAIN (the peer's UNBOUND end too)
 *   FREE --bind_virq/pirq/ipi--> VIRQ / PIRQ / IPI
 *   any bound state --close--> FREE; closing one INTERDOMAIN end puts the
 *   other back to UNBOUND, allocated for the closer.
 * Port 0 is RESERVED from the moment the first bucket exists.
 */
#include "evtchn.h"

#include <stdarg.h>
#include <string.h>

#include "cold.h"
#include "domain.h"
#include "event.h"
#include "guest_access.h"
#include "log.h"
#include "mm.h"
#include "pirq.h"
#include "policy.h"
#include "schedule.h"

_Static_assert(EVTCHN_BUCKET_PORTS * sizeof(struct evtchn) <= 4096u, "a bucket is one frame");
_Static_assert(VMM_NR_EVENT_PORTS <= 0xFFFFu + 1u, "ports fit struct evtchn.num");
_Static_assert(VMM_MAX_DOMAINS <= 256, "slots fit struct evtchn.remote_slot");

static long evtchn_reject(struct domain *d, long err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static long evtchn_reject(struct domain *d, long err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err = vmm_vreject(d->id, &d->rejections_logged, err, fmt, ap);
	va_end(ap);
	return err;
}

/* Takes the frame for bucket b of d. 0 or -VMM_ENOMEM. */
static int evtchn_bucket_alloc(struct domain *d, unsigned int b)
{
	struct evtchn_table *t = &d->evtchn;
	uint32_t mfn;

	if (mm_alloc(0, FRAME_OWNER_HYP, MM_LINEAR, &mfn) != 0)
		return -VMM_ENOMEM;
	t->bucket[b] = arch_phys_to_hv(mfn << MM_PAGE_SHIFT); /* scrubbed: all ECS_FREE */
	t->bucket_mfn[b] = mfn;
	if (b == 0)
		t->bucket[0][0].state = ECS_RESERVED;
	return 0;
}

/* The lowest free port of d (its bucket allocated if needed), or -VMM_ENOSPC / -VMM_ENOMEM. */
VMM_COLD static long evtchn_port_alloc(struct domain *d)
{
	struct evtchn_table *t = &d->evtchn;
	unsigned int b, i;

	for (b = 0; b < EVTCHN_NR_BUCKETS; b++) {
		if (!t->bucket[b] && evtchn_bucket_alloc(d, b) != 0)
			return -VMM_ENOMEM;
		for (i = 0; i < EVTCHN_BUCKET_PORTS && b * EVTCHN_BUCKET_PORTS + i < VMM_NR_EVENT_PORTS; i++)
			if (t->bucket[b][i].state == ECS_FREE)
				return (long)(b * EVTCHN_BUCKET_PORTS + i);
	}
	return -VMM_ENOSPC;
}

/* A new port of d, or an error logged against caller. */
VMM_COLD static long evtchn_port_new(struct domain *caller, struct domain *d, const char *what)
{
	long port = evtchn_port_alloc(d);

	if (port == -VMM_ENOSPC)
		return evtchn_reject(caller, port, "%s: all %u ports of dom%u in use", what,
				     VMM_NR_EVENT_PORTS - 1, (unsigned)d->id);
	if (port < 0)
		return evtchn_reject(caller, port, "%s: no hypervisor memory for dom%u's ports", what,
				     (unsigned)d->id);
	return port;
}

/* The entry of a port in use (not FREE, not port 0), or NULL. */
static struct evtchn *evtchn_used(struct domain *d, uint32_t port)
{
	struct evtchn *e = evtchn_entry(&d->evtchn, port);

	if (!e || e->state == ECS_FREE || e->state == ECS_RESERVED)
		return NULL;
	return e;
}

/* `dom` of an op: the caller for VMM_DOMID_SELF or its own id; other live domains for privileged callers. */
VMM_COLD static long evtchn_target(struct domain *caller, uint32_t dom, const char *what, struct domain **out)
{
	if (dom == VMM_DOMID_SELF || dom == caller->id) {
		*out = caller;
		return 0;
	}
	if (!(caller->flags & VMM_DOMCFG_PRIVILEGED))
		return evtchn_reject(caller, -VMM_EPERM, "%s: dom%u is not the caller and the caller is not privileged",
				     what, (unsigned)dom);
	*out = domain_find(dom);
	if (!*out)
		return evtchn_reject(caller, -VMM_ESRCH, "%s: no domain %u", what, (unsigned)dom);
	return 0;
}

/* A live domain by id (VMM_DOMID_SELF: `self`), or NULL. */
static struct domain *evtchn_peer(struct domain *self, uint32_t dom)
{
	return dom == VMM_DOMID_SELF || dom == self->id ? self : domain_find(dom);
}

/* Policy check with the refusal logged against the caller. */
VMM_COLD static long evtchn_policy(struct domain *caller, const struct domain *a, const struct domain *b,
			  const char *what)
{
	if (policy_check(a, b) == 0)
		return 0;
	return evtchn_reject(caller, -VMM_EPERM, "%s: policy forbids dom%u <-> dom%u", what,
			     (unsigned)a->id, (unsigned)b->id);
}

VMM_COLD long evtchn_alloc_unbound(struct domain *caller, struct vmm_evtchn_alloc_unbound *op)
{
	struct domain *d, *remote;
	struct evtchn *e;
	long rc, port;

	rc = evtchn_target(caller, op->dom, "alloc_unbound", &d);
	if (rc)
		return rc;
	remote = evtchn_peer(d, op->remote_dom);
	if (!remote)
		return evtchn_reject(caller, -VMM_ESRCH, "alloc_unbound: no remote domain %u",
				     (unsigned)op->remote_dom);
	rc = evtchn_policy(caller, d, remote, "alloc_unbound");
	if (rc)
		return rc;
	port = evtchn_port_new(caller, d, "alloc_unbound");
	if (port < 0)
		return port;
	e = evtchn_entry(&d->evtchn, (uint32_t)port);
	e->state = ECS_UNBOUND;
	e->remote_id = remote->id;
	op->port = (uint32_t)port;
	return 0;
}

VMM_COLD long evtchn_bind_interdomain(struct domain *caller, struct vmm_evtchn_bind_interdomain *op)
{
	struct domain *remote = evtchn_peer(caller, op->remote_dom);
	struct evtchn *re, *le;
	long rc, port;

	if (!remote)
		return evtchn_reject(caller, -VMM_ESRCH, "bind_interdomain: no remote domain %u",
				     (unsigned)op->remote_dom);
	re = evtchn_used(remote, op->remote_port);
	if (!re || re->state != ECS_UNBOUND || re->remote_id != caller->id)
		return evtchn_reject(caller, -VMM_EINVAL, "bind_interdomain: dom%u port %u is not unbound for dom%u",
				     (unsigned)remote->id, (unsigned)op->remote_port, (unsigned)caller->id);
	rc = evtchn_policy(caller, caller, remote, "bind_interdomain");
	if (rc)
		return rc;
	port = evtchn_port_new(caller, caller, "bind_interdomain");
	if (port < 0)
		return port;
	/* The allocation may have added a bucket to remote == caller: look again. */
	re = evtchn_entry(&remote->evtchn, op->remote_port);
	le = evtchn_entry(&caller->evtchn, (uint32_t)port);
	le->state = ECS_INTERDOMAIN;
	le->remote_slot = (uint8_t)remote->slot;
	le->remote_id = remote->id;
	le->num = (uint16_t)op->remote_port;
	re->state = ECS_INTERDOMAIN;
	re->remote_slot = (uint8_t)caller->slot;
	re->remote_id = caller->id;
	re->num = (uint16_t)port;
	op->local_port = (uint32_t)port;
	/* Xen: the new local end starts pending, so nothing sent before the bind is lost. */
	event_send(caller, (unsigned int)port);
	return 0;
}

VMM_COLD long evtchn_bind_virq(struct domain *caller, struct vmm_evtchn_bind_virq *op)
{
	struct evtchn *e;
	long port;

	if (op->virq >= VMM_NR_VIRQS)
		return evtchn_reject(caller, -VMM_EINVAL, "bind_virq: virq %u (max %u)", (unsigned)op->virq,
				     VMM_NR_VIRQS - 1);
	if (op->vcpu != VMM_EVTCHN_VCPU0)
		return evtchn_reject(caller, -VMM_EINVAL, "bind_virq: vcpu %u (only vcpu 0)", (unsigned)op->vcpu);
	if (caller->evtchn.virq_port[op->virq])
		return evtchn_reject(caller, -VMM_EEXIST, "bind_virq: virq %u already bound to port %u",
				     (unsigned)op->virq, (unsigned)caller->evtchn.virq_port[op->virq]);
	port = evtchn_port_new(caller, caller, "bind_virq");
	if (port < 0)
		return port;
	e = evtchn_entry(&caller->evtchn, (uint32_t)port);
	e->state = ECS_VIRQ;
	e->num = (uint16_t)op->virq;
	caller->evtchn.virq_port[op->virq] = (uint16_t)port;
	op->port = (uint32_t)port;
	return 0;
}

VMM_COLD long evtchn_bind_pirq(struct domain *caller, struct vmm_evtchn_bind_pirq *op)
{
	struct evtchn *e;
	long port, rc;

	if (op->pirq >= VMM_NR_PIRQS)
		return evtchn_reject(caller, -VMM_EINVAL, "bind_pirq: pirq %u (max %u)", (unsigned)op->pirq,
				     VMM_NR_PIRQS - 1);
	if (op->flags != 0)
		return evtchn_reject(caller, -VMM_EINVAL, "bind_pirq: flags 0x%x (must be 0)", (unsigned)op->flags);
	rc = pirq_claim_check(caller, op->pirq);
	if (rc == -VMM_EPERM)
		return evtchn_reject(caller, rc, "bind_pirq: interrupt %u is not assigned to dom%u",
				     (unsigned)op->pirq, (unsigned)caller->id);
	if (rc)
		return evtchn_reject(caller, rc, "bind_pirq: interrupt %u already bound", (unsigned)op->pirq);
	port = evtchn_port_new(caller, caller, "bind_pirq");
	if (port < 0)
		return port;
	e = evtchn_entry(&caller->evtchn, (uint32_t)port);
	e->state = ECS_PIRQ;
	e->num = (uint16_t)op->pirq;
	pirq_bind(caller, op->pirq, (uint32_t)port);
	op->port = (uint32_t)port;
	return 0;
}

VMM_COLD long evtchn_bind_ipi(struct domain *caller, struct vmm_evtchn_bind_ipi *op)
{
	long port;

	if (op->vcpu != VMM_EVTCHN_VCPU0)
		return evtchn_reject(caller, -VMM_EINVAL, "bind_ipi: vcpu %u (only vcpu 0)", (unsigned)op->vcpu);
	port = evtchn_port_new(caller, caller, "bind_ipi");
	if (port < 0)
		return port;
	evtchn_entry(&caller->evtchn, (uint32_t)port)->state = ECS_IPI;
	op->port = (uint32_t)port;
	return 0;
}

/* Frees port `port` (in use) of d; its interdomain peer goes back to unbound. */
static void evtchn_release(struct domain *d, uint32_t port, struct evtchn *e)
{
	switch (e->state) {
	case ECS_INTERDOMAIN: {
		struct domain *peer = domain_at(e->remote_slot);
		struct evtchn *pe = peer && peer->id == e->remote_id ? evtchn_entry(&peer->evtchn, e->num) : NULL;

		if (pe && pe->state == ECS_INTERDOMAIN && pe->remote_id == d->id && pe->num == port) {
			pe->state = ECS_UNBOUND; /* allocated for us: we may bind to it again */
			pe->remote_slot = 0;
			pe->num = 0;
		}
		break;
	}
	case ECS_VIRQ:
		d->evtchn.virq_port[e->num] = 0;
		break;
	case ECS_PIRQ:
		pirq_unbind(d, e->num);
		break;
	default: /* UNBOUND, IPI: nothing else refers to the port */
		break;
	}
	memset(e, 0, sizeof(*e));
}

VMM_COLD long evtchn_close(struct domain *caller, uint32_t port)
{
	struct evtchn *e = evtchn_used(caller, port);

	if (!e)
		return evtchn_reject(caller, -VMM_EINVAL, "close: port %u is not in use", (unsigned)port);
	evtchn_release(caller, port, e);
	return 0;
}

long evtchn_send_raise(struct domain *caller, uint32_t port, struct domain **wake)
{
	struct evtchn *e = evtchn_entry(&caller->evtchn, port);

	*wake = NULL;
	if (e && e->state == ECS_INTERDOMAIN) { /* the hot case first */
		struct domain *peer = domain_at(e->remote_slot);

		if (!peer || peer->id != e->remote_id)
			return 0; /* not reached: a dying peer unbinds us first */
		if (policy_check(caller, peer) != 0)
			return evtchn_policy(caller, caller, peer, "send");
		if (event_raise(peer, e->num))
			*wake = peer;
		return 0;
	}
	if (e && e->state == ECS_IPI) {
		event_send(caller, port); /* the caller runs: nobody to wake */
		return 0;
	}
	if (e && e->state == ECS_UNBOUND)
		return 0; /* nobody listens yet: dropped, as in Xen */
	return evtchn_reject(caller, -VMM_EINVAL, "send: port %u is not an interdomain or IPI port", (unsigned)port);
}

long evtchn_send(struct domain *caller, uint32_t port)
{
	struct domain *wake;
	long rc = evtchn_send_raise(caller, port, &wake);

	if (wake)
		schedule_wake(wake);
	return rc;
}

VMM_COLD long evtchn_status(struct domain *caller, struct vmm_evtchn_status *op)
{
	struct domain *d;
	struct evtchn *e;
	long rc;

	rc = evtchn_target(caller, op->dom, "status", &d);
	if (rc)
		return rc;
	if (op->port >= VMM_NR_EVENT_PORTS)
		return evtchn_reject(caller, -VMM_EINVAL, "status: port %u (max %u)", (unsigned)op->port,
				     VMM_NR_EVENT_PORTS - 1);
	e = evtchn_used(d, op->port);
	memset(&op->u, 0, sizeof(op->u));
	op->vcpu = VMM_EVTCHN_VCPU0;
	op->status = VMM_EVTCHNSTAT_closed;
	if (!e)
		return 0;
	switch (e->state) {
	case ECS_UNBOUND:
		op->status = VMM_EVTCHNSTAT_unbound;
		op->u.unbound.dom = e->remote_id;
		break;
	case ECS_INTERDOMAIN:
		op->status = VMM_EVTCHNSTAT_interdomain;
		op->u.interdomain.dom = e->remote_id;
		op->u.interdomain.port = e->num;
		break;
	case ECS_PIRQ:
		op->status = VMM_EVTCHNSTAT_pirq;
		op->u.pirq = e->num;
		break;
	case ECS_VIRQ:
		op->status = VMM_EVTCHNSTAT_virq;
		op->u.virq = e->num;
		break;
	case ECS_IPI:
		op->status = VMM_EVTCHNSTAT_ipi;
		break;
	default: /* not reached: evtchn_used() filtered FREE and RESERVED */
		break;
	}
	return 0;
}

VMM_COLD long evtchn_bind_vcpu(struct domain *caller, const struct vmm_evtchn_bind_vcpu *op)
{
	struct evtchn *e = evtchn_used(caller, op->port);

	if (!e)
		return evtchn_reject(caller, -VMM_EINVAL, "bind_vcpu: port %u is not in use", (unsigned)op->port);
	if (op->vcpu != VMM_EVTCHN_VCPU0)
		return evtchn_reject(caller, -VMM_EINVAL, "bind_vcpu: vcpu %u (only vcpu 0)", (unsigned)op->vcpu);
	/* Per-vCPU sources stay on their vCPU (Xen: timer VIRQ, IPIs). */
	if (e->state == ECS_IPI || (e->state == ECS_VIRQ && e->num == VMM_VIRQ_TIMER))
		return evtchn_reject(caller, -VMM_EINVAL, "bind_vcpu: port %u is per-vCPU", (unsigned)op->port);
	return 0; /* one vCPU: it is already there */
}

long evtchn_unmask(struct domain *caller, uint32_t port)
{
	if (port == 0 || port >= VMM_NR_EVENT_PORTS)
		return evtchn_reject(caller, -VMM_EINVAL, "unmask: port %u (1..%u)", (unsigned)port,
				     VMM_NR_EVENT_PORTS - 1);
	event_unmask(caller, port);
	return 0;
}

void evtchn_send_virq(struct domain *d, unsigned int virq)
{
	unsigned int port = virq < VMM_NR_VIRQS ? d->evtchn.virq_port[virq] : 0;

	if (port)
		event_send(d, port);
}

void evtchn_send_pirq(struct domain *d, uint32_t port)
{
	event_send(d, port);
}

VMM_COLD void evtchn_domain_destroy(struct domain *d)
{
	struct evtchn_table *t = &d->evtchn;
	unsigned int b, i;

	for (b = 0; b < EVTCHN_NR_BUCKETS; b++) {
		if (!t->bucket[b])
			continue;
		for (i = 0; i < EVTCHN_BUCKET_PORTS; i++) {
			struct evtchn *e = &t->bucket[b][i];

			if (e->state != ECS_FREE && e->state != ECS_RESERVED)
				evtchn_release(d, b * EVTCHN_BUCKET_PORTS + i, e);
		}
		mm_free(t->bucket_mfn[b], 0);
		t->bucket[b] = NULL;
	}
	t->polling = false;
}

long evtchn_poll_begin(struct domain *d, uint32_t ports_va, uint32_t nr)
{
	struct evtchn_table *t = &d->evtchn;
	uint32_t ports[EVTCHN_POLL_MAX];
	bool pending = false;
	uint32_t i;

	if (nr == 0 || nr > EVTCHN_POLL_MAX)
		return evtchn_reject(d, -VMM_EINVAL, "sched_op poll: %u ports (1..%u)", (unsigned)nr,
				     EVTCHN_POLL_MAX);
	/* one port (the common wait): the word read of the send path, no copy loop */
	if ((nr == 1 && (ports_va & 3u) == 0 ? guest_read_u32(d, ports_va, &ports[0])
					      : guest_copy_from(d, ports, ports_va, nr * (uint32_t)sizeof(ports[0]))) != 0)
		return evtchn_reject(d, -VMM_EFAULT, "sched_op poll: port list 0x%08x outside domain memory",
				     (unsigned)ports_va);
	for (i = 0; i < nr; i++)
		if (ports[i] == 0 || ports[i] >= VMM_NR_EVENT_PORTS)
			return evtchn_reject(d, -VMM_EINVAL, "sched_op poll: port %u (1..%u)",
					     (unsigned)ports[i], VMM_NR_EVENT_PORTS - 1);
	for (i = 0; i < nr; i++) {
		t->poll_ports[i] = (uint16_t)ports[i];
		pending |= (d->shared->evtchn_pending[ports[i] / 32] >> (ports[i] % 32)) & 1u;
	}
	t->poll_nr = (uint8_t)nr;
	/* Checked and marked with interrupts off: a notification after this
	 * point sees `polling` and wakes us; none can come in between. */
	t->polling = !pending;
	return pending ? 1 : 0;
}

bool evtchn_poll_end(struct domain *d)
{
	struct evtchn_table *t = &d->evtchn;
	uint32_t any = 0;
	unsigned int i;

	for (i = 0; i < t->poll_nr; i++)
		any |= (d->shared->evtchn_pending[t->poll_ports[i] / 32] >> (t->poll_ports[i] % 32)) & 1u;
	t->polling = false;
	t->poll_nr = 0;
	return any != 0;
}
