/*
 * Event-channel state machine (evtchn.c) and its hypercall (evtchn_hcall.c):
 * every operation, every error path, the port boundaries (0, 1023, 1024,
 * 2^31, 2^32-1), unprivileged and unknown domain ids, closed ports, double
 * binds, delivery bits, wake-ups of blocked and polling domains, and what a
 * dying domain leaves behind. No policy is active here (test_policy.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "event.h"
#include "evtchn.h"
#include "hypercall.h"
#include "test_domain.h"
#include "vmm/event_channel.h"

static struct domain *a, *b, *c, *priv;

static const uint32_t bad_ports[] = {VMM_NR_EVENT_PORTS, 0x80000000u, 0xFFFFFFFFu};

static int group_setup(void **state)
{
	(void)state;
	test_core_boot();
	a = test_domain_create_bare("a", 0, 0);
	b = test_domain_create_bare("b", 0, 0);
	c = test_domain_create_bare("c", 0, 0);
	priv = test_domain_create_bare("priv", VMM_DOMCFG_PRIVILEGED, 0);
	return a && b && c && priv ? 0 : -1;
}

/* Every test starts with all ports of a, b, c closed and clean shared info. */
static int setup(void **state)
{
	struct domain *all[] = {a, b, c, priv};
	unsigned int i;

	(void)state;
	for (i = 0; i < 4; i++) {
		evtchn_domain_destroy(all[i]);
		memset(all[i]->shared->evtchn_pending, 0, sizeof(all[i]->shared->evtchn_pending));
		memset(all[i]->shared->evtchn_mask, 0, sizeof(all[i]->shared->evtchn_mask));
		all[i]->shared->vcpu_info.evtchn_pending_sel = 0;
		all[i]->shared->vcpu_info.evtchn_upcall_pending = 0;
		all[i]->rejections_logged = 0;
	}
	current = a;
	fake_console_clear();
	return 0;
}

static bool pending(const struct domain *d, uint32_t port)
{
	return (d->shared->evtchn_pending[port / 32] >> (port % 32)) & 1u;
}

static void clear_pending(struct domain *d)
{
	memset(d->shared->evtchn_pending, 0, sizeof(d->shared->evtchn_pending));
	d->shared->vcpu_info.evtchn_pending_sel = 0;
	d->shared->vcpu_info.evtchn_upcall_pending = 0;
}

static long alloc_unbound(struct domain *caller, uint32_t dom, uint32_t remote, uint32_t *port)
{
	struct vmm_evtchn_alloc_unbound op = {.dom = dom, .remote_dom = remote, .port = 0xdead};
	long rc = evtchn_alloc_unbound(caller, &op);

	if (port)
		*port = op.port;
	return rc;
}

static long bind_inter(struct domain *caller, uint32_t remote, uint32_t rport, uint32_t *port)
{
	struct vmm_evtchn_bind_interdomain op = {.remote_dom = remote, .remote_port = rport};
	long rc = evtchn_bind_interdomain(caller, &op);

	if (port)
		*port = op.local_port;
	return rc;
}

static struct vmm_evtchn_status status_of(struct domain *caller, uint32_t dom, uint32_t port, long *rc)
{
	struct vmm_evtchn_status st = {.dom = dom, .port = port, .status = 0xdead};

	*rc = evtchn_status(caller, &st);
	return st;
}

/* Connects a's port *pa with b's port *pb. */
static void connect(struct domain *x, struct domain *y, uint32_t *px, uint32_t *py)
{
	assert_int_equal(alloc_unbound(x, VMM_DOMID_SELF, y->id, px), 0);
	assert_int_equal(bind_inter(y, x->id, *px, py), 0);
}

