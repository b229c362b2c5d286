/*
 * Host unit tests of the BVT scheduler (libvmm/core/sched_bvt.c).
 *
 * Build:
 *   gcc -std=c11 -Wall -Wextra -Werror -I include -I libvmm/core \
 *       test/unit/test_sched_bvt.c libvmm/core/sched_bvt.c -lcmocka
 *
 * Most tests drive the scheduler like core/schedule.c does, with a simulated
 * clock: e = sched_pick(now, &dl); the chosen domain runs (CPU-bound) until
 * dl or an optional tick; repeat. Run time is accounted per domain.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sched.h"
#include "vmm/abi.h"
#include "vmm/dom0_op.h"

#define US UINT64_C(1000)
#define MS UINT64_C(1000000)
#define SEC UINT64_C(1000000000)

#define NENT SCHED_MAX_ENTITIES
#define VT_EVT_BIAS_TEST (UINT64_C(1) << 59) /* sched_bvt.c's VT_EVT_BIAS */

static struct sched_entity ent[NENT + 1];

static void init_globals(uint64_t ctx, uint64_t mcu, uint64_t max_slice)
{
	struct sched_global_params g = { .ctx_allow_ns = ctx, .mcu_ns = mcu, .max_slice_ns = max_slice };

	assert_int_equal(sched_init(&g), 0);
}

static int setup(void **state)
{
	(void)state;
	memset(ent, 0, sizeof(ent));
	init_globals(1 * MS, 100 * US, 10 * MS); /* the hypervisor's defaults */
	return 0;
}

static struct sched_params params(uint32_t weight)
{
	struct sched_params p = { .weight = weight };
	return p;
}

static struct sched_params warp_params(uint32_t weight, uint64_t w, uint64_t l, uint64_t u)
{
	struct sched_params p = {
		.weight = weight, .warp_enabled = true, .warp_ns = w, .warp_limit_ns = l, .unwarp_ns = u,
	};
	return p;
}

static void add(int i, uint32_t weight)
{
	struct sched_params p = params(weight);

	assert_int_equal(sched_add(&ent[i], (uint32_t)i, &p), 0);
}

/* ------------------------------------------------------------------------ */
/* Simulation */

struct sim {
	uint64_t now;
	uint64_t run[NENT + 1];
	unsigned long switches;   /* changes from one domain to another */
	unsigned long picks;
	struct sched_entity *last;
};

static void sim_start(struct sim *s, uint64_t now)
{
	memset(s, 0, sizeof(*s));
	s->now = now;
}

/* Runs CPU-bound domains until `until`, calling sched_pick at each deadline
 * and, if tick != 0, at least every tick. */
static void sim_run(struct sim *s, uint64_t until, uint64_t tick)
{
	while (s->now < until) {
		uint64_t dl, next;
		struct sched_entity *e = sched_pick(s->now, &dl);

		s->picks++;
		assert_true(dl > s->now);
		next = dl;
		if (tick && s->now + tick < next)
			next = s->now + tick;
		if (next > until)
			next = until;
		if (e) {
			assert_true(e->runnable);
			assert_true(e->running);
			s->run[e - ent] += next - s->now;
			if (s->last && e != s->last)
				s->switches++;
			s->last = e;
		}
		s->now = next;
	}
}

static double share(const struct sim *s, int i, int n)
{
	uint64_t total = 0;
	int j;

	for (j = 0; j < n; j++)
		total += s->run[j];
	return (double)s->run[i] / (double)total;
}

static void assert_share(const struct sim *s, int i, int n, double expected, double rel_tol)
{
	double got = share(s, i, n);
	double err = got > expected ? got - expected : expected - got;

	if (err > expected * rel_tol)
		fail_msg("domain %d: share %.5f, expected %.5f (+-%.2f%%)", i, got, expected, rel_tol * 100);
}

/* ------------------------------------------------------------------------ */
/* Basics and validation */

static void test_name(void **state)
{
	(void)state;
	assert_string_equal(sched_name(), "Borrowed Virtual Time (bvt)");
}

static void test_global_validation(void **state)
{
	struct sched_global_params g = { .ctx_allow_ns = 1 * MS, .mcu_ns = 100 * US, .max_slice_ns = 10 * MS };
	struct sched_global_params bad, got;
	static const uint64_t mcu_bad[] = { 0, 1, VMM_SCHED_QUANTUM_MIN_NS - 1, VMM_SCHED_MCU_MAX_NS + 1,
					    UINT64_C(1) << 31, UINT32_MAX, UINT64_MAX };
	static const uint64_t ctx_bad[] = { VMM_SCHED_CTX_ALLOW_MAX_NS + 1, UINT32_MAX, UINT64_MAX };
	static const uint64_t slice_bad[] = { 0, 1, VMM_SCHED_QUANTUM_MIN_NS - 1, 100 * US - 1,
					      VMM_SCHED_MAX_SLICE_MAX_NS + 1, UINT64_C(1) << 31,
					      UINT32_MAX, UINT64_MAX };
	unsigned int i;

	(void)state;
	assert_int_equal(sched_init(NULL), -VMM_EINVAL);
	assert_int_equal(sched_set_global(NULL), -VMM_EINVAL);
	/* First invalid values and the usual extremes, each field alone. */
	for (i = 0; i < sizeof(mcu_bad) / sizeof(mcu_bad[0]); i++) {
		bad = g; bad.mcu_ns = mcu_bad[i];
		bad.max_slice_ns = VMM_SCHED_MAX_SLICE_MAX_NS; /* so only the MCU is wrong */
		assert_int_equal(sched_init(&bad), -VMM_EINVAL);
		assert_int_equal(sched_set_global(&bad), -VMM_EINVAL);
		assert_non_null(strstr(sched_global_invalid(&bad), "mcu_ns"));
	}
	for (i = 0; i < sizeof(ctx_bad) / sizeof(ctx_bad[0]); i++) {
		bad = g; bad.ctx_allow_ns = ctx_bad[i];
		assert_int_equal(sched_init(&bad), -VMM_EINVAL);
		assert_int_equal(sched_set_global(&bad), -VMM_EINVAL);
		assert_non_null(strstr(sched_global_invalid(&bad), "ctx_allow_ns"));
	}
	for (i = 0; i < sizeof(slice_bad) / sizeof(slice_bad[0]); i++) {
		bad = g; bad.max_slice_ns = slice_bad[i]; /* MCU 100 us: 100 us - 1 is below it */
		assert_int_equal(sched_init(&bad), -VMM_EINVAL);
		assert_int_equal(sched_set_global(&bad), -VMM_EINVAL);
		assert_non_null(strstr(sched_global_invalid(&bad), "max_slice_ns"));
	}
	/* Last valid values. */
	{
		static const uint64_t ok[][3] = {
			/* C, MCU, max slice */
			{ 0, VMM_SCHED_QUANTUM_MIN_NS, VMM_SCHED_QUANTUM_MIN_NS },
			{ VMM_SCHED_CTX_ALLOW_MAX_NS, VMM_SCHED_MCU_MAX_NS, VMM_SCHED_MCU_MAX_NS },
			{ VMM_SCHED_CTX_ALLOW_MAX_NS, VMM_SCHED_MCU_MAX_NS, VMM_SCHED_MAX_SLICE_MAX_NS },
			{ 1, 100 * US, 100 * US },
		};

		for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
			bad.ctx_allow_ns = ok[i][0];
			bad.mcu_ns = ok[i][1];
			bad.max_slice_ns = ok[i][2];
			assert_null(sched_global_invalid(&bad));
			assert_int_equal(sched_init(&bad), 0);
			assert_int_equal(sched_set_global(&bad), 0);
		}
	}

	assert_int_equal(sched_init(&g), 0);
	sched_get_global(&got);
	assert_int_equal(got.mcu_ns, g.mcu_ns);
	assert_int_equal(got.ctx_allow_ns, g.ctx_allow_ns);
	assert_int_equal(got.max_slice_ns, g.max_slice_ns);
	/* A rejected change leaves the old values. */
	bad = g; bad.mcu_ns = 0;
	assert_int_equal(sched_set_global(&bad), -VMM_EINVAL);
	sched_get_global(&got);
	assert_int_equal(got.mcu_ns, g.mcu_ns);
	g.ctx_allow_ns = 0; /* C = 0 is allowed */
	assert_int_equal(sched_set_global(&g), 0);
	sched_get_global(&got);
	assert_int_equal(got.ctx_allow_ns, 0);
}

static void test_param_validation(void **state)
{
	struct sched_params p = params(1), bad;
	int i;

	(void)state;
	assert_int_equal(sched_add(NULL, 0, &p), -VMM_EINVAL);
	assert_int_equal(sched_add(&ent[0], 0, NULL), -VMM_EINVAL);
	/* First invalid values and the usual extremes, each field alone. */
	{
		static const uint32_t w_bad[] = { 0, VMM_SCHED_WEIGHT_MAX + 1, UINT32_C(1) << 31, UINT32_MAX };
		static const uint64_t warp_bad[] = { VMM_SCHED_WARP_MAX_NS + 1, UINT64_C(1) << 31,
						     UINT32_MAX, UINT64_MAX };
		static const uint64_t l_bad[] = { 1, VMM_SCHED_QUANTUM_MIN_NS - 1, VMM_SCHED_TIME_MAX_NS + 1,
						  UINT64_MAX };
		static const uint64_t u_bad[] = { VMM_SCHED_TIME_MAX_NS + 1, UINT64_MAX };
		unsigned int j;

		for (j = 0; j < sizeof(w_bad) / sizeof(w_bad[0]); j++) {
			bad = params(w_bad[j]);
			assert_int_equal(sched_add(&ent[0], 0, &bad), -VMM_EINVAL);
			assert_non_null(strstr(sched_params_invalid(&bad), "weight"));
		}
		for (j = 0; j < sizeof(warp_bad) / sizeof(warp_bad[0]); j++) {
			bad = warp_params(1, warp_bad[j], 0, 0);
			assert_int_equal(sched_add(&ent[0], 0, &bad), -VMM_EINVAL);
			assert_non_null(strstr(sched_params_invalid(&bad), "warp_ns"));
		}
		for (j = 0; j < sizeof(l_bad) / sizeof(l_bad[0]); j++) {
			bad = warp_params(1, 1 * MS, l_bad[j], 0);
			assert_int_equal(sched_add(&ent[0], 0, &bad), -VMM_EINVAL);
			assert_non_null(strstr(sched_params_invalid(&bad), "warp_limit_ns"));
		}
		for (j = 0; j < sizeof(u_bad) / sizeof(u_bad[0]); j++) {
			bad = warp_params(1, 1 * MS, 1 * MS, u_bad[j]);
			assert_int_equal(sched_add(&ent[0], 0, &bad), -VMM_EINVAL);
			assert_non_null(strstr(sched_params_invalid(&bad), "unwarp_ns"));
		}
		/* Last valid values. */
		bad = warp_params(1, 0, VMM_SCHED_QUANTUM_MIN_NS, 0);
		assert_null(sched_params_invalid(&bad));
		bad = warp_params(1, 1, 0, 1);
		assert_null(sched_params_invalid(&bad));
	}
	/* The largest values are fine. */
	bad = warp_params(VMM_SCHED_WEIGHT_MAX, VMM_SCHED_WARP_MAX_NS, VMM_SCHED_TIME_MAX_NS,
			  VMM_SCHED_TIME_MAX_NS);
	assert_null(sched_params_invalid(&bad));
	assert_int_equal(sched_add(&ent[0], 0, &bad), 0);
	assert_int_equal(sched_add(&ent[0], 0, &p), -VMM_EEXIST);

	/* set_params: same checks, and the entity must be registered. */
	bad = params(0);
	assert_int_equal(sched_set_params(&ent[0], &bad, 0), -VMM_EINVAL);
	assert_int_equal(sched_set_params(&ent[0], NULL, 0), -VMM_EINVAL);
	assert_int_equal(sched_set_params(NULL, &p, 0), -VMM_EINVAL);
	assert_int_equal(sched_set_params(&ent[1], &p, 0), -VMM_EINVAL);
	assert_int_equal(sched_set_params(&ent[0], &p, 0), 0);

	/* Full table. */
	for (i = 1; i < NENT; i++)
		assert_int_equal(sched_add(&ent[i], (uint32_t)i, &p), 0);
	assert_int_equal(sched_add(&ent[NENT], NENT, &p), -VMM_ENOSPC);
	sched_remove(&ent[5], 0);
	assert_int_equal(sched_add(&ent[NENT], NENT, &p), 0);
	assert_int_equal(sched_add(&ent[5], 5, &p), -VMM_ENOSPC);

	/* Calls on unregistered entities or NULL are ignored. */
	assert_false(sched_wake(NULL, 0));
	assert_false(sched_wake(&ent[5], 0));
	sched_sleep(NULL, 0);
	sched_sleep(&ent[5], 0);
	sched_remove(NULL, 0);
	sched_remove(&ent[5], 0);
}

