/*
 * Scheduling glue (core/schedule.c): what a yield costs in clock reads, CPU
 * time accounting across switches, and the one-shot timer rules -- never
 * later than the refresh or a domain timer, kept while it is early by less
 * than the slack, moved when it is early by more, stopped when idle.
 * The fake arch_switch() returns at once, so `current` is the domain the
 * hypervisor would resume.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hypercall.h"
#include "vmm/port.h"
#include "test_domain.h"
#include "vmm/hypercall.h"

#define MS 1000000ull
#define TICKS_PER_MS 62500ull /* fake counter: 62.5 MHz */

static struct domain *a, *b;

static int group_setup(void **state)
{
	(void)state;
	test_core_boot();
	a = test_domain_create("a", 0);
	b = test_domain_create("b", 0);
	return a && b ? 0 : -1;
}

static long sched_op(uint32_t cmd)
{
	return hypercall_dispatch(VMM_HC_sched_op, cmd, 0, 0, 0);
}

static void advance_ms(uint64_t ms)
{
	fake_hw.counter += ms * TICKS_PER_MS;
}

static void test_yield_reads_clock_once_and_accounts(void **state)
{
	struct domain *first, *second;
	uint64_t before, t0, t1;

	(void)state;
	schedule(); /* a real pick: one of a, b runs */
	first = current;
	assert_non_null(first);
	t0 = time_now();
	before = first->cpu_time_ns;
	advance_ms(3);
	fake_hw.counter_reads = 0;
	assert_int_equal(sched_op(VMM_SCHEDOP_yield), 0);
	t1 = time_now();
	assert_int_equal(fake_hw.counter_reads, 2); /* the yield's one read, and ours */
	second = current;
	assert_true(second == a || second == b);
	assert_ptr_not_equal(second, first); /* the other runnable domain goes first */
	assert_true(first->cpu_time_ns - before == t1 - t0); /* charged 3 ms, to the ns */
	assert_true(second->run_start_ns == t1);
	assert_true(second->shared->vcpu_info.time.system_time == t1); /* fresh time */
	assert_int_equal(second->shared->vcpu_info.time.version % 2, 0);
}

static void test_timer_never_later_than_refresh_or_domain_timer(void **state)
{
	uint64_t now, deadline;
	int i;

	(void)state;
	for (i = 0; i < 8; i++) {
		advance_ms(1);
		assert_int_equal(sched_op(VMM_SCHEDOP_yield), 0);
		now = time_now();
		assert_true(fake_hw.timer_armed);
		assert_true(fake_hw.timer_count <= time_ns_to_counter(now + 10 * MS));
	}
	/* A domain timer earlier than the programmed deadline: moved at once,
	 * and no later decision may move it past the domain timer. */
	deadline = now + MS / 10;
	assert_int_equal(hypercall_dispatch(VMM_HC_set_timer_op, (uint32_t)deadline,
					    (uint32_t)(deadline >> 32), 0, 0), 0);
	assert_true(fake_hw.timer_count <= time_ns_to_counter(deadline));
	for (i = 0; i < 4; i++) {
		assert_int_equal(sched_op(VMM_SCHEDOP_yield), 0);
		assert_true(fake_hw.timer_count <= time_ns_to_counter(deadline));
	}
	assert_int_equal(hypercall_dispatch(VMM_HC_set_timer_op, 0, 0, 0, 0), 0); /* disarm */
}

/* With b blocked, a runs alone: its slice has no end before the 10 ms
 * refresh, so the refresh is what the timer is programmed for. */
/*
 * The refresh is programmed in counter ticks from the interrupt's count
 * (schedule_timer_interrupt()): at most two ticks (one tick and one ns)
 * before the count at which system time reaches `due`, never after it.
 */
static bool timer_at_refresh(uint64_t due)
{
	uint64_t c = time_ns_to_counter(due);

	return fake_hw.timer_armed && fake_hw.timer_count <= c && fake_hw.timer_count + 2 >= c;
}

