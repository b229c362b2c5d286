/*
 * libFuzzer harness over the event-channel hypercall arguments:
 * sequences of event_channel_op, sched_op(poll) argument checks, VIRQ and
 * physical-IRQ events and physdev_op EOIs, issued by three domains (two
 * that the policy lets talk, one it isolates, one of the two privileged)
 * through the same entry point the dispatcher uses, with the whole core
 * against the fake port (test/fake).
 *
 * After every call: every result is 0 or a documented error; the port
 * tables are consistent (each interdomain end points at a peer end that
 * points back; each VIRQ port is the one its VIRQ records, and the other
 * way round; port 0 is reserved; no channel crosses the policy). After each
 * input every port is closed and the frames of the tables must all be back
 * in the allocator. Any violation aborts (a libFuzzer crash).
 *
 * Input: records of 14 bytes (caller, op, then three u32 LE fields),
 * folded so that most records name existing ports and domains.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "evtchn.h"
#include "hypercall.h"
#include "log.h"
#include "pirq.h"
#include "policy.h"
#include "test_domain.h"
#include "trap.h"
#include "vmm/physdev.h"

#define NR_DOMS 3
#define ARG_VA  (VMM_GUEST_BASE + 0x9000u)
#define LIST_VA (VMM_GUEST_BASE + 0xA000u)
#define PIRQ    36u

static struct domain *doms[NR_DOMS];

static const char *const type_names[] = {"talk", "alone"};
static const struct vmm_policy_rule rules[] = {{0, 0}};
static const struct vmm_policy policy = {.type_names = type_names, .nr_types = 2, .rules = rules, .nr_rules = 1};
static const struct vmm_pirq_config pirqs[] = {{.irq = PIRQ, .domain = "f0"}};

static void die(const char *what)
{
	fprintf(stderr, "fuzz_evtchn: invariant broken: %s\n", what);
	abort();
}

static void boot_once(void)
{
	static int booted;
	struct vmm_config cfg;

	if (booted)
		return;
	booted = 1;
	test_core_boot();
	policy_activate(&policy);
	memset(&cfg, 0, sizeof(cfg));
	cfg.pirqs = pirqs;
	cfg.nr_pirqs = 1;
	pirq_init(&cfg);
	doms[0] = test_domain_create_bare("f0", VMM_DOMCFG_PRIVILEGED, 1u << 0);
	doms[1] = test_domain_create_bare("f1", 0, 1u << 0);
	doms[2] = test_domain_create_bare("f2", 0, 1u << 1);
	if (!doms[0] || !doms[1] || !doms[2])
		die("cannot build the domains");
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Mostly small port numbers, sometimes the edges and raw values. */
static uint32_t fold_port(uint32_t x)
{
	switch (x >> 29) {
	case 0:
		return VMM_NR_EVENT_PORTS - 2 + (x & 3u);  /* 1022..1025 */
	case 1:
		return x;                                  /* anything */
	default:
		return x % 12u;                            /* the ports in use */
	}
}

/* A domain id: the three domains, VMM_DOMID_SELF, unknown or raw. */
static uint32_t fold_dom(uint32_t x)
{
	switch (x >> 29) {
	case 0:
		return VMM_DOMID_SELF;
	case 1:
		return x;
	default:
		return doms[x % NR_DOMS]->id + (x % 7u == 6u); /* sometimes one past */
	}
}

static void put_words(struct domain *d, uint32_t va, const uint32_t *w, unsigned int n)
{
	memcpy(test_guest_ptr(d, va), w, n * sizeof(uint32_t));
}

static bool result_documented(long rc)
{
	switch (rc) {
	case 0:
	case -VMM_EPERM:
	case -VMM_ESRCH:
	case -VMM_EFAULT:
	case -VMM_EEXIST:
	case -VMM_EINVAL:
	case -VMM_ENOSPC:
	case -VMM_ENOMEM:
	case -VMM_ETIMEDOUT:
		return true;
	default:
		return false;
	}
}

static struct domain *dom_by_id(uint32_t id)
{
	unsigned int i;

	for (i = 0; i < NR_DOMS; i++)
		if (doms[i]->id == id)
			return doms[i];
	return NULL;
}

static void check_tables(void)
{
	unsigned int i, p, v;

	for (i = 0; i < NR_DOMS; i++) {
		struct domain *d = doms[i];
		struct evtchn *e0 = evtchn_entry(&d->evtchn, 0);

		if (e0 && e0->state != ECS_RESERVED)
			die("port 0 not reserved");
		for (v = 0; v < VMM_NR_VIRQS; v++) {
			struct evtchn *e = d->evtchn.virq_port[v] ? evtchn_entry(&d->evtchn, d->evtchn.virq_port[v]) : NULL;

			if (d->evtchn.virq_port[v] && (!e || e->state != ECS_VIRQ || e->num != v))
				die("virq_port names a port not bound to that VIRQ");
		}
		for (p = 1; p < VMM_NR_EVENT_PORTS; p++) {
			struct evtchn *e = evtchn_entry(&d->evtchn, p);
			struct domain *peer;
			struct evtchn *pe;

			if (!e)
				break; /* buckets are taken in order */
			if (e->state == ECS_VIRQ && d->evtchn.virq_port[e->num] != p)
				die("VIRQ port not recorded");
			if (e->state == ECS_RESERVED)
				die("reserved port other than 0");
			if (e->state != ECS_INTERDOMAIN)
				continue;
			peer = dom_by_id(e->remote_id);
			pe = peer ? evtchn_entry(&peer->evtchn, e->num) : NULL;
			if (!pe || pe->state != ECS_INTERDOMAIN || pe->remote_id != d->id || pe->num != p)
				die("interdomain end without its peer");
			if (policy_check(d, peer) != 0)
				die("a channel the policy forbids");
		}
	}
}

