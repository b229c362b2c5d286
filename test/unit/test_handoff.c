/*
 * The event hand-off (core/schedule.c, docs/scheduling.md "Hand-off"): a
 * send that wakes a blocked, warped peer switches to it at once, the timer
 * no later than a quantum away, and the accounting waits for the next
 * scheduler entry -- which then books it at the hand-off's time, as the
 * wake-up would have. The fake arch_switch() returns at once, so `current`
 * is the domain the hypervisor would resume.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "evtchn.h"
#include "hypercall.h"
#include "runstate.h"
#include "sched.h"
#include "schedule.h"
#include "time.h"
#include "vmm/dom0_op.h"
#include "vmm/hypercall.h"
#include "vmm/port.h"
#include "test_domain.h"

#define US 1000ull
#define MS 1000000ull
#define TICKS_PER_MS 62500ull /* fake counter: 62.5 MHz */
#define ARG_VA (VMM_GUEST_BASE + 0x9000)

static void advance_us(uint64_t us)
{
	fake_hw.counter += us * TICKS_PER_MS / 1000;
}

/* s (running) and a fresh peer p, blocked in sched_op(block), connected by
 * one channel: s's port in *ps. p warped (W = 5 ms) if `warp`. */
static struct domain *s, *p;
static uint32_t ps, pp;
static bool s_dead;

static void set_warp(struct domain *d, bool warp)
{
	struct sched_params sp = {.weight = 1, .warp_enabled = warp, .warp_ns = warp ? 5 * MS : 0};

	assert_int_equal(sched_set_params(&d->sched, &sp, time_now()), 0);
}

static void block(struct domain *d)
{
	current = d;
	d->shared->vcpu_info.evtchn_upcall_pending = 0;
	d->shared->vcpu_info.evtchn_pending_sel = 0;
	memset(d->shared->evtchn_pending, 0, sizeof(d->shared->evtchn_pending));
	assert_int_equal(hypercall_dispatch(VMM_HC_sched_op, VMM_SCHEDOP_block, 0, 0, 0), 0);
	assert_int_equal(d->state, DOMAIN_BLOCKED);
}

static long send(struct domain *from, uint32_t port)
{
	*(uint32_t *)test_guest_ptr(from, ARG_VA) = port;
	current = from;
	return hypercall_dispatch(VMM_HC_event_channel_op, VMM_EVTCHNOP_send, ARG_VA, 0, 0);
}

static int setup(void **state)
{
	struct vmm_evtchn_alloc_unbound au = {.dom = VMM_DOMID_SELF};
	struct vmm_evtchn_bind_interdomain bi;
	static bool booted;

	(void)state;
	if (!booted) {
		test_core_boot();
		booted = true;
	}
	s = test_domain_create_bare("s", 0, 0);
	p = test_domain_create_bare("p", 0, 0);
	if (!s || !p)
		return -1;
	au.remote_dom = p->id;
	if (evtchn_alloc_unbound(s, &au) != 0)
		return -1;
	ps = au.port;
	bi = (struct vmm_evtchn_bind_interdomain){.remote_dom = s->id, .remote_port = ps};
	if (evtchn_bind_interdomain(p, &bi) != 0)
		return -1;
	pp = bi.local_port;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	current = NULL;
	schedule_settle();
	if (p->state != DOMAIN_DEAD)
		domain_kill(p, VMM_SHUTDOWN_poweroff);
	if (!s_dead)
		domain_kill(s, VMM_SHUTDOWN_poweroff);
	s_dead = false;
	domain_reap();
	return 0;
}

/* s runs, p blocked: returns s's run start. */
static uint64_t s_runs_p_blocked(bool warp)
{
	set_warp(p, warp);
	block(p);
	if (current != s) { /* p's block picked s, unless s was not runnable */
		fail_msg("s does not run after p blocked");
	}
	advance_us(700);
	return s->run_start_ns;
}

/* s_runs_p_blocked(true), then s sends: the hand-off to p. Its time. */
static uint64_t handed_off(void)
{
	uint64_t t;

	s_runs_p_blocked(true);
	t = time_now();
	assert_int_equal(send(s, ps), 0);
	assert_ptr_equal(current, p);
	return t;
}