static void test_timer_slack_rule_with_lone_domain(void **state)
{
	uint64_t t0;
	unsigned int sets;

	(void)state;
	current = b;
	assert_int_equal(sched_op(VMM_SCHEDOP_block), 0);
	assert_ptr_equal(current, a);

	/* A timer interrupt stops the timer and programs the refresh. */
	t0 = time_now();
	assert_false(schedule_timer_interrupt()); /* the refresh: no switch to carry out */
	assert_ptr_equal(current, a);
	assert_true(timer_at_refresh(t0 + 10 * MS));

	/* 4 ms later the refresh is t0 + 14 ms: the timer fires 4 ms early,
	 * within the 4.98 ms slack: left alone. */
	sets = fake_hw.timer_sets;
	advance_ms(4);
	assert_int_equal(sched_op(VMM_SCHEDOP_yield), 0);
	assert_int_equal(fake_hw.timer_sets, sets);
	assert_true(timer_at_refresh(t0 + 10 * MS));

	/* 6 ms early: moved to the new refresh deadline. */
	advance_ms(2);
	assert_int_equal(sched_op(VMM_SCHEDOP_yield), 0);
	assert_int_equal(fake_hw.timer_sets, sets + 1);
	assert_true(fake_hw.timer_count == time_ns_to_counter(t0 + 16 * MS));

	/* Both blocked, no domain timer: idle, the timer is stopped. */
	current = a;
	assert_int_equal(sched_op(VMM_SCHEDOP_block), 0);
	assert_null(current);
	assert_false(fake_hw.timer_armed);
}

static long set_timer(uint64_t deadline)
{
	return hypercall_dispatch(VMM_HC_set_timer_op, (uint32_t)deadline,
				  (uint32_t)(deadline >> 32), 0, 0);
}

static bool timer_pending(const struct domain *d)
{
	return (d->shared->evtchn_pending[0] >> TEST_PORT_TIMER) & 1u;
}

/* Runs the timer interrupt as vmm_irq_entry() does. */
static void timer_irq(void)
{
	if (schedule_timer_interrupt())
		schedule_if_needed();
}

/*
 * Many blocked domains with armed timers: an interrupt before any is due
 * sends nothing and programs the earliest; ties fire together, earliest
 * first; a cancelled timer and the timer of a domain that died fire nothing.
 */
static struct domain *many[VMM_MAX_DOMAINS];

static void test_domain_timers_many_domains(void **state)
{
	uint64_t t0;
	unsigned int i, n = 0, dead_slot;

	(void)state;
	schedule_wake(b); /* a stays blocked (previous test): b runs alone */
	schedule();
	assert_ptr_equal(current, b);
	t0 = time_now();
	for (;;) {
		struct domain *d = test_domain_create("many", 0);

		if (!d)
			break; /* every slot used */
		/* deadlines t0 + 20 ms .. , two per value: ties */
		assert_int_equal(set_timer(t0 + (20 + n / 2) * MS), 0);
		assert_int_equal(sched_op(VMM_SCHEDOP_block), 0);
		many[n++] = d;
	}
	assert_true(n >= 4);
	current = b;
	/* the first pair: cancel one, kill the other's domain */
	current = many[0];
	assert_int_equal(set_timer(0), 0);
	dead_slot = many[1]->slot;
	domain_kill(many[1], VMM_SHUTDOWN_poweroff);
	assert_null(domain_at(dead_slot)); /* not current: storage and slot freed at once */
	many[1] = NULL;
	current = b;
	for (i = 0; i < n; i++)
		if (many[i])
			many[i]->shared->evtchn_pending[0] = 0;

	/* 10 ms: only the refresh is due; nothing is sent. */
	advance_ms(10);
	timer_irq();
	assert_ptr_equal(current, b);
	for (i = 0; i < n; i++)
		assert_false(many[i] && timer_pending(many[i]));
	assert_true(timer_at_refresh(t0 + 20 * MS));

	/* 21 ms: the pair at 20 ms (cancelled, dead) and the pair at 21 ms. */
	advance_ms(11);
	timer_irq();
	assert_false(timer_pending(many[0]));
	assert_null(domain_at(dead_slot)); /* the dead domain's timer fired nothing */
	assert_true(timer_pending(many[2]) && many[2]->state == DOMAIN_RUNNABLE);
	assert_true(timer_pending(many[3]) && many[3]->state == DOMAIN_RUNNABLE);
	assert_true(many[2]->timer_deadline == 0 && many[3]->timer_deadline == 0);
	for (i = 4; i < n; i++)
		assert_false(timer_pending(many[i]));
	/* Later ones still armed; the timer is never set past the next. */
	if (n > 4)
		assert_true(fake_hw.timer_count <= time_ns_to_counter(many[4]->timer_deadline));
	/* Clean up: everyone but a and b dies, a wakes. */
	for (i = 0; i < n; i++)
		if (many[i])
			domain_kill(many[i], VMM_SHUTDOWN_poweroff);
	domain_reap(); /* what the idle loop does for one that was current */
	schedule_wake(a);
	schedule();
	assert_non_null(current);
}

