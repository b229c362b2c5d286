/*
 * Borrowed Virtual Time scheduler (Duda & Cheriton, SOSP'99), the policy
 * behind sched.h. Modelled on Xen 3.0's sched_bvt.c, minus its defects (slice
 * length computed by adding a count of MCUs to nanoseconds; a domain charged
 * twice when it was picked again). docs/scheduling.md explains the parameters.
 *
 * Units
 *   Real time: ns (uint64_t), absolute, as passed by the caller.
 *   Virtual time (A, E, W and C converted): "vt" units, 2^VT_SHIFT per ns of
 *   running at weight 1, i.e. a domain of weight w advances 2^24/w vt per ns.
 *   Weight is the inverse of Xen's mcu_advance.
 *
 * Charging (A)
 *   A domain is charged in whole MCUs of running, rounded up: running 10 us
 *   with MCU = 100 us costs one MCU, so a domain cannot run for free by
 *   blocking (or being preempted) before an MCU is complete. Each entity keeps
 *   charged_until, the real time its A already covers. While it keeps running,
 *   a charge at `now` bills only the MCUs of [charged_until, now) that are
 *   complete and advances charged_until by as many MCUs; when it stops
 *   (preempted or asleep) the started MCU is billed in full. So charging is
 *   idempotent (calling sched_pick twice at the same `now` changes nothing),
 *   picking the same domain again bills the elapsed time exactly once (Xen 3.0
 *   billed it twice), and decisions do not depend on how often the caller
 *   calls sched_pick: E only moves at MCU boundaries. Deadlines are placed on
 *   MCU boundaries, so a CPU-bound domain pays only for what it ran.
 *   The per-MCU increment inc = floor(mcu_ns * 2^24 / weight) is computed when
 *   parameters change, so the hot path multiplies instead of dividing by the
 *   weight. Its relative rounding error is < 1/inc: with MCU = 100 us, < 1e-6
 *   for weights up to 2^12 and < 0.3% even at weight 2^32-1.
 *
 * Effective virtual time (E)
 *   E = A - W while warped, else A. W is capped at VT_WARP_CAP and E is stored
 *   with the bias VT_WARP_CAP added (E = A + bias - W), so it never
 *   underflows and plain unsigned comparisons order it.
 *
 * No wrap-around
 *   Times stay far below 2^64: all runnable A lie within VT_SPREAD_MAX of SVT
 *   (the chosen domain's E is at most C above the minimum, W is capped and
 *   one charge is capped at VT_CHARGE_CAP), so when the running domain's A
 *   reaches VT_RENORM every A is rebased by SVT (O(number of entities), at
 *   most once per 2^60 vt, about 68 s of running at weight 1, longer for
 *   heavier domains). Order is unchanged; sleepers below SVT go to 0, which is
 *   what waking would do anyway (A = max(A, SVT)).
 *
 * Run queue
 *   Runnable domains other than the running one are kept in binary min-heaps
 *   keyed by (E, seq); seq is a global enqueue counter, so equal E's are
 *   served FIFO, i.e. round-robin. Unwarped domains are in hu, warped ones in
 *   hw; the best candidate is the smaller of the two tops. SVT (minimum A over
 *   runnable domains) needs the minimum A of the warped ones too, whose order
 *   by A differs from their order by E (W differs per domain), so warped
 *   domains are also kept in ha, keyed by A. All updates are O(log n).
 *   The running domain is outside the heaps: a decision that keeps it costs
 *   no heap work, a switch costs one replace-top (one sift).
 *
 * Hot-path divisions: none for slices shorter than 4.29 s. The MCU count of a
 * charge uses a 32-bit reciprocal of the MCU, and the slice length is
 * estimated with multiplications and corrected exactly. 64-bit division (a
 * __aeabi_uldivmod call on ARM) only happens on parameter changes, for a
 * single charge covering more than 4.29 s, and as a never-expected fallback.
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
/* Heaps: hu and hw keyed by (evt, seq) with heap_index; ha by (avt, seq)
 * with aheap_index. One template, two instances. */

#define DEFINE_HEAP(P, KEY, IDX)						\
static inline bool P##_before(const struct sched_entity *x,		\
			      const struct sched_entity *y)		\
{									\
	/* (x.key, x.seq) < (y.key, y.seq), without a branch */	\
	return x->KEY < y->KEY + (x->seq < y->seq);			\
}									\
									\
