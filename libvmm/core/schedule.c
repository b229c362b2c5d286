/*
 * Scheduling glue, domain timers and the idle loop (see schedule.h).
 */
#include "schedule.h"

#include <stddef.h>

#include "cold.h"
#include "console.h"
#include "domain.h"
#include "reject.h"
#include "event.h"
#include "evtchn.h"
#include "guest_access.h"
#include "log.h"
#include "runstate.h"
#include "sched.h"
#include "time.h"
#include "timerq.h"
#include "trap.h"
#include "vmm/dom0_op.h"
#include "vmm/port.h"

/* Defaults when the config leaves them 0 (docs/scheduling.md). */
#define SCHED_DEFAULT_CTX_ALLOW_NS 1000000ull   /* C = 1 ms */
#define SCHED_DEFAULT_MCU_NS        100000ull   /* 100 us */
#define SCHED_MAX_SLICE_NS        10000000ull   /* 10 ms */
/*
 * On boards whose guests cannot read the counter (!time_guest_counter), a
 * running domain's shared-info system time is refreshed at least this often,
 * even when nothing else interrupts it (a domain running alone has no slice
 * end). No such tick exists when the CPU idles, nor on boards where guests
 * compute system time from the counter themselves.
 */
#define TIME_REFRESH_NS           10000000ull   /* 10 ms */

/*
 * The hardware timer is left alone when it would fire early by less than
 * this (an early timer is harmless: the scheduler re-evaluates). The refresh
 * deadline moves with every decision; without the slack every switch would
 * reprogram the timer. About half the refresh period: 0x4c0000 ns
 * (4.98 ms), the 5 ms rounded down to a value an ARM data-processing
 * immediate encodes (0x4c rotated), so that the slack tests on the switch
 * path compare with a constant instead of building it in a register first.
 */
#define TIMER_SLACK_NS            ((TIME_REFRESH_NS / 2) & 0xff0000ull)
_Static_assert(TIMER_SLACK_NS == 0x4c0000u, "TIMER_SLACK_NS: an 8-bit value rotated");
/*
 * glue.programmed while the hardware timer is stopped. Chosen so that the
 * unsigned slack test in schedule_program_timer() keeps a stopped timer
 * stopped for SCHED_TIME_MAX and programs it for anything earlier; deadlines
 * this close to the end of time (584 years) count as "never".
 */
#define TIMER_STOPPED             (SCHED_TIME_MAX - (TIMER_SLACK_NS - 1))

static struct arch_hctx idle_hctx = { .dacr = ARCH_DACR_BOOT }; /* arch_switch loads it */

/*
 * Timer and rescheduling state. Every scheduling decision reads it: one
 * object, so the hot path reaches all of it from one base address.
 */
static struct {
	uint64_t slice_deadline;     /* sched_pick()'s deadline for the running domain */
	uint64_t timer_floor;        /* min(next_domain_timer, run_limit_deadline), cached */
	uint64_t programmed;         /* what the hardware timer is set to, or TIMER_STOPPED */
	uint64_t run_limit_deadline; /* the image's run limit (SCHED_TIME_MAX if none) */
	/* programmed <= timer_floor, and <= now + TIME_REFRESH_NS for every
	 * later now: what schedule_program_timer()'s fast test relies on. */
	bool programmed_bounded;
	bool need_resched;
	/*
	 * A decision the timer interrupt took while a domain ran
	 * (schedule_timer_decide()) and schedule_if_needed() carries out
	 * after the EOI:
	 * `decided` runs next (NULL: the idle loop), from `decided_now`.
	 * Valid while need_resched is set and nothing touched the policy
	 * since (a wake-up drops it: the full path decides anew).
	 */
	bool decision_valid;
	struct domain *decided;
	uint64_t decided_now;
	uint32_t timer_interrupts; /* reported at power-off (storm tests) */
	/* Board counter ticks in TIME_REFRESH_NS - 1 ns, rounded down: the
	 * refresh tick's deadline (see schedule_timer_interrupt()). */
	uint64_t refresh_ticks;
	/* The hand-off waiting for schedule_settle() (see schedule_handoff()):
	 * here, so that the entries test it from the base they already hold. */
	struct {
		struct domain *from;  /* the sender, switched out */
		struct domain *to;    /* the peer switched in; NULL: nothing to settle */
		uint64_t now;         /* system time of the hand-off */
		uint64_t limit;       /* the timer it set: now + a quantum */
	} handoff;
} glue = {
	.slice_deadline = SCHED_TIME_MAX,
	.timer_floor = SCHED_TIME_MAX,
	.programmed = TIMER_STOPPED,
	.run_limit_deadline = SCHED_TIME_MAX,
};

