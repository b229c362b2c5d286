/*
 * Event-channel test guest (test/qemu/evtchn_config.c), by command line:
 *
 *   role=ping      (dom0, type "secure") offers port 1 to dom1, waits for
 *                  dom1's hello with sched_op(poll), then ROUNDS round trips:
 *                  send, poll for the answer (events masked: no upcalls).
 *                  Then a poll that must time out. With "preempt" (images
 *                  where dom1 is warped, test/qemu/evtchn_preempt_config.c
 *                  and the bench image) it also offers port 2 to dom2
 *                  ("sink", not warped) and checks the wake-up verdict is
 *                  honoured at once: the warped peer runs (and answers)
 *                  before send returns, the unwarped one does not. With
 *                  "bench" (PMU access, implies "preempt") the benchmarks:
 *                  event ping-pong round trip, the send hypercall to a
 *                  blocked peer that does not preempt, and send -> the
 *                  preempting peer's upcall handler.
 *   role=pong      (dom1, type "rich") binds to dom0's port 1, answers every
 *                  event; for the upcall benchmark it blocks with events
 *                  unmasked and its upcall handler reads the cycle counter.
 *   role=sink      (dom2 of the preempt images) binds to dom0's port 2 and
 *                  answers every event, waiting in sched_op(poll).
 *   role=intruder  (dom2, type "untrusted": the policy keeps it apart from
 *                  dom0) tries to open a channel to dom0 and to send on a
 *                  port it guessed; both must be refused.
 *
 * Prints "ok ..." / "FAIL ..." lines and "evtchn: <role> done".
 */
#include "probe_lib.h"

#define ROUNDS       100
#define BENCH_ROUNDS 32
#define PING_PORT    1     /* the first port of a fresh domain */
#define SINK_PORT    2     /* ping's second port (preempt images) */
#define MS           1000000ull

void probe_main(const struct vmm_start_info *si);
void pong_upcall(void);
void pong_upcall_c(struct vmm_trap_frame *f);

static volatile struct vmm_shared_info *const sh = (volatile struct vmm_shared_info *)VMM_GUEST_SHARED_INFO;

static void port_clear(uint32_t port)
{
	__atomic_fetch_and((uint32_t *)&sh->evtchn_pending[port / 32], ~(1u << (port % 32)), __ATOMIC_SEQ_CST);
}

static long send(uint32_t port)
{
	struct vmm_evtchn_send op = {.port = port};

	return HYPERVISOR_event_channel_op(VMM_EVTCHNOP_send, &op);
}

static long poll_one(uint32_t port, uint64_t timeout)
{
	static uint32_t list[1];
	struct vmm_sched_poll p = {.ports = (uint32_t)(uintptr_t)list, .nr_ports = 1, .timeout = timeout};

	list[0] = port;
	return HYPERVISOR_poll(&p);
}

/* Waits for `port` (up to 1 s) and consumes the event. */
static long wait_port(uint32_t port)
{
	long rc = poll_one(port, probe_system_time() + 1000 * MS);

	port_clear(port);
	return rc;
}

static int port_pending(uint32_t port)
{
	return (sh->evtchn_pending[port / 32] >> (port % 32)) & 1u;
}

static inline void ccnt_reset(void)
{
	__asm__ volatile("mcr p15, 0, %0, c9, c13, 0" ::"r"(0u));
}

/* ---- pong's upcall handler (benchmark) -------------------------------- */

static volatile uint32_t upcall_ccnt, upcalls;

/* First instruction reads the counter, then C clears the event and returns. */
__asm__(".arm\n.global pong_upcall\npong_upcall:\n"
	"\tmrc p15, 0, r1, c9, c13, 0\n"
	"\tldr r2, =upcall_ccnt_word\n"
	"\tstr r1, [r2]\n"
	"\tb pong_upcall_c\n"
	"\t.ltorg\n");
uint32_t upcall_ccnt_word;

