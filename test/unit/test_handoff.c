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
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "evtchn.h"
#include "hypercall.h"
#include "runstate.h"
#include "sched.h"
#include "schedule.h"
#include "time.h"
#include "vmm/dom0_op.h"
#include "vmm/vcpu_op.h"
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
static bool s_dead, p_dead;

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
	p = test_domain_create_bare("p", VMM_DOMCFG_PRIVILEGED, 0); /* dom0_op while handed to */
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
	if (!p_dead)
		domain_kill(p, VMM_SHUTDOWN_poweroff);
	p_dead = false;
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

/* p sets a domain timer far away before anything settled: the timer
 * still ends p's slice (set_timer_op settles first: the slice deadline it
 * programs against is p's, not the sender's, which was "never": s ran
 * alone). */
static void test_set_timer_settles_first(void **state)
{
	uint64_t t_handoff, far;

	(void)state;
	t_handoff = handed_off();
	far = t_handoff + 1000 * MS;
	current = p;
	assert_int_equal(hypercall_dispatch(VMM_HC_set_timer_op, (uint32_t)far, (uint32_t)(far >> 32), 0, 0), 0);
	assert_true(fake_hw.timer_armed);
	/* p's plan against s (6.1 ms here), not the fake board's 10 ms time
	 * refresh that the sender's slice ("never") would leave */
	assert_true(fake_hw.timer_count < time_ns_to_counter(t_handoff + 10 * MS));
}

/* After the settling, the early timer of the hand-off is gone: with a third
 * domain q runnable (slices are finite), p blocks 10 us after the
 * hand-off and the timer is set for the next slice's end, not left at the
 * hand-off's quantum, where it would fire for nothing. */
static void test_settle_drops_early_timer(void **state)
{
	struct domain *q = test_domain_create_bare("q", 0, 0);
	uint64_t t_handoff;

	(void)state;
	assert_non_null(q);
	t_handoff = handed_off();
	advance_us(10);
	block(p);
	assert_true(current == s || current == q);
	assert_true(fake_hw.timer_armed);
	assert_true(fake_hw.timer_count > time_ns_to_counter(t_handoff + VMM_SCHED_QUANTUM_MIN_NS));
	current = NULL;
	domain_kill(q, VMM_SHUTDOWN_poweroff);
	domain_reap();
}

/* Any decision (schedule(), as the idle loop or a domain's death call it)
 * settles first: p, warped, keeps the CPU, running since the hand-off. */
static void test_schedule_settles_first(void **state)
{
	uint64_t t_handoff, s_cpu;

	(void)state;
	s_cpu = s->cpu_time_ns;
	t_handoff = handed_off();
	s_cpu += t_handoff - s->run_start_ns;
	advance_us(100);
	schedule();
	assert_ptr_equal(current, p);
	assert_true(p->run_start_ns == t_handoff);
	assert_true(s->cpu_time_ns == s_cpu);
}

/* p, handed to, changes s's weight through dom0_op 100 us later: s's A
 * afterwards is the A the hand-off's accounting gives it (charged up to the
 * hand-off, not through p's running), as when the accounting is done first
 * (a forked twin settles before the dom0_op). */
static uint64_t adjust_s_after_handoff(bool settle_first)
{
	struct vmm_dom0_op *o = test_guest_ptr(p, ARG_VA + 0x200);

	handed_off();
	advance_us(100);
	if (settle_first)
		schedule_settle();
	memset(o, 0, sizeof(*o));
	o->cmd = VMM_DOM0_ADJUSTDOM;
	o->interface_version = VMM_DOM0_INTERFACE_VERSION;
	o->u.adjustdom.sched_id = VMM_SCHED_BVT;
	o->u.adjustdom.direction = VMM_SCHED_INFO_PUT;
	o->u.adjustdom.domain = s->id;
	o->u.adjustdom.weight = 2;
	current = p;
	assert_int_equal(hypercall_dispatch(VMM_HC_dom0_op, ARG_VA + 0x200, 0, 0, 0), 0);
	return s->sched.avt;
}

static void test_dom0_op_settles_first(void **state)
{
	uint64_t twin = 0, got;
	int fds[2], status;
	pid_t child;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		twin = adjust_s_after_handoff(true);
		_exit(write(fds[1], &twin, sizeof(twin)) == (ssize_t)sizeof(twin) ? 0 : 2);
	}
	close(fds[1]);
	got = adjust_s_after_handoff(false);
	assert_int_equal(read(fds[0], &twin, sizeof(twin)), sizeof(twin));
	close(fds[0]);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_true(got == twin);
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

