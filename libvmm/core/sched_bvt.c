/*
 * Borrowed Virtual Time scheduler (Duda & Cheriton, SOSP'99), the policy
 * behind sched.h. Modelled on Xen 3.0's sched_bvt.c, minus its defects (slice
 * length computed by adding a count of MCUs to nanoseconds; a domain charged
 * twice when it was picked again). docs/scheduling.md explains the rules and
 * parameters.
 *
 * Units
 *   Real time: ns (uint64_t), absolute, as passed by the caller; it must not
 *   go backwards between calls.
 *   Virtual time (A, E, and W and C converted): 2^VT_SHIFT units per ns of
 *   running at weight 1, i.e. a domain of weight w advances 2^24/w per ns.
 *   Weight is the inverse of Xen's mcu_advance. Per entity, derive()
 *   precomputes inc = floor(mcu_ns * 2^24 / weight), the A charged per MCU,
 *   and W and C in its virtual time, so the hot path multiplies and never
 *   divides by the weight. inc's relative rounding error is < 1/inc: with
 *   MCU = 100 us, < 1e-6 for weights up to 2^20, < 0.3% even at 2^32-1.
 *
 * Charging (A)
 *   A domain is charged in whole MCUs of running, rounded up: running 10 us
 *   with MCU = 100 us costs one MCU, so a domain cannot run for free by
 *   blocking (or being preempted) before an MCU is complete. Each entity keeps
 *   charged_until, the real time its A already covers. While it keeps running,
 *   a charge at `now` bills only the complete MCUs of [charged_until, now);
 *   when it stops (preempted or asleep) the MCU it began is billed in full.
 *   So charging is idempotent (calling sched_pick twice at the same `now`
 *   changes nothing), picking the same domain again bills the elapsed time
 *   exactly once (Xen 3.0 billed it twice), and decisions do not depend on
 *   how often the caller calls sched_pick: E only moves at MCU boundaries.
 *   Deadlines fall on MCU boundaries, so a CPU-bound domain pays for exactly
 *   what it ran.
 *
 * Effective virtual time (E)
 *   E = A - W while warped, else A. W and C are capped at VT_WARP_CAP and E
 *   is stored with the bias VT_EVT_BIAS added (E = A + bias - W >= 2^58), so
 *   neither E nor E - C underflows and plain unsigned comparisons order it.
 *
 * No wrap-around
 *   A runnable domain's A is at most W + C + one charge (capped at
 *   VT_CHARGE_CAP) + one MCU above SVT, < 2^61: it was the lowest E (or
 *   within C of it) when it was last chosen. When the running domain's A
 *   reaches VT_RENORM, every A and E is rebased by SVT: O(entities), at most
 *   once per ~2^60 of SVT progress (about 68 s of running at weight 1, longer
 *   for heavier domains). Order is unchanged; sleepers below SVT go to 0,
 *   which is what waking would do anyway (A = max(A, SVT)). So 64-bit values
 *   never wrap, at any uptime and for any `now` below 2^64 - 2^32.
 *
 * Run queue (sched_heap.h)
 *   Runnable domains other than the running one are queued by (E, seq),
 *   where seq is a stamp taken each time a domain is queued, so equal E's are
 *   served FIFO, i.e. round-robin. Unwarped domains are in st.uq: a binary
 *   heap plus a FIFO lane for those queued in E order (a domain whose slice
 *   ran out usually has the largest E: with equal weights always), so the
 *   common switch touches only the two ends of the lane, O(1), and anything
 *   else costs O(log n) in the heap. Warped domains (few, briefly) are in the
 *   heap st.wq by E and the heap st.wa by A. The best is the lower of uq's and
 *   wq's. SVT (minimum A over runnable domains) is the lowest of the running
 *   domain's A, the A of uq's best (E = A + bias for unwarped domains) and
 *   wa's top; a domain's warp state only changes while it is not queued. The
 *   running domain is not queued: keeping it costs no queue work.
 *
 * Yield
 *   sched_yield() marks the running domain; the next decision then switches
 *   to the head of the run queue whatever its E (C does not apply), bills
 *   the yielder as a preemption would, and plans the new domain's slice as
 *   usual: until its E exceeds the runner-up's (possibly the yielder's) E +
 *   C, at least one MCU. sched_yield_pick() (the yield hypercall) decides
 *   the usual case, no heap and no warp involved and the yielder ran at most
 *   one MCU, in yield_lane() without the general path.
 *
 * Decision cost
 *   When sched_pick sets a deadline it also records the charge plan of the
 *   chosen domain: "k MCUs from charged_until" (plan_end, plan_avt). At the
 *   deadline (or less than an MCU after it: timer latency) the charge is then
 *   two stores. If the plan ends with the domain more than C above its
 *   runner-up (the head of the run queue), that decision is known in advance
 *   to be a switch to the head, and if nothing else happened since (st.fast:
 *   no call other than sched_pick, no warp involved, no rebase due),
 *   sched_pick takes a fast path for it: charge, take the head, put the old
 *   domain back (usually last), plan the new slice. Everything else goes
 *   through pick_general().
 *   The hot paths have no division: the slice length floor(gap / inc) + 1
 *   comes from a per-entity reciprocal of inc (slice_mcus(): one 64x64->128
 *   multiplication on 64-bit CPUs, one 32x32->64 on 32-bit ones), the MCU
 *   count of a general charge from a 32-bit reciprocal of the MCU. 64-bit division
 *   (__aeabi_uldivmod on ARM) only happens on parameter changes and for a
 *   single charge covering more than 4.29 s.
 *   bench/sched_bench.sh measures the cost (docs/performance.md).
 */
#include "sched.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cold.h"
#include "sched_heap.h"
#include "vmm/abi.h"
#include "vmm/dom0_op.h"

#define VT_SHIFT        24                        /* vt per ns at weight 1: 2^24 */
#define VT_WARP_CAP     (UINT64_C(1) << 58)       /* cap of W and of C in vt */
#define VT_EVT_BIAS     (UINT64_C(1) << 59)       /* E = A + bias - W >= 2^58 >= C */
#define VT_CHARGE_CAP   (UINT64_C(1) << 59)       /* cap of one charge (~34 s at weight 1) */
#define VT_RENORM       (UINT64_C(1) << 61)       /* rebase when the running A reaches this */
/* A runnable A is at most W + C + one charge (+ one MCU) above SVT, < 2^61;
 * E stays below 2^62, so E + C or E - C never overflows. */

/*
 * Parameter limits: the public ones of vmm/dom0_op.h, derived in
 * docs/scheduling.md ("Bounds"). In short: the quantum floor keeps every
 * slice longer than the hypervisor's decision-to-guest path, so no domain
 * is stopped by a tiny slice; max slice + MCU < 2^32 keeps plans in 32-bit
 * products; W <= 1 s bounds how long a warped domain can keep the others
 * waiting; the weight ratio bounds the smallest share.
 */
#define QUANTUM_MIN_NS    VMM_SCHED_QUANTUM_MIN_NS
#define MCU_MAX_NS        VMM_SCHED_MCU_MAX_NS
#define CTX_ALLOW_MAX_NS  VMM_SCHED_CTX_ALLOW_MAX_NS
#define MAX_SLICE_MAX_NS  VMM_SCHED_MAX_SLICE_MAX_NS
#define WEIGHT_MAX        VMM_SCHED_WEIGHT_MAX
#define WARP_MAX_NS       VMM_SCHED_WARP_MAX_NS
#define PARAM_TIME_MAX    VMM_SCHED_TIME_MAX_NS   /* L, U */