static void test_idle_and_single(void **state)
{
	uint64_t dl = 0;

	(void)state;
	assert_null(sched_pick(0, &dl));
	assert_true(dl == SCHED_TIME_MAX);
	add(0, 1);
	assert_null(sched_pick(10, &dl)); /* added domains start not runnable */
	assert_true(dl == SCHED_TIME_MAX);
	assert_true(sched_wake(&ent[0], 20)); /* nothing runs: a decision is due */
	assert_false(sched_wake(&ent[0], 20)); /* already runnable: no-op */
	assert_ptr_equal(sched_pick(20, &dl), &ent[0]);
	assert_true(dl == SCHED_TIME_MAX); /* alone, unwarped: no deadline */
	assert_ptr_equal(sched_pick(5 * SEC, &dl), &ent[0]);
	assert_true(dl == SCHED_TIME_MAX);
	sched_sleep(&ent[0], 6 * SEC);
	assert_false(ent[0].runnable);
	assert_null(sched_pick(6 * SEC, &dl));
	assert_true(dl == SCHED_TIME_MAX);
}

/* ------------------------------------------------------------------------ */
/* Proportional share */

static void test_share_2_1(void **state)
{
	struct sim s;

	(void)state;
	add(0, 2);
	add(1, 1);
	sched_wake(&ent[0], 0);
	sched_wake(&ent[1], 0);
	sim_start(&s, 0);
	sim_run(&s, 20 * SEC, 0);
	assert_share(&s, 0, 2, 2.0 / 3, 0.01);
	assert_share(&s, 1, 2, 1.0 / 3, 0.01);

	/* Same with a periodic tick calling sched_pick early (every 1 ms), or
	 * at times that are not MCU boundaries (every 730 us). */
	sim_start(&s, s.now);
	sim_run(&s, 40 * SEC, 1 * MS);
	assert_share(&s, 0, 2, 2.0 / 3, 0.01);
	assert_share(&s, 1, 2, 1.0 / 3, 0.01);
	sim_start(&s, s.now);
	sim_run(&s, 60 * SEC, 730 * US);
	assert_share(&s, 0, 2, 2.0 / 3, 0.01);
	assert_share(&s, 1, 2, 1.0 / 3, 0.01);
}

static void test_share_1_2_4(void **state)
{
	struct sim s;
	int i;

	(void)state;
	add(0, 1);
	add(1, 2);
	add(2, 4);
	for (i = 0; i < 3; i++)
		sched_wake(&ent[i], 0);
	sim_start(&s, 0);
	sim_run(&s, 30 * SEC, 0);
	assert_share(&s, 0, 3, 1.0 / 7, 0.01);
	assert_share(&s, 1, 3, 2.0 / 7, 0.01);
	assert_share(&s, 2, 3, 4.0 / 7, 0.01);
}

static void test_share_weight_1_vs_large(void **state)
{
	struct sim s;

	(void)state;
	add(0, 1);
	add(1, 1000);
	sched_wake(&ent[0], 0);
	sched_wake(&ent[1], 0);
	sim_start(&s, 0);
	sim_run(&s, 200 * SEC, 0);
	assert_share(&s, 0, 2, 1.0 / 1001, 0.01);
	assert_share(&s, 1, 2, 1000.0 / 1001, 0.01);

	/* The extreme weight ratio still orders correctly and starves no one:
	 * weight 1 gets 1/10001 of the CPU. */
	assert_int_equal(sched_init(&(struct sched_global_params){ 1 * MS, 100 * US, 10 * MS }), 0);
	add(0, 1);
	add(1, VMM_SCHED_WEIGHT_MAX);
	sched_wake(&ent[0], 0);
	sched_wake(&ent[1], 0);
	sim_start(&s, 0);
	sim_run(&s, 1000 * SEC, 0);
	assert_share(&s, 0, 2, 1.0 / (VMM_SCHED_WEIGHT_MAX + 1), 0.01);
}

static void test_64_domains(void **state)
{
	struct sim s;
	uint32_t wsum = 0;
	int i;

	(void)state;
	for (i = 0; i < NENT; i++) {
		add(i, (uint32_t)(1 + i % 4));
		wsum += (uint32_t)(1 + i % 4);
	}
	for (i = 0; i < NENT; i++)
		assert_true(sched_wake(&ent[i], 0)); /* nothing running yet */
	sim_start(&s, 0);
	sim_run(&s, 200 * SEC, 0);
	for (i = 0; i < NENT; i++)
		assert_share(&s, i, NENT, (double)(1 + i % 4) / wsum, 0.01);
}

/* ------------------------------------------------------------------------ */
/* SVT: no banked credit */

static void test_wake_gets_svt(void **state)
{
	struct sim s;
	uint64_t svt, dl;

	(void)state;
	add(0, 1);
	add(1, 2);
	add(2, 1);
	sched_wake(&ent[0], 0);
	sched_wake(&ent[1], 0);
	sim_start(&s, 0);
	sim_run(&s, 5 * SEC, 0); /* ent[2] sleeps all along */

	/* ent[0] is running; charge it to now so its A is current, then SVT is
	 * the smaller A of the two runnable domains. */
	sched_pick(s.now, &dl);
	svt = ent[0].avt < ent[1].avt ? ent[0].avt : ent[1].avt;
	assert_true(ent[2].avt < svt);
	sched_wake(&ent[2], s.now);
	assert_true(ent[2].avt == svt);

	/* It gets its share from now on, not 5 s of banked time. */
	sim_start(&s, s.now);
	sim_run(&s, s.now + 4 * SEC, 0);
	assert_share(&s, 2, 3, 1.0 / 4, 0.01);

	/* A domain that sleeps while ahead of SVT keeps its A (no loss either). */
	{
		struct sched_entity *r = sched_pick(s.now, &dl);
		struct sched_entity *o;
		uint64_t a;

		/* At the end of its slice r is more than C ahead of the others. */
		sched_sleep(r, dl);
		a = r->avt;
		o = sched_pick(dl, &dl);
		assert_ptr_not_equal(o, r);
		sched_wake(r, dl);
		assert_true(r->avt == a);
	}
}

static void test_sleeper_gets_no_credit(void **state)
{
	struct sim s;

	(void)state;
	add(0, 1);
	add(1, 1);
	sched_wake(&ent[0], 0);
	sim_start(&s, 0);
	sim_run(&s, 5 * SEC, 0); /* ent[1] asleep for 5 s */
	sched_wake(&ent[1], s.now);
	sim_start(&s, s.now);
	sim_run(&s, s.now + 1 * SEC, 0);
	assert_share(&s, 1, 2, 0.5, 0.01); /* not 100% for the next 5 s */
}

/* ------------------------------------------------------------------------ */
/* Warp */

static void test_warp_preempts_on_wake(void **state)
{
	struct sched_params wp = warp_params(1, 20 * MS, 0, 0);
	uint64_t dl, now;

	(void)state;
	add(0, 1);
	add(2, 1);
	assert_int_equal(sched_add(&ent[1], 1, &wp), 0);
	sched_wake(&ent[0], 0);
	assert_ptr_equal(sched_pick(0, &dl), &ent[0]);
	now = 100 * MS;
	/* An unwarped domain waking now has E == ent[0]'s: no preemption. */
	sched_wake(&ent[2], now);
	assert_ptr_equal(sched_pick(now, &dl), &ent[0]);
	now += 50 * US;
	/* The warped one preempts at once. */
	assert_true(sched_wake(&ent[1], now));
	assert_true(ent[1].warped);
	assert_ptr_equal(sched_pick(now, &dl), &ent[1]);
	/* ent[0] ran 100.05 ms: preempted mid-MCU, it pays the MCU it began. */
	assert_false(ent[0].running);
	assert_true(ent[0].avt == 1001 * (UINT64_C(100000) << 24));
	/* L = 0: it stays warped however long it runs, and keeps the CPU until
	 * it has used its W (+ C) of virtual time. */
	now = dl;
	assert_ptr_equal(sched_pick(now, &dl), &ent[1]);
	assert_true(ent[1].warped);
}

/* A warped domain waking exactly when the running slice ends still wins. */
static void test_warp_wake_at_deadline(void **state)
{
	struct sched_params wp = warp_params(1, 20 * MS, 0, 0);
	uint64_t dl;

	(void)state;
	add(0, 1);
	add(1, 1);
	assert_int_equal(sched_add(&ent[2], 2, &wp), 0);
	sched_wake(&ent[0], 0);
	sched_wake(&ent[1], 0);
	sched_pick(0, &dl);
	sched_pick(dl, &dl);
	sched_pick(dl, &dl);
	assert_true(sched_wake(&ent[2], dl));
	assert_ptr_equal(sched_pick(dl, &dl), &ent[2]);
}

/* Warp preemption is immediate even when C is large: C is not applied on wake. */
static void test_warp_preempts_despite_ctx_allow(void **state)
{
	struct sched_params wp = warp_params(1, 500 * US, 0, 0);
	uint64_t dl;

	(void)state;
	init_globals(5 * MS, 100 * US, 20 * MS);
	add(0, 1);
	assert_int_equal(sched_add(&ent[1], 1, &wp), 0);
	sched_wake(&ent[0], 0);
	sched_pick(0, &dl);
	/* W (0.5 ms) is much less than C (5 ms), still it preempts. */
	assert_true(sched_wake(&ent[1], 1 * MS));
	assert_ptr_equal(sched_pick(1 * MS, &dl), &ent[1]);
}

static void test_warp_limit_and_unwarp(void **state)
{
	/* W = 50 ms, L = 5 ms, U = 20 ms */
	struct sched_params wp = warp_params(1, 50 * MS, 5 * MS, 20 * MS);
	uint64_t dl, t, e_before;

	(void)state;
	add(0, 1);
	assert_int_equal(sched_add(&ent[1], 1, &wp), 0);
	sched_wake(&ent[0], 0);
	sched_pick(0, &dl);
	t = 100 * MS;
	assert_true(sched_wake(&ent[1], t));
	assert_ptr_equal(sched_pick(t, &dl), &ent[1]);
	/* Without L it could run 51 ms; max slice is 10 ms; L = 5 ms wins. */
	assert_true(dl == t + 5 * MS);
	/* A pick in the middle changes nothing about the limit. */
	assert_ptr_equal(sched_pick(t + 2 * MS, &dl), &ent[1]);
	assert_true(dl == t + 5 * MS);
	e_before = ent[1].evt;
	assert_ptr_equal(sched_pick(t + 5 * MS, &dl), &ent[0]);
	assert_false(ent[1].warped);
	assert_true(ent[1].evt > e_before); /* E = A again */

	/* Sleep and wake before U has passed: no warp, no preemption. */
	sched_sleep(&ent[1], t + 6 * MS);
	sched_wake(&ent[1], t + 10 * MS);
	assert_false(ent[1].warped);
	assert_ptr_equal(sched_pick(t + 10 * MS, &dl), &ent[0]);
	sched_sleep(&ent[1], t + 11 * MS);
	/* U ends 20 ms after the limit hit, at t + 25 ms. */
	assert_true(sched_wake(&ent[1], t + 25 * MS));
	assert_true(ent[1].warped);
	assert_ptr_equal(sched_pick(t + 25 * MS, &dl), &ent[1]);
	assert_true(dl == t + 30 * MS);
}

/* A warped domain that stays runnable (CPU-bound) re-warps once U passed. */
static void test_warp_cpu_bound_cycles(void **state)
{
	struct sched_params wp = warp_params(1, 50 * MS, 5 * MS, 20 * MS);
	struct sim s;

	(void)state;
	add(0, 1);
	assert_int_equal(sched_add(&ent[1], 1, &wp), 0);
	sched_wake(&ent[0], 0);
	sched_wake(&ent[1], 0);
	sim_start(&s, 0);
	sim_run(&s, 20 * SEC, 0);
	/* Warp lends time, it does not give any: long-run shares stay 1:1. */
	assert_share(&s, 0, 2, 0.5, 0.01);
	assert_share(&s, 1, 2, 0.5, 0.01);
}

