/*
 * Scheduling glue, domain timers and the idle loop (see schedule.h).
 */
#include "schedule.h"

#include <stddef.h>

#include "domain.h"
#include "event.h"
#include "hypercall.h"
#include "log.h"
#include "sched.h"
#include "time.h"
#include "trap.h"
#include "vmm/port.h"

/* Defaults when the config leaves them 0 (docs/scheduling.md). */
#define SCHED_DEFAULT_CTX_ALLOW_NS 1000000ull   /* C = 1 ms */
#define SCHED_DEFAULT_MCU_NS        100000ull   /* 100 us */
#define SCHED_MAX_SLICE_NS        10000000ull   /* 10 ms */
/*
 * While a domain runs, its shared-info system time is refreshed at least this
 * often, even when nothing else interrupts it (a domain running alone has no
 * slice end). No such tick exists when the CPU idles.
 */
#define TIME_REFRESH_NS           10000000ull   /* 10 ms */

static struct arch_hctx idle_hctx;
static uint64_t slice_deadline = SCHED_TIME_MAX;
static uint64_t run_limit_deadline = SCHED_TIME_MAX;
static bool need_resched;

static struct domain *domain_of(struct sched_entity *e)
{
	return e ? (struct domain *)((char *)e - offsetof(struct domain, sched)) : NULL;
}

int schedule_init(uint32_t ctx_allow_us, uint32_t mcu_us, uint32_t run_limit_ms)
{
	struct sched_global_params g = {
		.ctx_allow_ns = ctx_allow_us ? (uint64_t)ctx_allow_us * 1000 : SCHED_DEFAULT_CTX_ALLOW_NS,
		.mcu_ns = mcu_us ? (uint64_t)mcu_us * 1000 : SCHED_DEFAULT_MCU_NS,
		.max_slice_ns = SCHED_MAX_SLICE_NS,
	};

	if (run_limit_ms)
		run_limit_deadline = (uint64_t)run_limit_ms * 1000000;
	return sched_init(&g);
}

/*
 * Earliest armed domain timer (SCHED_TIME_MAX if none). Cached: recomputed
 * only when a domain timer changes, not on every scheduling decision.
 */
static uint64_t next_domain_timer = SCHED_TIME_MAX;
static uint64_t programmed_deadline; /* what the hardware timer is set to; 0 = stopped */

static void schedule_update_domain_timers(void)
{
	uint64_t next = SCHED_TIME_MAX;
	unsigned int i;

	for (i = 0; i < VMM_MAX_DOMAINS; i++) {
		struct domain *d = domain_at(i);
		if (d && d->state != DOMAIN_DEAD && d->timer_deadline && d->timer_deadline < next)
			next = d->timer_deadline;
	}
	next_domain_timer = next;
}

/* Programs the one-shot timer for the earliest thing we must act on. */
static void schedule_program_timer(uint64_t now)
{
	uint64_t next = slice_deadline;

	if (next_domain_timer < next)
		next = next_domain_timer;
	if (current && now + TIME_REFRESH_NS < next)
		next = now + TIME_REFRESH_NS;
	if (run_limit_deadline < next)
		next = run_limit_deadline;
	if (next == SCHED_TIME_MAX) {
		if (programmed_deadline)
			vmm_port_timer_stop();
		programmed_deadline = 0;
		return;
	}
	/* The refresh deadline moves with every call: only reprogram when the
	 * new deadline is earlier, or when the old one is too late by more than
	 * a refresh period's slack. */
	if (programmed_deadline && next >= programmed_deadline &&
	    next - programmed_deadline < TIME_REFRESH_NS / 2)
		return;
	programmed_deadline = next;
	vmm_port_timer_set(time_ns_to_counter(next));
}

void schedule_wake(struct domain *d)
{
	if (d->state != DOMAIN_BLOCKED)
		return;
	d->state = DOMAIN_RUNNABLE;
	if (sched_wake(&d->sched, time_now()) || !current)
		need_resched = true;
}