/* E and A of the sentinel ("nobody"): above every real key (< 2^62). */
#define KEY_NONE SCHED_HEAP_KEY_NONE

struct sched_state {
	/* Hot: read on every decision. */
	struct sched_entity *fast;    /* cur, if the next pick may take the fast
	                               * path (see sched_pick); NULL otherwise */
	struct sched_entity *fast_next; /* with st.fast: the runner-up its plan was
	                               * made against, the head of uq */
	struct sched_entity *cur;     /* running entity (runnable, not queued) */
	struct sched_entity *yield;   /* the running entity yielded */
	uint64_t mcu_ns;
	uint32_t mcu32;               /* mcu_ns (< 2^32), for 32-bit products */
	uint64_t next_evt;            /* runner-up's E when the deadline was set */
	uint64_t dl;                  /* the deadline the last decision gave cur */
	uint64_t seq;                 /* queueing stamps handed out */
	struct sched_runq uq;         /* queued unwarped entities, by (E, seq) */
	struct sched_heap wq;         /* queued warped entities, by (E, seq) */
	/* Cold. */
	struct sched_entity *preempt; /* woke with E below the running one's */
	uint64_t max_slice_ns;
	uint32_t mcu_recip;           /* floor(2^32 / mcu_ns), for MCU counts */
	struct sched_heap wa;         /* the warped ones again, by (A, seq) */
	struct sched_global_params g;
	uint64_t kmax;                /* ceil(max_slice_ns / mcu_ns) */
	uint64_t kmax_ns;             /* kmax MCUs in ns */
	uint64_t kfit;                /* floor(max_slice_ns / mcu_ns) */
	uint64_t svt;                 /* last known SVT (used when nothing runs) */
	unsigned int count;           /* registered entities */
	unsigned int nrunnable;
	struct sched_entity *all[SCHED_MAX_ENTITIES];
};

static struct sched_state st;
static void (*settle_hook)(void); /* see sched_set_settle_hook() */

void sched_set_settle_hook(void (*hook)(void))
{
	settle_hook = hook;
}
static struct sched_entity sentinel; /* "nobody": E = A = KEY_NONE */

/* An empty queue's best: the sentinel or the lane head, both keyed KEY_NONE. */
static inline bool is_nobody(const struct sched_entity *e)
{
	return e->evt == KEY_NONE;
}

/* ------------------------------------------------------------------------ */
/* Run queue: runnable entities other than st.cur (see sched_heap.h) */

/* Smallest (E, seq) among the queued; nobody (is_nobody()) if none. */
static inline struct sched_entity *rq_best(void)
{
	struct sched_entity *u = runq_top(&st.uq), *w = heap_top(&st.wq);

	return heap_before(w, u, false) ? w : u;
}

/* Queues e behind every queued entity of equal E (a new stamp).
 * e->warped must not change while e is queued. */
static inline __attribute__((always_inline)) void rq_insert(struct sched_entity *e)
{
	e->seq = ++st.seq;
	if (e->warped) {
		heap_push(&st.wq, e, false);
		heap_push(&st.wa, e, true);
	} else {
		runq_push(&st.uq, e);
	}
}

static inline void rq_remove(struct sched_entity *e)
{
	if (e->warped) {
		heap_remove(&st.wq, e, false);
		heap_remove(&st.wa, e, true);
	} else {
		runq_remove(&st.uq, e);
	}
}

/* ------------------------------------------------------------------------ */
/* Units */

/* ns * 2^24 / w, rounded down, saturated at cap. Not on the hot path. */
static uint64_t ns_to_vt(uint64_t ns, uint32_t w, uint64_t cap)
{
	uint64_t q = ns / w, r = ns % w, v;

	if (q >= (cap >> VT_SHIFT))
		return cap;
	v = (q << VT_SHIFT) + ((r << VT_SHIFT) / w);
	return v < cap ? v : cap;
}

/* floor(d / mcu_ns). */
static inline uint64_t mcus_floor(uint64_t d)
{
	if (d <= UINT32_MAX) {
		/* q is floor(d / mcu) or one less: d - q * mcu < 2 * mcu. */
		uint64_t q = ((uint64_t)(uint32_t)d * st.mcu_recip) >> 32;

		return q + (d - q * st.mcu_ns >= st.mcu_ns);
	}
	return d / st.mcu_ns; /* one charge over 4.29 s: rare */
}

/*
 * Smallest k with k * inc > gap, i.e. floor(gap / inc) + 1: the number of
 * MCUs after which the running entity's E exceeds the runner-up's E + C.
 * Called with gap < gap_cap = kmax * inc < 2^56, so k <= kmax < 2^31. No
 * division; two implementations of one contract, chosen by the word size
 * (test/CMakeLists.txt runs the unit tests with each):
 *
 * 64-bit CPUs (a 64x64->128 multiply): rinc = floor((2^64 - 1) / inc) >=
 * 2^64 / inc - 2, so q = floor(gap * rinc / 2^64) is floor(gap / inc) or one
 * less (gap < 2^62).
 *
 * 32-bit CPUs (the ARMv7-A target; SCHED_BVT_SLICE32 forces it): g = gap >>
 * gap_shift fits 32 bits and rinc = floor(2^(gap_shift + rinc_shift) / inc)
 * < 2^32 (derive_slice()), so q = g * rinc >> rinc_shift is one 32x32->64
 * multiply and 32-bit shifts. It never exceeds floor(gap / inc) and is at
 * most 4 below it (the dropped low bits of gap cost < 2^gap_shift / inc <= 2,
 * the rounding of rinc and the final floor < 1 each); with any sane MCU and
 * weight it is exact or one below, and rarely that.
 *
 * A correction step adds what is missing.
 */
#if defined(__SIZEOF_INT128__) && !defined(SCHED_BVT_SLICE32)
#define SLICE_RECIP_64 1
#else
#define SLICE_RECIP_64 0
#endif

static inline uint32_t slice_mcus(const struct sched_entity *e, uint64_t gap)
{
#if SLICE_RECIP_64
	uint64_t q = (uint64_t)(((unsigned __int128)gap * e->rinc) >> 64);

	return (uint32_t)(q + 1 + (gap - q * e->inc >= e->inc));
#else
	/* 32-bit shifts only: 1 <= gap_shift <= 31, 32 <= rinc_shift <= 63. */
	uint32_t g = (uint32_t)(gap >> 32) << (32 - e->gap_shift) | (uint32_t)gap >> e->gap_shift;
	uint32_t q = (uint32_t)(((uint64_t)g * (uint32_t)e->rinc) >> 32) >> (e->rinc_shift - 32);
	uint64_t rem = gap - (uint64_t)q * e->inc;

	while (rem >= e->inc) {
		rem -= e->inc;
		q++;
	}
	return q + 1;
#endif
}