static void test_warp_u_zero_never_again(void **state)
{
	struct sched_params wp = warp_params(1, 50 * MS, 5 * MS, 0);
	uint64_t dl, t = 100 * MS;

	(void)state;
	add(0, 1);
	assert_int_equal(sched_add(&ent[1], 1, &wp), 0);
	sched_wake(&ent[0], 0);
	sched_pick(0, &dl);
	assert_true(sched_wake(&ent[1], t));
	assert_ptr_equal(sched_pick(t, &dl), &ent[1]);
	assert_true(dl == t + 5 * MS);
	assert_ptr_equal(sched_pick(t + 5 * MS, &dl), &ent[0]);
	assert_false(ent[1].warped);
	sched_sleep(&ent[1], t + 5 * MS);
	/* Much later: still no warp. */
	sched_wake(&ent[1], 100 * SEC);
	assert_false(ent[1].warped);
	sched_sleep(&ent[1], 100 * SEC);
	sched_wake(&ent[1], 1000 * SEC);
	assert_false(ent[1].warped);
	/* New parameters start afresh. */
	assert_int_equal(sched_set_params(&ent[1], &wp, 1000 * SEC), 0);
	assert_true(ent[1].warped);
}

/* Blocking ends a warped run: a domain that runs briefly and blocks keeps
 * its warp (the latency-sensitive case), each burst below L. */
static void test_warp_short_bursts_keep_warp(void **state)
{
	struct sched_params wp = warp_params(1, 50 * MS, 5 * MS, 20 * MS);
	uint64_t dl, t = 100 * MS;
	int i;

	(void)state;
	add(0, 1);
	assert_int_equal(sched_add(&ent[1], 1, &wp), 0);
	sched_wake(&ent[0], 0);
	sched_pick(0, &dl);
	for (i = 0; i < 20; i++) {
		assert_true(sched_wake(&ent[1], t));
		assert_true(ent[1].warped);
		assert_ptr_equal(sched_pick(t, &dl), &ent[1]);
		sched_sleep(&ent[1], t + 1 * MS);
		assert_ptr_equal(sched_pick(t + 1 * MS, &dl), &ent[0]);
		t += 10 * MS;
	}
}

/* ------------------------------------------------------------------------ */
/* Ties and the context-switch allowance */

static void test_ties_round_robin(void **state)
{
	static const int order[] = { 0, 1, 2, 0, 1, 2, 0, 1, 2 };
	uint64_t dl, now = 0;
	unsigned i;

	(void)state;
	init_globals(0, 1 * MS, 10 * MS); /* C = 0 */
	add(0, 1);
	add(1, 1);
	add(2, 1);
	sched_wake(&ent[0], 0);
	sched_wake(&ent[1], 0);
	sched_wake(&ent[2], 0);
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		assert_ptr_equal(sched_pick(now, &dl), &ent[order[i]]);
		/* With C = 0 a domain runs until its E exceeds the next one's:
		 * one MCU if they were equal, two if it was one MCU behind. */
		assert_true(dl == now + 1 * MS || (i > 0 && dl == now + 2 * MS));
		now = dl;
	}
}

/* Equal E: FIFO in wake-up order, then round-robin, also in a deeper heap. */
static void test_ties_round_robin_8(void **state)
{
	uint64_t dl, now = 0;
	int round, i;

	(void)state;
	init_globals(0, 1 * MS, 10 * MS);
	for (i = 0; i < 8; i++)
		add(i, 1);
	/* Wake in a scrambled order: that order is the FIFO order. */
	static const int wake_order[8] = { 5, 2, 7, 0, 3, 6, 1, 4 };
	for (i = 0; i < 8; i++)
		sched_wake(&ent[wake_order[i]], 0);
	for (round = 0; round < 4; round++) {
		for (i = 0; i < 8; i++) {
			struct sched_entity *e = sched_pick(now, &dl);

			if (e != &ent[wake_order[i]])
				fail_msg("round %d slot %d: picked %d, expected %d", round, i,
					 (int)(e - ent), wake_order[i]);
			now = dl;
		}
	}
}

static unsigned long switches_with(uint64_t ctx, uint64_t tick)
{
	struct sim s;

	init_globals(ctx, 1 * MS, 100 * MS);
	memset(ent, 0, sizeof(ent));
	add(0, 1);
	add(1, 1);
	sched_wake(&ent[0], 0);
	sched_wake(&ent[1], 0);
	sim_start(&s, 0);
	sim_run(&s, 1200 * MS, tick);
	assert_share(&s, 0, 2, 0.5, 0.01);
	return s.switches;
}

static void test_ctx_allow_limits_switches(void **state)
{
	unsigned long n;

	(void)state;
	/* C = 0: a domain runs until its E exceeds the other's: after the first
	 * MCU, slices of 2 MCUs (it starts one MCU behind and must pass). */
	n = switches_with(0, 0);
	assert_true(n >= 595 && n <= 600);
	/* C = 5 ms: it runs until it is more than C ahead: slices of
	 * 2C + 2 MCUs = 12 ms after the first, so about 100 switches in 1.2 s,
	 * never more than one per 2C. */
	n = switches_with(5 * MS, 0);
	assert_true(n >= 95 && n <= 1200 / 10);
	/* Same when sched_pick is called every MCU anyway (timer tick): C, not
	 * the caller's timer, decides when to switch. */
	assert_int_equal(switches_with(5 * MS, 1 * MS), n);
	assert_int_equal(switches_with(5 * MS, 300 * US), n);
}

/* ------------------------------------------------------------------------ */
/* The Xen 3.0 defects */

/* Xen 3.0 computed the slice as (E gap / mcu_advance) + ctx_allow: a count of
 * MCUs added to ns. The slice must be a real duration in ns. */
static void test_slice_is_in_ns(void **state)
{
	uint64_t dl, now = 0;

	(void)state;
	init_globals(5 * MS, 1 * MS, 100 * MS);
	add(0, 1);
	add(1, 1);
	sched_wake(&ent[0], 0);
	sched_wake(&ent[1], 0);
	/* Equal E: run until more than C ahead, in whole MCUs: 6 ms. */
	assert_ptr_equal(sched_pick(now, &dl), &ent[0]);
	assert_true(dl - now == 6 * MS);
	now = dl;
	/* ent[1] is 6 MCUs behind: 6 + 5 + 1 = 12 MCUs. */
	assert_ptr_equal(sched_pick(now, &dl), &ent[1]);
	assert_true(dl - now == 12 * MS);
	now = dl;
	assert_ptr_equal(sched_pick(now, &dl), &ent[0]);
	assert_true(dl - now == 12 * MS);

	/* Different weights, C = 0: a weight-4 domain equal in E to a weight-1
	 * domain runs 4 MCUs to catch up with one MCU of it, plus one to pass. */
	init_globals(0, 1 * MS, 100 * MS);
	memset(ent, 0, sizeof(ent));
	add(0, 1);
	add(1, 4);
	sched_wake(&ent[0], 0);
	now = 0;
	assert_ptr_equal(sched_pick(now, &dl), &ent[0]);
	now = 10 * MS;
	sched_wake(&ent[1], now); /* E equal to ent[0]'s */
	assert_ptr_equal(sched_pick(now, &dl), &ent[0]);
	assert_true(dl - now == 1 * MS);
	now = dl;
	assert_ptr_equal(sched_pick(now, &dl), &ent[1]);
	assert_true(dl - now == 5 * MS);

	/* C larger than the max slice: at the end of a max slice the running
	 * domain is not yet more than C ahead, so it keeps the CPU. */
	init_globals(5 * MS, 1 * MS, 2 * MS);
	memset(ent, 0, sizeof(ent));
	add(0, 1);
	add(1, 1);
	sched_wake(&ent[0], 0);
	sched_wake(&ent[1], 0);
	now = 0;
	assert_ptr_equal(sched_pick(now, &dl), &ent[0]);
	assert_true(dl == 2 * MS);
	assert_ptr_equal(sched_pick(dl, &dl), &ent[0]);
	assert_true(dl == 4 * MS);
	assert_ptr_equal(sched_pick(dl, &dl), &ent[0]);
	assert_true(dl == 6 * MS);
	assert_ptr_equal(sched_pick(dl, &dl), &ent[1]); /* 6 MCUs > C */
	now = dl;

	/* Back to weights 1 and 4 (ent[1] runs, 4 MCUs behind plus one). */
	init_globals(0, 1 * MS, 100 * MS);
	memset(ent, 0, sizeof(ent));
	add(0, 1);
	add(1, 4);
	sched_wake(&ent[0], 0);
	now = 0;
	sched_pick(now, &dl);
	now = 10 * MS;
	sched_wake(&ent[1], now);
	sched_pick(now, &dl);
	now = dl;
	assert_ptr_equal(sched_pick(now, &dl), &ent[1]);
	assert_true(dl - now == 5 * MS);

	/* The max slice bounds it, in ns too. */
	assert_int_equal(sched_set_global(&(struct sched_global_params){ 0, 1 * MS, 3 * MS }), 0);
	assert_ptr_equal(sched_pick(now, &dl), &ent[1]);
	assert_true(dl - now == 3 * MS);
}

/* The timer fires late (after the deadline, within an MCU): the preempted
 * domain pays for the MCU it began, the next one starts at `now`. */
/*
 * Every slice the scheduler plans is exact: when a decision keeps a domain
 * running against a runner-up, its deadline is now + k MCUs with k the
 * smallest count after which its E is more than C above the runner-up's
 * (computed here by 64-bit division from the entities' fields), bounded by
 * the max slice. Checked for extreme and ordinary globals and weights, since
 * the scheduler computes k with 32-bit reciprocals instead of dividing.
 */
static void test_slice_exact_all_configs(void **state)
{
	static const uint64_t g[][3] = {
		/* C, MCU, max slice */
		{ 1 * MS, 100 * US, 10 * MS }, { 0, 50 * US, 2 * SEC }, { 1 * SEC, 50 * US, 2 * SEC },
		{ 0, 1 * SEC, 2 * SEC }, { 7 * US, 53 * US, 1 * MS }, { 1 * SEC, 1 * SEC, 1 * SEC },
		{ 123457, 50977, 1999999999 }, { 0, 50 * US, 50 * US },
	};
	static const uint32_t w[][2] = {
		{ 1, 1 }, { 1, 4 }, { 3, 7 }, { 1, VMM_SCHED_WEIGHT_MAX }, { VMM_SCHED_WEIGHT_MAX, 1 },
		{ 1000, 999 }, { 9973, 3 },
	};
	unsigned int gi, wi, checked = 0;

	(void)state;
	for (gi = 0; gi < sizeof(g) / sizeof(g[0]); gi++) {
		for (wi = 0; wi < sizeof(w) / sizeof(w[0]); wi++) {
			uint64_t now = 0, dl;
			int step;

			memset(ent, 0, sizeof(ent));
			init_globals(g[gi][0], g[gi][1], g[gi][2]);
			add(0, w[wi][0]);
			add(1, w[wi][1]);
			sched_wake(&ent[0], 0);
			sched_wake(&ent[1], 0);
			for (step = 0; step < 40; step++) {
				struct sched_entity *e = sched_pick(now, &dl), *o;
				uint64_t lim, k, want;

				assert_non_null(e);
				o = e == &ent[0] ? &ent[1] : &ent[0];
				lim = o->evt + e->ctx_vt;
				k = lim > e->evt ? (lim - e->evt) / e->inc + 1 : 1;
				/* Whole MCUs from where its charge stands, at most the max slice. */
				want = e->charged_until + k * g[gi][1];
				if (want > now + g[gi][2])
					want = now + g[gi][2];
				if (dl != want)
					fail_msg("config %u weights %u step %d: deadline %llu, expected %llu",
						 gi, wi, step, (unsigned long long)dl, (unsigned long long)want);
				checked++;
				now = dl;
			}
		}
	}
	assert_true(checked > 1000);
}

/* The timer fires late (after the deadline, within an MCU): the domain
 * stopped running at its deadline, so it pays for the MCUs up to there and
 * not for the one in which the hypervisor took the interrupt; the next one
 * starts at `now`. */
static void test_late_timer(void **state)
{
	const uint64_t inc = UINT64_C(1000000) << 24; /* 1 ms at weight 1 */
	uint64_t dl, now;

	(void)state;
	init_globals(0, 1 * MS, 100 * MS);
	add(0, 1);
	add(1, 1);
	sched_wake(&ent[0], 0);
	sched_wake(&ent[1], 0);
	assert_ptr_equal(sched_pick(0, &dl), &ent[0]);
	assert_true(dl == 1 * MS);
	now = dl + 300 * US;
	assert_ptr_equal(sched_pick(now, &dl), &ent[1]);
	assert_true(ent[0].avt == 1 * inc);
	/* ent[1] (E 0) runs until it is past ent[0] (E 1 MCU): 2 MCUs. */
	assert_true(dl == now + 2 * MS);
	now = dl + 999 * US;
	assert_ptr_equal(sched_pick(now, &dl), &ent[0]);
	assert_true(ent[1].avt == 2 * inc);
	assert_true(dl == now + 2 * MS);
	/* Preempted before its deadline (a yield), it pays the MCU it began. */
	now += 1;
	sched_yield(&ent[0], now);
	assert_ptr_equal(sched_pick(now, &dl), &ent[1]);
	assert_true(ent[0].avt == 2 * inc);
}