void pong_upcall_c(struct vmm_trap_frame *f)
{
	upcall_ccnt = upcall_ccnt_word;
	upcalls++;
	sh->vcpu_info.evtchn_upcall_pending = 0;
	__atomic_store_n((uint32_t *)&sh->vcpu_info.evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
	port_clear(PING_PORT);
	HYPERVISOR_restore_trap_frame(f);
	probe_puts("FAIL pong: restore_trap_frame returned\n");
	probe_shutdown(VMM_SHUTDOWN_crash);
}

/* ---- roles ------------------------------------------------------------- */

/* role=ping with "preempt": the wake-up verdict honoured at once, both ways. */
static void ping_preempt_checks(void)
{
	uint32_t spins;
	uint64_t t0;
	long ran;

	/* dom1 (warped) polls for port 1: BVT says it preempts us, so it has
	 * run, answered and blocked again before our send returns. */
	send(PING_PORT);
	ran = port_pending(PING_PORT);
	probe_expect("ping: wake-up that preempts: the warped peer ran before send returned", ran, 1);
	probe_expect("ping: its answer", wait_port(PING_PORT), 0);
	/* dom2 (not warped) polls for port 2: its E is not below ours, so we
	 * keep the CPU; it answers once we block. */
	send(SINK_PORT);
	ran = port_pending(SINK_PORT);
	probe_expect("ping: wake-up that does not preempt: the sink did not run before send returned", ran, 0);
	probe_expect("ping: the sink's answer once we wait", wait_port(SINK_PORT), 0);
	/* If we keep the CPU instead of waiting, the sink still gets it as
	 * soon as our slice against it ends (C = 1 ms): the wake-up shortened
	 * our slice at once, not at some later interrupt (on a board whose
	 * guests read the counter there is none while we run alone). */
	t0 = probe_system_time();
	send(SINK_PORT);
	for (spins = 0; !port_pending(SINK_PORT) && spins < 100000000u; spins++)
		__asm__ volatile("" ::: "memory");
	probe_expect("ping: spinning, the sink's answer came within 5 ms",
		     port_pending(SINK_PORT) && probe_system_time() - t0 < 5 * MS, 1);
	port_clear(SINK_PORT);
}

static void ping(const struct vmm_start_info *si)
{
	struct vmm_evtchn_alloc_unbound au = {.dom = VMM_DOMID_SELF, .remote_dom = 1};
	struct vmm_evtchn_alloc_unbound au2 = {.dom = VMM_DOMID_SELF, .remote_dom = 2};
	struct vmm_acm_types t;
	uint64_t t0;
	uint32_t best_rt = 0xffffffffu, best_send = 0xffffffffu, a, b;
	int bench = probe_cmdline_has(si->cmd_line, "bench");
	int preempt = bench || probe_cmdline_has(si->cmd_line, "preempt");
	int i, ok = 0, quiet = 0;

	probe_expect("ping: acm_op get_types", HYPERVISOR_acm_op(VMM_ACMOP_get_types, &t), 0);
	if (!preempt) /* the preempt and bench images have no policy */
		probe_expect("ping: my types are {secure}", (long)t.types, 1);
	probe_expect("ping: alloc_unbound for dom1",
		     HYPERVISOR_event_channel_op(VMM_EVTCHNOP_alloc_unbound, &au), 0);
	probe_expect("ping: port", (long)au.port, PING_PORT);
	if (preempt) {
		probe_expect("ping: alloc_unbound for dom2",
			     HYPERVISOR_event_channel_op(VMM_EVTCHNOP_alloc_unbound, &au2), 0);
		probe_expect("ping: sink port", (long)au2.port, SINK_PORT);
		probe_expect("ping: hello from the sink", wait_port(SINK_PORT), 0);
	}
	probe_expect("ping: hello from pong", wait_port(PING_PORT), 0);
	for (i = 0; i < ROUNDS; i++) {
		if (send(PING_PORT) != 0)
			break;
		if (wait_port(PING_PORT) != 0)
			break;
		ok++;
	}
	probe_expect("ping: round trips", ok, ROUNDS);
	probe_puts("evtchn: ");
	probe_putd(ok);
	probe_puts(" round trips\n");

	/* Nobody sends now: the poll times out after 5 ms, not before. */
	t0 = probe_system_time();
	probe_expect("ping: poll times out", poll_one(PING_PORT, t0 + 5 * MS), -VMM_ETIMEDOUT);
	probe_expect("ping: not before the timeout", probe_system_time() >= t0 + 5 * MS, 1);

	if (preempt)
		ping_preempt_checks();
	if (bench) {
		/* pong, warped, polls: each send switches to it at once, it
		 * answers and polls again, our poll then finds the answer. */
		for (i = 0; i < BENCH_ROUNDS; i++) {
			a = probe_ccnt();
			send(PING_PORT);
			wait_port(PING_PORT);
			b = probe_ccnt();
			if (b - a < best_rt)
				best_rt = b - a;
		}
		/* the sink polls and does not preempt: send returns to us */
		for (i = 0; i < BENCH_ROUNDS; i++) {
			a = probe_ccnt();
			send(SINK_PORT);
			b = probe_ccnt();
			if (b - a < best_send)
				best_send = b - a;
			quiet += !port_pending(SINK_PORT);
			wait_port(SINK_PORT); /* the sink answers once we block */
		}
		probe_expect("ping: the sink never ran before send returned", quiet, BENCH_ROUNDS);
		/* pong now blocks with events unmasked; each event preempts us
		 * and enters its handler before send returns */
		send(PING_PORT);
		wait_port(PING_PORT);
		for (i = 0; i < BENCH_ROUNDS; i++) {
			ccnt_reset();
			send(PING_PORT);
			wait_port(PING_PORT); /* answered already: no wait */
		}
		probe_puts("bench: event ping-pong round trip = ");
		probe_putd((long)best_rt);
		probe_puts(" instructions\nbench: send to a blocked peer (hypercall) = ");
		probe_putd((long)best_send);
		probe_puts(" instructions\n");
	}
	probe_puts("evtchn: ping done\n");
	probe_shutdown(probe_failures ? VMM_SHUTDOWN_crash : VMM_SHUTDOWN_poweroff);
}

static void pong(const struct vmm_start_info *si)
{
	struct vmm_evtchn_bind_interdomain bi = {.remote_dom = 0, .remote_port = PING_PORT};
	uint32_t best = 0xffffffffu;
	long rc = -1;
	int i, tries;

	/* dom0 offers the port when it starts: give it the CPU until then. */
	for (tries = 0; tries < 50 && rc != 0; tries++) {
		HYPERVISOR_sched_op(VMM_SCHEDOP_yield, 0);
		rc = HYPERVISOR_event_channel_op(VMM_EVTCHNOP_bind_interdomain, &bi);
	}
	probe_expect("pong: bind_interdomain to dom0", rc, 0);
	probe_expect("pong: local port", (long)bi.local_port, PING_PORT);
	port_clear(bi.local_port); /* a new port starts pending */
	probe_expect("pong: hello", send(bi.local_port), 0);
	for (i = 0; i < ROUNDS; i++) {
		if (wait_port(bi.local_port) != 0)
			break;
		send(bi.local_port);
	}
	if (probe_cmdline_has(si->cmd_line, "bench") || probe_cmdline_has(si->cmd_line, "preempt")) {
		/* ping_preempt_checks() */
		wait_port(bi.local_port);
		send(bi.local_port);
	}
	if (probe_cmdline_has(si->cmd_line, "bench")) {
		for (i = 0; i < BENCH_ROUNDS; i++) {
			wait_port(bi.local_port);
			send(bi.local_port);
		}
		wait_port(bi.local_port);
		HYPERVISOR_set_callbacks(pong_upcall, 0);
		/* Polling left the summary bits set: clear them, or the unmask
		 * below enters the handler for events already consumed. */
		sh->vcpu_info.evtchn_upcall_pending = 0;
		__atomic_store_n((uint32_t *)&sh->vcpu_info.evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
		sh->vcpu_info.evtchn_upcall_mask = 0;
		send(bi.local_port);
		for (i = 0; i < BENCH_ROUNDS; i++) {
			uint32_t seen = upcalls;

			while (upcalls == seen)
				HYPERVISOR_sched_op(VMM_SCHEDOP_block, 0);
			if (upcall_ccnt < best)
				best = upcall_ccnt; /* ping zeroed the counter right before its send */
			send(bi.local_port);
		}
		sh->vcpu_info.evtchn_upcall_mask = 1;
		probe_puts("bench: send to a blocked peer until its upcall handler runs = ");
		probe_putd((long)best);
		probe_puts(" instructions\n");
	}
	probe_puts("evtchn: pong done\n");
	probe_shutdown(probe_failures ? VMM_SHUTDOWN_crash : VMM_SHUTDOWN_poweroff);
}

/* role=sink: dom0's port 2, answered from sched_op(poll) until ping is done. */
static void sink(const struct vmm_start_info *si)
{
	struct vmm_evtchn_bind_interdomain bi = {.remote_dom = 0, .remote_port = SINK_PORT};
	int n = 2 + (probe_cmdline_has(si->cmd_line, "bench") ? BENCH_ROUNDS : 0), i, tries;
	long rc = -1;

	for (tries = 0; tries < 50 && rc != 0; tries++) {
		HYPERVISOR_sched_op(VMM_SCHEDOP_yield, 0);
		rc = HYPERVISOR_event_channel_op(VMM_EVTCHNOP_bind_interdomain, &bi);
	}
	probe_expect("sink: bind_interdomain to dom0", rc, 0);
	probe_expect("sink: local port", (long)bi.local_port, PING_PORT);
	port_clear(bi.local_port);
	probe_expect("sink: hello", send(bi.local_port), 0);
	for (i = 0; i < n; i++) {
		if (wait_port(bi.local_port) != 0)
			break;
		send(bi.local_port);
	}
	probe_expect("sink: events answered", i, n);
	probe_puts("evtchn: sink done\n");
	probe_shutdown(probe_failures ? VMM_SHUTDOWN_crash : VMM_SHUTDOWN_poweroff);
}

/* role=pirq: binds physical IRQ `irq=N`, takes PIRQ_EVENTS events, EOIs each. */
#define PIRQ_EVENTS 20
static void pirq(const struct vmm_start_info *si)
{
	uint32_t irq = probe_cmdline_number(si->cmd_line, "irq=", 0);
	struct vmm_evtchn_bind_pirq bp = {.pirq = irq, .flags = 0};
	struct vmm_physdev_irq_status_query q = {.irq = irq};
	struct vmm_physdev_eoi eoi = {.irq = irq};
	int events = 0, eois = 0, i;

	probe_expect("pirq: bind_pirq", HYPERVISOR_event_channel_op(VMM_EVTCHNOP_bind_pirq, &bp), 0);
	probe_expect("pirq: bind again", HYPERVISOR_event_channel_op(VMM_EVTCHNOP_bind_pirq, &bp), -VMM_EEXIST);
	for (i = 0; i < PIRQ_EVENTS; i++) {
		if (wait_port(bp.port) != 0)
			break;
		events++;
		/* The line is still asserted (nobody clears the device): in flight, no second event. */
		HYPERVISOR_physdev_op(VMM_PHYSDEVOP_irq_status_query, &q);
		if (q.flags != (VMM_PHYSDEV_IRQ_NEEDS_EOI | VMM_PHYSDEV_IRQ_IN_FLIGHT))
			probe_expect("pirq: in flight until EOI", (long)q.flags, 3);
		if (HYPERVISOR_physdev_op(VMM_PHYSDEVOP_eoi, &eoi) == 0)
			eois++;
	}
	probe_expect("pirq: events", events, PIRQ_EVENTS);
	probe_puts("pirq: ");
	probe_putd(events);
	probe_puts(" events, ");
	probe_putd(eois);
	probe_puts(" EOIs\n");
	struct vmm_evtchn_close cl = {.port = bp.port};
	probe_expect("pirq: close", HYPERVISOR_event_channel_op(VMM_EVTCHNOP_close, &cl), 0);
	probe_expect("pirq: EOI after close", HYPERVISOR_physdev_op(VMM_PHYSDEVOP_eoi, &eoi), -VMM_EPERM);
	probe_puts("evtchn: pirq done\n");
	probe_shutdown(probe_failures ? VMM_SHUTDOWN_crash : VMM_SHUTDOWN_poweroff);
}

/* role=pirq-thief: the interrupt is another domain's. */
static void pirq_thief(const struct vmm_start_info *si)
{
	struct vmm_evtchn_bind_pirq bp = {.pirq = probe_cmdline_number(si->cmd_line, "irq=", 0)};
	struct vmm_physdev_eoi eoi = {.irq = bp.pirq};

	probe_expect("pirq-thief: bind_pirq refused", HYPERVISOR_event_channel_op(VMM_EVTCHNOP_bind_pirq, &bp),
		     -VMM_EPERM);
	probe_expect("pirq-thief: EOI refused", HYPERVISOR_physdev_op(VMM_PHYSDEVOP_eoi, &eoi), -VMM_EPERM);
	probe_puts("evtchn: pirq-thief done\n");
	probe_shutdown(probe_failures ? VMM_SHUTDOWN_crash : VMM_SHUTDOWN_poweroff);
}

static void intruder(void)
{
	struct vmm_evtchn_alloc_unbound au = {.dom = VMM_DOMID_SELF, .remote_dom = 0};
	struct vmm_evtchn_bind_interdomain bi = {.remote_dom = 0, .remote_port = PING_PORT};
	struct vmm_acm_types t;

	probe_expect("intruder: acm_op get_types", HYPERVISOR_acm_op(VMM_ACMOP_get_types, &t), 0);
	probe_expect("intruder: may talk to nobody", (long)t.peers, 0);
	probe_expect("intruder: channel to dom0 refused",
		     HYPERVISOR_event_channel_op(VMM_EVTCHNOP_alloc_unbound, &au), -VMM_EPERM);
	probe_expect("intruder: bind to dom0's port refused",
		     HYPERVISOR_event_channel_op(VMM_EVTCHNOP_bind_interdomain, &bi), -VMM_EINVAL);
	probe_expect("intruder: send on a guessed port refused", send(PING_PORT), -VMM_EINVAL);
	probe_expect("intruder: send on port 1023 refused", send(VMM_NR_EVENT_PORTS - 1), -VMM_EINVAL);
	probe_expect("intruder: send on port 1024 refused", send(VMM_NR_EVENT_PORTS), -VMM_EINVAL);
	probe_puts("evtchn: intruder done\n");
	probe_shutdown(probe_failures ? VMM_SHUTDOWN_crash : VMM_SHUTDOWN_poweroff);
}

void probe_main(const struct vmm_start_info *si)
{
	if (probe_cmdline_has(si->cmd_line, "role=ping"))
		ping(si);
	else if (probe_cmdline_has(si->cmd_line, "role=pong"))
		pong(si);
	else if (probe_cmdline_has(si->cmd_line, "role=sink"))
		sink(si);
	else if (probe_cmdline_has(si->cmd_line, "role=pirq-thief"))
		pirq_thief(si);
	else if (probe_cmdline_has(si->cmd_line, "role=pirq"))
		pirq(si);
	intruder();
}
