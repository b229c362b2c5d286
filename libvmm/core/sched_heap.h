/*
 * Binary min-heaps of scheduler entities: the BVT run queue (sched_bvt.c is
 * the only user; everything here is static inline so the decision fast path
 * compiles to straight-line code).
 *
 * Order: (key, seq), where key is the entity's E or A (chosen per heap by the
 * constant `by_avt`) and seq its queueing stamp (unique, increasing: the
 * scheduler gives each entity a new one every time it queues it). Equal keys
 * therefore come out first-in first-out, which makes ties round-robin.
 * A key must not change while its entity is queued.
 *
 * Every entity records where it sits (pos[by_avt]), so removal needs no
 * search. Costs, n queued: top O(1); push, remove and replace_top O(log n),
 * replace_top and remove one comparison per level plus a few (Floyd: the hole
 * sinks to a leaf along the smaller children, then the newcomer goes up,
 * rarely far). a[n] is always the sentinel, whose key is above every real
 * key, so a sift never checks whether a right child exists and an empty
 * heap's top is the sentinel.
 */
#ifndef VMM_CORE_SCHED_HEAP_H
#define VMM_CORE_SCHED_HEAP_H

#include <stdbool.h>
#include <stdint.h>

#include "sched.h"

struct sched_heap {
	uint32_t n;
	struct sched_entity *a[SCHED_MAX_ENTITIES + 1];
};

/* Key of the sentinel: above every real key, and KEY_NONE + 1 does not wrap. */
#define SCHED_HEAP_KEY_NONE (UINT64_MAX - 1)

static inline uint64_t heap_key(const struct sched_entity *x, bool by_avt)
{
	return by_avt ? x->avt : x->evt;
}

/* (x.key, x.seq) < (y.key, y.seq), without a branch: when x's seq is the
 * lower one, x.key <= y.key suffices. */
static inline bool heap_before(const struct sched_entity *x, const struct sched_entity *y,
			       bool by_avt)
{
	return heap_key(x, by_avt) < heap_key(y, by_avt) + (x->seq < y->seq);
}

/* Makes h empty; `sentinel` is the entity with key SCHED_HEAP_KEY_NONE. */
static inline void heap_init(struct sched_heap *h, struct sched_entity *sentinel)
{
	h->n = 0;
	h->a[0] = sentinel;
}

/* Smallest entry, or the sentinel if h is empty. */
static inline struct sched_entity *heap_top(const struct sched_heap *h)
{
	return h->a[0];
}

/* Puts x into the hole at i and moves it up as far as it belongs. */
static inline void heap_up(struct sched_heap *h, uint32_t i, struct sched_entity *x, bool by_avt)
{
	struct sched_entity **a = h->a;

	while (i > 0) {
		uint32_t parent = (i - 1) / 2;
		struct sched_entity *y = a[parent];

		if (!heap_before(x, y, by_avt))
			break;
		a[i] = y;
		y->pos[by_avt] = i;
		i = parent;
	}
	a[i] = x;
	x->pos[by_avt] = i;
}

/* Moves the hole at i down to a leaf along the smaller children (one
 * comparison per level); returns the leaf. */
static inline uint32_t heap_sink(struct sched_heap *h, uint32_t i, bool by_avt)
{
	struct sched_entity **a = h->a;
	uint32_t n = h->n, c = 2 * i + 1;

	while (c < n) {
		struct sched_entity *y = a[c], *z = a[c + 1]; /* a[n]: the sentinel */

		if (heap_before(z, y, by_avt)) {
			y = z;
			c++;
		}
		a[i] = y;
		y->pos[by_avt] = i;
		i = c;
		c = 2 * c + 1;
	}
	return i;
}

/* Adds x (not queued in h). h holds at most SCHED_MAX_ENTITIES. */
static inline void heap_push(struct sched_heap *h, struct sched_entity *x, bool by_avt)
{
	uint32_t i = h->n++;

	h->a[i + 1] = h->a[i]; /* the sentinel moves up one */
	heap_up(h, i, x, by_avt);
}

/* Takes x (queued in h) out: its hole sinks to a leaf, the last entry fills
 * it and goes up. */
static inline void heap_remove(struct sched_heap *h, struct sched_entity *x, bool by_avt)
{
	uint32_t n = h->n - 1;
	struct sched_entity *last = h->a[n];

	h->a[n] = h->a[n + 1];
	h->n = n;
	if (last != x)
		heap_up(h, heap_sink(h, x->pos[by_avt], by_avt), last, by_avt);
}

/* Takes the top out and puts x (not queued) in, in one sift: the common
 * "switch to the best, queue the one that ran" of a scheduling decision.
 * h must not be empty (its top would be the sentinel). */