/* A domain that blocks after its deadline passed (the slice-end interrupt
 * not yet taken) stopped running at the deadline too: billed up to there. */
static void test_block_after_deadline(void **state)
{
	const uint64_t inc = UINT64_C(1000000) << 24; /* 1 ms at weight 1 */
	uint64_t dl;

	(void)state;
	init_globals(0, 1 * MS, 100 * MS);
	add(0, 1);
	add(1, 1);
	sched_wake(&ent[0], 0);
	sched_wake(&ent[1], 0);
	assert_ptr_equal(sched_pick(0, &dl), &ent[0]);
	assert_true(dl == 1 * MS);
	sched_sleep(&ent[0], dl + 300 * US);
	assert_true(ent[0].avt == 1 * inc);
	/* before its deadline, the MCU it began is billed in full */
	assert_ptr_equal(sched_pick(dl + 300 * US, &dl), &ent[1]);
	sched_sleep(&ent[1], dl - 1 * MS + 1);
	assert_true(ent[1].avt == 1 * inc);
}

/*
 * docs/scheduling.md: two equal CPU-bound domains alternate in slices of
 * exactly 2C + 2 MCUs (each runs until it is more than C ahead), and pay
 * exactly what they ran, however late (< 1 MCU) the slice-end interrupt is
 * handled. Whether the interrupt comes on time, a little late or almost a
 * whole MCU late, every slice after the first is 22 MCUs with C = 10 MCUs.
 */
static void test_equal_slices_are_2c_plus_2(void **state)
{
	static const uint64_t late[] = { 0, 300, 1 * US, 99 * US + 999 };
	unsigned int li;

	(void)state;
	for (li = 0; li < sizeof(late) / sizeof(late[0]); li++) {
		uint64_t now = 0, dl, ran[2] = { 0, 0 };
		int step;

		memset(ent, 0, sizeof(ent));
		init_globals(1 * MS, 100 * US, 10 * MS);
		add(0, 1);
		add(1, 1);
		sched_wake(&ent[0], 0);
		sched_wake(&ent[1], 0);
		for (step = 0; step < 200; step++) {
			struct sched_entity *e = sched_pick(now, &dl);
			uint64_t mcus = (dl - now) / (100 * US);

			assert_true((dl - now) % (100 * US) == 0);
			if (step == 0)
				assert_true(mcus == 11); /* C + 1 against an equal E */
			else if (mcus != 22)
				fail_msg("late %llu step %d: slice of %llu MCUs, expected 2C + 2 = 22",
					 (unsigned long long)late[li], step, (unsigned long long)mcus);
			ran[e - ent] += dl - now;
			now = dl + late[li];
		}
		/* A is what each ran, to the MCU: billed = ran (weight 1). */
		sched_pick(now, &dl);
		assert_true(ent[0].avt - ent[1].avt == ((ran[0] - ran[1]) << 24) ||
			    ent[1].avt - ent[0].avt == ((ran[1] - ran[0]) << 24));
	}
}

/* Xen 3.0 charged at pick time and again later, so a domain picked again was
 * billed twice for the same interval. Charging must be idempotent. */
static void test_no_double_charge(void **state)
{
	/* Virtual time per MCU at weight 3 (2^24 units per ns at weight 1). */
	const uint64_t inc = (UINT64_C(1000000) << 24) / 3;
	uint64_t dl, a0, once;

	(void)state;
	init_globals(1 * MS, 1 * MS, 100 * MS);
	/* Reference: one pick after 11 MCUs. */
	add(0, 3);
	sched_wake(&ent[0], 0);
	sched_pick(0, &dl);
	a0 = ent[0].avt;
	sched_pick(11 * MS, &dl);
	once = ent[0].avt - a0;
	assert_true(once == 11 * inc);

	/* Same span, picked again and again (also mid-MCU and repeated). */
	init_globals(1 * MS, 1 * MS, 100 * MS);
	memset(ent, 0, sizeof(ent));
	add(0, 3);
	sched_wake(&ent[0], 0);
	assert_ptr_equal(sched_pick(0, &dl), &ent[0]);
	a0 = ent[0].avt;
	assert_ptr_equal(sched_pick(1 * MS, &dl), &ent[0]);
	assert_true(ent[0].avt - a0 == inc);
	assert_ptr_equal(sched_pick(1 * MS, &dl), &ent[0]);
	assert_true(ent[0].avt - a0 == inc);
	/* Mid-MCU while it keeps running: only complete MCUs are billed. */
	assert_ptr_equal(sched_pick(3 * MS + 500 * US, &dl), &ent[0]);
	assert_true(ent[0].avt - a0 == 3 * inc);
	assert_ptr_equal(sched_pick(3 * MS + 500 * US, &dl), &ent[0]);
	assert_true(ent[0].avt - a0 == 3 * inc);
	assert_ptr_equal(sched_pick(4 * MS, &dl), &ent[0]);
	assert_true(ent[0].avt - a0 == 4 * inc);
	assert_ptr_equal(sched_pick(7 * MS, &dl), &ent[0]);
	assert_ptr_equal(sched_pick(11 * MS, &dl), &ent[0]);
	assert_true(ent[0].avt - a0 == once);
}

struct snap {
	uint64_t avt, evt, charged_until, plan_end, plan_avt, warp_used;
	bool runnable, running, warped;
};

static void take(struct snap *s, int n)
{
	int i;

	memset(s, 0, sizeof(*s) * (size_t)n); /* padding too, for memcmp */
	for (i = 0; i < n; i++) {
		s[i].avt = ent[i].avt;
		s[i].evt = ent[i].evt;
		s[i].charged_until = ent[i].charged_until;
		s[i].plan_end = ent[i].plan_end;
		s[i].plan_avt = ent[i].plan_avt;
		s[i].warp_used = ent[i].warp_used;
		s[i].runnable = ent[i].runnable;
		s[i].running = ent[i].running;
		s[i].warped = ent[i].warped;
	}
}

static void test_pick_twice_same_now(void **state)
{
	struct sched_params wp = warp_params(2, 3 * MS, 20 * MS, 10 * MS);
	struct snap a[5], b[5];
	struct sim s;
	struct sched_entity *e1, *e2;
	uint64_t dl1, dl2;
	int round, i;

	(void)state;
	add(0, 1);
	add(1, 2);
	add(2, 3);
	add(3, 1);
	assert_int_equal(sched_add(&ent[4], 4, &wp), 0);
	for (i = 0; i < 5; i++)
		sched_wake(&ent[i], 0);
	sim_start(&s, 0);
	for (round = 0; round < 200; round++) {
		/* Advance to an arbitrary point (mid-slice sometimes). */
		sim_run(&s, s.now + 1 * MS + (uint64_t)round * 37 * US, 0);
		e1 = sched_pick(s.now, &dl1);
		take(a, 5);
		e2 = sched_pick(s.now, &dl2);
		take(b, 5);
		assert_ptr_equal(e1, e2);
		assert_true(dl1 == dl2);
		assert_memory_equal(a, b, sizeof(a));
		if (round % 50 == 7) { /* mix in sleeps and wakes */
			sched_sleep(&ent[round % 5], s.now);
			sim_run(&s, s.now + 2 * MS, 0);
			sched_wake(&ent[round % 5], s.now);
		}
	}
}

/* ------------------------------------------------------------------------ */
/* Wake-ups and the running domain's deadline */

static void test_wake_shortens_deadline(void **state)
{
	uint64_t dl;

	(void)state;
	add(0, 1);
	add(1, 1);
	sched_wake(&ent[0], 0);
	assert_ptr_equal(sched_pick(0, &dl), &ent[0]);
	assert_true(dl == SCHED_TIME_MAX);
	/* ent[1] does not preempt (equal E) but ent[0] can no longer run forever. */
	assert_true(sched_wake(&ent[1], 5 * MS));
	assert_ptr_equal(sched_pick(5 * MS, &dl), &ent[0]);
	assert_true(dl == 5 * MS + 1 * MS + 100 * US); /* C + 1 MCU */
	/* At the deadline ent[0] is more than C ahead: ent[1] runs. */
	assert_ptr_equal(sched_pick(dl, &dl), &ent[1]);
	/* ent[3] wakes with E equal to the running ent[1]'s: no preemption,
	 * but it is below the runner-up (ent[0]) so ent[1]'s slice shrinks. */
	add(3, 1);
	assert_true(sched_wake(&ent[3], 6100 * US));
	assert_ptr_equal(sched_pick(6100 * US, &dl), &ent[1]);
	assert_true(dl == 6100 * US + 1 * MS + 100 * US);
	/* A domain waking far ahead of the runner-up changes nothing. */
	add(2, 1);
	ent[2].avt = ent[1].avt + 1000 * MS * (UINT64_C(1) << 24);
	assert_false(sched_wake(&ent[2], 6100 * US));
	assert_ptr_equal(sched_pick(6100 * US, &dl), &ent[1]);
}

/* ------------------------------------------------------------------------ */
/* Yield */

/* A weight-w entity's charge for n MCUs of 100 us (the default MCU). */
static uint64_t mcus_vt(uint64_t n, uint32_t w)
{
	return n * ((UINT64_C(100000) << 24) / w);
}

/* The yielder gives way even when it is not behind by more than C, and is
 * charged exactly as if it had been preempted: the MCUs it ran, the one it
 * began in full. */
static void test_yield_other_runs(void **state)
{
	uint64_t dl, a0;

	(void)state;
	add(0, 1);
	add(1, 1);
	sched_wake(&ent[0], 0);
	sched_wake(&ent[1], 0);
	assert_ptr_equal(sched_pick(0, &dl), &ent[0]);
	assert_true(dl == 1 * MS + 100 * US); /* C + 1 MCU */
	/* 250 us in: without the yield it would keep the CPU (equal E + C). */
	assert_ptr_equal(sched_pick(250 * US, &dl), &ent[0]);
	sched_yield(&ent[0], 250 * US);
	assert_ptr_equal(sched_pick(250 * US, &dl), &ent[1]);
	assert_true(ent[0].runnable);
	assert_false(ent[0].running);
	assert_true(ent[1].running);
	assert_true(ent[0].avt == mcus_vt(3, 1)); /* 2.5 MCUs run: 3 billed */
	assert_true(ent[1].avt == 0);
	/* ent[1] runs until it is more than C ahead of ent[0]: its normal slice,
	 * (3 + 10 + 1) MCUs. The yield affected one decision only: picking
	 * again at the same time keeps ent[1]. */
	assert_true(dl == 250 * US + 14 * 100 * US);
	assert_ptr_equal(sched_pick(250 * US, &dl), &ent[1]);
	assert_true(dl == 250 * US + 14 * 100 * US);
	assert_ptr_equal(sched_pick(dl, &dl), &ent[0]);

	/* Yielding at an MCU boundary right after being picked costs nothing;
	 * the yielder is lower than the other, which runs anyway, one MCU at a
	 * time (it is already more than C past the yielder). */
	a0 = ent[0].avt;
	sched_yield(&ent[0], 1650 * US);
	assert_ptr_equal(sched_pick(1650 * US, &dl), &ent[1]);
	assert_true(ent[0].avt == a0);
	assert_true(ent[0].evt < ent[1].evt);
	assert_true(dl == 1750 * US);
	assert_ptr_equal(sched_pick(dl, &dl), &ent[0]);

	/* Charged like a preemption, i.e. like a sleep at the same time. */
	a0 = ent[0].avt;
	sched_yield(&ent[0], 1750 * US + 420 * US);
	assert_ptr_equal(sched_pick(1750 * US + 420 * US, &dl), &ent[1]);
	assert_true(ent[0].avt == a0 + mcus_vt(5, 1));

	/* Only the running entity can yield; anything else is ignored. */
	sched_yield(&ent[0], 2200 * US);
	sched_yield(NULL, 2200 * US);
	assert_ptr_equal(sched_pick(2200 * US, &dl), &ent[1]);
}

/* Alone, the yielder runs on; it pays only the complete MCUs. */
static void test_yield_alone(void **state)
{
	uint64_t dl;

	(void)state;
	add(0, 3);
	add(1, 1); /* registered, asleep */
	sched_wake(&ent[0], 0);
	assert_ptr_equal(sched_pick(0, &dl), &ent[0]);
	sched_yield(&ent[0], 730 * US);
	assert_ptr_equal(sched_pick(730 * US, &dl), &ent[0]);
	assert_true(dl == SCHED_TIME_MAX);
	assert_true(ent[0].running);
	assert_true(ent[0].avt == mcus_vt(7, 3)); /* still running: no partial MCU */
	assert_ptr_equal(sched_pick(1 * MS, &dl), &ent[0]);
	assert_true(ent[0].avt == mcus_vt(10, 3));
}