/*
 * Armed domain timers, by slot: the earliest is known in O(1), so the timer
 * interrupt costs the same with 1 or VMM_MAX_DOMAINS domains. An entry is
 * armed exactly while its domain's timer_deadline is non-zero.
 */
static struct timerq domain_timers;

/*
 * The timeout of a domain's sched_op(poll) is a second timer in the same
 * queue, id POLL_TIMER_ID(slot): the set_timer_op timer keeps running while
 * the domain polls.
 */
#define POLL_TIMER_ID(slot) (VMM_MAX_DOMAINS + (slot))

_Static_assert(2 * VMM_MAX_DOMAINS <= TIMERQ_CAPACITY, "two timer queue ids per domain slot");
_Static_assert(TIMERQ_NEVER == SCHED_TIME_MAX, "an empty timer queue is 'never'");

static struct domain *domain_of(struct sched_entity *e)
{
	return e ? (struct domain *)((char *)e - offsetof(struct domain, sched)) : NULL;
}

/* Recomputes the cached floor after a domain timer or the run limit changed,
 * so that programming the timer compares one value instead of two. */
static void schedule_update_timer_floor(void)
{
	uint64_t next_domain_timer = timerq_earliest(&domain_timers);

	glue.timer_floor = next_domain_timer < glue.run_limit_deadline ?
		next_domain_timer : glue.run_limit_deadline;
	glue.programmed_bounded = false; /* the floor may now be below it */
}

VMM_COLD int schedule_init(uint32_t ctx_allow_us, uint32_t mcu_us, uint32_t run_limit_ms)
{
	struct sched_global_params g = {
		.ctx_allow_ns = ctx_allow_us ? (uint64_t)ctx_allow_us * 1000 : SCHED_DEFAULT_CTX_ALLOW_NS,
		.mcu_ns = mcu_us ? (uint64_t)mcu_us * 1000 : SCHED_DEFAULT_MCU_NS,
		.max_slice_ns = SCHED_MAX_SLICE_NS,
	};

	timerq_init(&domain_timers);
	sched_set_settle_hook(schedule_settle);
	glue.refresh_ticks = time_counter_span(TIME_REFRESH_NS - 1);
	if (run_limit_ms) /* from now: system time need not start at 0 */
		glue.run_limit_deadline = time_now() + (uint64_t)run_limit_ms * 1000000;
	schedule_update_timer_floor();
	return sched_init(&g);
}

/* Sets the hardware timer for system time `next`, or stops it if `next` is
 * "never" (TIMER_STOPPED or later). Inlined into its two out-of-line
 * callers (the timer interrupt and schedule_program_timer_full(), which a
 * slice-end switch both runs): no call of its own on that path. */
static inline __attribute__((always_inline)) void schedule_timer_set(uint64_t next)
{
	if (next >= TIMER_STOPPED) {
		if (glue.programmed != TIMER_STOPPED)
			vmm_port_timer_stop();
		glue.programmed = TIMER_STOPPED;
		return;
	}
	glue.programmed = next;
	vmm_port_timer_set(time_ns_to_counter(next));
}

/*
 * The earliest thing we must act on: the end of the slice, a domain timer,
 * the run limit and, while a domain runs (`running`) on a board whose guests
 * cannot read the counter, the refresh of its published time.
 */
static inline uint64_t schedule_next_event(uint64_t now, bool running)
{
	uint64_t next = glue.timer_floor;

	if (glue.slice_deadline < next)
		next = glue.slice_deadline;
	if (running && !time_guest_counter && now + TIME_REFRESH_NS < next)
		next = now + TIME_REFRESH_NS;
	return next;
}

/*
 * Programs the one-shot timer for schedule_next_event(), unless it is
 * already set a little earlier. Out of line: the switch path usually decides
 * with the fast test in schedule_program_timer().
 */