static inline void heap_replace_top(struct sched_heap *h, struct sched_entity *x, bool by_avt)
{
	heap_up(h, heap_sink(h, 0, by_avt), x, by_avt);
}

/*
 * Run queue by (E, seq): a heap plus a FIFO lane. An entity whose key is not
 * below the lane's last one is appended to the lane (O(1)); any other goes
 * into the heap (O(log n)). The lane is therefore sorted, its first entry is
 * its smallest, and the queue's best is the better of the lane's first and
 * the heap's top. This is the common pattern of a scheduler: the domain whose
 * slice ended has the largest E (always, with equal weights) and goes last,
 * the best is taken first, so most decisions touch only the ends of the lane
 * and cost the same at 64 domains as at 2, while no operation costs more
 * than O(log n) (the lane is a doubly-linked list: removal from its middle
 * is O(1)). Only E-keyed (by_avt false) queues use it.
 */
#define SCHED_POS_LANE UINT32_MAX /* pos[0] of an entity in the lane */

struct sched_runq {
	struct sched_heap heap;
	struct sched_entity lane;   /* list head: lane.next is the first; key KEY_NONE */
};

/* Makes q empty (sentinel: as for heap_init). */
static inline void runq_init(struct sched_runq *q, struct sched_entity *sentinel)
{
	heap_init(&q->heap, sentinel);
	q->lane = *sentinel;
	q->lane.next = &q->lane;
	q->lane.prev = &q->lane;
}

/* Smallest (E, seq) queued; an entity with key KEY_NONE if q is empty. */
static inline struct sched_entity *runq_top(const struct sched_runq *q)
{
	struct sched_entity *h = heap_top(&q->heap), *f = q->lane.next;

	/* An empty heap (the usual case with equal weights) needs no compare. */
	return q->heap.n && heap_before(h, f, false) ? h : f;
}

static inline bool runq_empty(const struct sched_runq *q)
{
	return q->heap.n == 0 && q->lane.next == &q->lane;
}

static inline void lane_unlink(struct sched_entity *x)
{
	x->prev->next = x->next;
	x->next->prev = x->prev;
}

static inline void lane_append(struct sched_runq *q, struct sched_entity *x)
{
	struct sched_entity *last = q->lane.prev;

	x->pos[0] = SCHED_POS_LANE;
	x->prev = last;
	x->next = &q->lane;
	last->next = x;
	q->lane.prev = x;
}

/* Does x go last? Its key is not below the last one's (its seq is the
 * newest, so that is all heap_before() would check), or the lane is empty. */
static inline bool lane_takes(const struct sched_runq *q, const struct sched_entity *x)
{
	const struct sched_entity *last = q->lane.prev;

	return x->evt >= last->evt || last == &q->lane;
}

/* Adds x (not queued, seq already stamped). */
static inline void runq_push(struct sched_runq *q, struct sched_entity *x)
{
	if (lane_takes(q, x))
		lane_append(q, x);
	else
		heap_push(&q->heap, x, false);
}

/* Takes x (queued in q) out. */
static inline void runq_remove(struct sched_runq *q, struct sched_entity *x)
{
	if (x->pos[0] == SCHED_POS_LANE)
		lane_unlink(x);
	else
		heap_remove(&q->heap, x, false);
}

/* runq_replace_top() when the heap is involved. */
static inline void runq_replace_slow(struct sched_runq *q, struct sched_entity *top,
				     struct sched_entity *x)
{
	bool top_in_lane = top->pos[0] == SCHED_POS_LANE;

	if (lane_takes(q, x)) {
		if (top_in_lane)
			lane_unlink(top);
		else
			heap_remove(&q->heap, top, false);
		lane_append(q, x);
	} else if (top_in_lane) {
		lane_unlink(top);
		heap_push(&q->heap, x, false);
	} else {
		heap_replace_top(&q->heap, x, false);
	}
}

/*
 * The lane-only case of runq_replace_top(), the usual one (with equal
 * weights: always): if top is the lane's first and x goes last, does that
 * and returns true; else changes nothing and returns false.
 */
static inline bool runq_rotate(struct sched_runq *q, struct sched_entity *top, struct sched_entity *x)
{
	if (top->pos[0] != SCHED_POS_LANE || !lane_takes(q, x))
		return false;
	lane_unlink(top);
	lane_append(q, x);
	return true;
}

/* Takes top (runq_top(q)) out and puts x (not queued, seq stamped) in: the
 * "switch to the best, queue the one that ran" of a decision. */
static inline void runq_replace_top(struct sched_runq *q, struct sched_entity *top,
				    struct sched_entity *x)
{
	if (!runq_rotate(q, top, x))
		runq_replace_slow(q, top, x);
}

#endif /* VMM_CORE_SCHED_HEAP_H */