/*
 * An entity that yields at arbitrary points (also right after being picked,
 * or mid-MCU) gets no more than its share: it pays for every MCU it began.
 * The CPU-bound ones share the rest by weight.
 */
static void yield_share(uint32_t wy, uint32_t wo, int others)
{
	uint64_t now = 0, dl, total = 0, run[3] = { 0 };
	uint64_t seed = 12345;
	int i;

	add(0, wy);
	for (i = 1; i <= others; i++)
		add(i, wo);
	for (i = 0; i <= others; i++)
		sched_wake(&ent[i], 0);
	while (now < 30 * SEC) {
		struct sched_entity *e = sched_pick(now, &dl);
		uint64_t next = dl;

		assert_non_null(e);
		if (e == &ent[0]) {
			/* Runs a pseudo-random part of its slice, then yields. */
			seed = seed * 6364136223846793005u + 1442695040888963407u;
			next = now + (seed >> 33) % (dl - now);
			sched_yield(e, next);
		}
		run[e - ent] += next - now;
		total += next - now;
		now = next;
	}
	{
		double wsum = wy + (double)wo * others;
		double got = (double)run[0] / (double)total;

		if (got > wy / wsum * 1.01)
			fail_msg("yielder: share %.4f, entitled to %.4f", got, wy / wsum);
		for (i = 1; i <= others; i++)
			if ((double)run[i] / (double)total < wo / wsum * 0.99)
				fail_msg("domain %d: share %.4f < %.4f", i, (double)run[i] / (double)total,
					 wo / wsum);
	}
}

/* Two domains of weight 1, both runnable from 0; ent[0] is picked at 0. */
static void start_pair(uint64_t *dl)
{
	add(0, 1);
	add(1, 1);
	sched_wake(&ent[0], 0);
	sched_wake(&ent[1], 0);
	assert_ptr_equal(sched_pick(0, dl), &ent[0]);
}

/* The slice after a yield is at least one MCU and at most the max slice,
 * also at the edges where sched_yield_pick() hands over to the general path
 * (a slice of a whole max slice or more) or keeps it (one MCU). */
static void test_yield_slice_bounds(void **state)
{
	uint64_t dl;

	(void)state;
	init_globals(10 * MS, 100 * US, 10 * MS); /* C worth the whole max slice */
	start_pair(&dl);
	assert_ptr_equal(sched_yield_pick(&ent[0], 50 * US, &dl), &ent[1]);
	assert_true(dl == 50 * US + 10 * MS); /* 1 + 100 MCUs to go: the max slice */
	assert_ptr_equal(sched_yield_pick(&ent[1], 100 * US, &dl), &ent[0]);
	assert_true(dl == 100 * US + 10 * MS); /* exactly 100 MCUs: the max slice */

	/* A max slice of 10.5 MCUs: the slice is cut there, not at 11 MCUs. */
	memset(ent, 0, sizeof(ent));
	init_globals(950 * US, 100 * US, 1050 * US);
	start_pair(&dl);
	assert_ptr_equal(sched_yield_pick(&ent[0], 50 * US, &dl), &ent[1]);
	assert_true(dl == 50 * US + 1050 * US); /* 11 MCUs due, cut to the max slice */

	memset(ent, 0, sizeof(ent));
	init_globals(1 * MS, 100 * US, 10 * MS);
	start_pair(&dl);
	assert_true(dl == 1100 * US); /* E passes the other's E + C after 11 MCUs */
	assert_ptr_equal(sched_pick(dl, &dl), &ent[1]);
	assert_true(dl == 3300 * US); /* 22 MCUs */
	assert_ptr_equal(sched_pick(dl, &dl), &ent[0]);
	/* ent[0] (A = 12 MCUs once billed) yields to ent[1] (22), whose E is
	 * then exactly ent[0]'s E + C: one MCU. */
	assert_ptr_equal(sched_yield_pick(&ent[0], 3350 * US, &dl), &ent[1]);
	assert_true(dl == 3450 * US);
	assert_true(ent[0].avt == mcus_vt(12, 1));
}

/* A wake-up that would have preempted is used up by a yield that comes
 * before the decision: later decisions apply C again. */
static void test_yield_uses_up_wake_preemption(void **state)
{
	uint64_t dl;

	(void)state;
	start_pair(&dl);
	add(2, 1); /* asleep */
	/* ent[2] wakes with A = SVT = 0, below ent[0]'s 5 MCUs: it would preempt */
	assert_true(sched_wake(&ent[2], 500 * US));
	/* but ent[0] yields first: ent[1] (queued first, E = 0) takes over */
	assert_ptr_equal(sched_yield_pick(&ent[0], 550 * US, &dl), &ent[1]);
	assert_true(dl == 1650 * US);
	/* 2 MCUs later ent[2]'s E is below ent[1]'s by less than C: no switch */
	assert_ptr_equal(sched_pick(750 * US, &dl), &ent[1]);
	assert_true(dl == 1650 * US);
}

/* sched_yield() and then sched_yield_pick() are one yield, for one decision. */
static void test_yield_twice_is_one_yield(void **state)
{
	uint64_t dl;

	(void)state;
	start_pair(&dl);
	sched_yield(&ent[0], 50 * US);
	assert_ptr_equal(sched_yield_pick(&ent[0], 50 * US, &dl), &ent[1]);
	assert_ptr_equal(sched_pick(dl, &dl), &ent[0]); /* ent[1]'s slice ran out */
	/* a decision within ent[0]'s new slice keeps it: its yield is over */
	assert_ptr_equal(sched_pick(dl - 50 * US, &dl), &ent[0]);
}

/*
 * Yield-heavy run with slice expiries, sleeps and wake-ups in between;
 * returns a checksum of every decision (who, deadline, A). combined:
 * sched_yield_pick() instead of sched_yield() + sched_pick(). The domains:
 * weights[0..n-1], the one at warp_idx (if >= 0) warp-enabled. Equal
 * weights and no warp keep the run queue in its lane, where
 * sched_yield_pick() takes its straight path; mixed weights and a warp send
 * it to the general one.
 */
/* y, just queued, holds the newest queueing stamp of the n entities. */
static bool queued_last(const struct sched_entity *y, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (&ent[i] != y && ent[i].runnable && !ent[i].running && ent[i].seq >= y->seq)
			return false;
	return true;
}

static uint64_t yield_trace(bool combined, int n, const uint32_t *weights, int warp_idx)
{
	uint64_t now = 0, dl = 0, sum = 0, seed = 7;
	struct sched_entity *e = NULL;
	int step;

	memset(ent, 0, sizeof(ent));
	init_globals(1 * MS, 100 * US, 10 * MS);
	for (step = 0; step < n; step++) {
		struct sched_params p = step == warp_idx ?
			warp_params(weights[step], 500 * US, 2 * MS, 1 * MS) : params(weights[step]);

		assert_int_equal(sched_add(&ent[step], (uint32_t)step, &p), 0);
		sched_wake(&ent[step], 0);
	}
	for (step = 0; step < 20000; step++) {
		int op;

		seed = seed * 6364136223846793005u + 1442695040888963407u;
		op = (int)((seed >> 33) % 10);
		if (e && op < 6) {
			/* mostly within an MCU of the last charge: the usual yield */
			now += 1 + (seed >> 40) % (op < 5 ? 90 * US : 250 * US);
			if (combined) {
				struct sched_entity *y = e;

				e = sched_yield_pick(e, now, &dl);
				if (e != y)
					assert_true(queued_last(y, n)); /* FIFO among equals */
			} else {
				sched_yield(e, now);
				e = sched_pick(now, &dl);
			}
		} else if (op < 8 || !e) {
			if (dl != SCHED_TIME_MAX)
				now = dl > now ? dl : now + 1;
			e = sched_pick(now, &dl);
		} else {
			struct sched_entity *o = &ent[(seed >> 45) % (uint64_t)n];
			bool woke = false;

			if (o->runnable && o != e)
				sched_sleep(o, now);
			else if (!o->runnable)
				woke = sched_wake(o, now);
			sum = sum * 31 + woke;
			/* The decision due: sometimes the running domain yields
			 * at once (the wake-up's preemption must not outlive it). */
			if (e && o != e && (seed >> 50) % 2) {
				if (combined) {
					e = sched_yield_pick(e, now, &dl);
				} else {
					sched_yield(e, now);
					e = sched_pick(now, &dl);
				}
				/* and sometimes another decision at once, where
				 * a preemption left over would show */
				if ((seed >> 52) % 2)
					e = sched_pick(now, &dl);
			} else {
				e = sched_pick(now, &dl);
			}
		}
		for (op = 0; op < n; op++)
			assert_true(ent[op].running == (&ent[op] == e)); /* only the picked one */
		sum = sum * 31 + (e ? (uint64_t)(e - ent) + 1 : 0);
		sum = sum * 31 + dl;
		sum = sum * 31 + (e ? e->avt : 0);
	}
	return sum;
}

/*
 * The fast paths memoize each entity's last slice plan by its gap
 * (slice_memo()). With C = 0 a weight change leaves the gap of a domain
 * switched in by a yield as it was, so a memo that survived the change would
 * plan the old weight's slice and charge: the same run, with
 * sched_yield_pick() (fast path, memo) and with sched_yield() +
 * sched_pick() (general path, no memo), must give the same decisions, and
 * the reweighed domain's slice must follow its new weight.
 */
static uint64_t reweigh_trace(bool combined, uint64_t ctx)
{
	uint64_t now = 0, dl, sum = 0;
	struct sched_entity *e;
	int step;

	memset(ent, 0, sizeof(ent));
	init_globals(ctx, 100 * US, 10 * MS);
	add(0, 1);
	add(1, 1);
	sched_wake(&ent[0], 0);
	sched_wake(&ent[1], 0);
	e = sched_pick(0, &dl);
	for (step = 0; step < 40; step++) {
		if (step == 11 || step == 24) {
			/* the queued one: derive() runs for it */
			struct sched_entity *q = e == &ent[0] ? &ent[1] : &ent[0];
			struct sched_params p = params(step == 11 ? 4 : 2);

			assert_int_equal(sched_set_params(q, &p, now), 0);
		}
		now += 50 * US; /* within the MCU: sched_yield_pick()'s straight path */
		if (combined) {
			e = sched_yield_pick(e, now, &dl);
		} else {
			sched_yield(e, now);
			e = sched_pick(now, &dl);
		}
		sum = sum * 31 + (uint64_t)(e - ent);
		sum = sum * 31 + dl;
		sum = sum * 31 + e->avt;
		sum = sum * 31 + e->plan_avt;
	}
	return sum;
}

static void test_slice_memo_follows_weight(void **state)
{
	(void)state;
	assert_true(reweigh_trace(true, 0) == reweigh_trace(false, 0));
	assert_true(reweigh_trace(true, 1 * MS) == reweigh_trace(false, 1 * MS));
}

/*
 * Two domains yielding to each other take sched_yield_pick()'s two-entity
 * path (yield_pair()), which relies on what st.fast certifies instead of
 * testing it. Everything it leaves behind must be what sched_yield() +
 * sched_pick() leave: each entity's A, E, plan, charge point and queueing
 * stamp (the stamp only matters later, for a tie with a third entity), and
 * the decisions after a third entity woke (lane and heap again) and slept.
 * The yields come at varying points: within the MCU (the two-entity path),
 * right at its end (still one MCU), after more than one MCU (the general
 * path's charge, also after more than 2^32 ns) and at once (nothing run:
 * the general path); twice sched_yield_pick(NULL) comes after a yield.
 */
static uint64_t pair_trace(bool combined, uint32_t w0, uint32_t w1, uint64_t ctx)
{
	/* Within the MCU and at its end (d - 1 = MCU - 1); one past it; none
	 * (d - 1 wraps); more than 2^32 ns (the 32-bit halves of the MCU test:
	 * d - 1 = 2^32 + 50 us - 1 is below the MCU in its low half). */
	static const uint64_t runs[] = { 50 * US, 100 * US, 30 * US, 250 * US, 0, 70 * US,
					 100 * US + 1, 40 * US, 50 * US, 60 * US, 50 * US, 60 * US,
					 (UINT64_C(1) << 32) + 50 * US };
	uint64_t now = 0, dl, sum = 0;
	struct sched_entity *e;
	int step, i;

	memset(ent, 0, sizeof(ent));
	init_globals(ctx, 100 * US, 10 * MS);
	add(0, w0);
	add(1, w1);
	add(2, 1);
	sched_wake(&ent[0], 0);
	sched_wake(&ent[1], 0);
	e = sched_pick(0, &dl);
	for (step = 0; step < 120; step++) {
		if (step == 60)
			sched_wake(&ent[2], now);
		if (step == 80)
			sched_sleep(&ent[2], now);
		now += runs[step % 13];
		if (step == 40 || step == 41) {
			/* NULL yields nothing (sched.h), after a yield too: with
			 * st.fast cleared and the other one alone in the queue. */
			sched_yield(e, now);
			e = combined ? sched_yield_pick(NULL, now, &dl) : sched_pick(now, &dl);
		} else if (e == &ent[2] || !combined) {
			sched_yield(e, now);
			e = sched_pick(now, &dl);
		} else {
			e = sched_yield_pick(e, now, &dl);
		}
		sum = sum * 31 + (uint64_t)(e - ent);
		sum = sum * 31 + dl;
		for (i = 0; i < 3; i++) {
			sum = sum * 31 + ent[i].avt;
			sum = sum * 31 + ent[i].evt;
			sum = sum * 31 + ent[i].seq;
			sum = sum * 31 + ent[i].running;
			if (ent[i].running) {
				sum = sum * 31 + ent[i].charged_until;
				sum = sum * 31 + ent[i].plan_avt;
			}
		}
	}
	return sum;
}