static __attribute__((noinline)) void schedule_program_timer_full(uint64_t now, bool running)
{
	uint64_t next = schedule_next_event(now, running);

	/* Whether kept or set below, the programmed deadline ends up <= next,
	 * so <= timer_floor and, while running, <= any later now + refresh
	 * (when there is one). A stop (next is "never") only happens when not
	 * running or on a board without the refresh. */
	glue.programmed_bounded = running;
	/* Keep the programmed timer if it fires at or before next, by less than
	 * the slack. Unsigned: a programmed deadline later than next wraps to a
	 * huge difference and is reprogrammed; so is a stopped timer (see
	 * TIMER_STOPPED) unless next is "never". */
	if (next - glue.programmed < TIMER_SLACK_NS)
		return;
	schedule_timer_set(next);
}

/*
 * schedule_program_timer_full(), with a fast test that takes the same
 * decision when it can: while the programmed deadline P is bounded by the
 * floor and the refresh (programmed_bounded), P <= next; if the slice ends
 * within the slack after P, so does next (next <= slice): keep the timer.
 * Otherwise the full computation decides.
 */
static void schedule_program_timer(uint64_t now, bool running)
{
	if (running && glue.programmed_bounded &&
	    glue.slice_deadline - glue.programmed < TIMER_SLACK_NS)
		return;
	schedule_program_timer_full(now, running);
}

/*
 * The event hand-off (docs/scheduling.md "Hand-off"): a send that wakes a
 * peer which BVT lets preempt the sender, whenever the wake-up is accounted
 * (sched_handoff_ok()), switches to the peer at once and leaves the
 * accounting -- the wake-up and the decision, the runstate, the CPU time,
 * all at the hand-off's time -- to the next scheduler entry
 * (schedule_settle()), after the peer's handler has run. Only the timer is
 * set at once: no later than a quantum after the hand-off (every slice is at
 * least that long), so that the peer cannot outrun the plan the settling
 * will make.
 */
bool schedule_handoff_enabled = true;
uint32_t schedule_handoffs;

/* The accounting a hand-off left (see above); out of line and cold: the
 * entries only test glue.handoff.to. */
static VMM_COLD void schedule_settle_now(void)
{
	struct domain *prev = glue.handoff.from, *d = glue.handoff.to;
	uint64_t now = glue.handoff.now;
	struct sched_entity *e;
	bool picked;

	glue.handoff.to = NULL;
	runstate_wake(d, now);
	e = sched_wake_pick(&d->sched, now, &glue.slice_deadline, &picked);
	if (!picked || domain_of(e) != d) {
		/* Not reached (sched_handoff_ok() is sufficient, the unit tests
		 * check it against the full path): the policy ran someone else
		 * at `now`; the next decision point takes the decision. Logged
		 * once: a guest must not be able to flood the log with it. */
		static bool logged;

		if (!logged)
			vmm_log("scheduler: hand-off dom%u -> dom%u not confirmed; deciding again",
				(unsigned)prev->id, (unsigned)d->id);
		logged = true;
		glue.need_resched = true;
	}
	prev->cpu_time_ns += now - prev->run_start_ns;
	d->run_start_ns = now;
	/* The timer still holds the hand-off's early limit (nothing has
	 * programmed it since): move it to the plan now, or it fires for
	 * nothing -- the slack rule keeps a timer that is early by less than
	 * 5 ms. A refresh dated from the hand-off is only earlier. */
	if (glue.programmed == glue.handoff.limit) {
		glue.programmed_bounded = true;
		schedule_timer_set(schedule_next_event(now, true));
	}
}

bool schedule_handoff_pending(void)
{
	return glue.handoff.to != NULL;
}

void schedule_settle(void)
{
	if (glue.handoff.to)
		schedule_settle_now();
}

void schedule_wake(struct domain *d)
{
	uint64_t now;

	if (d->state != DOMAIN_BLOCKED)
		return;
	schedule_settle();
	d->state = DOMAIN_RUNNABLE;
	glue.decision_valid = false; /* taken before this wake-up: decide anew */
	now = time_now();
	runstate_wake(d, now);
	if (sched_wake(&d->sched, now) || !current)
		glue.need_resched = true;
}