/*
 * The hand-off equals the wake-up it defers. One random run of three
 * connected domains (sends, blocks, yields, domain timers, runstate reads,
 * timer interrupts at random times, warp parameters changed by the
 * privileged one), twice from the same state: with the hand-off (this
 * process) and without (a forked child). After every step, once the
 * pending hand-off is settled, everything the scheduler decided must be
 * the same: who runs, every domain's state, CPU time, run start, BVT A, E,
 * warp. (Compared after the steps that leave no hand-off pending: the
 * test never settles one itself, so a scheduler entry that forgot to
 * settle shows.) Only the timer may differ (the hand-off brings it forward; an early
 * timer interrupt changes nothing, and the interrupts here come at random
 * times in both runs alike).
 */
#define EQ_STEPS 10000
#define EQ_DOMS 3

static uint64_t eq_hash(struct domain *const *d)
{
	uint64_t h = current ? current->id + 1 : 0;
	unsigned int i;

	if (schedule_handoff_pending())
		return 0; /* compared once the next scheduler entry has settled it */
	for (i = 0; i < EQ_DOMS; i++) {
		h = h * 1000003u + d[i]->state;
		h = h * 1000003u + d[i]->cpu_time_ns;
		h = h * 1000003u + (d[i] == current ? d[i]->run_start_ns : 0);
		h = h * 1000003u + d[i]->sched.avt;
		h = h * 1000003u + d[i]->sched.evt;
		h = h * 1000003u + d[i]->sched.warped * 2u + d[i]->sched.runnable;
	}
	return h;
}

static void eq_run(struct domain *const *d, const uint32_t port[EQ_DOMS][EQ_DOMS], uint64_t *trace)
{
	uint64_t seed = 99;
	int step;

	for (step = 0; step < EQ_STEPS; step++) {
		struct domain *c = current;
		unsigned int op, x;

		seed = seed * 6364136223846793005u + 1442695040888963407u;
		op = (unsigned int)(seed >> 33) % 13;
		x = (unsigned int)(seed >> 45);
		if (!c) {
			/* the idle loop: an interrupt (domain timers due by then), then a
			 * decision; the same wait in both runs, not the timer's deadline,
			 * which the hand-off brings forward */
			advance_us(x % 3000);
			schedule_timer_interrupt();
			schedule();
		} else if (op < 5) {
			unsigned int i = (unsigned int)(c - d[0]) < EQ_DOMS ? 0 : 0, to;

			for (i = 0; i < EQ_DOMS && d[i] != c; i++)
				;
			to = (i + 1 + x % (EQ_DOMS - 1)) % EQ_DOMS;
			send(c, port[i][to]);
		} else if (op < 7) {
			uint64_t dl = time_now() + (1 + x % 3000) * US; /* a guest blocks until a timeout */

			hypercall_dispatch(VMM_HC_set_timer_op, (uint32_t)dl, (uint32_t)(dl >> 32), 0, 0);
			c->shared->vcpu_info.evtchn_upcall_pending = 0; /* the guest handled its events */
			c->shared->vcpu_info.evtchn_pending_sel = 0;
			memset(c->shared->evtchn_pending, 0, sizeof(c->shared->evtchn_pending));
			hypercall_dispatch(VMM_HC_sched_op, VMM_SCHEDOP_block, 0, 0, 0);
		} else if (op < 8) {
			hypercall_dispatch(VMM_HC_sched_op, VMM_SCHEDOP_yield, 0, 0, 0);
		} else if (op < 9) {
			uint64_t dl = time_now() + (x % 2000) * US;

			hypercall_dispatch(VMM_HC_set_timer_op, (uint32_t)dl, (uint32_t)(dl >> 32), 0, 0);
		} else if (op < 10) {
			hypercall_dispatch(VMM_HC_vcpu_op, VMM_VCPUOP_get_runstate_info, 0, ARG_VA + 0x100, 0);
		} else if (op < 11) {
			if (schedule_timer_interrupt())
				schedule_if_needed();
			else
				schedule_if_needed();
		} else if (op == 12) {
			/* an interrupt (console input) wakes a domain: schedule_wake() */
			evtchn_send_virq(d[x % EQ_DOMS], VMM_VIRQ_CONSOLE);
			schedule_if_needed();
		} else if ((c->flags & VMM_DOMCFG_PRIVILEGED) && x % 8 == 0) {
			struct vmm_dom0_op *o = test_guest_ptr(c, ARG_VA + 0x200);

			memset(o, 0, sizeof(*o));
			o->cmd = VMM_DOM0_ADJUSTDOM;
			o->interface_version = VMM_DOM0_INTERFACE_VERSION;
			o->u.adjustdom.sched_id = VMM_SCHED_BVT;
			o->u.adjustdom.direction = VMM_SCHED_INFO_PUT;
			o->u.adjustdom.domain = d[x % EQ_DOMS]->id;
			o->u.adjustdom.weight = 1 + x % 3;
			o->u.adjustdom.warp_enabled = (x >> 2) % 3 != 0;
			o->u.adjustdom.warp_ns = ((x >> 4) % 4) * 700 * US;
			o->u.adjustdom.warp_limit_ns = (x >> 6) % 2 ? 400 * US : 0;
			o->u.adjustdom.unwarp_ns = (x >> 7) % 2 ? 1 * MS : 0;
			if (hypercall_dispatch(VMM_HC_dom0_op, ARG_VA + 0x200, 0, 0, 0) != 0)
				fail_msg("step %d: adjustdom refused", step);
		}
		advance_us(1 + (seed >> 20) % 300);
		trace[step] = eq_hash(d);
	}
}