static void test_yield_pair_same_as_yield_then_pick(void **state)
{
	(void)state;
	assert_true(pair_trace(true, 1, 1, 1 * MS) == pair_trace(false, 1, 1, 1 * MS));
	assert_true(pair_trace(true, 1, 1, 0) == pair_trace(false, 1, 1, 0));
	assert_true(pair_trace(true, 1, 3, 1 * MS) == pair_trace(false, 1, 3, 1 * MS));
	assert_true(pair_trace(true, 7, 2, 200 * US) == pair_trace(false, 7, 2, 200 * US));
}

static const uint32_t trace_mixed[] = { 1, 2, 3 }, trace_equal[] = { 1, 1, 1, 1, 1, 1 };

static void test_yield_pick_same_as_yield_then_pick(void **state)
{
	(void)state;
	assert_true(yield_trace(true, 3, trace_mixed, 2) == yield_trace(false, 3, trace_mixed, 2));
	assert_true(yield_trace(true, 2, trace_equal, -1) == yield_trace(false, 2, trace_equal, -1));
	assert_true(yield_trace(true, 4, trace_equal, -1) == yield_trace(false, 4, trace_equal, -1));
	assert_true(yield_trace(true, 3, trace_equal, 1) == yield_trace(false, 3, trace_equal, 1));
	assert_true(yield_trace(true, 6, trace_equal, -1) == yield_trace(false, 6, trace_equal, -1));
}

/* ------------------------------------------------------------------------ */
/* sched_wake_pick(): sched_wake() and, if it says so, sched_pick() in one call */

/* Everything the tests may read of the first n entities, and the decision. */
static uint64_t state_sum(uint64_t sum, int n, const struct sched_entity *e, uint64_t dl)
{
	int i;

	sum = sum * 31 + (e ? (uint64_t)(e - ent) + 1 : 0);
	sum = sum * 31 + dl;
	for (i = 0; i < n; i++) {
		sum = sum * 31 + ent[i].avt;
		sum = sum * 31 + ent[i].evt;
		sum = sum * 31 + ent[i].seq;
		sum = sum * 31 + ent[i].runnable;
		sum = sum * 31 + ent[i].running;
		sum = sum * 31 + ent[i].warped;
		if (ent[i].running) {
			sum = sum * 31 + ent[i].charged_until;
			sum = sum * 31 + ent[i].plan_avt;
		}
	}
	return sum;
}

/* One wake-up, as the send hypercall (combined) or as schedule_wake() +
 * the deferred schedule() do it. Returns whether a pick was made. */
static bool wake_decide(bool combined, struct sched_entity *w, uint64_t now, struct sched_entity **e,
			uint64_t *dl)
{
	bool picked;

	if (combined) {
		struct sched_entity *got = sched_wake_pick(w, now, dl, &picked);

		if (picked)
			*e = got;
		else
			assert_null(got);
		return picked;
	}
	picked = sched_wake(w, now);
	if (picked)
		*e = sched_pick(now, dl);
	return picked;
}

/*
 * A random run of n entities (the ones in warp_mask warp-enabled, some with
 * a warp limit): slice ends, yields, blocks, wake-ups of sleepers (decided
 * at once), sometimes two wake-ups before one decision (the second then
 * meets a pending preemption). Everything observable is summed.
 */
static uint64_t wake_trace(bool combined, int n, const uint32_t *weights, unsigned int warp_mask,
			   uint64_t seed)
{
	uint64_t now = 0, dl = SCHED_TIME_MAX, sum = 0;
	struct sched_entity *e = NULL;
	int step, i;

	memset(ent, 0, sizeof(ent));
	init_globals(1 * MS, 100 * US, 10 * MS);
	for (i = 0; i < n; i++) {
		struct sched_params p = (warp_mask >> i) & 1 ?
			warp_params(weights[i], (uint64_t)(i + 1) * 700 * US, i % 2 ? 2 * MS : 0, 3 * MS) :
			params(weights[i]);

		assert_int_equal(sched_add(&ent[i], (uint32_t)i, &p), 0);
	}
	sched_wake(&ent[0], 0);
	e = sched_pick(0, &dl);
	for (step = 0; step < 20000; step++) {
		struct sched_entity *o;
		int op;

		seed = seed * 6364136223846793005u + 1442695040888963407u;
		op = (int)((seed >> 33) % 10);
		o = &ent[(seed >> 45) % (uint64_t)n];
		now += 1 + (seed >> 40) % (op < 5 ? 120 * US : 3 * MS);
		if (op < 2 && dl != SCHED_TIME_MAX) {
			now = dl > now ? dl : now; /* a slice end */
			e = sched_pick(now, &dl);
		} else if (op < 3 && e) {
			sched_yield(e, now);
			e = sched_pick(now, &dl);
		} else if (op < 5 && e) {
			sched_sleep(e, now); /* the running one blocks */
			e = sched_pick(now, &dl);
		} else if (op < 6 && o->runnable && o != e) {
			sched_sleep(o, now); /* a queued one is paused */
			e = sched_pick(now, &dl);
		} else if (!o->runnable) {
			if (op == 9) {
				/* another wake-up first, its decision not yet taken */
				struct sched_entity *o2 = &ent[(seed >> 50) % (uint64_t)n];

				if (o2 != o && !o2->runnable)
					sum = sum * 31 + sched_wake(o2, now);
				if (!wake_decide(combined, o, now, &e, &dl))
					e = sched_pick(now, &dl); /* o2's decision */
			} else {
				sum = sum * 31 + wake_decide(combined, o, now, &e, &dl);
			}
		} else {
			e = sched_pick(now, &dl);
		}
		for (i = 0; i < n; i++)
			assert_true(ent[i].running == (&ent[i] == e)); /* only the picked one */
		sum = state_sum(sum, n, e, dl);
	}
	return sum;
}

static const uint32_t wake_weights[] = { 1, 1, 2, 1, 3, 1 };

static void test_wake_pick_same_as_wake_then_pick(void **state)
{
	static const struct {
		int n;
		unsigned int warp_mask;
	} runs[] = { { 2, 0x2 }, { 3, 0x6 }, { 4, 0x0 }, { 4, 0xF }, { 6, 0x2A }, { 6, 0x01 } };
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		uint64_t seed = 11 + i;

		assert_true(wake_trace(true, runs[i].n, wake_weights, runs[i].warp_mask, seed) ==
			    wake_trace(false, runs[i].n, wake_weights, runs[i].warp_mask, seed));
	}
}

/*
 * The event hand-off's test (sched_handoff_ok()) is sufficient: whenever it
 * says a sleeper may be switched to at once, the wake-up accounted later --
 * at any time before the running entity's next decision -- picks that
 * sleeper. Random runs as wake_trace()'s, warped and unwarped sleepers of
 * several W (down to 1 ns, some with warp limits and U), running entities
 * warped or not; each wake-up is checked at a random time up to the
 * deadline. The test must say yes often (a test that always says no is
 * sufficient too, and useless) and no to some wake-ups that then preempt
 * anyway (it is not exact: it needs no clock).
 */
static void test_handoff_ok_implies_wake_switch(void **state)
{
	static const uint64_t warps[] = { 1, 50 * US, 700 * US, 2 * MS, 5 * MS };
	unsigned long yes = 0, no_but_switched = 0, no = 0;
	uint64_t seed = 4242;
	int run;

	(void)state;
	for (run = 0; run < 24; run++) {
		int n = 2 + run % 5, step, i;
		uint64_t now = 0, dl = SCHED_TIME_MAX;
		struct sched_entity *e;

		memset(ent, 0, sizeof(ent));
		init_globals(run % 3 ? 1 * MS : 0, 100 * US, 10 * MS);
		for (i = 0; i < n; i++) {
			seed = seed * 6364136223846793005u + 1442695040888963407u;
			struct sched_params p = (seed >> 60) % 4 ?
				warp_params(1 + (uint32_t)((seed >> 20) % 3), warps[(seed >> 30) % 5],
					    (seed >> 40) % 2 ? 300 * US : 0, (seed >> 41) % 2 ? 2 * MS : 0) :
				params(1 + (uint32_t)((seed >> 20) % 3));

			assert_int_equal(sched_add(&ent[i], (uint32_t)i, &p), 0);
		}
		sched_wake(&ent[0], 0);
		e = sched_pick(0, &dl);
		for (step = 0; step < 4000; step++) {
			struct sched_entity *o;
			int op;

			seed = seed * 6364136223846793005u + 1442695040888963407u;
			op = (int)((seed >> 33) % 8);
			o = &ent[(seed >> 45) % (uint64_t)n];
			now += 1 + (seed >> 40) % (op < 4 ? 150 * US : 2 * MS);
			if (dl != SCHED_TIME_MAX && now > dl)
				now = dl; /* the decision due then comes first */
			if (op < 2 && dl != SCHED_TIME_MAX) {
				now = dl;
				e = sched_pick(now, &dl);
			} else if (op < 3 && e) {
				sched_sleep(e, now);
				e = sched_pick(now, &dl);
			} else if (!o->runnable && e) {
				bool ok = sched_handoff_ok(e, o), picked;
				uint64_t span = dl == SCHED_TIME_MAX ? 20 * MS : dl - now;
				uint64_t at = now + (seed >> 20) % (span ? span : 1);
				struct sched_entity *got = sched_wake_pick(o, at, &dl, &picked);

				now = at;
				if (ok) {
					yes++;
					if (!picked || got != o)
						fail_msg("run %d step %d: hand-off to %d allowed, the wake-up kept %d",
							 run, step, (int)(o - ent), picked ? (int)(got - ent) : -1);
				} else {
					no++;
					no_but_switched += picked && got == o;
				}
				if (picked)
					e = got;
			} else if (!o->runnable) {
				sched_wake(o, now); /* idle: no hand-off from nobody */
				e = sched_pick(now, &dl);
			} else {
				e = sched_pick(now, &dl);
			}
		}
	}
	assert_true(yes > 500);
	assert_true(no > 500);
	assert_true(no_but_switched > 0);
}

/* Each condition of sched_handoff_ok() at its edge. ent[0] runs unwarped
 * (E = A + bias); ent[1] sleeps, warp-enabled with W; ent[2] sleeps or
 * waits in the queue. */
static void test_handoff_ok_edges(void **state)
{
	struct sched_params w = warp_params(1, 1 * MS, 0, 0);
	struct sched_entity *e;
	uint64_t dl;

	(void)state;
	add(0, 1);
	assert_int_equal(sched_add(&ent[1], 1, &w), 0);
	add(2, 1);
	sched_wake(&ent[0], 0);
	e = sched_pick(0, &dl);
	assert_ptr_equal(e, &ent[0]);
	assert_true(sched_handoff_ok(&ent[0], &ent[1]));
	assert_false(sched_handoff_ok(&ent[1], &ent[1]));  /* not the running one */
	assert_false(sched_handoff_ok(&ent[0], &ent[2]));  /* no warp */
	w.warp_enabled = false; /* W set, warping not enabled */
	assert_int_equal(sched_add(&ent[4], 4, &w), 0);
	assert_false(sched_handoff_ok(&ent[0], &ent[4]));
	assert_false(sched_handoff_ok(&ent[0], &ent[0]));  /* runnable */
	/* e's A - W: one below cur's A (ok), equal (refused) */
	ent[1].avt = ent[0].avt + ent[1].warp_vt - 1;
	assert_true(sched_handoff_ok(&ent[0], &ent[1]));
	ent[1].avt++;
	assert_false(sched_handoff_ok(&ent[0], &ent[1]));
	ent[1].avt = ent[0].avt;
	/* U: passed at cur's last charge (ok), one ns later (refused) */
	ent[1].warp_back = ent[0].charged_until;
	assert_true(sched_handoff_ok(&ent[0], &ent[1]));
	ent[1].warp_back++;
	assert_false(sched_handoff_ok(&ent[0], &ent[1]));
	ent[1].warp_back = 0;
	/* a yield pending: refused */
	sched_yield(&ent[0], 0);
	assert_false(sched_handoff_ok(&ent[0], &ent[1]));
	e = sched_pick(0, &dl); /* nobody else runnable: ent[0] again */
	assert_ptr_equal(e, &ent[0]);
	assert_true(sched_handoff_ok(&ent[0], &ent[1]));
	/* the queue's head: ent[2] runnable with E just above e's (ok), equal (refused) */
	sched_wake(&ent[2], 0);
	e = sched_pick(0, &dl);
	assert_ptr_equal(e, &ent[0]);
	ent[1].avt = ent[2].evt - VT_EVT_BIAS_TEST + ent[1].warp_vt - 1;
	if (ent[1].avt + VT_EVT_BIAS_TEST - ent[1].warp_vt < ent[0].evt) {
		assert_true(sched_handoff_ok(&ent[0], &ent[1]));
		ent[1].avt++;
		assert_false(sched_handoff_ok(&ent[0], &ent[1]));
	}
}