/* Hands the CPU from prev to next (either may be NULL: the idle loop),
 * accounting the CPU time prev used since it was switched in. Inlined into
 * each caller: the yield path knows prev and next are domains and drops the
 * tests, and saves a call and its register saves on the benchmarked
 * switch (docs/performance.md). */
static inline __attribute__((always_inline)) void schedule_switch(struct domain *prev,
								   struct domain *next, uint64_t now)
{
	if (prev)
		prev->cpu_time_ns += now - prev->run_start_ns;
	if (next) {
		next->run_start_ns = now;
		arch_mmu_activate(next->slot, (next->flags & VMM_DOMCFG_PMU_USER) != 0);
	}
	arch_switch(prev ? &prev->hctx : &idle_hctx, next ? &next->hctx : &idle_hctx);
}

/* schedule() with the current time already read by the caller (one clock
 * read serves the charge, the pick, the timer and the publication). */
/* Runs next, which the policy just chose at `now` (glue.slice_deadline set),
 * after prev (current): timer, fresh time for it, and the switch if it is
 * another domain. */
static inline __attribute__((always_inline)) void schedule_to(struct domain *prev,
							       struct domain *next, uint64_t now)
{
	current = next;
	schedule_program_timer(now, next != NULL);
	if (next && !time_guest_counter)
		time_publish(next->shared, now); /* whoever runs next sees fresh time */
	if (next != prev)
		schedule_switch(prev, next, now);
}

/*
 * The hand-off itself (see "The event hand-off" above): d, blocked, becomes the running
 * domain at once. What schedule_to() does, without the policy: the timer is
 * only brought forward to a quantum from now if it is set later. Returns
 * when prev runs again.
 */
static void schedule_handoff(struct domain *prev, struct domain *d)
{
	uint64_t now = time_now(), limit = now + VMM_SCHED_QUANTUM_MIN_NS;

	d->state = DOMAIN_RUNNABLE;
	schedule_handoffs++;
	glue.handoff.from = prev;
	glue.handoff.to = d;
	glue.handoff.now = now;
	glue.handoff.limit = limit;
	current = d;
	if (glue.programmed > limit) {
		/* Earlier only: the bounds schedule_program_timer() relies on
		 * still hold. */
		glue.programmed = limit;
		vmm_port_timer_set(time_ns_to_counter(limit));
	}
	if (!time_guest_counter)
		time_publish(d->shared, now);
	arch_mmu_activate(d->slot, (d->flags & VMM_DOMCFG_PMU_USER) != 0);
	arch_switch(&prev->hctx, &d->hctx);
}

/*
 * The wake-up of a hypercall that has nothing left to do but return (the
 * event send): schedule_wake(d), and the decision its verdict asks for taken
 * at once, in one scheduler call (sched_wake_pick()): a domain BVT says
 * preempts the caller runs now; the caller gets the CPU back when it is
 * picked again. One clock read serves the wake-up, the decision and the
 * switch.
 */
void schedule_wake_switch(struct domain *d)
{
	struct sched_entity *e;
	struct domain *prev = current;
	uint64_t now;
	bool picked;

	if (d->state != DOMAIN_BLOCKED)
		return;
	schedule_settle(); /* a hand-off to us, not accounted yet */
	if (!prev || glue.need_resched) {
		/* not from a running domain's hypercall, or a decision is due
		 * already: the usual way */
		schedule_wake(d);
		schedule_if_needed();
		return;
	}
	/* A poller resumes in the hypervisor (its poll ends there) and most
	 * often answers with a hypercall at once, which settles: deferring
	 * saves it nothing, so pollers take the usual way. */
	if (d->sched.params.warp_enabled && !d->evtchn.polling && schedule_handoff_enabled &&
	    sched_handoff_ok(&prev->sched, &d->sched)) {
		schedule_handoff(prev, d);
		return;
	}
	d->state = DOMAIN_RUNNABLE;
	glue.decision_valid = false; /* taken before this wake-up: decide anew */
	now = time_now();
	runstate_wake(d, now);
	e = sched_wake_pick(&d->sched, now, &glue.slice_deadline, &picked);
	if (picked)
		schedule_to(prev, domain_of(e), now);
}

static void schedule_at(uint64_t now)
{
	schedule_settle();
	glue.need_resched = false;
	glue.decision_valid = false;
	schedule_to(current, domain_of(sched_pick(now, &glue.slice_deadline)), now);
}