/* schedule() with the current time already read by the caller. */
static void schedule_at(uint64_t now)
{
	struct domain *prev = current, *next;

	need_resched = false;
	next = domain_of(sched_pick(now, &slice_deadline));
	current = next;
	schedule_program_timer(now);
	if (next)
		time_publish(next->shared, now); /* whoever runs next sees fresh time */
	if (next == prev)
		return;
	if (prev)
		prev->cpu_time_ns += now - prev->run_start_ns;
	if (next) {
		next->run_start_ns = now;
		arch_mmu_activate(next->slot, (next->flags & VMM_DOMCFG_PMU_USER) != 0);
	}
	arch_switch(prev ? &prev->hctx : &idle_hctx, next ? &next->hctx : &idle_hctx);
}

void schedule(void)
{
	schedule_at(time_now());
}

void schedule_if_needed(void)
{
	if (need_resched)
		schedule();
}

static void schedule_fire_domain_timers(uint64_t now)
{
	unsigned int i;

	for (i = 0; i < VMM_MAX_DOMAINS; i++) {
		struct domain *d = domain_at(i);
		if (!d || d->state == DOMAIN_DEAD || !d->timer_deadline || d->timer_deadline > now)
			continue;
		d->timer_deadline = 0;
		event_send(d, VMM_PORT_TIMER);
	}
	schedule_update_domain_timers();
}

void schedule_timer_interrupt(void)
{
	uint64_t now = time_now();

	vmm_port_timer_stop();
	programmed_deadline = 0;
	if (now >= run_limit_deadline) {
		vmm_log("run limit of the image reached with %u domain(s) still running",
			domain_live_count());
		schedule_poweroff(3);
	}
	schedule_fire_domain_timers(now);
	if (now >= slice_deadline)
		need_resched = true;
	if (current)
		time_publish(current->shared, now);
	if (!need_resched)
		schedule_program_timer(now);
}

void schedule_poweroff(int code)
{
	unsigned int i;

	for (i = 0; i < VMM_MAX_DOMAINS; i++) {
		struct domain *d = domain_at(i);
		if (d)
			console_flush(&d->console, d->tag);
	}
	vmm_log("powering off (exit code %d)", code);
	vmm_port_poweroff(code);
}

static void schedule_check_all_done(void)
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
		if (current)
			continue; /* we come back here when nothing is runnable */
		schedule_check_all_done();
		arch_wait_for_interrupt();
		irq_poll();
	}
}

static long sched_op_block(struct domain *d)
{
	if (d->shared->vcpu_info.evtchn_upcall_pending)
		return 0; /* an event is already waiting: do not sleep */
	d->state = DOMAIN_BLOCKED;
	sched_sleep(&d->sched, time_now());
	schedule(); /* returns once woken and picked, with fresh time published */
	return 0;
}

static long sched_op_shutdown(struct domain *d, uint32_t reason)
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
	struct domain *d = current;

	(void)a2;
	(void)a3;
	switch (cmd) {
	case VMM_SCHEDOP_yield: {
		uint64_t now = time_now();

		sched_yield(&d->sched, now); /* another runnable domain goes first */
		schedule_at(now); /* publishes fresh time for us when we run again */
		return 0;
	}
	case VMM_SCHEDOP_block:
		return sched_op_block(d);
	case VMM_SCHEDOP_shutdown:
		return sched_op_shutdown(d, arg);
	default:
		return hypercall_reject(d, -VMM_EINVAL, "sched_op: unknown command %u", (unsigned)cmd);
	}
}

long hc_set_timer_op(uint32_t deadline_lo, uint32_t deadline_hi, uint32_t a2, uint32_t a3)
{
	struct domain *d = current;
	uint64_t deadline = ((uint64_t)deadline_hi << 32) | deadline_lo;
	uint64_t now = time_now();

	(void)a2;
	(void)a3;
	d->timer_deadline = deadline;
	if (deadline && deadline <= now) {
		d->timer_deadline = 0;
		event_send(d, VMM_PORT_TIMER);
	}
	schedule_update_domain_timers();
	schedule_program_timer(now);
	time_publish(d->shared, now);
	return 0;
}