/*
 * The fast paths' slice plan for e against a gap below slice_cap: k =
 * slice_mcus(e, gap) MCUs, returned as k * inc (A charged) with *ns = k MCUs
 * in ns (< kmax_ns < 2^32). The last gap and its result are kept per entity:
 * a domain that keeps being switched in at the same distance from its
 * runner-up (two domains yielding to each other, equal CPU-bound domains at
 * slice ends) gets the same plan again, and the steady state skips the
 * division-free but long slice_mcus() and the two products. derive() clears
 * the memo (memo_gap = MEMO_NONE, no real gap) whenever inc, the
 * reciprocal or the MCU change. The general path (pick_general) never uses
 * it: the -DSCHED_BVT_NO_FAST_PATH build ties the memo to slice_mcus().
 *
 * A memoized gap is below slice_cap (every caller checks first), and
 * derive(), the only writer of slice_cap, clears the memo: so a gap equal
 * to memo_gap is known to be below slice_cap without comparing
 * (yield_pair() relies on it). That needs "no memo" (MEMO_NONE) to equal no
 * gap a fast path computes, E' + C - E with both E in [2^58, 2^62) and C <=
 * 2^58: below 2^62 + 2^58 when it does not wrap, above 2^64 - 2^62 when it
 * does (a gap the callers send to the general path), never 2^63.
 */
#define MEMO_NONE (UINT64_C(1) << 63)

static inline uint64_t slice_memo(struct sched_entity *e, uint64_t gap, uint32_t *ns)
{
	if (gap != e->memo_gap) {
		uint32_t k = slice_mcus(e, gap);

		e->memo_gap = gap;
		e->memo_ns = k * st.mcu32;
		e->memo_vt = k * e->inc;
	}
	*ns = e->memo_ns;
	return e->memo_vt;
}

/*
 * slice_mcus()'s reciprocal for e (inc and gap_cap set). 32-bit variant: the
 * smallest gap_shift >= 1 with (gap_cap - 1) >> gap_shift < 2^32, then as many
 * extra bits of precision p as keep rinc = floor(2^(gap_shift + 32 + p) /
 * inc) below 2^32 (rinc_shift = 32 + p <= 63 - gap_shift).
 */
static void derive_slice(struct sched_entity *e)
{
	uint32_t shift = 1, p = 0; /* shift >= 1: slice_mcus() shifts by 32 - shift */

	if (SLICE_RECIP_64) {
		e->rinc = UINT64_MAX / e->inc;
		return;
	}
	while ((e->gap_cap - 1) >> shift > UINT32_MAX)
		shift++; /* at most 24: gap_cap < 2^56 */
	while (shift + 33 + p <= 63 && (UINT64_C(1) << (shift + 33 + p)) / e->inc <= UINT32_MAX)
		p++;
	e->gap_shift = (uint8_t)shift;
	e->rinc_shift = (uint8_t)(32 + p);
	e->rinc = (UINT64_C(1) << (shift + 32 + p)) / e->inc;
}

/* Derived per-entity values; depend on the entity's and the global params. */
static void derive(struct sched_entity *e)
{
	uint32_t w = e->params.weight;

	e->inc = ns_to_vt(st.g.mcu_ns, w, VT_CHARGE_CAP);
	if (e->inc == 0)
		e->inc = 1;
	e->max_mcus = VT_CHARGE_CAP / e->inc;
	e->warp_vt = ns_to_vt(e->params.warp_ns, w, VT_WARP_CAP);
	e->ctx_vt = ns_to_vt(st.g.ctx_allow_ns, w, VT_WARP_CAP);
	e->gap_cap = st.kmax * e->inc;
	e->slice_cap = st.kfit * e->inc;
	derive_slice(e);
	e->fast_avt_max = VT_RENORM - e->inc;
	e->memo_gap = MEMO_NONE; /* no slice memoized (see slice_memo()) */
	/* No planned charge (see charge()). */
	e->plan_end = e->charged_until;
	e->plan_avt = e->avt;
}

/* E = A - W if warped, else A (+ bias); evt_off caches bias - W or bias. */
static inline void set_evt(struct sched_entity *e)
{
	e->evt_off = VT_EVT_BIAS - (e->warped ? e->warp_vt : 0);
	e->evt = e->avt + e->evt_off;
}

static inline bool may_warp(const struct sched_entity *e, uint64_t now)
{
	return e->params.warp_enabled && e->warp_vt && now >= e->warp_back;
}

static inline void start_warp(struct sched_entity *e, uint64_t now)
{
	e->warped = true;
	e->warp_used = 0;
	e->warp_start = now;
}

/* Minimum A over runnable entities, or the last known SVT if none. Among
 * the unwarped E = A + bias, so the best of uq has their smallest A; the
 * warped ones are in wa by A. (The sentinel's A is KEY_NONE.) */
static uint64_t svt_now(void)
{
	uint64_t v = st.cur ? st.cur->avt : KEY_NONE;
	uint64_t u = runq_top(&st.uq)->avt, w = heap_top(&st.wa)->avt;

	if (u < v)
		v = u;
	if (w < v)
		v = w;
	return v == KEY_NONE || v < st.svt ? st.svt : v;
}

/* Rebases every A and E by SVT; order is unchanged. Rare (see top). */
static void renorm(void)
{
	uint64_t base = svt_now();
	unsigned int i;

	st.fast = NULL;
	for (i = 0; i < SCHED_MAX_ENTITIES; i++) {
		struct sched_entity *e = st.all[i];

		if (!e)
			continue;
		if (e->runnable) {
			/* A >= base for runnable entities, and E, plan_avt >= A. */
			e->avt -= base;
			e->evt -= base;
			/* A stale plan (charged past it) may be below base; it is
			 * never used again, so any value will do. */
			e->plan_avt = e->plan_avt > base ? e->plan_avt - base : 0;
		} else {
			e->avt = e->avt > base ? e->avt - base : 0;
			set_evt(e);
		}
	}
	st.svt = st.svt > base ? st.svt - base : 0;
	if (st.next_evt != KEY_NONE)
		st.next_evt = st.next_evt > base ? st.next_evt - base : 0;
}

/* Warp bookkeeping of the running entity up to `now` (warp-enabled only). */
static void charge_warp(struct sched_entity *e, uint64_t now)
{
	if (now > e->acct_time) {
		if (e->warped) {
			uint64_t lim = e->params.warp_limit_ns;

			e->warp_used += now - e->acct_time;
			if (lim && e->warp_used >= lim) {
				/* L of continuous warped running: unwarp until U passed. */
				uint64_t at = now - (e->warp_used - lim);
				uint64_t u = e->params.unwarp_ns;

				e->warped = false;
				e->warp_back = !u ? SCHED_TIME_MAX :
					at > SCHED_TIME_MAX - u ? SCHED_TIME_MAX : at + u;
			}
		}
		e->acct_time = now;
	}
	if (!e->warped && may_warp(e, now))
		start_warp(e, now); /* U has passed since the warp limit hit */
	set_evt(e);
}

/* General case of charge(): bills the complete MCUs of [charged_until, now). */
static void charge_mcus(struct sched_entity *e, uint64_t now)
{
	uint64_t d = now - e->charged_until;

	/* Signed: a `now` before charged_until (clock going back) bills nothing. */
	if ((int64_t)d >= (int64_t)st.mcu_ns) {
		uint64_t n = mcus_floor(d);

		e->avt += n > e->max_mcus ? VT_CHARGE_CAP : n * e->inc;
		e->charged_until += n * st.mcu_ns;
	}
}

/*
 * Brings the running entity's A, warp budget and E up to `now`. Idempotent:
 * only the complete MCUs of [charged_until, now) are billed and only
 * [acct_time, now) counts against the warp limit.
 * Fast path: sched_pick() records the plan "k MCUs from charged_until"
 * (plan_end = charged_until + k MCUs, plan_avt = A + k * inc) when it sets
 * the deadline; at the deadline (or less than an MCU after it, timer latency)
 * exactly those k MCUs are complete, so the charge is two stores. Partial
 * charges in between (sched_wake) keep the plan's absolute targets valid.
 * Out of line, with its helpers inside, and rq_insert() inlined: the code
 * layout GCC chose before sched_wake_pick() added callers (the wake-up
 * benchmark of bench/sched_bench.sh is what tells).
 */