void schedule(void)
{
	schedule_at(time_now()); /* settles first */
}

/*
 * Carries out the timer interrupt's decision (the timer is programmed for
 * it already): what schedule_to() does after its timer step. Out of line
 * and with a frame of its own: the switch returns here when prev runs
 * again.
 */
static __attribute__((noinline)) void schedule_decided(void)
{
	struct domain *prev = current, *next = glue.decided;
	uint64_t now = glue.decided_now;

	glue.need_resched = false;
	glue.decision_valid = false;
	current = next;
	if (next && !time_guest_counter)
		time_publish(next->shared, now); /* whoever runs next sees fresh time */
	if (next != prev)
		schedule_switch(prev, next, now);
}

void schedule_if_needed(void)
{
	if (!glue.need_resched)
		return;
	if (glue.decision_valid)
		schedule_decided();
	else
		schedule();
}

/*
 * The run limit or a domain timer is due (now >= glue.timer_floor): the rare
 * part of the timer interrupt, out of line. Raises VMM_VIRQ_TIMER in every
 * domain whose timer is due, earliest first, and ends polls that timed out.
 */
static __attribute__((noinline)) void schedule_timer_floor_due(uint64_t now)
{
	int slot;

	if (now >= glue.run_limit_deadline) {
		vmm_log("run limit of the image reached with %u domain(s) still running",
			domain_live_count());
		schedule_poweroff(3);
	}
	while ((slot = timerq_pop_due(&domain_timers, now)) >= 0) {
		bool poll = slot >= VMM_MAX_DOMAINS;
		struct domain *d = domain_at((unsigned int)(poll ? slot - VMM_MAX_DOMAINS : slot));

		if (!d || d->state == DOMAIN_DEAD)
			continue; /* not reached: schedule_timer_cancel() on kill */
		if (poll) {
			if (d->evtchn.polling)
				schedule_wake(d); /* sched_op_poll() sees the timeout */
			continue;
		}
		d->timer_deadline = 0;
		evtchn_send_virq(d, VMM_VIRQ_TIMER);
	}
	schedule_update_timer_floor();
}

/*
 * The hardware timer holds the deadline that fired: sets the next one for
 * `running` (or stops it) whatever the slack says, before the interrupt is
 * EOIed -- an expired timer left as it is would fire again.
 */
static inline __attribute__((always_inline)) void schedule_timer_rearm(uint64_t now, bool running)
{
	uint64_t next = schedule_next_event(now, running);

	glue.programmed_bounded = running;
	if (next >= TIMER_STOPPED) {
		vmm_port_timer_stop();
		glue.programmed = TIMER_STOPPED;
		return;
	}
	glue.programmed = next;
	vmm_port_timer_set(time_ns_to_counter(next));
}

/*
 * A switch is due at a timer interrupt taken while a domain runs (the slice
 * ended, or a wake-up asked for one): the decision is taken here, before the
 * EOI, so that the timer
 * goes straight from the expired deadline to the next domain's (a stop now
 * and a programming after the EOI would cost both); the switch itself
 * happens after the EOI (schedule_decided()).
 */
static void schedule_timer_decide(uint64_t now)
{
	struct domain *next = domain_of(sched_pick(now, &glue.slice_deadline));

	glue.decided = next;
	glue.decided_now = now;
	glue.decision_valid = true;
	schedule_timer_rearm(now, next != NULL);
}

/*
 * The one-shot timer fired. Its cost must not depend on the number of
 * domains when no domain timer is due: one comparison with the cached
 * floor, the slice end, and the timer reprogrammed (or stopped) before the
 * interrupt is EOIed.
 */