static void test_port_0_reserved(void **state)
{
	struct vmm_evtchn_status st;
	struct vmm_evtchn_bind_vcpu bv = {.port = 0, .vcpu = 0};
	uint32_t port;
	long rc;

	(void)state;
	assert_int_equal(alloc_unbound(a, VMM_DOMID_SELF, b->id, &port), 0);
	assert_int_equal(port, 1); /* lowest, never 0 */
	assert_int_equal(evtchn_close(a, 0), -VMM_EINVAL);
	assert_int_equal(evtchn_send(a, 0), -VMM_EINVAL);
	assert_int_equal(evtchn_unmask(a, 0), -VMM_EINVAL);
	assert_int_equal(evtchn_bind_vcpu(a, &bv), -VMM_EINVAL);
	st = status_of(a, VMM_DOMID_SELF, 0, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(st.status, VMM_EVTCHNSTAT_closed);
	assert_int_equal(bind_inter(b, a->id, 0, NULL), -VMM_EINVAL);
	assert_non_null(strstr(fake_hw.console, "[VMM] dom"));
}

static void test_alloc_unbound_and_status(void **state)
{
	struct vmm_evtchn_status st;
	uint32_t port, self_port;
	long rc;

	(void)state;
	assert_int_equal(alloc_unbound(a, VMM_DOMID_SELF, b->id, &port), 0);
	st = status_of(a, a->id, port, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(st.status, VMM_EVTCHNSTAT_unbound);
	assert_int_equal(st.u.unbound.dom, b->id);
	assert_int_equal(st.vcpu, 0);
	/* remote VMM_DOMID_SELF: the caller */
	assert_int_equal(alloc_unbound(a, a->id, VMM_DOMID_SELF, &self_port), 0);
	assert_int_equal(self_port, port + 1);
	st = status_of(a, VMM_DOMID_SELF, self_port, &rc);
	assert_int_equal(st.u.unbound.dom, a->id);
	/* another domain's table: privileged only */
	assert_int_equal(alloc_unbound(a, b->id, a->id, NULL), -VMM_EPERM);
	st = status_of(a, b->id, 1, &rc);
	assert_int_equal(rc, -VMM_EPERM);
	assert_int_equal(alloc_unbound(priv, b->id, a->id, &port), 0);
	st = status_of(priv, b->id, port, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(st.status, VMM_EVTCHNSTAT_unbound);
	assert_int_equal(st.u.unbound.dom, a->id);
	/* unknown domains */
	assert_int_equal(alloc_unbound(a, VMM_DOMID_SELF, 999, NULL), -VMM_ESRCH);
	assert_int_equal(alloc_unbound(a, VMM_DOMID_SELF, 0x80000000u, NULL), -VMM_ESRCH);
	assert_int_equal(alloc_unbound(a, VMM_DOMID_SELF, 0xFFFFFFFFu, NULL), -VMM_ESRCH);
	assert_int_equal(alloc_unbound(priv, 0xFFFFFFFFu, a->id, NULL), -VMM_ESRCH);
	st = status_of(priv, 0x80000000u, 1, &rc);
	assert_int_equal(rc, -VMM_ESRCH);
	/* status port bounds */
	st = status_of(a, VMM_DOMID_SELF, VMM_NR_EVENT_PORTS - 1, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(st.status, VMM_EVTCHNSTAT_closed);
	for (unsigned int i = 0; i < 3; i++) {
		st = status_of(a, VMM_DOMID_SELF, bad_ports[i], &rc);
		assert_int_equal(rc, -VMM_EINVAL);
	}
}

static void test_bind_interdomain_connects_both_ends(void **state)
{
	struct vmm_evtchn_status st;
	uint32_t pa, pb;
	long rc;

	(void)state;
	assert_int_equal(alloc_unbound(a, VMM_DOMID_SELF, b->id, &pa), 0);
	assert_int_equal(bind_inter(b, a->id, pa, &pb), 0);
	st = status_of(a, VMM_DOMID_SELF, pa, &rc);
	assert_int_equal(st.status, VMM_EVTCHNSTAT_interdomain);
	assert_int_equal(st.u.interdomain.dom, b->id);
	assert_int_equal(st.u.interdomain.port, pb);
	st = status_of(b, VMM_DOMID_SELF, pb, &rc);
	assert_int_equal(st.status, VMM_EVTCHNSTAT_interdomain);
	assert_int_equal(st.u.interdomain.dom, a->id);
	assert_int_equal(st.u.interdomain.port, pa);
	assert_true(pending(b, pb)); /* the new local end starts pending */
	/* double bind: the port is no longer unbound */
	assert_int_equal(bind_inter(b, a->id, pa, NULL), -VMM_EINVAL);
	assert_int_equal(bind_inter(c, a->id, pa, NULL), -VMM_EINVAL);
}

static void test_bind_interdomain_errors(void **state)
{
	uint32_t pa;
	unsigned int i;

	(void)state;
	assert_int_equal(alloc_unbound(a, VMM_DOMID_SELF, b->id, &pa), 0);
	assert_int_equal(bind_inter(c, a->id, pa, NULL), -VMM_EINVAL);     /* not for c */
	assert_int_equal(bind_inter(b, a->id, pa + 1, NULL), -VMM_EINVAL); /* free */
	assert_int_equal(bind_inter(b, a->id, VMM_NR_EVENT_PORTS - 1, NULL), -VMM_EINVAL);
	for (i = 0; i < 3; i++)
		assert_int_equal(bind_inter(b, a->id, bad_ports[i], NULL), -VMM_EINVAL);
	assert_int_equal(bind_inter(b, 999, pa, NULL), -VMM_ESRCH);
	assert_int_equal(bind_inter(b, 0xFFFFFFFFu, pa, NULL), -VMM_ESRCH);
	assert_int_equal(bind_inter(b, 0x80000000u, pa, NULL), -VMM_ESRCH);
	/* still unbound for b after the failures */
	assert_int_equal(bind_inter(b, a->id, pa, NULL), 0);
}

static void test_loopback_channel(void **state)
{
	uint32_t p1, p2;

	(void)state;
	assert_int_equal(alloc_unbound(a, VMM_DOMID_SELF, VMM_DOMID_SELF, &p1), 0);
	assert_int_equal(bind_inter(a, VMM_DOMID_SELF, p1, &p2), 0);
	assert_int_not_equal(p1, p2);
	clear_pending(a);
	assert_int_equal(evtchn_send(a, p1), 0);
	assert_true(pending(a, p2));
	assert_false(pending(a, p1));
	assert_int_equal(evtchn_close(a, p2), 0);
	assert_int_equal(bind_inter(a, a->id, p1, NULL), 0); /* back to unbound for a */
}

static void test_send_sets_bits_in_order_and_wakes(void **state)
{
	struct vmm_shared_info *s = b->shared;
	uint32_t pa, pb;

	(void)state;
	connect(a, b, &pa, &pb);
	clear_pending(b);
	b->state = DOMAIN_BLOCKED;
	assert_int_equal(evtchn_send(a, pa), 0);
	assert_true(pending(b, pb));
	assert_int_equal(s->vcpu_info.evtchn_pending_sel, 1u << (pb / 32));
	assert_int_equal(s->vcpu_info.evtchn_upcall_pending, 1);
	assert_int_equal(b->state, DOMAIN_RUNNABLE);
	/* masked: only the port bit, no wake-up */
	clear_pending(b);
	s->evtchn_mask[pb / 32] = 1u << (pb % 32);
	b->state = DOMAIN_BLOCKED;
	assert_int_equal(evtchn_send(a, pa), 0);
	assert_true(pending(b, pb));
	assert_int_equal(s->vcpu_info.evtchn_pending_sel, 0);
	assert_int_equal(s->vcpu_info.evtchn_upcall_pending, 0);
	assert_int_equal(b->state, DOMAIN_BLOCKED);
	/* unmask delivers it and wakes */
	assert_int_equal(evtchn_unmask(b, pb), 0);
	assert_int_equal(s->evtchn_mask[pb / 32], 0);
	assert_int_equal(s->vcpu_info.evtchn_pending_sel, 1u << (pb / 32));
	assert_int_equal(s->vcpu_info.evtchn_upcall_pending, 1);
	assert_int_equal(b->state, DOMAIN_RUNNABLE);
	/* the other direction */
	clear_pending(a);
	assert_int_equal(evtchn_send(b, pb), 0);
	assert_true(pending(a, pa));
}

static void test_send_errors(void **state)
{
	struct vmm_evtchn_bind_virq v = {.virq = VMM_VIRQ_DEBUG};
	uint32_t pa;
	unsigned int i;

	(void)state;
	assert_int_equal(alloc_unbound(a, VMM_DOMID_SELF, b->id, &pa), 0);
	assert_int_equal(evtchn_send(a, pa), 0); /* unbound: dropped */
	assert_false(pending(b, 1));
	assert_int_equal(evtchn_send(a, pa + 1), -VMM_EINVAL); /* free */
	assert_int_equal(evtchn_send(a, VMM_NR_EVENT_PORTS - 1), -VMM_EINVAL);
	for (i = 0; i < 3; i++)
		assert_int_equal(evtchn_send(a, bad_ports[i]), -VMM_EINVAL);
	assert_int_equal(evtchn_bind_virq(a, &v), 0);
	assert_int_equal(evtchn_send(a, v.port), -VMM_EINVAL); /* a VIRQ port */
	/* a domain without any bucket yet */
	assert_int_equal(evtchn_send(c, 1), -VMM_EINVAL);
	assert_int_equal(evtchn_close(c, 1), -VMM_EINVAL);
}

static void test_close_puts_peer_back_to_unbound(void **state)
{
	struct vmm_evtchn_status st;
	uint32_t pa, pb, pb2;
	long rc;

	(void)state;
	connect(a, b, &pa, &pb);
	assert_int_equal(evtchn_close(b, pb), 0);
	st = status_of(a, VMM_DOMID_SELF, pa, &rc);
	assert_int_equal(st.status, VMM_EVTCHNSTAT_unbound);
	assert_int_equal(st.u.unbound.dom, b->id);
	st = status_of(b, VMM_DOMID_SELF, pb, &rc);
	assert_int_equal(st.status, VMM_EVTCHNSTAT_closed);
	assert_int_equal(evtchn_close(b, pb), -VMM_EINVAL); /* closed twice */
	assert_int_equal(evtchn_send(a, pa), 0);          /* unbound now: dropped */
	assert_int_equal(evtchn_send(b, pb), -VMM_EINVAL);
	/* b may connect again; it gets the lowest free port back */
	assert_int_equal(bind_inter(b, a->id, pa, &pb2), 0);
	assert_int_equal(pb2, pb);
	assert_int_equal(evtchn_close(a, pa), 0);
	st = status_of(b, VMM_DOMID_SELF, pb2, &rc);
	assert_int_equal(st.status, VMM_EVTCHNSTAT_unbound);
	assert_int_equal(st.u.unbound.dom, a->id);
	for (unsigned int i = 0; i < 3; i++)
		assert_int_equal(evtchn_close(a, bad_ports[i]), -VMM_EINVAL);
}

static void test_bind_virq(void **state)
{
	struct vmm_evtchn_bind_virq v = {.virq = VMM_VIRQ_TIMER};
	struct vmm_evtchn_status st;
	uint32_t virq;
	long rc;

	(void)state;
	for (virq = 0; virq < VMM_NR_VIRQS; virq++) {
		v.virq = virq;
		v.vcpu = 0;
		assert_int_equal(evtchn_bind_virq(a, &v), 0);
		st = status_of(a, VMM_DOMID_SELF, v.port, &rc);
		assert_int_equal(st.status, VMM_EVTCHNSTAT_virq);
		assert_int_equal(st.u.virq, virq);
		assert_int_equal(evtchn_bind_virq(a, &v), -VMM_EEXIST); /* double bind */
	}
	v.virq = VMM_NR_VIRQS;
	assert_int_equal(evtchn_bind_virq(b, &v), -VMM_EINVAL);
	v.virq = 0xFFFFFFFFu;
	assert_int_equal(evtchn_bind_virq(b, &v), -VMM_EINVAL);
	v.virq = 0x80000000u;
	assert_int_equal(evtchn_bind_virq(b, &v), -VMM_EINVAL);
	v.virq = VMM_VIRQ_TIMER;
	v.vcpu = 1;
	assert_int_equal(evtchn_bind_virq(b, &v), -VMM_EINVAL);
	v.vcpu = 0xFFFFFFFFu;
	assert_int_equal(evtchn_bind_virq(b, &v), -VMM_EINVAL);
	/* raised only where bound, at the bound port */
	v.vcpu = 0;
	assert_int_equal(evtchn_bind_virq(b, &v), 0);
	clear_pending(b);
	clear_pending(c);
	evtchn_send_virq(b, VMM_VIRQ_TIMER);
	evtchn_send_virq(c, VMM_VIRQ_TIMER); /* c bound nothing: dropped */
	evtchn_send_virq(b, VMM_NR_VIRQS);   /* no such VIRQ: ignored */
	assert_true(pending(b, v.port));
	assert_int_equal(b->shared->evtchn_pending[0], 1u << v.port);
	assert_int_equal(c->shared->evtchn_pending[0], 0);
	/* closing frees the VIRQ for a new binding */
	assert_int_equal(evtchn_close(b, v.port), 0);
	clear_pending(b);
	evtchn_send_virq(b, VMM_VIRQ_TIMER);
	assert_int_equal(b->shared->evtchn_pending[0], 0);
	assert_int_equal(evtchn_bind_virq(b, &v), 0);
}

static void test_bind_ipi_and_vcpu(void **state)
{
	struct vmm_evtchn_bind_ipi ipi = {.vcpu = 0};
	struct vmm_evtchn_bind_virq v = {.virq = VMM_VIRQ_CONSOLE};
	struct vmm_evtchn_bind_vcpu bv;
	struct vmm_evtchn_status st;
	uint32_t pa;
	long rc;

	(void)state;
	assert_int_equal(evtchn_bind_ipi(a, &ipi), 0);
	st = status_of(a, VMM_DOMID_SELF, ipi.port, &rc);
	assert_int_equal(st.status, VMM_EVTCHNSTAT_ipi);
	clear_pending(a);
	assert_int_equal(evtchn_send(a, ipi.port), 0);
	assert_true(pending(a, ipi.port));
	ipi.vcpu = 1;
	assert_int_equal(evtchn_bind_ipi(a, &ipi), -VMM_EINVAL);
	ipi.vcpu = 0xFFFFFFFFu;
	assert_int_equal(evtchn_bind_ipi(a, &ipi), -VMM_EINVAL);
	/* bind_vcpu: vcpu 0 only, not for per-vCPU ports */
	assert_int_equal(evtchn_bind_virq(a, &v), 0);
	bv = (struct vmm_evtchn_bind_vcpu){.port = v.port, .vcpu = 0};
	assert_int_equal(evtchn_bind_vcpu(a, &bv), 0);
	bv.vcpu = 1;
	assert_int_equal(evtchn_bind_vcpu(a, &bv), -VMM_EINVAL);
	bv = (struct vmm_evtchn_bind_vcpu){.port = ipi.port, .vcpu = 0}; /* an IPI */
	assert_int_equal(evtchn_bind_vcpu(a, &bv), -VMM_EINVAL);
	v.virq = VMM_VIRQ_TIMER;
	assert_int_equal(evtchn_bind_virq(a, &v), 0);
	bv.port = v.port;
	assert_int_equal(evtchn_bind_vcpu(a, &bv), -VMM_EINVAL);
	assert_int_equal(alloc_unbound(a, VMM_DOMID_SELF, b->id, &pa), 0);
	bv.port = pa;
	assert_int_equal(evtchn_bind_vcpu(a, &bv), 0);
	bv.port = pa + 1; /* free */
	assert_int_equal(evtchn_bind_vcpu(a, &bv), -VMM_EINVAL);
	bv.port = VMM_NR_EVENT_PORTS;
	assert_int_equal(evtchn_bind_vcpu(a, &bv), -VMM_EINVAL);
}

static void test_unmask_bounds(void **state)
{
	unsigned int i;

	(void)state;
	assert_int_equal(evtchn_unmask(a, 1), 0);
	a->shared->evtchn_mask[31] = 0x80000000u;
	assert_int_equal(evtchn_unmask(a, VMM_NR_EVENT_PORTS - 1), 0);
	assert_int_equal(a->shared->evtchn_mask[31], 0);
	assert_int_equal(a->shared->vcpu_info.evtchn_upcall_pending, 0); /* not pending: nothing raised */
	for (i = 0; i < 3; i++)
		assert_int_equal(evtchn_unmask(a, bad_ports[i]), -VMM_EINVAL);
}

static void test_ports_run_out_at_1023(void **state)
{
	uint32_t port = 0, last = 0;
	unsigned int n;

	(void)state;
	for (n = 0; n < VMM_NR_EVENT_PORTS - 1; n++) {
		assert_int_equal(alloc_unbound(a, VMM_DOMID_SELF, b->id, &port), 0);
		assert_int_equal(port, n + 1);
		last = port;
	}
	assert_int_equal(last, VMM_NR_EVENT_PORTS - 1);
	assert_int_equal(alloc_unbound(a, VMM_DOMID_SELF, b->id, NULL), -VMM_ENOSPC);
	assert_non_null(strstr(fake_hw.console, "ports of dom"));
	/* port 1023 works like any other */
	assert_int_equal(bind_inter(b, a->id, VMM_NR_EVENT_PORTS - 1, &port), 0);
	clear_pending(a);
	assert_int_equal(evtchn_send(b, port), 0);
	assert_true(pending(a, VMM_NR_EVENT_PORTS - 1));
	/* a freed port is reused */
	assert_int_equal(evtchn_close(a, 700), 0);
	assert_int_equal(alloc_unbound(a, VMM_DOMID_SELF, b->id, &port), 0);
	assert_int_equal(port, 700);
}

static void test_dying_domain_releases_peers(void **state)
{
	struct domain *d = test_domain_create_bare("dying", 0, 0);
	struct vmm_evtchn_status st;
	uint32_t pa, pd, pa2;
	long rc;

	(void)state;
	assert_non_null(d);
	connect(a, d, &pa, &pd);
	assert_int_equal(alloc_unbound(a, VMM_DOMID_SELF, d->id, &pa2), 0);
	domain_kill(d, VMM_SHUTDOWN_poweroff);
	st = status_of(a, VMM_DOMID_SELF, pa, &rc);
	assert_int_equal(st.status, VMM_EVTCHNSTAT_unbound);
	assert_int_equal(evtchn_send(a, pa), 0);                    /* nobody there: dropped */
	assert_int_equal(bind_inter(b, d->id, pd, NULL), -VMM_ESRCH); /* dead domains are gone */
	assert_int_equal(alloc_unbound(a, VMM_DOMID_SELF, d->id, NULL), -VMM_ESRCH);
	assert_null(d->evtchn.bucket[0]);                              /* frames returned */
}

static void test_poll_wake_rules(void **state)
{
	uint32_t *list = (uint32_t *)test_guest_ptr(a, VMM_GUEST_BASE + 0x9000);
	uint32_t pa, pb, pa2, pb2;

	(void)state;
	connect(a, b, &pa, &pb);
	connect(a, b, &pa2, &pb2);
	clear_pending(a);
	a->shared->evtchn_mask[0] = 1u << pa; /* polling works with the port masked */
	list[0] = pa;
	assert_int_equal(evtchn_poll_begin(a, VMM_GUEST_BASE + 0x9000, 1), 0);
	a->state = DOMAIN_BLOCKED;
	assert_int_equal(evtchn_send(b, pb2), 0); /* not polled: stays asleep */
	assert_int_equal(a->state, DOMAIN_BLOCKED);
	assert_int_equal(evtchn_send(b, pb), 0);  /* polled (masked): wakes */
	assert_int_equal(a->state, DOMAIN_RUNNABLE);
	assert_true(evtchn_poll_end(a));
	assert_false(a->evtchn.polling);
	/* already pending: no sleep */
	assert_int_equal(evtchn_poll_begin(a, VMM_GUEST_BASE + 0x9000, 1), 1);
	assert_false(a->evtchn.polling);
	a->shared->evtchn_mask[0] = 0;
}

static void test_poll_argument_errors(void **state)
{
	uint32_t *list = (uint32_t *)test_guest_ptr(a, VMM_GUEST_BASE + 0x9000);
	uint32_t end = VMM_GUEST_BASE + a->mem_size;
	unsigned int i;

	(void)state;
	clear_pending(a);
	for (i = 0; i < VMM_SCHED_POLL_MAX; i++)
		list[i] = VMM_NR_EVENT_PORTS - 1 - i;
	assert_int_equal(evtchn_poll_begin(a, VMM_GUEST_BASE + 0x9000, VMM_SCHED_POLL_MAX), 0);
	assert_true(evtchn_poll_wakes(&a->evtchn, VMM_NR_EVENT_PORTS - 1));
	assert_false(evtchn_poll_wakes(&a->evtchn, 1));
	evtchn_poll_end(a);
	assert_int_equal(evtchn_poll_begin(a, VMM_GUEST_BASE + 0x9000, VMM_SCHED_POLL_MAX + 1), -VMM_EINVAL);
	assert_int_equal(evtchn_poll_begin(a, VMM_GUEST_BASE + 0x9000, 0), -VMM_EINVAL);
	assert_int_equal(evtchn_poll_begin(a, VMM_GUEST_BASE + 0x9000, 0xFFFFFFFFu), -VMM_EINVAL);
	assert_int_equal(evtchn_poll_begin(a, VMM_GUEST_BASE + 0x9000, 0x80000000u), -VMM_EINVAL);
	list[1] = 0;
	assert_int_equal(evtchn_poll_begin(a, VMM_GUEST_BASE + 0x9000, 2), -VMM_EINVAL);
	list[1] = VMM_NR_EVENT_PORTS;
	assert_int_equal(evtchn_poll_begin(a, VMM_GUEST_BASE + 0x9000, 2), -VMM_EINVAL);
	list[1] = 0xFFFFFFFFu;
	assert_int_equal(evtchn_poll_begin(a, VMM_GUEST_BASE + 0x9000, 2), -VMM_EINVAL);
	*(uint32_t *)test_guest_ptr(a, end - 4) = 1; /* the last word of memory */
	assert_int_equal(evtchn_poll_begin(a, end - 4, 1), 0);
	evtchn_poll_end(a);
	assert_int_equal(evtchn_poll_begin(a, end - 4, 2), -VMM_EFAULT);
	assert_int_equal(evtchn_poll_begin(a, 0xE0000000u, 1), -VMM_EFAULT);
	assert_false(a->evtchn.polling);
}

static long hcall(uint32_t nr, uint32_t a0, uint32_t a1)
{
	current->frame->r[7] = nr;
	return hypercall_dispatch(nr, a0, a1, 0, 0);
}

static void test_hypercall_copies_in_and_out(void **state)
{
	const uint32_t va = VMM_GUEST_BASE + 0x9000, end = VMM_GUEST_BASE + a->mem_size;
	struct vmm_evtchn_alloc_unbound *au = test_guest_ptr(a, va);
	struct vmm_evtchn_send *snd = test_guest_ptr(a, va);

	(void)state;
	current = a;
	*au = (struct vmm_evtchn_alloc_unbound){.dom = VMM_DOMID_SELF, .remote_dom = VMM_DOMID_SELF};
	assert_int_equal(hcall(VMM_HC_event_channel_op, VMM_EVTCHNOP_alloc_unbound, va), 0);
	assert_int_equal(au->port, 1);
	*snd = (struct vmm_evtchn_send){.port = 1};
	assert_int_equal(hcall(VMM_HC_event_channel_op, VMM_EVTCHNOP_send, va), 0);
	snd->port = 5;
	assert_int_equal(hcall(VMM_HC_event_channel_op, VMM_EVTCHNOP_send, va), -VMM_EINVAL);
	assert_int_equal(hcall(VMM_HC_event_channel_op, VMM_EVTCHNOP_send, 0xE0000000u), -VMM_EFAULT);
	assert_int_equal(hcall(VMM_HC_event_channel_op, VMM_EVTCHNOP_send, end - 2), -VMM_EFAULT);
	assert_int_equal(hcall(VMM_HC_event_channel_op, VMM_EVTCHNOP_status, end - 8), -VMM_EFAULT);
	assert_int_equal(hcall(VMM_HC_event_channel_op, VMM_EVTCHNOP_unmask, 0), -VMM_EFAULT);
	assert_int_equal(hcall(VMM_HC_event_channel_op, VMM_EVTCHNOP_unmask + 1, va), -VMM_EINVAL);
	assert_int_equal(hcall(VMM_HC_event_channel_op, 0xFFFFFFFFu, va), -VMM_EINVAL);
	assert_int_equal(hcall(VMM_HC_event_channel_op, 0x80000000u, va), -VMM_EINVAL);
	/* an error leaves the caller's struct alone */
	*au = (struct vmm_evtchn_alloc_unbound){.dom = 777, .remote_dom = 0, .port = 0x1234};
	assert_int_equal(hcall(VMM_HC_event_channel_op, VMM_EVTCHNOP_alloc_unbound, va), -VMM_EPERM);
	assert_int_equal(au->port, 0x1234);
	/* the last word of memory is a valid argument */
	*(uint32_t *)test_guest_ptr(a, end - 4) = 1;
	assert_int_equal(hcall(VMM_HC_event_channel_op, VMM_EVTCHNOP_unmask, end - 4), 0);
}

static void test_sched_poll_hypercall(void **state)
{
	const uint32_t va = VMM_GUEST_BASE + 0x9000;
	struct vmm_sched_poll *p = test_guest_ptr(a, va);
	uint32_t *list = test_guest_ptr(a, va + 0x100);
	uint32_t pa, pb;

	(void)state;
	connect(a, b, &pa, &pb);
	current = a;
	/* pending already: returns 0 at once */
	list[0] = pa;
	*p = (struct vmm_sched_poll){.ports = va + 0x100, .nr_ports = 1, .timeout = 0};
	a->shared->evtchn_pending[0] = 1u << pa;
	assert_int_equal(hcall(VMM_HC_sched_op, VMM_SCHEDOP_poll, va), 0);
	assert_ptr_equal(current, a);
	/* a timeout in the past: at once */
	clear_pending(a);
	p->timeout = 1;
	assert_int_equal(hcall(VMM_HC_sched_op, VMM_SCHEDOP_poll, va), -VMM_ETIMEDOUT);
	assert_false(a->evtchn.polling);
	p->nr_ports = 0;
	assert_int_equal(hcall(VMM_HC_sched_op, VMM_SCHEDOP_poll, va), -VMM_EINVAL);
	assert_int_equal(hcall(VMM_HC_sched_op, VMM_SCHEDOP_poll, 0xE0000000u), -VMM_EFAULT);
	current = a;
	a->state = DOMAIN_RUNNABLE;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_port_0_reserved, setup),
		cmocka_unit_test_setup(test_alloc_unbound_and_status, setup),
		cmocka_unit_test_setup(test_bind_interdomain_connects_both_ends, setup),
		cmocka_unit_test_setup(test_bind_interdomain_errors, setup),
		cmocka_unit_test_setup(test_loopback_channel, setup),
		cmocka_unit_test_setup(test_send_sets_bits_in_order_and_wakes, setup),
		cmocka_unit_test_setup(test_send_errors, setup),
		cmocka_unit_test_setup(test_close_puts_peer_back_to_unbound, setup),
		cmocka_unit_test_setup(test_bind_virq, setup),
		cmocka_unit_test_setup(test_bind_ipi_and_vcpu, setup),
		cmocka_unit_test_setup(test_unmask_bounds, setup),
		cmocka_unit_test_setup(test_ports_run_out_at_1023, setup),
		cmocka_unit_test_setup(test_dying_domain_releases_peers, setup),
		cmocka_unit_test_setup(test_poll_wake_rules, setup),
		cmocka_unit_test_setup(test_poll_argument_errors, setup),
		cmocka_unit_test_setup(test_hypercall_copies_in_and_out, setup),
		cmocka_unit_test_setup(test_sched_poll_hypercall, setup),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