static __attribute__((noinline)) void charge(struct sched_entity *e, uint64_t now)
{
	if (e->params.warp_enabled)
		charge_warp(e, now);
	if (now - e->plan_end < st.mcu_ns) {
		e->avt = e->plan_avt;
		e->charged_until = e->plan_end;
	} else {
		charge_mcus(e, now);
	}
	e->evt = e->avt + e->evt_off;
	if (e->avt >= VT_RENORM)
		renorm();
}

/*
 * When the running entity stopped running, for a decision at `now`: its
 * deadline if that has passed. The timer interrupt at the end of a slice
 * stops the guest at its deadline; the hypervisor's time to take that
 * interrupt and decide is not the domain's running, and billing it a whole
 * MCU for it would make two equal domains alternate in slices of 2C + 3
 * MCUs instead of 2C + 2 (docs/scheduling.md).
 */
static inline uint64_t stop_time(uint64_t now)
{
	return now < st.dl ? now : st.dl;
}

/* The running entity stopped at `stop` (after charge()): bills the MCU it
 * began, if it ran in it at all. */
static inline void charge_stop(struct sched_entity *e, uint64_t stop)
{
	if (stop > e->charged_until) {
		e->avt += e->inc;
		e->charged_until += st.mcu_ns;
		e->evt = e->avt + e->evt_off;
		if (e->avt >= VT_RENORM)
			renorm();
	}
}

static void switch_in_warp(struct sched_entity *e, uint64_t now)
{
	e->acct_time = now;
	if (!e->warped && may_warp(e, now)) {
		start_warp(e, now);
		set_evt(e);
	}
}

/* e (not queued) starts running; sched_pick() sets its plan next. */
static inline void switch_in(struct sched_entity *e, uint64_t now)
{
	e->running = true;
	e->charged_until = now;
	if (e->params.warp_enabled)
		switch_in_warp(e, now);
	st.cur = e;
}

static inline bool registered(const struct sched_entity *e)
{
	return e && e->slot >= 0 && e->slot < SCHED_MAX_ENTITIES && st.all[e->slot] == e;
}

/* ------------------------------------------------------------------------ */
/* Validation */

static inline bool weight_valid(uint32_t w)
{
	return w >= 1 && w <= WEIGHT_MAX;
}

static inline bool warp_valid(uint64_t w)
{
	return w <= WARP_MAX_NS;
}

/* 0 = unlimited; a limit is a slice end, so not shorter than the quantum. */
static inline bool warp_limit_valid(uint64_t l)
{
	return l == 0 || (l >= QUANTUM_MIN_NS && l <= PARAM_TIME_MAX);
}

static inline bool unwarp_valid(uint64_t u)
{
	return u <= PARAM_TIME_MAX;
}

const char *sched_params_invalid(const struct sched_params *p)
{
	if (!weight_valid(p->weight))
		return "weight outside 1..10000";
	if (!warp_valid(p->warp_ns))
		return "warp_ns above 1 s";
	if (!warp_limit_valid(p->warp_limit_ns))
		return "warp_limit_ns neither 0 nor 50 us..2^62 ns";
	if (!unwarp_valid(p->unwarp_ns))
		return "unwarp_ns above 2^62 ns";
	return NULL;
}

static inline bool params_valid(const struct sched_params *p)
{
	return !sched_params_invalid(p);
}

static inline bool mcu_valid(uint64_t mcu)
{
	return mcu >= QUANTUM_MIN_NS && mcu <= MCU_MAX_NS;
}

static inline bool ctx_allow_valid(uint64_t c)
{
	return c <= CTX_ALLOW_MAX_NS;
}

/* A slice holds at least one MCU (so at least the quantum). */
static inline bool max_slice_valid(uint64_t s, uint64_t mcu)
{
	return s >= mcu && s <= MAX_SLICE_MAX_NS;
}

VMM_COLD const char *sched_global_invalid(const struct sched_global_params *g)
{
	if (!mcu_valid(g->mcu_ns))
		return "mcu_ns outside 50 us..1 s";
	if (!ctx_allow_valid(g->ctx_allow_ns))
		return "ctx_allow_ns above 1 s";
	if (!max_slice_valid(g->max_slice_ns, g->mcu_ns))
		return "max_slice_ns outside mcu_ns..2 s";
	return NULL;
}

static inline bool globals_valid(const struct sched_global_params *g)
{
	return !sched_global_invalid(g);
}

VMM_COLD static void set_globals(const struct sched_global_params *g)
{
	unsigned int i;

	st.g = *g;
	st.mcu_ns = g->mcu_ns;
	st.mcu32 = (uint32_t)g->mcu_ns;
	st.max_slice_ns = g->max_slice_ns;
	st.mcu_recip = g->mcu_ns == 1 ? UINT32_MAX :
		(uint32_t)((UINT64_C(1) << 32) / g->mcu_ns);
	st.kmax = (g->max_slice_ns + g->mcu_ns - 1) / g->mcu_ns;
	st.kmax_ns = st.kmax * g->mcu_ns;
	st.kfit = g->max_slice_ns / g->mcu_ns;
	for (i = 0; i < SCHED_MAX_ENTITIES; i++)
		if (st.all[i])
			derive(st.all[i]);
}

/* ------------------------------------------------------------------------ */
/* Interface */

VMM_COLD int sched_init(const struct sched_global_params *g)
{
	if (!g || !globals_valid(g))
		return -VMM_EINVAL;
	memset(&st, 0, sizeof(st));
	memset(&sentinel, 0, sizeof(sentinel));
	sentinel.avt = KEY_NONE;
	sentinel.evt = KEY_NONE;
	sentinel.slot = -1;
	runq_init(&st.uq, &sentinel);
	heap_init(&st.wq, &sentinel);
	heap_init(&st.wa, &sentinel);
	st.next_evt = KEY_NONE;
	set_globals(g);
	return 0;
}

VMM_COLD int sched_add(struct sched_entity *e, uint32_t id, const struct sched_params *p)
{
	int i, slot = -1;

	if (!e || !p || !params_valid(p))
		return -VMM_EINVAL;
	for (i = SCHED_MAX_ENTITIES - 1; i >= 0; i--) {
		if (st.all[i] == e)
			return -VMM_EEXIST;
		if (!st.all[i])
			slot = i;
	}
	if (slot < 0)
		return -VMM_ENOSPC;
	memset(e, 0, sizeof(*e));
	e->params = *p;
	e->id = id;
	e->slot = slot;
	e->avt = st.svt; /* sched_wake() raises it to SVT anyway */
	derive(e);
	set_evt(e);
	st.all[slot] = e;
	st.count++;
	return 0;
}

void sched_remove(struct sched_entity *e, uint64_t now)
{
	(void)now;
	if (!registered(e))
		return;
	st.fast = NULL;
	if (e->runnable) {
		if (e == st.cur)
			st.cur = NULL;
		else
			rq_remove(e);
		if (--st.nrunnable == 0 && e->avt > st.svt)
			st.svt = e->avt;
	}
	if (st.preempt == e)
		st.preempt = NULL;
	if (st.yield == e)
		st.yield = NULL;
	st.all[e->slot] = NULL;
	st.count--;
	e->runnable = false;
	e->running = false;
	e->warped = false;
	e->slot = -1;
}