bool schedule_timer_interrupt(void)
{
	uint64_t count, now;
	struct domain *d = current;

	schedule_settle();
	count = vmm_port_counter_read();
	now = time_from_counter(count);
	glue.timer_interrupts++;
	if (now >= glue.timer_floor) {
		schedule_timer_floor_due(now);
		/* Its wake-ups read the clock: decide at a `now` no earlier
		 * than theirs, so that time never goes back for sched_*(). */
		count = vmm_port_counter_read();
		now = time_from_counter(count);
	}
	if (now >= glue.slice_deadline)
		glue.need_resched = true;
	if (glue.need_resched) {
		if (!d) {
			/* Idle: the idle loop decides once it has drained every
			 * pending interrupt (a wake-up among them would
			 * otherwise overturn a decision already charged). */
			vmm_port_timer_stop();
			glue.programmed = TIMER_STOPPED;
			glue.programmed_bounded = false;
			return true;
		}
		schedule_timer_decide(now);
		return true;
	}
	if (d && !time_guest_counter) {
		time_publish(d->shared, now);
		/*
		 * The refresh of a domain running alone, the tick of boards
		 * whose guests cannot read the counter: when the next refresh
		 * comes before anything else, it is programmed in counter ticks
		 * from the count just read, without converting a deadline back
		 * (refresh_ticks is TIME_REFRESH_NS - 1 ns rounded down, so the
		 * hardware fires less than a tick and a nanosecond early -- an
		 * early interrupt finds nothing due -- and never after the
		 * recorded `programmed`, which is what the slack tests assume).
		 */
		uint64_t next = glue.slice_deadline < glue.timer_floor ? glue.slice_deadline : glue.timer_floor;
		if (now + TIME_REFRESH_NS < next) {
			glue.programmed = now + TIME_REFRESH_NS;
			glue.programmed_bounded = true;
			vmm_port_timer_set(count + glue.refresh_ticks);
			return false;
		}
	}
	schedule_timer_rearm(now, d != NULL);
	return false;
}

void schedule_poweroff(int code)
{
	unsigned int i;

	for (i = 0; i < VMM_MAX_DOMAINS; i++) {
		struct domain *d = domain_at(i);
		if (d)
			console_flush(&d->console, d->tag);
	}
	vmm_log("timer interrupts: %u", (unsigned)glue.timer_interrupts);
	vmm_log("powering off (exit code %d)", code);
	console_tx_drain(); /* the last lines reach the wire before the board stops */
	vmm_port_poweroff(code);
}

VMM_COLD static void schedule_check_all_done(void)
{
	if (domain_live_count() != 0)
		return;
	if (domain_any_failed()) {
		vmm_log("all domains have stopped; at least one failed");
		schedule_poweroff(1);
	}
	vmm_log("all domains shut down cleanly");
	schedule_poweroff(0);
}

void schedule_idle_loop(void)
{
	current = NULL;
	for (;;) {
		schedule();
		/* We come back here when nothing is runnable, or from a domain
		 * that died (schedule_leave_dead(): pick the next one at once).
		 * Either way nobody runs on a dead domain's stack any more. */
		if (domain_reap()) {
			/* a dead domain's teardown goes on in steps: interrupts between */
			irq_poll();
			continue;
		}
		if (current || glue.need_resched)
			continue;
		schedule_check_all_done();
		arch_wait_for_interrupt();
		irq_poll();
	}
}

void schedule_leave_dead(struct domain *d)
{
	current = NULL;
	glue.need_resched = true;
	arch_switch(&d->hctx, &idle_hctx);
}

/*
 * The yield: another runnable domain goes first; fresh time is published for
 * us when we run again. d stays runnable, so the pick returns d or another
 * domain, never NULL: said to the compiler, which then drops schedule_to()'s
 * idle cases from the domain switch benchmark's path. d is the current
 * current domain, never NULL in a hypercall.
 */
static __attribute__((noinline)) long sched_op_yield(void)
{
	struct domain *d = current;
	/* a pending hand-off to d is settled by the policy's hook (sched.h) */
	uint64_t now = time_now();
	struct sched_entity *e;

	if (!d)
		__builtin_unreachable();
	e = sched_yield_pick(&d->sched, now, &glue.slice_deadline);
	if (!e)
		__builtin_unreachable();
	glue.need_resched = false; /* after the call: no zero kept across it */
	schedule_to(d, domain_of(e), now);
	return 0;
}

static long sched_op_block(struct domain *d)
{
	uint64_t now;

	if (d->shared->vcpu_info.evtchn_upcall_pending)
		return 0; /* an event is already waiting: do not sleep */
	d->state = DOMAIN_BLOCKED;
	now = time_now();
	runstate_block(d, now);
	sched_sleep(&d->sched, now);
	schedule_at(now); /* returns once woken and picked, with fresh time published */
	return 0;
}