static long run_op(struct domain *d, uint8_t op, uint32_t x, uint32_t y, uint32_t z)
{
	uint32_t w[8];

	current = d;
	d->frame->r[7] = VMM_HC_event_channel_op;
	switch (op % 14) {
	case 0: /* alloc_unbound */
		w[0] = fold_dom(x), w[1] = fold_dom(y), w[2] = 0;
		put_words(d, ARG_VA, w, 3);
		return hypercall_dispatch(VMM_HC_event_channel_op, VMM_EVTCHNOP_alloc_unbound, ARG_VA, 0, 0);
	case 1: /* bind_interdomain */
		w[0] = fold_dom(x), w[1] = fold_port(y), w[2] = 0;
		put_words(d, ARG_VA, w, 3);
		return hypercall_dispatch(VMM_HC_event_channel_op, VMM_EVTCHNOP_bind_interdomain, ARG_VA, 0, 0);
	case 2: /* bind_virq */
		w[0] = x % 6u == 5u ? x : x % 6u, w[1] = y % 4u == 3u ? y : 0, w[2] = 0;
		put_words(d, ARG_VA, w, 3);
		return hypercall_dispatch(VMM_HC_event_channel_op, VMM_EVTCHNOP_bind_virq, ARG_VA, 0, 0);
	case 3: /* bind_pirq */
		w[0] = x % 3u == 0 ? PIRQ : x, w[1] = y % 4u == 3u ? y : 0, w[2] = 0;
		put_words(d, ARG_VA, w, 3);
		return hypercall_dispatch(VMM_HC_event_channel_op, VMM_EVTCHNOP_bind_pirq, ARG_VA, 0, 0);
	case 4: /* bind_ipi */
		w[0] = y % 4u == 3u ? y : 0, w[1] = 0;
		put_words(d, ARG_VA, w, 2);
		return hypercall_dispatch(VMM_HC_event_channel_op, VMM_EVTCHNOP_bind_ipi, ARG_VA, 0, 0);
	case 5: /* close */
	case 6: /* send */
	case 7: /* unmask */
		w[0] = fold_port(x);
		put_words(d, ARG_VA, w, 1);
		return hypercall_dispatch(VMM_HC_event_channel_op,
					  op % 14 == 5 ? VMM_EVTCHNOP_close :
					  op % 14 == 6 ? VMM_EVTCHNOP_send : VMM_EVTCHNOP_unmask, ARG_VA, 0, 0);
	case 8: /* status */
		w[0] = fold_dom(x), w[1] = fold_port(y);
		put_words(d, ARG_VA, w, 2);
		return hypercall_dispatch(VMM_HC_event_channel_op, VMM_EVTCHNOP_status, ARG_VA, 0, 0);
	case 9: /* bind_vcpu */
		w[0] = fold_port(x), w[1] = y % 4u == 3u ? y : 0;
		put_words(d, ARG_VA, w, 2);
		return hypercall_dispatch(VMM_HC_event_channel_op, VMM_EVTCHNOP_bind_vcpu, ARG_VA, 0, 0);
	case 10: /* raw command and pointer */
		return hypercall_dispatch(VMM_HC_event_channel_op, x, y % 2u ? y : ARG_VA + (z & 0x7Fu), 0, 0);
	case 11: { /* poll: checks, then ends at once (the fake switch returns) */
		unsigned int n = z % 40u, i;
		long rc;

		for (i = 0; i < 8; i++)
			w[i] = fold_port(x + i * y);
		put_words(d, LIST_VA, w, 8);
		rc = evtchn_poll_begin(d, x % 5u == 4u ? y : LIST_VA, n);
		evtchn_poll_end(d);
		if (d->evtchn.polling)
			die("still polling after poll_end");
		return rc > 0 ? 0 : rc;
	}
	case 12: /* the hypervisor raises a VIRQ or the physical IRQ fires */
		if (x & 1u) {
			evtchn_send_virq(d, y % (VMM_NR_VIRQS + 1));
		} else {
			fake_irq_raise((int)PIRQ);
			irq_poll();
		}
		return 0;
	default: { /* physdev_op */
		d->frame->r[7] = VMM_HC_physdev_op;
		w[0] = x % 3u == 0 ? PIRQ : x, w[1] = 0;
		put_words(d, ARG_VA, w, 2);
		return hypercall_dispatch(VMM_HC_physdev_op, y % 2u ? VMM_PHYSDEVOP_eoi : VMM_PHYSDEVOP_irq_status_query,
					  ARG_VA, 0, 0);
	}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t free_before;
	unsigned int i;

	boot_once();
	free_before = mm_free_frames();
	for (i = 0; i < NR_DOMS; i++) {
		memset(doms[i]->shared->evtchn_pending, 0, sizeof(doms[i]->shared->evtchn_pending));
		memset(doms[i]->shared->evtchn_mask, 0, sizeof(doms[i]->shared->evtchn_mask));
		doms[i]->rejections_logged = VMM_REJECT_LOG_LIMIT; /* quiet */
	}
	for (; size >= 14; data += 14, size -= 14) {
		long rc = run_op(doms[data[0] % NR_DOMS], data[1], get32(data + 2), get32(data + 6), get32(data + 10));

		if (!result_documented(rc))
			die("undocumented result");
		check_tables();
		fake_console_clear();
	}
	for (i = 0; i < NR_DOMS; i++)
		evtchn_domain_destroy(doms[i]);
	/* every bucket frame is back (a table never grows past 2 frames) */
	if (mm_free_frames() != free_before)
		die("port-table frames leaked");
	return 0;
}