/* sched_wake() up to the queueing: the running entity charged, e's A
 * (no credit banked while asleep), warp and E set, e runnable. */
static inline __attribute__((always_inline)) void
wake_begin(struct sched_entity *e, struct sched_entity *cur, uint64_t now)
{
	uint64_t svt;

	st.fast = NULL;
	if (cur)
		charge(cur, now); /* its A must be current for SVT and the comparison */
	svt = svt_now();
	st.svt = svt;
	if (e->avt < svt)
		e->avt = svt; /* no credit banked while asleep */
	e->warped = false;
	if (may_warp(e, now))
		start_warp(e, now);
	set_evt(e);
	e->runnable = true;
	e->running = false;
	st.nrunnable++;
}

/* The rest of sched_wake(): e queued, and the verdict. */
static inline __attribute__((always_inline)) bool
wake_end(struct sched_entity *e, struct sched_entity *cur)
{
	rq_insert(e);
	if (!cur)
		return true;
	if (e->evt < cur->evt) {
		st.preempt = e; /* the next pick ignores C */
		return true;
	}
	/* Not lower than cur, but lower than the runner-up its deadline assumed. */
	return e->evt < st.next_evt;
}

bool sched_wake(struct sched_entity *e, uint64_t now)
{
	struct sched_entity *cur = st.cur;

	if (!registered(e) || e->runnable)
		return false;
	wake_begin(e, cur, now);
	return wake_end(e, cur);
}

void sched_sleep(struct sched_entity *e, uint64_t now)
{
	if (!registered(e) || !e->runnable)
		return;
	st.fast = NULL;
	if (e == st.cur) {
		charge(e, now);
		charge_stop(e, stop_time(now));
		st.cur = NULL;
		e->running = false;
	} else {
		rq_remove(e);
	}
	e->runnable = false;
	if (st.preempt == e)
		st.preempt = NULL;
	if (st.yield == e)
		st.yield = NULL;
	if (--st.nrunnable == 0 && e->avt > st.svt)
		st.svt = e->avt;
	/* Blocking ends the warped run; a pending U (warp_back) stays. */
	e->warped = false;
	e->warp_used = 0;
	set_evt(e);
}

void sched_bvt_yield(struct sched_entity *e, uint64_t now)
{
	(void)now; /* the pick that follows charges e (pick_general) */
	if (!e || e != st.cur)
		return;
	st.fast = NULL;
	st.yield = e;
}

/* cur is switched out for best, the head of the run queue (cur charged). */
static inline void requeue(struct sched_entity *cur, struct sched_entity *best, uint64_t now)
{
	charge_stop(cur, stop_time(now));
	cur->running = false;
	if (!cur->warped && best == runq_top(&st.uq)) {
		cur->seq = ++st.seq;
		runq_replace_top(&st.uq, best, cur);
	} else {
		rq_remove(best);
		rq_insert(cur);
	}
}

/*
 * Sets the charge plan of cur (running, charged to now, unwarped or warped)
 * for running until its E exceeds next's E + C, in whole MCUs, at most the
 * max slice; next is a real entity. Returns the deadline; *sw tells whether
 * cur's E then exceeds next's E + C (a switch is then due if nothing else
 * happened in between).
 */
static inline uint64_t plan_gap(struct sched_entity *cur, const struct sched_entity *next,
				uint64_t now, bool *sw)
{
	/* next's E + C is >= cur's E by the choice of cur, except right after
	 * a yield: cur then runs one MCU (it is already past next's E + C). */
	uint64_t lim = next->evt + cur->ctx_vt;
	uint64_t gap = lim > cur->evt ? lim - cur->evt : 0;
	uint64_t dl = now + st.max_slice_ns;

	st.next_evt = next->evt;
	*sw = gap < cur->gap_cap;
	if (!*sw) {
		cur->plan_end = cur->charged_until + st.kmax_ns;
		cur->plan_avt = cur->avt + cur->gap_cap;
	} else {
		uint32_t k = slice_mcus(cur, gap);

		cur->plan_end = cur->charged_until + k * st.mcu32; /* < kmax_ns < 2^32 */
		cur->plan_avt = cur->avt + k * cur->inc;
		if (cur->plan_end < dl)
			dl = cur->plan_end;
	}
	return dl;
}

/* The deadline dl of cur's plan, no later than the end of its warp limit. */
static inline __attribute__((always_inline)) uint64_t
plan_warp_limit(const struct sched_entity *cur, uint64_t now, uint64_t dl)
{
	if (cur->warped && cur->params.warp_limit_ns) {
		uint64_t left = cur->params.warp_limit_ns - cur->warp_used, w;

		/* A domain preempted just before its limit would otherwise be
		 * switched in for a slice shorter than the path to its first
		 * instruction: it gets the quantum, and charge_warp() still
		 * dates the unwarp (and U) from the moment L was reached. */
		if (left < QUANTUM_MIN_NS)
			left = QUANTUM_MIN_NS;
		w = now + left;
		if (w < dl)
			dl = w;
	}
	return dl;
}

/* plan_gap() in general: next may be the sentinel, cur may be warped. */
static inline uint64_t plan_slice(struct sched_entity *cur, const struct sched_entity *next,
				  uint64_t now, bool *sw)
{
	uint64_t dl;

	if (is_nobody(next)) {
		st.next_evt = KEY_NONE;
		*sw = false;
		dl = SCHED_TIME_MAX;
		cur->plan_end = cur->charged_until;
		cur->plan_avt = cur->avt;
	} else {
		dl = plan_gap(cur, next, now, sw);
	}
	return plan_warp_limit(cur, now, dl);
}

/* A decision's last step: cur planned against best with deadline dl (sw:
 * plan_gap()'s verdict); may the next decision take the fast path? (see
 * sched_pick) */
static inline __attribute__((always_inline)) struct sched_entity *
pick_commit(struct sched_entity *cur, struct sched_entity *best, uint64_t dl, bool sw,
	    uint64_t *deadline)
{
	st.fast = sw && !cur->params.warp_enabled && !st.wq.n && !best->params.warp_enabled &&
		  cur->plan_avt < cur->fast_avt_max ? cur : NULL;
	st.fast_next = best;
	st.dl = dl;
	*deadline = dl;
	return cur;
}

/* The end of a decision that chose cur (running, charged or just switched
 * in): no preemption or yield pending any more, cur's slice planned against
 * the head of the run queue. */
static inline __attribute__((always_inline)) struct sched_entity *
pick_plan(struct sched_entity *cur, uint64_t now, uint64_t *deadline)
{
	struct sched_entity *best;
	uint64_t dl;
	bool sw;

	st.preempt = NULL;
	st.yield = NULL;
	best = rq_best();
	dl = plan_slice(cur, best, now, &sw);
	return pick_commit(cur, best, dl, sw, deadline);
}

/* A scheduling decision in any state. Kept out of sched_pick() so that the
 * fast path does not pay for its registers. */
