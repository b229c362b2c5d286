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
 * Run queue
 *   Runnable domains other than the running one are in binary min-heaps keyed
 *   by (E, seq); seq is a global enqueue counter, so equal E's are served
 *   FIFO, i.e. round-robin. Unwarped domains are in hu, warped ones in hw; the
 *   best candidate is the smaller of the two tops. SVT (minimum A over
 *   runnable domains) also needs the minimum A of the warped ones, whose order
 *   by A differs from their order by E (W differs per domain), so warped
 *   domains are in ha, keyed by A, too. A domain's warp state only changes
 *   while it is out of the heaps. Every update is O(log n); sifts use Floyd's
 *   "hole to the bottom" method (one comparison per level). The running
 *   domain is outside the heaps: keeping it costs no heap work, a switch one
 *   sift (replace-top).
 *
 * Decision cost
 *   When sched_pick sets a deadline it also records the charge plan of the
 *   chosen domain: "k MCUs from charged_until" (plan_end, plan_avt). At the
 *   deadline (or less than an MCU after it: timer latency) the charge is then
 *   two stores. If nothing else happened since (st.fast: no call other than
 *   sched_pick, no warp involved, no rebase due), sched_pick takes a fast
 *   path for this common case; everything else goes through pick_general().
 *   The hot paths have no division: the MCU count of a charge uses a 32-bit
 *   reciprocal of the MCU, and the slice length is estimated with
 *   multiplications and corrected exactly. 64-bit division (__aeabi_uldivmod
 *   on ARM) only happens on parameter changes, for a single charge covering
 *   more than 4.29 s, and as a safety net for extreme weight/MCU mixes.
 *   bench/sched_bench.sh measures the cost (docs/performance.md).
 */
#include "sched.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vmm/abi.h"

#define VT_SHIFT        24                        /* vt per ns at weight 1: 2^24 */
#define VT_WARP_CAP     (UINT64_C(1) << 58)       /* cap of W and of C in vt */
#define VT_EVT_BIAS     (UINT64_C(1) << 59)       /* E = A + bias - W >= 2^58 >= C */
#define VT_CHARGE_CAP   (UINT64_C(1) << 59)       /* cap of one charge (~34 s at weight 1) */
#define VT_RENORM       (UINT64_C(1) << 61)       /* rebase when the running A reaches this */
/* A runnable A is at most W + C + one charge (+ one MCU) above SVT, < 2^61;
 * E stays below 2^62, so E + C or E - C never overflows. */

/* Parameter limits (see docs/scheduling.md). */
#define PARAM_TIME_MAX    (UINT64_C(1) << 62)     /* W, L, U */
#define MCU_MAX_NS        UINT64_C(1000000000)    /* 1 s */
#define CTX_ALLOW_MAX_NS  UINT64_C(1000000000)    /* 1 s */
#define MAX_SLICE_MAX_NS  UINT64_C(2000000000)    /* 2 s: max slice + MCU < 2^32 */

/*
 * A heap holds a[0..n-1]; a[n] is always &sentinel (E = A = KEY_NONE), so an
 * empty heap's top is the sentinel and a sift never checks for a right child.
 * KEY_NONE is above every real key (< 2^62) and KEY_NONE + 1 does not wrap.
 */
#define KEY_NONE (UINT64_MAX - 1)
struct heap {
	unsigned int n;
	struct sched_entity *a[SCHED_MAX_ENTITIES + 1];
};

struct sched_state {
	/* Hot: read on every decision. */
	struct sched_entity *cur;     /* running entity (runnable, not in a heap) */
	struct sched_entity *preempt; /* woke with E below the running one's */
	struct sched_entity *fast;    /* cur, if the next pick may take the fast
	                               * path (see sched_pick); NULL otherwise */
	uint64_t seq;                 /* enqueue counter */
	uint64_t next_evt;            /* runner-up's E when the deadline was set */
	uint64_t mcu_ns;
	uint64_t max_slice_ns;
	uint32_t mcu_recip;           /* floor(2^32 / mcu_ns), for MCU counts */
	struct heap hu;               /* unwarped, by (E, seq) */
	struct heap hw;               /* warped, by (E, seq) */
	/* Cold. */
	struct heap ha;               /* warped, by (A, seq) */
	struct sched_global_params g;
	uint64_t kmax;                /* ceil(max_slice_ns / mcu_ns) */
	uint64_t kmax_ns;             /* kmax MCUs in ns */
	uint64_t svt;                 /* last known SVT (used when nothing runs) */
	unsigned int count;           /* registered entities */
	unsigned int nrunnable;
	struct sched_entity *all[SCHED_MAX_ENTITIES];
};