/*
 * Sleeps until one of the listed ports is pending or the timeout passes
 * (abi.h). The ports are checked and the domain marked polling in one go,
 * with interrupts off (the hypervisor is not preemptible): a notification
 * either comes before the check (seen by it) or after the mark (wakes us).
 */
static long sched_op_poll(struct domain *d, uint32_t arg)
{
	struct vmm_sched_poll p;
	uint64_t now;
	long rc;

	if (guest_copy_from(d, &p, arg, sizeof(p)) != 0)
		return hypercall_reject(d, -VMM_EFAULT, "sched_op poll: argument 0x%08x outside domain memory",
					(unsigned)arg);
	rc = evtchn_poll_begin(d, p.ports, p.nr_ports);
	if (rc != 0)
		return rc > 0 ? 0 : rc; /* a port is pending already, or bad arguments */
	now = time_now();
	if (p.timeout && p.timeout <= now) {
		evtchn_poll_end(d);
		return -VMM_ETIMEDOUT;
	}
	if (p.timeout) {
		timerq_arm(&domain_timers, POLL_TIMER_ID(d->slot), p.timeout);
		schedule_update_timer_floor();
	}
	d->state = DOMAIN_BLOCKED;
	runstate_block(d, now);
	sched_sleep(&d->sched, now);
	schedule_at(now); /* returns once woken (a polled port or the timeout) and picked */
	if (p.timeout) {
		timerq_cancel(&domain_timers, POLL_TIMER_ID(d->slot));
		schedule_update_timer_floor();
	}
	return evtchn_poll_end(d) ? 0 : -VMM_ETIMEDOUT;
}

VMM_COLD static long sched_op_shutdown(struct domain *d, uint32_t reason)
{
	switch (reason) {
	case VMM_SHUTDOWN_poweroff:
	case VMM_SHUTDOWN_reboot:
	case VMM_SHUTDOWN_crash:
		break;
	default:
		return hypercall_reject(d, -VMM_EINVAL, "sched_op: unsupported shutdown reason %u",
					(unsigned)reason);
	}
	domain_kill(d, (int)reason);
	schedule();
	return 0; /* not reached: a dead domain is never picked again */
}

long hc_sched_op(uint32_t cmd, uint32_t arg, uint32_t a2, uint32_t a3)
{
	struct domain *d;

	(void)a2;
	(void)a3;
	/* The benchmarked path, tested first and out of line: a tail call into a
	 * function with no stack frame for the other commands' locals. */
	if (cmd == VMM_SCHEDOP_yield)
		return sched_op_yield();
	schedule_settle();
	d = current;
	switch (cmd) {
	case VMM_SCHEDOP_block:
		return sched_op_block(d);
	case VMM_SCHEDOP_shutdown:
		return sched_op_shutdown(d, arg);
	case VMM_SCHEDOP_poll:
		return sched_op_poll(d, arg);
	default:
		return hypercall_reject(d, -VMM_EINVAL, "sched_op: unknown command %u", (unsigned)cmd);
	}
}

void schedule_timer_cancel(struct domain *d)
{
	d->timer_deadline = 0;
	timerq_cancel(&domain_timers, d->slot);
	timerq_cancel(&domain_timers, POLL_TIMER_ID(d->slot));
	schedule_update_timer_floor();
}

long hc_set_timer_op(uint32_t deadline_lo, uint32_t deadline_hi, uint32_t a2, uint32_t a3)
{
	struct domain *d = current;
	uint64_t deadline = ((uint64_t)deadline_hi << 32) | deadline_lo;
	uint64_t now;

	(void)a2;
	(void)a3;
	schedule_settle();
	now = time_now();
	if (deadline && deadline > now) {
		d->timer_deadline = deadline;
		timerq_arm(&domain_timers, d->slot, deadline);
	} else {
		/* 0 disarms; a deadline already reached fires at once. */
		d->timer_deadline = 0;
		timerq_cancel(&domain_timers, d->slot);
		if (deadline)
			evtchn_send_virq(d, VMM_VIRQ_TIMER);
	}
	schedule_update_timer_floor();
	schedule_program_timer(now, true);
	if (!time_guest_counter)
		time_publish(d->shared, now);
	return 0;
}