static __attribute__((noinline)) struct sched_entity *pick_general(uint64_t now, uint64_t *deadline)
{
	struct sched_entity *cur = st.cur, *best;

	if (cur) {
		charge(cur, now);
		best = rq_best();
		/* Preempt only if best is lower by more than C (0 after a wake-up);
		 * E >= 2^58 >= C, so no underflow; the sentinel never wins. After a
		 * yield, anyone else wins. */
		if (st.yield == cur ? !is_nobody(best) :
		    best->evt < cur->evt - (st.preempt ? 0 : cur->ctx_vt)) {
			requeue(cur, best, now);
			switch_in(best, now);
			cur = best;
		}
	} else {
		cur = rq_best();
		if (is_nobody(cur)) {
			st.preempt = NULL;
			st.yield = NULL;
			st.next_evt = KEY_NONE;
			st.dl = SCHED_TIME_MAX;
			*deadline = SCHED_TIME_MAX;
			return NULL;
		}
		rq_remove(cur);
		switch_in(cur, now);
	}
	return pick_plan(cur, now, deadline);
}

/*
 * Fast path, second half: best (taken off the run queue) starts running;
 * next, the new head of the run queue, is its runner-up (E >= best's).
 */
static inline __attribute__((always_inline)) struct sched_entity *switch_plan(struct sched_entity *best,
					       const struct sched_entity *next,
					       uint64_t now, uint64_t *deadline)
{
	uint64_t gap, dl;

	st.next_evt = next->evt;
	gap = next->evt + best->ctx_vt - best->evt;
	best->running = true;
	best->charged_until = now;
	st.cur = best;
	if (gap >= best->slice_cap) {
		bool sw;

		dl = plan_gap(best, next, now, &sw);
		st.fast = NULL;
	} else {
		/* Within the max slice: the deadline is the plan's end. */
		uint32_t ns;
		uint64_t avt = best->avt + slice_memo(best, gap, &ns);

		dl = now + ns;
		best->plan_end = dl;
		best->plan_avt = avt;
		st.fast = avt < best->fast_avt_max && !next->params.warp_enabled ? best : NULL;
		st.fast_next = (struct sched_entity *)next;
	}
	st.dl = dl;
	*deadline = dl;
	return best;
}

/* pick_switch() when the heap is involved (kept out of line so that the
 * lane-only fast path needs no callee-saved registers). */
static __attribute__((noinline)) struct sched_entity *
switch_heap(struct sched_entity *cur, struct sched_entity *best, uint64_t now, uint64_t *deadline)
{
	runq_replace_slow(&st.uq, best, cur);
	return switch_plan(best, runq_top(&st.uq), now, deadline);
}

/* Fast path: cur's slice ended at its plan's end, the deadline (the decision
 * comes less than an MCU later: the interrupt's latency); best, the head of
 * the run queue, takes over (see sched_pick). */
static __attribute__((noinline, unused)) struct sched_entity *
pick_switch(struct sched_entity *cur, uint64_t *deadline, uint64_t now)
{
	struct sched_entity *best = st.fast_next;
	uint64_t avt = cur->plan_avt;

	/* Exactly the planned MCUs: it stopped running at the deadline, the
	 * plan's end (see stop_time()); charged_until only matters while
	 * running. */
	cur->avt = avt;
	cur->evt = avt + cur->evt_off;
	cur->running = false;
	cur->seq = ++st.seq;
	if (!runq_rotate(&st.uq, best, cur))
		return switch_heap(cur, best, now, deadline);
	return switch_plan(best, runq_top(&st.uq), now, deadline);
}

/*
 * The end of yield_pair() and pick_pair(): cur (billed: A and E set, and
 * st.next_evt) leaves the CPU and becomes the only member of the lane, best
 * (alone in the run queue until now) runs its memoized slice (vt, ns: its
 * memo, loaded by the caller before its stores) against cur. Returns best.
 */
static inline __attribute__((always_inline)) struct sched_entity *
pair_commit(struct sched_entity *cur, struct sched_entity *best, uint64_t vt, uint32_t ns,
	    uint64_t now, uint64_t *deadline)
{
	struct sched_entity *lane = &st.uq.lane;
	uint64_t avt, dl;

	cur->running = false;
	cur->seq = ++st.seq;
	/* best leaves the lane, cur is its only member */
	cur->pos[0] = SCHED_POS_LANE;
	cur->next = lane;
	cur->prev = lane;
	lane->next = cur;
	lane->prev = cur;
	best->charged_until = now;
	best->running = true;
	st.cur = best;
	avt = best->avt + vt;
	dl = now + ns;
	best->plan_end = dl;
	best->plan_avt = avt;
	st.fast = avt < best->fast_avt_max ? best : NULL; /* cur is not warp-enabled */
	st.fast_next = cur;
	st.dl = dl;
	*deadline = dl;
	return best;
}

/*
 * pick_switch() when exactly two entities are runnable: best (the runner-up
 * of cur's plan, st.fast_next) is alone in the run queue (the caller checked
 * the lane holds only it and the heap is empty), so cur, once billed, is
 * alone in the lane after the switch and best's runner-up. The slice-end
 * switch between two domains, the timer benchmark's case, as yield_pair()
 * is for the yield. Left to check: best's gap is the one its memoized plan
 * was made at; anything else takes pick_switch(). The decision and every value
 * stored are pick_switch()'s (the unit tests compare with the general path).
 */
static __attribute__((noinline, unused)) struct sched_entity *
pick_pair(struct sched_entity *cur, uint64_t *deadline, uint64_t now)
{
	struct sched_entity *best = st.fast_next;
	uint64_t avt = cur->plan_avt, evt = avt + cur->evt_off;

	/* Stored first, which frees registers: pick_switch() stores the
	 * same two values if it takes over. */
	cur->avt = avt;
	cur->evt = evt;
	/* runq_rotate()'s "cur goes last" needs no test: st.fast certifies
	 * that the plan ends with cur's E above best's E + C (C >= 0). */
	if (__builtin_expect(evt + best->ctx_vt - best->evt != best->memo_gap, 0))
		return pick_switch(cur, deadline, now);
	st.next_evt = evt;
	return pair_commit(cur, best, best->memo_vt, best->memo_ns, now, deadline);
}

struct sched_entity *sched_pick(uint64_t now, uint64_t *deadline)
{
#ifndef SCHED_BVT_NO_FAST_PATH
	/*
	 * Fast path for the common decision: the running entity's slice expired
	 * (less than an MCU after its planned end, so exactly the planned MCUs
	 * are complete) and the runner-up takes over. st.fast is set by the
	 * previous pick only when this decision is then known to be that
	 * switch: the plan was made against the runner-up, now the head of the
	 * run queue, and ends with cur's E above the runner-up's E + C; cur is
	 * not warp-enabled (no warp bookkeeping), no warped entity is queued
	 * and the charge needs no rebase. Every other call that changes a
	 * queue, the running entity or a parameter clears it. The
	 * runner-up (st.fast_next) is not warp-enabled either (it starts
	 * running without warp bookkeeping). (Tests can be built with
	 * -DSCHED_BVT_NO_FAST_PATH.)
	 */
	struct sched_entity *cur = st.fast;

	if (cur) {
		if (now - cur->plan_end < st.mcu_ns) {
			/* Arguments in registers: tail calls, no frame here. */
			if (st.fast_next->next == &st.uq.lane && !st.uq.heap.n)
				return pick_pair(cur, deadline, now);
			return pick_switch(cur, deadline, now);
		}
	}
#endif
	return pick_general(now, deadline);
}

/* yield_lane()'s way out: the yield as sched_yield() + sched_pick() do it. */
static __attribute__((unused)) struct sched_entity *
yield_slow(struct sched_entity *cur, uint64_t now, uint64_t *deadline)
{
	st.fast = NULL;
	st.yield = cur;
	return pick_general(now, deadline);
}