static struct sched_state st;
static struct sched_entity sentinel;

/* ------------------------------------------------------------------------ */
/* Heaps. eh_*: hu and hw, keyed by (evt, seq), position in heap_index.
 * ah_*: ha, keyed by (avt, seq), position in aheap_index. The two sets are
 * the same code with another key and position field. */

/* (x.evt, x.seq) < (y.evt, y.seq), without a branch (keys < evt_NONE + 1). */
static inline bool eh_before(const struct sched_entity *x, const struct sched_entity *y)
{
	return x->evt < y->evt + (x->seq < y->seq);
}

/* Puts x at the hole i, moving it up as far as it belongs. */
static inline void eh_up(struct heap *h, size_t i, struct sched_entity *x)
{
	struct sched_entity **a = h->a;

	while (i > 0) {
		size_t parent = (i - 1) / 2;
		struct sched_entity *y = a[parent];

		if (!eh_before(x, y))
			break;
		a[i] = y;
		y->heap_index = (int)i;
		i = parent;
	}
	a[i] = x;
	x->heap_index = (int)i;
}

/* Moves the hole at i down to a leaf along the smaller children (one
 * comparison per level; a[n] is the sentinel); returns the leaf. */
static inline size_t eh_sink(struct heap *h, size_t i)
{
	struct sched_entity **a = h->a;
	size_t n = h->n, c = 2 * i + 1;

	while (c < n) {
		struct sched_entity *y = a[c], *z = a[c + 1];

		if (eh_before(z, y)) {
			y = z;
			c++;
		}
		a[i] = y;
		y->heap_index = (int)i;
		i = c;
		c = 2 * c + 1;
	}
	return i;
}

static void eh_push(struct heap *h, struct sched_entity *x)
{
	size_t i = h->n++;

	h->a[i + 1] = &sentinel;
	eh_up(h, i, x);
}

/* Floyd's deletion: the hole left by x sinks to a leaf, the last entry
 * fills it and goes up (rarely far: it came from the bottom). */
static void eh_del(struct heap *h, struct sched_entity *x)
{
	size_t i = (size_t)x->heap_index;
	struct sched_entity *last = h->a[--h->n];

	h->a[h->n] = &sentinel;
	x->heap_index = -1;
	if (last != x)
		eh_up(h, eh_sink(h, i), last);
}

/* The same for ha. */

/* (x.avt, x.seq) < (y.avt, y.seq), without a branch (keys < avt_NONE + 1). */
static inline bool ah_before(const struct sched_entity *x, const struct sched_entity *y)
{
	return x->avt < y->avt + (x->seq < y->seq);
}

/* Puts x at the hole i, moving it up as far as it belongs. */
static inline void ah_up(struct heap *h, size_t i, struct sched_entity *x)
{
	struct sched_entity **a = h->a;

	while (i > 0) {
		size_t parent = (i - 1) / 2;
		struct sched_entity *y = a[parent];

		if (!ah_before(x, y))
			break;
		a[i] = y;
		y->aheap_index = (int)i;
		i = parent;
	}
	a[i] = x;
	x->aheap_index = (int)i;
}

/* Moves the hole at i down to a leaf along the smaller children (one
 * comparison per level; a[n] is the sentinel); returns the leaf. */
static inline size_t ah_sink(struct heap *h, size_t i)
{
	struct sched_entity **a = h->a;
	size_t n = h->n, c = 2 * i + 1;

	while (c < n) {
		struct sched_entity *y = a[c], *z = a[c + 1];

		if (ah_before(z, y)) {
			y = z;
			c++;
		}
		a[i] = y;
		y->aheap_index = (int)i;
		i = c;
		c = 2 * c + 1;
	}
	return i;
}

static void ah_push(struct heap *h, struct sched_entity *x)
{
	size_t i = h->n++;

	h->a[i + 1] = &sentinel;
	ah_up(h, i, x);
}

/* Floyd's deletion: the hole left by x sinks to a leaf, the last entry
 * fills it and goes up (rarely far: it came from the bottom). */