static void test_handoff_switches_at_once_and_settles_at_its_time(void **state)
{
	uint64_t s_start, s_cpu, t_handoff;
	struct vmm_vcpu_runstate_info *info = test_guest_ptr(p, ARG_VA + 0x100);

	(void)state;
	s_start = s_runs_p_blocked(true);
	s_cpu = s->cpu_time_ns;
	fake_hw.timer_armed = false;
	t_handoff = time_now();
	assert_int_equal(send(s, ps), 0);
	assert_ptr_equal(current, p);
	assert_int_equal(p->state, DOMAIN_RUNNABLE);
	assert_true(p->shared->vcpu_info.evtchn_upcall_pending);
	/* the timer: brought forward to a quantum from the hand-off at most */
	assert_true(fake_hw.timer_armed);
	assert_true(fake_hw.timer_count <= time_ns_to_counter(t_handoff + VMM_SCHED_QUANTUM_MIN_NS));
	/* accounting not done yet */
	assert_true(s->cpu_time_ns == s_cpu);
	/* p reads its runstate 300 us later: settled at the hand-off's time */
	advance_us(300);
	current = p;
	assert_int_equal(hypercall_dispatch(VMM_HC_vcpu_op, VMM_VCPUOP_get_runstate_info, 0, ARG_VA + 0x100, 0),
			 0);
	assert_true(p->run_start_ns == t_handoff);
	assert_true(info->state_entry_time == t_handoff);
	assert_true(info->time[VMM_RUNSTATE_running] == 300 * US);
	assert_true(s->cpu_time_ns == s_cpu + (t_handoff - s_start));
	/* the policy agrees: p runs; when it blocks, s runs again */
	block(p);
	assert_ptr_equal(current, s);
}

static void test_no_handoff_to_unwarped_peer(void **state)
{
	(void)state;
	s_runs_p_blocked(false);
	assert_int_equal(send(s, ps), 0);
	assert_ptr_equal(current, s); /* BVT: equal E, no preemption */
	assert_int_equal(p->state, DOMAIN_RUNNABLE);
}

/* The early timer fires before p blocked: settled there, p keeps the CPU
 * (its slice is longer than a quantum) and the timer is set for its slice. */
static void test_timer_interrupt_settles(void **state)
{
	uint64_t t_handoff;

	(void)state;
	t_handoff = handed_off();
	fake_hw.counter = fake_hw.timer_count; /* the early timer's deadline */
	assert_false(schedule_timer_interrupt());
	schedule_if_needed();
	assert_ptr_equal(current, p);
	assert_true(p->run_start_ns == t_handoff);
	assert_true(fake_hw.timer_armed);
	assert_true(fake_hw.timer_count > time_ns_to_counter(t_handoff + VMM_SCHED_QUANTUM_MIN_NS));
}

/* The sender dies (dom0_op, a fault) before anything settled: its death
 * settles first; p runs on. */
static void test_sender_death_settles_first(void **state)
{
	(void)state;
	handed_off();
	fake_console_clear();
	domain_kill(s, VMM_SHUTDOWN_crash);
	fake_hw.console[fake_hw.console_len < FAKE_CONSOLE_MAX ? fake_hw.console_len : FAKE_CONSOLE_MAX - 1] = 0;
	/* its CPU time up to the hand-off: the 700 us it ran */
	assert_non_null(strstr(fake_hw.console, "(s) shut down: crash, 0.000700 s CPU"));
	assert_ptr_equal(current, p);
	s_dead = true; /* and reaped: s is gone */
	block(p);
	assert_null(current); /* nobody left to run */
}

/* p answers at once, its hand-off unsettled: s is runnable (preempted),
 * so nothing is woken; p blocks: settled, then s runs. */
static void test_send_back_before_settling(void **state)
{
	uint64_t t_handoff;

	(void)state;
	t_handoff = handed_off();
	advance_us(20);
	assert_int_equal(send(p, pp), 0);
	assert_ptr_equal(current, p);
	assert_true(s->shared->vcpu_info.evtchn_upcall_pending);
	advance_us(20);
	block(p);
	assert_ptr_equal(current, s);
	assert_true(p->cpu_time_ns >= 40 * US && p->run_start_ns == t_handoff);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_handoff_switches_at_once_and_settles_at_its_time, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_handoff_to_unwarped_peer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timer_interrupt_settles, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sender_death_settles_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_send_back_before_settling, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