/*
 * The usual yield, decided before anything is changed: no entity in a heap
 * (so the run queue is the lane alone), neither cur nor best (the lane's
 * first) warp-enabled, cur ran more than nothing and at most one MCU since
 * it was last charged and goes last in the lane once billed it, no rebase
 * due, and best's slice against its runner-up (the lane's second, or cur)
 * fits the max slice. Then the decision is pick_general()'s, in
 * straight-line code; anything else goes to yield_slow().
 * (Unused when the tests compile the fast paths out.)
 */
static inline __attribute__((unused)) struct sched_entity *
yield_lane(struct sched_entity *cur, uint64_t now, uint64_t *deadline)
{
	struct sched_entity *lane = &st.uq.lane, *best = lane->next, *next = best->next;
	uint64_t avt, evt, next_evt, gap, dl;
	uint32_t ns;

	/* d = now - charged_until in [1, MCU]: unsigned d - 1 < MCU. One test
	 * each: combined, GCC materializes the flags in registers. */
	if (__builtin_expect(now - cur->charged_until - 1 >= st.mcu_ns, 0))
		return yield_slow(cur, now, deadline);
	if (__builtin_expect(st.uq.heap.n | st.wq.n, 0))
		return yield_slow(cur, now, deadline);
	if (__builtin_expect(best == lane, 0))
		return yield_slow(cur, now, deadline);
	if (__builtin_expect(cur->params.warp_enabled | best->params.warp_enabled, 0))
		return yield_slow(cur, now, deadline);
	avt = cur->avt + cur->inc; /* the MCU it began */
	if (__builtin_expect(avt >= cur->fast_avt_max, 0))
		return yield_slow(cur, now, deadline); /* a rebase is due */
	evt = avt + cur->evt_off;
	if (next == lane) {
		next = cur; /* best was alone in the queue: cur is its runner-up */
		next_evt = evt;
	} else {
		next_evt = next->evt;
		if (evt < lane->prev->evt)
			return yield_slow(cur, now, deadline); /* cur does not go last */
	}
	/* Stored early, which frees registers: the general path sets both
	 * anew if it takes over, and charged_until only counts while running. */
	st.next_evt = next_evt;
	best->charged_until = now;
	/* If next's E + C is below best's E (cur yielded although it was ahead
	 * by more than C), gap wraps to above slice_cap and the general path
	 * gives best one MCU; gap == 0 gives one MCU here too. */
	gap = next_evt + best->ctx_vt - best->evt;
	if (gap >= best->slice_cap)
		return yield_slow(cur, now, deadline);
	cur->avt = avt;
	cur->evt = evt;
	cur->running = false;
	cur->seq = ++st.seq;
	st.preempt = NULL;
	st.yield = NULL;
	/* best leaves the lane's front, cur joins its end */
	lane->next = best->next;
	best->next->prev = lane;
	lane_append(&st.uq, cur);
	best->running = true;
	st.cur = best;
	avt = best->avt + slice_memo(best, gap, &ns);
	dl = now + ns;
	best->plan_end = dl;
	best->plan_avt = avt;
	st.fast = avt < best->fast_avt_max && !next->params.warp_enabled ? best : NULL;
	st.fast_next = next;
	st.dl = dl;
	*deadline = dl;
	return best;
}

/* sched_yield_pick() other than yield_pair(): out of line, so that the
 * two-entity path gets the registers to itself. */
static __attribute__((noinline)) struct sched_entity *
yield_other(struct sched_entity *e, uint64_t now, uint64_t *deadline)
{
	/* Not the running entity: the caller has accounting to do first
	 * (sched_set_settle_hook()). Here, off the fast path: yield_pair()
	 * needs st.fast == e, which a sleeper never is. */
	if (e != st.cur && settle_hook)
		settle_hook();
#ifndef SCHED_BVT_NO_FAST_PATH
	if (e && e == st.cur)
		return yield_lane(e, now, deadline);
#endif
	sched_bvt_yield(e, now);
	return sched_pick(now, deadline);
}

/*
 * yield_lane() when exactly two entities are runnable and the last decision
 * planned cur's slice against the other one (two domains yielding to each
 * other: the domain-switch benchmark). The caller checked st.fast == cur,
 * which certifies what yield_lane() tests one by one (see sched_pick()'s
 * fast path): since that decision no queue, parameter or charge changed
 * (every such call clears st.fast), neither cur nor best (st.fast_next, the
 * run queue's head) is warp-enabled, no warped entity is queued, st.preempt
 * and st.yield are NULL, and cur's A is still the one its plan started from,
 * so A + inc <= plan_avt < fast_avt_max: no rebase is due. The caller also
 * checked that best is alone in the run queue (lane only, heap empty), so
 * cur, once billed, is best's runner-up and goes last, i.e. alone, in the
 * lane. Left to check: cur ran more than nothing and at most one MCU, and
 * best's gap is the one its memoized plan was made at (then the slice fits
 * the max slice, and the plan is the memo's); anything else goes to
 * yield_lane() or the general path. The decision and every value it stores
 * are yield_lane()'s (the unit tests compare with the general path, built
 * with -DSCHED_BVT_NO_FAST_PATH).
 */
static inline __attribute__((unused)) struct sched_entity *
yield_pair(struct sched_entity *cur, struct sched_entity *best, uint64_t now, uint64_t *deadline)
{
	uint64_t d1, avt, evt, gap, vt;
	uint32_t ns;

	/* d = now - charged_until in [1, MCU], MCU < 2^32: d - 1 < MCU, in
	 * 32-bit halves (the high half of d - 1 is 0). */
	d1 = now - cur->charged_until - 1;
	if (__builtin_expect((uint32_t)(d1 >> 32) != 0, 0))
		return yield_slow(cur, now, deadline);
	if (__builtin_expect((uint32_t)d1 >= st.mcu32, 0))
		return yield_slow(cur, now, deadline);
	avt = cur->avt + cur->inc; /* the MCU it began */
	evt = avt + cur->evt_off;
	gap = evt + best->ctx_vt - best->evt; /* wraps past slice_cap: see yield_lane() */
	/* The steady state: best's last slice, planned at this very gap, so
	 * the gap is below slice_cap (see slice_memo()). Any other gap: what
	 * follows in yield_lane(), out of line, so that this path calls
	 * nothing and keeps its values in registers. */
	if (__builtin_expect(gap != best->memo_gap, 0))
		return yield_other(cur, now, deadline);
	ns = best->memo_ns;
	vt = best->memo_vt;
	st.next_evt = evt;
	cur->avt = avt;
	cur->evt = evt;
	return pair_commit(cur, best, vt, ns, now, deadline);
}

struct sched_entity *sched_yield_pick_to(struct sched_entity *e, uint64_t *deadline, uint64_t now)
{
#ifndef SCHED_BVT_NO_FAST_PATH
	struct sched_entity *f = st.fast;

	/* Two tests, not one &&: GCC would compute the pair as a flag first. */
	if (__builtin_expect(f == e, 1)) {
		struct sched_entity *best = st.fast_next;

		if (__builtin_expect(f != NULL, 1) && best->next == &st.uq.lane && !st.uq.heap.n)
			return yield_pair(e, best, now, deadline);
	}
#endif
	return yield_other(e, now, deadline);
}