static void ah_del(struct heap *h, struct sched_entity *x)
{
	size_t i = (size_t)x->aheap_index;
	struct sched_entity *last = h->a[--h->n];

	h->a[h->n] = &sentinel;
	x->aheap_index = -1;
	if (last != x)
		ah_up(h, ah_sink(h, i), last);
}

/*
 * Replaces the top of an E-heap with x (Floyd): the hole sinks to a leaf,
 * x goes up, usually not at all: the domain that just ran is rarely the
 * smallest. One comparison per level plus one or two.
 */
static void eh_replace_top(struct heap *h, struct sched_entity *x)
{
	eh_up(h, eh_sink(h, 0), x);
}

/* ------------------------------------------------------------------------ */
/* Run queue: runnable entities other than st.cur */

/* Smallest (E, seq) over both E-heaps; the sentinel if both are empty. */
static inline struct sched_entity *rq_best(void)
{
	struct sched_entity *u = st.hu.a[0];

	if (st.hw.n && eh_before(st.hw.a[0], u))
		u = st.hw.a[0];
	return u;
}

/* e->warped must not change while e is queued. */
static void rq_insert(struct sched_entity *e)
{
	if (e->warped) {
		eh_push(&st.hw, e);
		ah_push(&st.ha, e);
	} else {
		eh_push(&st.hu, e);
	}
}