/* The warped queue's head w (alone there, E just below the running
 * entity's: C kept it waiting): e's A - W one below w's E and e's W above
 * w's (ok); A - W equal (refused); W equal (refused). */
static void test_handoff_ok_warped_queue_edges(void **state)
{
	struct sched_params w1 = warp_params(1, 1 * MS, 0, 0), w3 = warp_params(1, 500 * US, 0, 0);
	struct sched_entity *e;
	uint64_t dl;

	(void)state;
	add(0, 1);
	assert_int_equal(sched_add(&ent[1], 1, &w1), 0);
	assert_int_equal(sched_add(&ent[3], 3, &w3), 0);
	sched_wake(&ent[0], 0);
	e = sched_pick(0, &dl);
	assert_ptr_equal(e, &ent[0]);
	ent[3].avt = ent[0].avt + 2 * ent[3].warp_vt; /* wakes warped, E above ent[0]'s */
	(void)sched_wake(&ent[3], 0); /* a re-plan of ent[0] at most: E above its */
	assert_true(ent[3].warped && ent[3].runnable && !ent[3].running);
	ent[3].evt = ent[0].evt - 10; /* as after ent[0] was charged within C */
	ent[3].avt = ent[3].evt - ent[3].evt_off;
	ent[1].avt = ent[3].evt - VT_EVT_BIAS_TEST + ent[1].warp_vt - 1;
	assert_true(sched_handoff_ok(&ent[0], &ent[1]));
	ent[1].avt++;
	assert_false(sched_handoff_ok(&ent[0], &ent[1]));
	ent[1].avt--;
	ent[1].warp_vt = ent[3].warp_vt;
	ent[1].avt = ent[3].evt - VT_EVT_BIAS_TEST + ent[1].warp_vt - 1;
	assert_false(sched_handoff_ok(&ent[0], &ent[1]));
}

/*
 * The boundaries of the one-call path, each compared with the two calls:
 * a sleeper woken with W = 1 ns (E just below the running entity's:
 * preempts, the last case taken at once) and with W = 0 (E equal: no
 * preemption, the running one keeps the CPU with a shorter slice); a
 * wake-up meeting an equal E already queued (that one goes first, FIFO);
 * an entity already runnable, and an unregistered one (no pick).
 */
static uint64_t wake_boundary(bool combined, int which)
{
	struct sched_params w1 = warp_params(1, 1, 0, 0), w0 = warp_params(1, 0, 0, 0);
	struct sched_entity *e, *got;
	uint64_t dl = 0, now = 0, sum = 0;
	bool picked;

	memset(ent, 0, sizeof(ent));
	init_globals(1 * MS, 100 * US, 10 * MS);
	add(0, 1);
	assert_int_equal(sched_add(&ent[1], 1, which == 1 ? &w0 : &w1), 0);
	assert_int_equal(sched_add(&ent[2], 2, &w1), 0);
	sched_wake(&ent[0], 0);
	e = sched_pick(0, &dl);
	assert_ptr_equal(e, &ent[0]);
	now = 5 * MS + 30 * US;
	switch (which) {
	case 0: /* W = 1 ns: preempts */
		assert_true(wake_decide(combined, &ent[1], now, &e, &dl));
		assert_ptr_equal(e, &ent[1]);
		break;
	case 1: /* W = 0: no preemption, a shorter slice for ent[0] */
		assert_true(wake_decide(combined, &ent[1], now, &e, &dl));
		assert_ptr_equal(e, &ent[0]);
		assert_true(dl != SCHED_TIME_MAX);
		break;
	case 2: /* ent[2], same E, woke first: it goes first */
		assert_true(sched_wake(&ent[2], now));
		assert_true(wake_decide(combined, &ent[1], now, &e, &dl));
		assert_ptr_equal(e, &ent[2]);
		break;
	default: /* already runnable; not registered */
		got = combined ? sched_wake_pick(&ent[0], now, &dl, &picked) : NULL;
		assert_false(combined && picked);
		assert_null(got);
		got = combined ? sched_wake_pick(&ent[5], now, &dl, &picked) : NULL;
		assert_false(combined && picked);
		assert_null(got);
		break;
	}
	sum = state_sum(sum, 3, e, dl);
	/* and what follows: the same decisions */
	now = dl != SCHED_TIME_MAX ? dl : now + 1 * MS;
	e = sched_pick(now, &dl);
	return state_sum(sum, 3, e, dl);
}

static void test_wake_pick_boundaries(void **state)
{
	int which;

	(void)state;
	for (which = 0; which < 4; which++)
		assert_true(wake_boundary(true, which) == wake_boundary(false, which));
}

/*
 * The decisions of the traces above, recorded once. Every build of this
 * suite must reproduce them: the plain one (fast paths), -DSCHED_BVT_SLICE32
 * (32-bit slice arithmetic) and -DSCHED_BVT_NO_FAST_PATH (general path
 * only), so the fast paths are checked against the general path. A change
 * of the policy itself changes them: check it in the no-fast-path build and
 * record the values it prints.
 */