/*
 * sched_wake_pick()'s usual case, decided without queueing e: e (runnable,
 * not queued, its seq not yet taken) preempts cur and is ahead of every
 * queued entity, so the pick sched_wake() asks for would switch to it.
 * Exactly what sched_wake() + pick_general() do then, minus e's trip
 * through the run queue: e takes its stamp, cur is billed and queued as
 * requeue() does (after e's stamp, as there), e switched in and planned
 * (its slice from the memo, as the other fast paths do).
 * (Unused when the tests compile the fast paths out.)
 */
static __attribute__((noinline, unused)) struct sched_entity *
wake_switch(struct sched_entity *cur, struct sched_entity *e, uint64_t now, uint64_t *deadline)
{
	struct sched_entity *next;
	uint64_t lim, gap, dl;
	uint32_t ns;

	e->seq = ++st.seq; /* rq_insert()'s stamp, taken before cur's */
	charge_stop(cur, stop_time(now));
	cur->running = false;
	rq_insert(cur);
	switch_in(e, now);
	/* pick_plan(), with st.preempt and st.yield NULL already and next a
	 * real entity (cur at least): plan_gap()'s plan, from e's memo when
	 * the slice fits the max slice (e was switched in at now, so the
	 * plan ends k MCUs from now, before now + max slice). */
	next = rq_best();
	lim = next->evt + e->ctx_vt;
	gap = lim > e->evt ? lim - e->evt : 0;
	if (gap >= e->slice_cap)
		return pick_plan(e, now, deadline);
	st.next_evt = next->evt;
	e->plan_avt = e->avt + slice_memo(e, gap, &ns);
	dl = now + ns;
	e->plan_end = dl;
	return pick_commit(e, next, plan_warp_limit(e, now, dl), true, deadline);
}

/*
 * sched_wake_pick()'s other usual case: e (runnable, not queued) does not
 * preempt cur (E not below cur's) but is below the runner-up cur's
 * deadline was planned against, so that deadline must come earlier. The
 * pick then keeps cur unless the run queue's best (e or another) is more
 * than C below it, and re-plans cur's slice against the best: what
 * sched_wake() + pick_general() do, with the plan from cur's memo when the
 * slice fits the max slice (as the other fast paths). cur was charged to
 * now by wake_begin(): pick_general()'s charge would change nothing.
 * (Unused when the tests compile the fast paths out.)
 */
static __attribute__((noinline, unused)) struct sched_entity *
wake_keep(struct sched_entity *cur, struct sched_entity *e, uint64_t now, uint64_t *deadline)
{
	struct sched_entity *next;
	uint64_t lim, gap, dl;
	uint32_t ns;

	rq_insert(e);
	next = rq_best();
	if (next->evt < cur->evt - cur->ctx_vt)
		return pick_general(now, deadline); /* the best takes over after all */
	lim = next->evt + cur->ctx_vt;
	gap = lim > cur->evt ? lim - cur->evt : 0;
	if (gap >= cur->slice_cap)
		return pick_plan(cur, now, deadline);
	st.next_evt = next->evt;
	cur->plan_avt = cur->avt + slice_memo(cur, gap, &ns);
	cur->plan_end = cur->charged_until + ns;
	dl = now + st.max_slice_ns;
	if (cur->plan_end < dl)
		dl = cur->plan_end;
	return pick_commit(cur, next, plan_warp_limit(cur, now, dl), true, deadline);
}

struct sched_entity *sched_wake_pick_to(struct sched_entity *e, uint64_t *deadline, uint64_t now,
					bool *picked)
{
	struct sched_entity *cur = st.cur;

	*picked = false;
	if (!registered(e) || e->runnable)
		return NULL;
	wake_begin(e, cur, now);
#ifndef SCHED_BVT_NO_FAST_PATH
	/* No yield or earlier preemption pending (they change the pick's
	 * rules). e below cur (it preempts) and strictly below the queue's
	 * best (e's stamp would be the newest, so a tie goes to the queued
	 * one, and the general path decides): the switch to e. e not below
	 * cur but below the runner-up of cur's plan: cur's slice re-planned.
	 * Else no decision is due. */
	if (cur && !st.yield && !st.preempt) {
		if (e->evt < cur->evt) {
			if (e->evt < rq_best()->evt) {
				*picked = true;
				return wake_switch(cur, e, now, deadline);
			}
		} else if (e->evt < st.next_evt) {
			*picked = true;
			return wake_keep(cur, e, now, deadline);
		} else {
			rq_insert(e); /* wake_end(): no decision due */
			return NULL;
		}
	}
#endif
	if (!wake_end(e, cur))
		return NULL;
	*picked = true;
	return sched_pick(now, deadline);
}

/*
 * The event hand-off's test (sched.h): would sched_wake_pick(e, now) switch
 * from cur to e at every `now` from cur's last charge until the next
 * decision? Sufficient conditions, read from the stored state without a
 * clock. e wakes warped: warp enabled, W > 0 and U passed by cur's last
 * charge (now is later). Its E then is max(A, SVT) + bias - W. SVT is at
 * most the A of every runnable entity (a woken entity's A is raised to it,
 * runnable A only grow), so whatever SVT has become by `now`, e's E stays
 * strictly below the E of cur and of the queue's best when e's A - W is
 * below theirs and e's W exceeds the W they hold. cur's E must not drop
 * before `now`: it only can by a warp that starts, which a warp-enabled cur
 * running unwarped might do (its U passing); such a cur is refused.
 */
bool sched_handoff_ok(const struct sched_entity *cur, const struct sched_entity *e)
{
	const struct sched_entity *w;
	uint64_t key, we = e->warp_vt;

	if (!e->params.warp_enabled || cur != st.cur || st.yield || !registered(e) || e->runnable)
		return false;
	if (cur->charged_until < e->warp_back)
		return false; /* U may not have passed: e might wake unwarped */
	if (cur->params.warp_enabled && !cur->warped)
		return false; /* cur's warp may start before `now` */
	key = e->avt + VT_EVT_BIAS - we; /* e's E if SVT <= its A */
	/* Below cur, the unwarped queue's head (W = 0 there) and the warped
	 * queue's head: below the best of them, rq_best(). */
	if (key >= cur->evt || we <= VT_EVT_BIAS - cur->evt_off || key >= runq_top(&st.uq)->evt)
		return false;
	w = heap_top(&st.wq);
	return is_nobody(w) || (key < w->evt && we > VT_EVT_BIAS - w->evt_off);
}

int sched_set_params(struct sched_entity *e, const struct sched_params *p, uint64_t now)
{
	bool queued;

	if (!e || !p || !params_valid(p) || !registered(e))
		return -VMM_EINVAL;
	st.fast = NULL;
	if (e == st.cur)
		charge(e, now); /* bill the past at the old weight */
	queued = e->runnable && e != st.cur;
	if (queued)
		rq_remove(e);
	e->params = *p;
	derive(e);
	/* New parameters start a fresh warp period. */
	e->warp_back = 0;
	e->warp_used = 0;
	e->warped = false;
	e->acct_time = now;
	if (e->runnable && may_warp(e, now))
		start_warp(e, now);
	set_evt(e);
	if (queued)
		rq_insert(e);
	return 0;
}

VMM_COLD int sched_set_global(const struct sched_global_params *g)
{
	if (!g || !globals_valid(g))
		return -VMM_EINVAL;
	st.fast = NULL;
	set_globals(g); /* E and the run queue's order do not depend on these */
	return 0;
}

VMM_COLD void sched_get_global(struct sched_global_params *g)
{
	if (g)
		*g = st.g;
}

VMM_COLD const char *sched_name(void)
{
	return "Borrowed Virtual Time (bvt)";
}