/*
 * With a counter the guests read themselves, a domain running alone takes
 * no timer interrupt at all: the timer stays stopped, and neither a
 * switch nor a hypercall publishes system_time.
 */
static void test_lone_domain_tickless(void **state)
{
	struct vmm_vcpu_time_info *t;
	uint32_t version;

	(void)state;
	assert_int_equal(time_set_guest_counter(VMM_GUEST_COUNTER_CNTVCT), 0);
	current = a;
	assert_int_equal(sched_op(VMM_SCHEDOP_block), 0);
	if (current == NULL) { /* a was alone: wake b */
		schedule_wake(b);
		schedule();
	}
	assert_ptr_equal(current, b);
	timer_irq(); /* whatever was programmed fires once */
	assert_ptr_equal(current, b);
	assert_false(fake_hw.timer_armed); /* nothing more to wait for */
	t = &b->shared->vcpu_info.time;
	version = t->version;
	advance_ms(50);
	assert_int_equal(sched_op(VMM_SCHEDOP_yield), 0);
	assert_ptr_equal(current, b);
	assert_false(fake_hw.timer_armed);
	assert_int_equal(t->version, version); /* nothing published */
	/* A domain timer arms the timer, exactly at its count. */
	assert_int_equal(set_timer(time_now() + 3 * MS), 0);
	assert_true(fake_hw.timer_armed);
	assert_true(fake_hw.timer_count == time_ns_to_counter(time_now() + 3 * MS));
	advance_ms(3);
	timer_irq();
	assert_true(timer_pending(b));
	assert_false(fake_hw.timer_armed);
	assert_int_equal(t->version, version);
	/* Another runnable domain brings the slice end back. */
	schedule_wake(a);
	schedule();
	assert_true(fake_hw.timer_armed);
	assert_int_equal(time_set_guest_counter(VMM_GUEST_COUNTER_NONE), 0);
}

/*
 * A slice-end interrupt reads the clock once for the interrupt and the
 * decision it causes; a wake-up in the same interrupt (a domain timer) reads
 * it again, and then the decision must not use the older reading.
 */
static void test_slice_end_reads_clock_once(void **state)
{
	struct domain *first, *c;

	(void)state;
	schedule_wake(a);
	schedule_wake(b);
	schedule();
	first = current;
	assert_non_null(first);
	fake_hw.counter = fake_hw.timer_count; /* the programmed slice end */
	fake_hw.counter_reads = 0;
	timer_irq();
	assert_int_equal(fake_hw.counter_reads, 1);
	assert_ptr_not_equal(current, first);

	/* The next slice end, with a blocked domain's timer due at the same
	 * moment: the wake-up reads the clock, and so does the decision. */
	first = current;
	c = test_domain_create("c", 0);
	assert_non_null(c);
	c->shared->vcpu_info.evtchn_upcall_pending = 0;
	assert_int_equal(set_timer(time_now() + 1), 0);
	assert_int_equal(sched_op(VMM_SCHEDOP_block), 0);
	assert_true(c->state == DOMAIN_BLOCKED);
	fake_hw.counter = fake_hw.timer_count + 100000; /* slice over, timer due */
	fake_hw.counter_reads = 0;
	timer_irq();
	assert_true(c->state == DOMAIN_RUNNABLE);
	assert_int_equal(fake_hw.counter_reads, 3);
	domain_kill(c, VMM_SHUTDOWN_poweroff);
	current = a; /* leave a blocked for the next test, b running */
	a->shared->vcpu_info.evtchn_upcall_pending = 0;
	assert_int_equal(sched_op(VMM_SCHEDOP_block), 0);
	assert_non_null(current);
}