static void test_traces_match_reference(void **state)
{
	static const struct {
		int n, warp_idx;
		const uint32_t *weights;
		uint64_t sum;
	} ref[] = {
		{ 3, 2, trace_mixed, UINT64_C(4844968434521481609) },
		{ 2, -1, trace_equal, UINT64_C(6867477042964724618) },
		{ 4, -1, trace_equal, UINT64_C(14706378355036616346) },
		{ 3, 1, trace_equal, UINT64_C(13785849524494092217) },
		{ 6, -1, trace_equal, UINT64_C(2538964654224953007) },
	};
	unsigned int i, bad = 0;

	(void)state;
	for (i = 0; i < sizeof(ref) / sizeof(ref[0]); i++) {
		uint64_t sum = yield_trace(true, ref[i].n, ref[i].weights, ref[i].warp_idx);

		if (sum != ref[i].sum) {
			print_error("trace %u: checksum UINT64_C(%llu), recorded UINT64_C(%llu)\n", i,
				    (unsigned long long)sum, (unsigned long long)ref[i].sum);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

static void test_yield_share(void **state)
{
	(void)state;
	yield_share(1, 1, 1);
	init_globals(1 * MS, 100 * US, 10 * MS);
	memset(ent, 0, sizeof(ent));
	yield_share(2, 1, 1);
	init_globals(1 * MS, 100 * US, 10 * MS);
	memset(ent, 0, sizeof(ent));
	yield_share(3, 1, 2);
}

/* A yield does not change how a warped wake-up preempts. */
static void test_yield_then_warped_wake(void **state)
{
	struct sched_params wp = warp_params(1, 20 * MS, 0, 0);
	uint64_t dl, now = 10 * MS;

	(void)state;
	add(0, 1);
	add(1, 1);
	assert_int_equal(sched_add(&ent[2], 2, &wp), 0);
	sched_wake(&ent[0], 0);
	sched_wake(&ent[1], 0);
	sched_pick(0, &dl);
	while (dl <= now)
		sched_pick(dl, &dl);
	/* Yield, then a warped domain wakes before the decision: it wins (it
	 * is the lowest), as it would have without the yield. */
	sched_yield(&ent[0], now);
	sched_yield(&ent[1], now); /* whichever runs */
	assert_true(sched_wake(&ent[2], now));
	assert_true(ent[2].warped);
	assert_ptr_equal(sched_pick(now, &dl), &ent[2]);
	sched_sleep(&ent[2], now + 300 * US);
	now += 300 * US;
	sched_pick(now, &dl);

	/* Yield, decision, then the warped wake-up preempts the new runner. */
	now += 2 * MS;
	{
		struct sched_entity *y = sched_pick(now, &dl), *o;

		sched_yield(y, now);
		o = sched_pick(now, &dl);
		assert_ptr_not_equal(o, y);
		now += 150 * US;
		assert_true(sched_wake(&ent[2], now));
		assert_ptr_equal(sched_pick(now, &dl), &ent[2]);
		/* It blocks: the lower of the two others runs, the yield is
		 * forgotten (the yielder may well be the one). */
		sched_sleep(&ent[2], now + 100 * US);
		now += 100 * US;
		o = sched_pick(now, &dl);
		assert_true(o == &ent[0] || o == &ent[1]);
		assert_true(o->evt <= (o == &ent[0] ? ent[1].evt : ent[0].evt));
	}
}

/* ------------------------------------------------------------------------ */
/* Run queue order under churn */

/*
 * Many entities of mixed weights, C = 0, woken, put to sleep, re-weighted and
 * removed at random times. Whenever a decision switches to another entity,
 * it must be the lowest E among the queued ones, the earliest queued among
 * equals (the test keeps its own enqueue order). Exercises insertion and
 * removal anywhere in the run queue and its compaction.
 */
static void test_rq_order_churn(void **state)
{
	uint64_t qseq[NENT], seq = 0, now = 0, dl = 0, seed = 42;
	struct sched_entity *cur = NULL;
	bool live[NENT];
	long step;
	int i;

	(void)state;
	init_globals(0, 100 * US, 10 * MS);
	for (i = 0; i < NENT; i++) {
		add(i, (uint32_t)(1 + i % 5));
		live[i] = true;
		qseq[i] = ++seq;
		assert_true(sched_wake(&ent[i], 0) || i > 0);
	}
	for (step = 0; step < 200000; step++) {
		int op, k;

		seed = seed * 6364136223846793005u + 1442695040888963407u;
		op = (int)((seed >> 33) % 100);
		k = (int)((seed >> 40) % NENT);
		if (op < 70) {
			struct sched_entity *e, *want = NULL;

			if (dl != SCHED_TIME_MAX && dl > now)
				now = op < 60 ? dl : now + (dl - now) / 2 + 1;
			/* The lowest (E, enqueue order) among the queued. */
			for (i = 0; i < NENT; i++) {
				struct sched_entity *q = &ent[i];

				if (!live[i] || !q->runnable || q == cur)
					continue;
				if (!want || q->evt < want->evt ||
				    (q->evt == want->evt && qseq[i] < qseq[want - ent]))
					want = q;
			}
			e = sched_pick(now, &dl);
			if (e != cur) {
				if (e != want)
					fail_msg("step %ld: picked %d, expected %d", step,
						 e ? (int)(e - ent) : -1, want ? (int)(want - ent) : -1);
				if (cur && cur->runnable)
					qseq[cur - ent] = ++seq; /* requeued */
			}
			cur = e;
		} else if (op < 82) {
			if (live[k] && !ent[k].runnable) {
				sched_wake(&ent[k], now);
				qseq[k] = ++seq;
			}
		} else if (op < 94) {
			if (live[k] && ent[k].runnable) {
				sched_sleep(&ent[k], now);
				if (&ent[k] == cur)
					cur = NULL;
			}
		} else if (op < 98) {
			struct sched_params p = params((uint32_t)(1 + (seed >> 50) % 7));

			if (live[k]) {
				assert_int_equal(sched_set_params(&ent[k], &p, now), 0);
				if (ent[k].runnable && &ent[k] != cur)
					qseq[k] = ++seq; /* requeued */
			}
		} else {
			if (live[k]) {
				sched_remove(&ent[k], now);
				live[k] = false;
				if (&ent[k] == cur)
					cur = NULL;
			} else {
				add(k, (uint32_t)(1 + k % 5));
				live[k] = true;
			}
		}
	}
}

/* ------------------------------------------------------------------------ */
/* Long uptime */

static void test_long_uptime(void **state)
{
	struct sim s;
	uint64_t start = (UINT64_C(1) << 63) - 100 * SEC;
	uint64_t max_avt = 0, dl;
	bool rebased = false;
	int i;

	(void)state;
	init_globals(1 * MS, 100 * US, 100 * MS);
	add(0, 1);
	add(1, 2);
	add(2, 1); /* sleeps across the rebase */
	sched_wake(&ent[0], start);
	sched_wake(&ent[1], start);
	sim_start(&s, start);
	/* 900 s: the weight-1 domain runs 300 s = 2^62 vt at weight 1, past the
	 * rebase threshold, and the clock crosses 2^63. */
	for (i = 0; i < 900; i++) {
		sim_run(&s, start + (uint64_t)(i + 1) * SEC, 0);
		if (ent[0].avt < max_avt)
			rebased = true;
		if (ent[0].avt > max_avt)
			max_avt = ent[0].avt;
		assert_true(ent[0].avt < (UINT64_C(1) << 62));
		assert_true(ent[1].avt < (UINT64_C(1) << 62));
	}
	assert_true(rebased);
	assert_true(s.now > (UINT64_C(1) << 63));
	assert_share(&s, 0, 2, 1.0 / 3, 0.01);
	assert_share(&s, 1, 2, 2.0 / 3, 0.01);

	/* The sleeper wakes at SVT and gets its share, no more. */
	sched_pick(s.now, &dl);
	sched_wake(&ent[2], s.now);
	assert_true(ent[2].avt == (ent[0].avt < ent[1].avt ? ent[0].avt : ent[1].avt));
	sim_start(&s, s.now);
	sim_run(&s, s.now + 20 * SEC, 0);
	assert_share(&s, 0, 3, 1.0 / 4, 0.01);
	assert_share(&s, 1, 3, 2.0 / 4, 0.01);
	assert_share(&s, 2, 3, 1.0 / 4, 0.01);
}

/* One domain alone for hours in a single interval, then another wakes. */
/*
 * Two domains that yield to each other or run their slices out, past
 * several rebases of virtual time; returns a checksum of the decisions and
 * A's (see yield_trace).
 */
static uint64_t long_yield_trace(bool combined)
{
	uint64_t now = 0, dl, sum = 0, seed = 11, max_avt = 0;
	struct sched_entity *e;
	int rebases = 0;
	long step;

	memset(ent, 0, sizeof(ent));
	init_globals(1 * MS, 1 * MS, 10 * MS); /* a rebase every ~275 000 MCUs run */
	add(0, 1);
	add(1, 1);
	sched_wake(&ent[0], 0);
	sched_wake(&ent[1], 0);
	e = sched_pick(0, &dl);
	for (step = 0; step < 700000; step++) {
		seed = seed * 6364136223846793005u + 1442695040888963407u;
		if ((seed >> 33) % 2) {
			now += 300 * US + (seed >> 40) % (600 * US);
			if (combined) {
				e = sched_yield_pick(e, now, &dl);
			} else {
				sched_yield(e, now);
				e = sched_pick(now, &dl);
			}
		} else {
			now = dl; /* the slice runs out */
			e = sched_pick(now, &dl);
		}
		if (e->avt < max_avt)
			rebases++;
		max_avt = e->avt;
		assert_true(e->avt < (UINT64_C(1) << 62));
		sum = sum * 31 + (uint64_t)(e - ent);
		sum = sum * 31 + dl;
		sum = sum * 31 + ent[0].avt;
		sum = sum * 31 + ent[1].avt;
	}
	assert_true(rebases >= 3);
	return sum;
}

/* Yields across rebases decide as sched_yield() + sched_pick() do. */
static void test_long_uptime_yields(void **state)
{
	(void)state;
	assert_true(long_yield_trace(true) == long_yield_trace(false));
}

static void test_long_single_interval(void **state)
{
	struct sim s;
	uint64_t dl, t = 10 * 3600 * SEC;

	(void)state;
	add(0, 1);
	add(1, 1);
	sched_wake(&ent[0], 0);
	assert_ptr_equal(sched_pick(0, &dl), &ent[0]);
	assert_true(dl == SCHED_TIME_MAX);
	sched_wake(&ent[1], t);
	assert_ptr_equal(sched_pick(t, &dl), &ent[0]);
	sim_start(&s, t);
	sim_run(&s, t + 10 * SEC, 0);
	assert_share(&s, 0, 2, 0.5, 0.01);
}

/* ------------------------------------------------------------------------ */
/* Adding and removing while running */

static void test_add_remove_while_running(void **state)
{
	struct sim s;
	struct sched_entity *e;
	uint64_t dl;
	int i;

	(void)state;
	for (i = 0; i < 4; i++) {
		add(i, 1);
		sched_wake(&ent[i], 0);
	}
	sim_start(&s, 0);
	sim_run(&s, 1 * SEC + 300 * US, 0);

	/* Remove the running domain mid-slice, and a queued one. */
	e = sched_pick(s.now, &dl);
	sched_remove(e, s.now);
	assert_false(e->runnable);
	assert_false(e->running);
	for (i = 0; i < 4; i++)
		if (&ent[i] != e && ent[i].runnable)
			break;
	assert_false(ent[i].running); /* queued */
	sched_remove(&ent[i], s.now);
	assert_false(ent[i].runnable);

	/* Add two new ones and wake them. */
	add(4, 1);
	add(5, 2);
	sched_wake(&ent[4], s.now);
	sched_wake(&ent[5], s.now);
	sim_start(&s, s.now);
	sim_run(&s, s.now + 10 * SEC, 0);
	assert_int_equal(s.run[e - ent], 0);
	assert_int_equal(s.run[i], 0);
	/* Two weight-1 survivors, a weight-1 and a weight-2 newcomer: 1:1:1:2. */
	{
		uint64_t tot = 0;
		int j;

		for (j = 0; j < 6; j++)
			tot += s.run[j];
		for (j = 0; j < 6; j++) {
			double want = (&ent[j] == e || j == i) ? 0.0 : (j == 5 ? 2.0 : 1.0) / 5;
			double got = (double)s.run[j] / (double)tot;

			if (want > 0)
				assert_true(got > want * 0.99 && got < want * 1.01);
		}
	}

	/* Remove the last runnable ones; then nothing runs. */
	for (i = 0; i < 6; i++)
		sched_remove(&ent[i], s.now);
	assert_null(sched_pick(s.now, &dl));
	assert_true(dl == SCHED_TIME_MAX);

	/* Re-adding a removed entity works. */
	add(0, 1);
	assert_true(sched_wake(&ent[0], s.now));
	assert_ptr_equal(sched_pick(s.now, &dl), &ent[0]);
}

static void test_sleep_running_and_queued(void **state)
{
	uint64_t dl, now = 0;
	struct sched_entity *e, *f;

	(void)state;
	add(0, 1);
	add(1, 1);
	add(2, 1);
	sched_wake(&ent[0], 0);
	sched_wake(&ent[1], 0);
	sched_wake(&ent[2], 0);
	e = sched_pick(now, &dl);
	sched_sleep(e, now + 50 * US);
	assert_false(e->running);
	f = sched_pick(now + 50 * US, &dl);
	assert_ptr_not_equal(f, e);
	/* Sleep the queued third one: only f remains. */
	for (int i = 0; i < 3; i++)
		if (&ent[i] != e && &ent[i] != f)
			sched_sleep(&ent[i], now + 60 * US);
	assert_ptr_equal(sched_pick(now + 60 * US, &dl), f);
	assert_true(dl == SCHED_TIME_MAX);
	/* The sleeper ran 50 us and was charged the whole MCU it started. */
	assert_true(e->avt == (UINT64_C(100000) << 24));
	sched_sleep(f, now + 70 * US);
	assert_null(sched_pick(now + 70 * US, &dl));
}

static void test_set_params_runtime(void **state)
{
	struct sched_params p = params(3);
	struct sim s;
	uint64_t dl;

	(void)state;
	add(0, 1);
	add(1, 1);
	sched_wake(&ent[0], 0);
	sched_wake(&ent[1], 0);
	sim_start(&s, 0);
	sim_run(&s, 5 * SEC, 0);
	assert_share(&s, 0, 2, 0.5, 0.01);
	assert_int_equal(sched_set_params(&ent[0], &p, s.now), 0);
	sim_start(&s, s.now);
	sim_run(&s, s.now + 10 * SEC, 0);
	assert_share(&s, 0, 2, 0.75, 0.01);
	/* And for the running one. */
	p = params(1);
	sched_pick(s.now, &dl);
	assert_int_equal(sched_set_params(ent[0].running ? &ent[0] : &ent[1], &p, s.now), 0);
	assert_int_equal(sched_set_params(ent[0].running ? &ent[1] : &ent[0], &p, s.now), 0);
	sim_start(&s, s.now);
	sim_run(&s, s.now + 10 * SEC, 0);
	assert_share(&s, 0, 2, 0.5, 0.01);

	/* Changing the globals at run time keeps shares. */
	p = params(2);
	assert_int_equal(sched_set_params(&ent[1], &p, s.now), 0);
	assert_int_equal(sched_set_global(&(struct sched_global_params){ 2 * MS, 50 * US, 5 * MS }), 0);
	sim_start(&s, s.now);
	sim_run(&s, s.now + 10 * SEC, 0);
	assert_share(&s, 1, 2, 2.0 / 3, 0.01);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_name, setup),
		cmocka_unit_test_setup(test_global_validation, setup),
		cmocka_unit_test_setup(test_param_validation, setup),
		cmocka_unit_test_setup(test_idle_and_single, setup),
		cmocka_unit_test_setup(test_share_2_1, setup),
		cmocka_unit_test_setup(test_share_1_2_4, setup),
		cmocka_unit_test_setup(test_share_weight_1_vs_large, setup),
		cmocka_unit_test_setup(test_64_domains, setup),
		cmocka_unit_test_setup(test_wake_gets_svt, setup),
		cmocka_unit_test_setup(test_sleeper_gets_no_credit, setup),
		cmocka_unit_test_setup(test_warp_preempts_on_wake, setup),
		cmocka_unit_test_setup(test_warp_preempts_despite_ctx_allow, setup),
		cmocka_unit_test_setup(test_warp_limit_and_unwarp, setup),
		cmocka_unit_test_setup(test_warp_cpu_bound_cycles, setup),
		cmocka_unit_test_setup(test_warp_u_zero_never_again, setup),
		cmocka_unit_test_setup(test_warp_short_bursts_keep_warp, setup),
		cmocka_unit_test_setup(test_ties_round_robin, setup),
		cmocka_unit_test_setup(test_ties_round_robin_8, setup),
		cmocka_unit_test_setup(test_late_timer, setup),
		cmocka_unit_test_setup(test_equal_slices_are_2c_plus_2, setup),
		cmocka_unit_test_setup(test_block_after_deadline, setup),
		cmocka_unit_test_setup(test_warp_wake_at_deadline, setup),
		cmocka_unit_test_setup(test_ctx_allow_limits_switches, setup),
		cmocka_unit_test_setup(test_slice_is_in_ns, setup),
		cmocka_unit_test_setup(test_no_double_charge, setup),
		cmocka_unit_test_setup(test_pick_twice_same_now, setup),
		cmocka_unit_test_setup(test_wake_shortens_deadline, setup),
		cmocka_unit_test_setup(test_yield_other_runs, setup),
		cmocka_unit_test_setup(test_yield_alone, setup),
		cmocka_unit_test_setup(test_yield_share, setup),
		cmocka_unit_test_setup(test_yield_then_warped_wake, setup),
		cmocka_unit_test_setup(test_rq_order_churn, setup),
		cmocka_unit_test_setup(test_slice_exact_all_configs, setup),
		cmocka_unit_test_setup(test_yield_pick_same_as_yield_then_pick, setup),
		cmocka_unit_test_setup(test_wake_pick_same_as_wake_then_pick, setup),
		cmocka_unit_test_setup(test_handoff_ok_implies_wake_switch, setup),
		cmocka_unit_test_setup(test_handoff_ok_edges, setup),
		cmocka_unit_test_setup(test_handoff_ok_warped_queue_edges, setup),
		cmocka_unit_test_setup(test_wake_pick_boundaries, setup),
		cmocka_unit_test_setup(test_traces_match_reference, setup),
		cmocka_unit_test_setup(test_slice_memo_follows_weight, setup),
		cmocka_unit_test_setup(test_yield_pair_same_as_yield_then_pick, setup),
		cmocka_unit_test_setup(test_yield_slice_bounds, setup),
		cmocka_unit_test_setup(test_yield_uses_up_wake_preemption, setup),
		cmocka_unit_test_setup(test_yield_twice_is_one_yield, setup),
		cmocka_unit_test_setup(test_long_uptime, setup),
		cmocka_unit_test_setup(test_long_uptime_yields, setup),
		cmocka_unit_test_setup(test_long_single_interval, setup),
		cmocka_unit_test_setup(test_add_remove_while_running, setup),
		cmocka_unit_test_setup(test_sleep_running_and_queued, setup),
		cmocka_unit_test_setup(test_set_params_runtime, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