static void test_handoff_equals_deferred_wakeup(void **state)
{
	static uint64_t with[EQ_STEPS], without[EQ_STEPS];
	struct domain *d[EQ_DOMS];
	uint32_t port[EQ_DOMS][EQ_DOMS];
	struct sched_params warp = {.weight = 1, .warp_enabled = true, .warp_ns = 2 * MS};
	unsigned int i, j;
	uint32_t before;
	int fds[2], status;
	pid_t child;
	size_t got = 0;

	(void)state;
	current = NULL;
	schedule_settle();
	domain_kill(s, VMM_SHUTDOWN_poweroff);
	domain_kill(p, VMM_SHUTDOWN_poweroff);
	s_dead = p_dead = true;
	domain_reap();
	d[0] = test_domain_create("eq0", VMM_DOMCFG_PRIVILEGED);
	d[1] = test_domain_create("eq1", VMM_DOMCFG_PRIVILEGED); /* dom0_op while handed to */
	d[2] = test_domain_create("eq2", 0);
	assert_true(d[0] && d[1] && d[2]);
	for (i = 0; i < EQ_DOMS; i++)
		for (j = i + 1; j < EQ_DOMS; j++) {
			struct vmm_evtchn_alloc_unbound au = {.dom = VMM_DOMID_SELF, .remote_dom = d[j]->id};
			struct vmm_evtchn_bind_interdomain bi = {.remote_dom = d[i]->id};

			assert_int_equal(evtchn_alloc_unbound(d[i], &au), 0);
			bi.remote_port = au.port;
			assert_int_equal(evtchn_bind_interdomain(d[j], &bi), 0);
			port[i][j] = au.port;
			port[j][i] = bi.local_port;
		}
	assert_int_equal(sched_set_params(&d[1]->sched, &warp, time_now()), 0);
	schedule();
	assert_int_equal(pipe(fds), 0);
	before = schedule_handoffs;
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		schedule_handoff_enabled = false;
		eq_run(d, (const uint32_t (*)[EQ_DOMS])port, without);
		if (write(fds[1], without, sizeof(without)) != (ssize_t)sizeof(without))
			_exit(2);
		_exit(schedule_handoffs == before ? 0 : 3);
	}
	close(fds[1]);
	eq_run(d, (const uint32_t (*)[EQ_DOMS])port, with);
	while (got < sizeof(without)) {
		ssize_t n = read(fds[0], (char *)without + got, sizeof(without) - got);

		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fds[0]);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(got, sizeof(without));
	for (i = 0; i < EQ_STEPS; i++)
		if (with[i] != 0 && with[i] != without[i])
			fail_msg("step %u: the hand-off's run differs from the wake-up's", i);
	/* not vacuous: many hand-offs were taken */
	assert_true(schedule_handoffs - before > 200);
	current = NULL;
	for (i = 0; i < EQ_DOMS; i++)
		domain_kill(d[i], VMM_SHUTDOWN_poweroff);
	domain_reap();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_handoff_switches_at_once_and_settles_at_its_time, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_handoff_to_unwarped_peer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timer_interrupt_settles, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_timer_settles_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schedule_settles_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_settle_drops_early_timer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dom0_op_settles_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sender_death_settles_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_send_back_before_settling, setup, teardown),
		cmocka_unit_test_setup_teardown(test_handoff_equals_deferred_wakeup, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