static void P##_up(struct heap *h, unsigned int i, struct sched_entity *x) \
{									\
	while (i > 0) {							\
		unsigned int p = (i - 1) / 2;				\
		struct sched_entity *y = h->a[p];			\
									\
		if (!P##_before(x, y))					\
			break;						\
		h->a[i] = y;						\
		y->IDX = (int)i;					\
		i = p;							\
	}								\
	h->a[i] = x;							\
	x->IDX = (int)i;						\
}									\
									\
static void P##_down(struct heap *h, unsigned int i, struct sched_entity *x) \
{									\
	unsigned int n = h->n, c;					\
									\
	while ((c = 2 * i + 1) < n) {					\
		struct sched_entity *y = h->a[c], *z = h->a[c + 1];	\
									\
		if (P##_before(z, y)) {					\
			y = z;						\
			c++;						\
		}							\
		if (!P##_before(y, x))					\
			break;						\
		h->a[i] = y;						\
		y->IDX = (int)i;					\
		i = c;							\
	}								\
	h->a[i] = x;							\
	x->IDX = (int)i;						\
}									\
									\
static void P##_push(struct heap *h, struct sched_entity *x)		\
{									\
	unsigned int i = h->n++;					\
									\
	h->a[i + 1] = &sentinel;					\
	P##_up(h, i, x);						\
}									\
									\
static void P##_del(struct heap *h, struct sched_entity *x)		\
{									\
	unsigned int i = (unsigned int)x->IDX;				\
	struct sched_entity *last = h->a[--h->n];			\
									\
	h->a[h->n] = &sentinel;						\
	x->IDX = -1;							\
	if (last == x)							\
		return;							\
	if (i > 0 && P##_before(last, h->a[(i - 1) / 2]))		\
		P##_up(h, i, last);					\
	else								\
		P##_down(h, i, last);					\
}

DEFINE_HEAP(eh, evt, heap_index)
DEFINE_HEAP(ah, avt, aheap_index)

/*
 * Replaces the top of an E-heap with x. Floyd's variant: the hole goes down
 * to a leaf along the smaller children (one comparison per level), then x
 * goes up, usually not at all: the domain that just ran is rarely smallest.
 */
static void eh_replace_top(struct heap *h, struct sched_entity *x)
{
	unsigned int n = h->n, i = 0, c;

	while ((c = 2 * i + 1) < n) {
		struct sched_entity *y = h->a[c], *z = h->a[c + 1];

		if (eh_before(z, y)) {
			y = z;
			c++;
		}
		h->a[i] = y;
		y->heap_index = (int)i;
		i = c;
	}
	while (i > 0) {
		unsigned int p = (i - 1) / 2;
		struct sched_entity *y = h->a[p];

		if (!eh_before(x, y))
			break;
		h->a[i] = y;
		y->heap_index = (int)i;
		i = p;
	}
	h->a[i] = x;
	x->heap_index = (int)i;
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
	} else {
		rq_remove(best);
		rq_insert(cur);
	}
	best->heap_index = -1;
}

struct sched_entity *sched_pick(uint64_t now, uint64_t *deadline)
{
	struct sched_entity *cur = st.cur, *best, *next;
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

	next = rq_best();
	st.next_evt = next->evt;
	if (next == &sentinel) {
		dl = SCHED_TIME_MAX;
		cur->plan_end = cur->charged_until;
		cur->plan_avt = cur->avt;
	} else {
		/* Run until E exceeds next's E + C, in whole MCUs, at most max
		 * slice. gap >= 0 by the choice above; were it not, it would wrap
		 * to a huge value and give the max slice, which is safe. */
		uint64_t gap = next->evt + cur->ctx_vt - cur->evt;

		dl = now + st.max_slice_ns;
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
	}
	if (cur->warped && cur->params.warp_limit_ns) {
		uint64_t w = now + (cur->params.warp_limit_ns - cur->warp_used);

		if (w < dl)
			dl = w;
	}
	if (deadline)
		*deadline = dl;
	return cur;
}

int sched_set_params(struct sched_entity *e, const struct sched_params *p, uint64_t now)
{
	bool queued;

	if (!e || !p || !params_valid(p) || !registered(e))
		return -VMM_EINVAL;
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