/*
 * A timer interrupt in the idle loop takes no decision of its own: the idle
 * loop decides once it has drained every pending interrupt (a wake-up later
 * in the drain must not overturn a decision that already charged a domain).
 * The interrupt stops the expired timer and asks for the decision.
 */
static void test_idle_timer_interrupt_leaves_decision_to_idle_loop(void **state)
{
	(void)state;
	schedule_wake(a);
	schedule_wake(b);
	schedule();
	current = a;
	a->shared->vcpu_info.evtchn_upcall_pending = 0;
	assert_int_equal(set_timer(time_now() + MS), 0);
	assert_int_equal(sched_op(VMM_SCHEDOP_block), 0);
	current = b;
	b->shared->vcpu_info.evtchn_upcall_pending = 0;
	assert_int_equal(sched_op(VMM_SCHEDOP_block), 0);
	assert_null(current); /* idle, a's timer armed */
	assert_true(fake_hw.timer_armed);
	advance_ms(1);
	assert_true(schedule_timer_interrupt()); /* a woken: a decision is due */
	assert_true(a->state == DOMAIN_RUNNABLE);
	assert_null(current);
	assert_false(fake_hw.timer_armed); /* stopped, not set for a's slice */
	schedule(); /* the idle loop's decision */
	assert_ptr_equal(current, a);
	assert_true(fake_hw.timer_armed);
	schedule_wake(b);
	schedule();
	assert_non_null(current);
}

/* set_timer_op: a deadline at or before now fires at once (the last such
 * is now), one after it is armed; 0 disarms. */
static void test_set_timer_bounds(void **state)
{
	struct domain *d;
	uint64_t now;

	(void)state;
	schedule_wake(a); /* both were blocked: a runs */
	schedule();
	d = current;
	assert_ptr_equal(d, a);
	d->shared->evtchn_pending[0] = 0;
	now = time_now();
	assert_int_equal(set_timer(now + 1), 0); /* the first future deadline */
	assert_false(timer_pending(d));
	assert_true(d->timer_deadline == now + 1);
	assert_int_equal(set_timer(now), 0); /* the last "already reached" */
	assert_true(timer_pending(d));
	assert_true(d->timer_deadline == 0);
	d->shared->evtchn_pending[0] = 0;
	assert_int_equal(set_timer(now + 5 * MS), 0);
	assert_int_equal(set_timer(0), 0); /* disarmed: nothing fires */
	assert_false(timer_pending(d));
	advance_ms(6);
	timer_irq();
	assert_false(timer_pending(d));
	current = a; /* leave both blocked, as the next test expects */
	a->shared->vcpu_info.evtchn_upcall_pending = 0;
	assert_int_equal(sched_op(VMM_SCHEDOP_block), 0);
	assert_null(current);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_yield_reads_clock_once_and_accounts),
		cmocka_unit_test(test_timer_never_later_than_refresh_or_domain_timer),
		cmocka_unit_test(test_timer_slack_rule_with_lone_domain),
		cmocka_unit_test(test_set_timer_bounds),
		cmocka_unit_test(test_slice_end_reads_clock_once),
		cmocka_unit_test(test_domain_timers_many_domains),
		cmocka_unit_test(test_lone_domain_tickless),
		cmocka_unit_test(test_idle_timer_interrupt_leaves_decision_to_idle_loop),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