static void rq_remove(struct sched_entity *e)
{
	if (e->warped) {
		eh_del(&st.hw, e);
		ah_del(&st.ha, e);
	} else {
		eh_del(&st.hu, e);
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
 * gap < gap_cap, so gap * weight < 2^56 and the ns estimate x is below
 * max slice + MCU < 2^32. The estimate q never exceeds floor(gap / inc)
 * (every step rounds down, inc too) and is short by at most 2 + gap/inc^2
 * (rounding of inc), so the remainder settles it, and a division is the
 * safety net for huge weights with tiny MCUs.
 */
static inline uint64_t slice_mcus(const struct sched_entity *e, uint64_t gap)
{
	uint64_t x = (gap * e->params.weight) >> VT_SHIFT;
	uint64_t q = ((uint64_t)(uint32_t)x * st.mcu_recip) >> 32;
	uint64_t r = gap - q * e->inc;

	if (r >= e->inc) {
		r -= e->inc;
		q++;
		if (r >= e->inc)
			return gap / e->inc + 1;
	}
	return q + 1;
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

/* Minimum A over runnable entities, or the last known SVT if none. */
static uint64_t svt_now(void)
{
	uint64_t v = st.hu.a[0]->avt; /* the sentinel's is KEY_NONE */

	if (st.cur && st.cur->avt < v)
		v = st.cur->avt;
	if (st.ha.a[0]->avt < v)
		v = st.ha.a[0]->avt;
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
 */
static inline void charge(struct sched_entity *e, uint64_t now)
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

/* The running entity stops at `now` (after charge()): bills the MCU it began. */
static inline void charge_stop(struct sched_entity *e, uint64_t now)
{
	if (now > e->charged_until) {
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

/* e (out of the heaps) starts running; sched_pick() sets its plan next. */
static inline void switch_in(struct sched_entity *e, uint64_t now)
{
	e->running = true;
	e->run_start = now;
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

static bool params_valid(const struct sched_params *p)
{
	return p->weight > 0 && p->warp_ns <= PARAM_TIME_MAX &&
	       p->warp_limit_ns <= PARAM_TIME_MAX && p->unwarp_ns <= PARAM_TIME_MAX;
}

static bool globals_valid(const struct sched_global_params *g)
{
	return g->mcu_ns > 0 && g->mcu_ns <= MCU_MAX_NS &&
	       g->ctx_allow_ns <= CTX_ALLOW_MAX_NS &&
	       g->max_slice_ns > 0 && g->max_slice_ns <= MAX_SLICE_MAX_NS;
}

static void set_globals(const struct sched_global_params *g)
{
	unsigned int i;

	st.g = *g;
	st.mcu_ns = g->mcu_ns;
	st.max_slice_ns = g->max_slice_ns;
	st.mcu_recip = g->mcu_ns == 1 ? UINT32_MAX :
		(uint32_t)((UINT64_C(1) << 32) / g->mcu_ns);
	st.kmax = (g->max_slice_ns + g->mcu_ns - 1) / g->mcu_ns;
	st.kmax_ns = st.kmax * g->mcu_ns;
	for (i = 0; i < SCHED_MAX_ENTITIES; i++)
		if (st.all[i])
			derive(st.all[i]);
}

/* ------------------------------------------------------------------------ */
/* Interface */

int sched_init(const struct sched_global_params *g)
{
	if (!g || !globals_valid(g))
		return -VMM_EINVAL;
	memset(&st, 0, sizeof(st));
	memset(&sentinel, 0, sizeof(sentinel));
	sentinel.avt = KEY_NONE;
	sentinel.evt = KEY_NONE;
	sentinel.seq = UINT64_MAX;
	sentinel.slot = -1;
	st.hu.a[0] = &sentinel;
	st.hw.a[0] = &sentinel;
	st.ha.a[0] = &sentinel;
	st.next_evt = KEY_NONE;
	set_globals(g);
	return 0;
}

int sched_add(struct sched_entity *e, uint32_t id, const struct sched_params *p)
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
	e->heap_index = -1;
	e->aheap_index = -1;
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
	st.all[e->slot] = NULL;
	st.count--;
	e->runnable = false;
	e->running = false;
	e->warped = false;
	e->heap_index = -1;
	e->aheap_index = -1;
	e->slot = -1;
}

bool sched_wake(struct sched_entity *e, uint64_t now)
{
	struct sched_entity *cur = st.cur;
	uint64_t svt;

	if (!registered(e) || e->runnable)
		return false;
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
	e->seq = ++st.seq;
	rq_insert(e);
	st.nrunnable++;
	if (!cur)
		return true;
	if (e->evt < cur->evt) {
		st.preempt = e; /* the next pick ignores C */
		return true;
	}
	/* Not lower than cur, but lower than the runner-up its deadline assumed. */
	return e->evt < st.next_evt;
}

void sched_sleep(struct sched_entity *e, uint64_t now)
{
	if (!registered(e) || !e->runnable)
		return;
	st.fast = NULL;
	if (e == st.cur) {
		charge(e, now);
		charge_stop(e, now);
		st.cur = NULL;
		e->running = false;
	} else {
		rq_remove(e);
	}
	e->runnable = false;
	if (st.preempt == e)
		st.preempt = NULL;
	if (--st.nrunnable == 0 && e->avt > st.svt)
		st.svt = e->avt;
	/* Blocking ends the warped run; a pending U (warp_back) stays. */
	e->warped = false;
	e->warp_used = 0;
	set_evt(e);
}

/* cur is switched out for best (cur charged, best queued). */
static inline void requeue(struct sched_entity *cur, struct sched_entity *best, uint64_t now)
{
	charge_stop(cur, now);
	cur->running = false;
	cur->seq = ++st.seq;
	if (!(cur->warped | best->warped)) {
		eh_replace_top(&st.hu, cur); /* best is hu's top: one sift */
		best->heap_index = -1;
	} else {
		rq_remove(best);
		rq_insert(cur);
	}
}

/*
 * Sets the charge plan of cur (running, charged to now, unwarped or warped)
 * for running until its E exceeds next's E + C, in whole MCUs, at most the
 * max slice; next is a real entity. Returns the deadline.
 */
static inline uint64_t plan_gap(struct sched_entity *cur, const struct sched_entity *next,
				uint64_t now)
{
	/* gap >= 0 by the choice of cur; were it not, it would wrap to a huge
	 * value and give the max slice, which is safe. */
	uint64_t gap = next->evt + cur->ctx_vt - cur->evt;
	uint64_t dl = now + st.max_slice_ns;

	st.next_evt = next->evt;
	if (gap >= cur->gap_cap) {
		cur->plan_end = cur->charged_until + st.kmax_ns;
		cur->plan_avt = cur->avt + cur->gap_cap;
	} else {
		uint64_t k = slice_mcus(cur, gap);

		cur->plan_end = cur->charged_until + k * st.mcu_ns;
		cur->plan_avt = cur->avt + k * cur->inc;
		if (cur->plan_end < dl)
			dl = cur->plan_end;
	}
	return dl;
}

/* plan_gap() in general: next may be the sentinel, cur may be warped. */
static inline uint64_t plan_slice(struct sched_entity *cur, const struct sched_entity *next,
				  uint64_t now)
{
	uint64_t dl;

	if (next == &sentinel) {
		st.next_evt = KEY_NONE;
		dl = SCHED_TIME_MAX;
		cur->plan_end = cur->charged_until;
		cur->plan_avt = cur->avt;
	} else {
		dl = plan_gap(cur, next, now);
	}
	if (cur->warped && cur->params.warp_limit_ns) {
		uint64_t w = now + (cur->params.warp_limit_ns - cur->warp_used);

		if (w < dl)
			dl = w;
	}
	return dl;
}

/* A scheduling decision in any state. */
static struct sched_entity *pick_general(uint64_t now, uint64_t *deadline)
{
	struct sched_entity *cur = st.cur, *best;
	uint64_t dl;

	if (cur) {
		charge(cur, now);
		best = rq_best();
		/* Preempt only if best is lower by more than C (0 after a wake-up);
		 * E >= 2^58 >= C, so no underflow; the sentinel never wins. */
		if (best->evt < cur->evt - (st.preempt ? 0 : cur->ctx_vt)) {
			requeue(cur, best, now);
			switch_in(best, now);
			cur = best;
		}
	} else {
		cur = rq_best();
		if (cur == &sentinel) {
			st.preempt = NULL;
			st.next_evt = KEY_NONE;
			if (deadline)
				*deadline = SCHED_TIME_MAX;
			return NULL;
		}
		rq_remove(cur);
		switch_in(cur, now);
	}
	st.preempt = NULL;
	best = rq_best();
	dl = plan_slice(cur, best, now);
	/* May the next decision take the fast path? (see sched_pick) */
	st.fast = !cur->params.warp_enabled && !st.hw.n && best != &sentinel &&
		  !best->params.warp_enabled && cur->plan_avt < VT_RENORM - cur->inc ? cur : NULL;
	if (deadline)
		*deadline = dl;
	return cur;
}

struct sched_entity *sched_pick(uint64_t now, uint64_t *deadline)
{
#ifndef SCHED_BVT_NO_FAST_PATH
	/*
	 * Fast path for the common decision: the running entity's slice expired
	 * (less than an MCU after its planned end, so exactly the planned MCUs
	 * are complete) and the runner-up takes over. st.fast is set by the
	 * previous pick only when nothing since then can make this decision
	 * differ from pick_general()'s: cur and the runner-up are not
	 * warp-enabled, nothing warped is queued, no rebase is due; every other
	 * call clears it. Anything else goes to pick_general() before any state
	 * is changed. (Tests can be built with -DSCHED_BVT_NO_FAST_PATH.)
	 */
	struct sched_entity *cur = st.fast, *best, *next;
	uint64_t avt, cu, dl;

	if (!cur || now - cur->plan_end >= st.mcu_ns)
		return pick_general(now, deadline);
	best = st.hu.a[0];
	avt = cur->plan_avt;
	if (!(best->evt < avt + cur->evt_off - cur->ctx_vt))
		return pick_general(now, deadline); /* no switch */
	cu = cur->plan_end;
	if (now != cu) { /* timer latency: bill the MCU it began */
		avt += cur->inc;
		cu += st.mcu_ns;
	}
	cur->avt = avt;
	cur->evt = avt + cur->evt_off;
	cur->charged_until = cu;
	cur->running = false;
	cur->seq = ++st.seq;
	eh_replace_top(&st.hu, cur); /* best is hu's top: one sift */
	best->heap_index = -1;
	best->running = true;
	best->run_start = now;
	best->charged_until = now;
	st.cur = best;
	next = st.hu.a[0]; /* not the sentinel: cur is queued */
	dl = plan_gap(best, next, now);
	st.fast = !next->params.warp_enabled && best->plan_avt < VT_RENORM - best->inc ?
		  best : NULL;
	if (deadline)
		*deadline = dl;
	return best;
#else
	return pick_general(now, deadline);
#endif
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
	if (queued) {
		e->seq = ++st.seq;
		rq_insert(e);
	}
	return 0;
}

int sched_set_global(const struct sched_global_params *g)
{
	if (!g || !globals_valid(g))
		return -VMM_EINVAL;
	st.fast = NULL;
	set_globals(g); /* E and the heaps' order do not depend on these */
	return 0;
}

void sched_get_global(struct sched_global_params *g)
{
	if (g)
		*g = st.g;
}

const char *sched_name(void)
{
	return "Borrowed Virtual Time (bvt)";
}
