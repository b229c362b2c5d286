/*
 * Host unit tests of the scheduler's run-queue structures
 * (libvmm/core/sched_heap.h), independent of the BVT policy:
 *
 *   - struct sched_heap, keyed by E (by_avt false) and by A (by_avt true):
 *     heap_push, heap_remove, heap_replace_top, heap_top;
 *   - struct sched_runq (heap + FIFO lane): runq_push, runq_remove,
 *     runq_replace_top, runq_replace_slow, runq_rotate, runq_top, runq_empty.
 *
 * A seeded pseudo-random sequence of operations (keys from a small range, so
 * ties are frequent; a fresh increasing seq before every insertion, as the
 * scheduler stamps) is checked after every step against a reference model (an
 * array, minimum by linear scan) and against the structures' invariants:
 * top = model minimum, heap order for every parent/child, pos[] = index, a[n]
 * = sentinel, lane sorted with consistent links, membership exactly the
 * model's. Each run ends by draining, which must give the model's sorted
 * order. Targeted cases cover the edges (empty, last, top, middle of the lane,
 * replace_top with the newcomer smallest / largest / tied).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sched_heap.h"

#define NENT SCHED_MAX_ENTITIES
#define KEY_BASE (UINT64_C(1) << 59) /* like the scheduler's biased E */

static struct sched_entity ent[NENT];
static struct sched_entity sentinel;
static uint64_t seq;           /* stamps handed out */
static uint32_t rng;           /* xorshift32 state */

/* Reference model: the queued entities, in no particular order. */
static struct sched_entity *model[NENT];
static unsigned int model_n;

static int setup(void **state)
{
	(void)state;
	memset(ent, 0, sizeof(ent));
	memset(&sentinel, 0, sizeof(sentinel));
	/* As sched_bvt.c's sched_init(): "nobody", above every real key. */
	sentinel.evt = SCHED_HEAP_KEY_NONE;
	sentinel.avt = SCHED_HEAP_KEY_NONE;
	seq = 0;
	model_n = 0;
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Helpers */

static uint32_t rnd(uint32_t bound)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng % bound;
}

static uint64_t key_of(const struct sched_entity *e, bool by_avt)
{
	/* Deliberately not heap_key(): the reference must not share the code. */
	return by_avt ? e->avt : e->evt;
}

/* Reference order: (key, seq) lexicographically. */
static bool ref_before(const struct sched_entity *x, const struct sched_entity *y, bool by_avt)
{
	uint64_t kx = key_of(x, by_avt), ky = key_of(y, by_avt);

	return kx < ky || (kx == ky && x->seq < y->seq);
}

static int model_find(const struct sched_entity *e)
{
	unsigned int i;

	for (i = 0; i < model_n; i++)
		if (model[i] == e)
			return (int)i;
	return -1;
}

static void model_add(struct sched_entity *e)
{
	assert_true(model_find(e) < 0);
	assert_true(model_n < NENT);
	model[model_n++] = e;
}

static void model_del(struct sched_entity *e)
{
	int i = model_find(e);

	assert_true(i >= 0);
	model[i] = model[--model_n];
}

/* Model minimum, or NULL if empty. */
static struct sched_entity *model_min(bool by_avt)
{
	struct sched_entity *m = NULL;
	unsigned int i;

	for (i = 0; i < model_n; i++)
		if (!m || ref_before(model[i], m, by_avt))
			m = model[i];
	return m;
}

static bool queued(const struct sched_entity *e)
{
	return model_find(e) >= 0;
}

/* A random entity that is (or is not) queued; there must be one. */
static struct sched_entity *pick_entity(bool want_queued)
{
	for (;;) {
		struct sched_entity *e = &ent[rnd(NENT)];

		if (queued(e) == want_queued)
			return e;
	}
}

/* Gives e keys for its next insertion and the newest stamp. The key not
 * used by the structure is random too, so that a heap reading the wrong
 * key shows. */
static void stamp(struct sched_entity *e, uint64_t evt, uint64_t avt)
{
	e->evt = evt;
	e->avt = avt;
	e->seq = ++seq;
}

static void stamp_random(struct sched_entity *e, uint32_t range)
{
	stamp(e, KEY_BASE + rnd(range), KEY_BASE + rnd(range));
}

/* ------------------------------------------------------------------------ */
/* Invariant checks */

/* Heap order, positions, sentinel; marks every member in seen[]. */
static void check_heap_shape(const struct sched_heap *h, bool by_avt, bool seen[NENT])
{
	uint32_t i;

	assert_true(h->n <= NENT);
	assert_ptr_equal(h->a[h->n], &sentinel);
	assert_true(sentinel.evt == SCHED_HEAP_KEY_NONE && sentinel.avt == SCHED_HEAP_KEY_NONE);
	for (i = 0; i < h->n; i++) {
		const struct sched_entity *e = h->a[i];
		ptrdiff_t k = e - ent;

		assert_true(k >= 0 && k < NENT); /* a real entity, not the sentinel */
		assert_false(seen[k]);           /* at most once */
		seen[k] = true;
		assert_int_equal(e->pos[by_avt], i);
		if (i > 0)
			assert_false(ref_before(e, h->a[(i - 1) / 2], by_avt));
	}
}

/* Members are exactly the model's. */
static void check_members(const bool seen[NENT])
{
	unsigned int i;

	for (i = 0; i < NENT; i++)
		assert_int_equal(seen[i], queued(&ent[i]));
}

static void check_heap(const struct sched_heap *h, bool by_avt)
{
	bool seen[NENT] = { false };
	struct sched_entity *m = model_min(by_avt);

	check_heap_shape(h, by_avt, seen);
	check_members(seen);
	assert_int_equal(h->n, model_n);
	if (m)
		assert_ptr_equal(heap_top(h), m);
	else
		assert_ptr_equal(heap_top(h), &sentinel);
}

/* Lane: sorted by (E, seq), links consistent both ways; returns its length. */
static unsigned int check_lane(const struct sched_runq *q, bool seen[NENT])
{
	const struct sched_entity *head = &q->lane, *prev = head, *e;
	unsigned int len = 0;

	assert_true(head->evt == SCHED_HEAP_KEY_NONE);
	for (e = head->next; e != head; prev = e, e = e->next) {
		ptrdiff_t k = e - ent;

		assert_true(++len <= NENT); /* no cycle that misses the head */
		assert_true(k >= 0 && k < NENT);
		assert_false(seen[k]);
		seen[k] = true;
		assert_ptr_equal(e->prev, prev);
		assert_int_equal(e->pos[0], SCHED_POS_LANE);
		if (prev != head)
			assert_true(ref_before(prev, e, false));
	}
	assert_ptr_equal(head->prev, prev);
	return len;
}

static void check_runq(const struct sched_runq *q)
{
	bool seen[NENT] = { false };
	struct sched_entity *m = model_min(false);
	unsigned int lane_n;

	lane_n = check_lane(q, seen);
	check_heap_shape(&q->heap, false, seen);
	check_members(seen);
	assert_int_equal(lane_n + q->heap.n, model_n);
	assert_int_equal(runq_empty(q), model_n == 0);
	if (m)
		assert_ptr_equal(runq_top(q), m);
	else
		assert_true(runq_top(q)->evt == SCHED_HEAP_KEY_NONE);
}

static int cmp_evt(const void *x, const void *y)
{
	const struct sched_entity *a = *(struct sched_entity *const *)x;
	const struct sched_entity *b = *(struct sched_entity *const *)y;

	return ref_before(a, b, false) ? -1 : ref_before(b, a, false) ? 1 : 0;
}

static int cmp_avt(const void *x, const void *y)
{
	const struct sched_entity *a = *(struct sched_entity *const *)x;
	const struct sched_entity *b = *(struct sched_entity *const *)y;

	return ref_before(a, b, true) ? -1 : ref_before(b, a, true) ? 1 : 0;
}

/* The model's contents in (key, seq) order. */
static unsigned int model_sorted(struct sched_entity *out[NENT], bool by_avt)
{
	memcpy(out, model, model_n * sizeof(model[0]));
	qsort(out, model_n, sizeof(out[0]), by_avt ? cmp_avt : cmp_evt);
	return model_n;
}

/* Pops everything; the order must be the model's sorted order. */
static void drain_heap(struct sched_heap *h, bool by_avt)
{
	struct sched_entity *order[NENT];
	unsigned int i, n = model_sorted(order, by_avt);

	for (i = 0; i < n; i++) {
		struct sched_entity *t = heap_top(h);

		assert_ptr_equal(t, order[i]);
		heap_remove(h, t, by_avt);
		model_del(t);
		check_heap(h, by_avt);
	}
	assert_int_equal(h->n, 0);
}

static void drain_runq(struct sched_runq *q)
{
	struct sched_entity *order[NENT];
	unsigned int i, n = model_sorted(order, false);

	for (i = 0; i < n; i++) {
		struct sched_entity *t = runq_top(q);

		assert_ptr_equal(t, order[i]);
		runq_remove(q, t);
		model_del(t);
		check_runq(q);
	}
	assert_true(runq_empty(q));
}

/* ------------------------------------------------------------------------ */
/* Randomised sequences */

/* One random operation on h, with at most `cap` queued. */
static void heap_step(struct sched_heap *h, bool by_avt, unsigned int cap, uint32_t range)
{
	uint32_t op = rnd(8);
	struct sched_entity *x, *t;

	if (model_n == 0 || (op < 3 && model_n < cap)) {
		x = pick_entity(false);
		stamp_random(x, range);
		heap_push(h, x, by_avt);
		model_add(x);
	} else if (op < 5) {
		x = pick_entity(true); /* anywhere: top, middle, last */
		heap_remove(h, x, by_avt);
		model_del(x);
	} else if (op < 7 && model_n < NENT) {
		t = heap_top(h);
		x = pick_entity(false);
		stamp_random(x, range);
		heap_replace_top(h, x, by_avt);
		model_del(t);
		model_add(x);
	} else {
		t = heap_top(h);
		heap_remove(h, t, by_avt);
		model_del(t);
	}
	check_heap(h, by_avt);
}

static void heap_fuzz(bool by_avt, uint32_t seed)
{
	/* Small caps keep the heap shallow and often empty; NENT fills it. */
	static const unsigned int caps[] = { 1, 2, 3, 5, 8, 17, NENT };
	struct sched_heap h;
	unsigned int c, i;

	rng = seed;
	for (c = 0; c < sizeof(caps) / sizeof(caps[0]); c++) {
		heap_init(&h, &sentinel);
		check_heap(&h, by_avt);
		for (i = 0; i < 4000; i++)
			heap_step(&h, by_avt, caps[c], c % 2 ? 4 : 16);
		drain_heap(&h, by_avt);
	}
}

static void test_heap_fuzz_evt(void **state)
{
	(void)state;
	heap_fuzz(false, 0x2545f491u);
}

static void test_heap_fuzz_avt(void **state)
{
	(void)state;
	heap_fuzz(true, 0x9e3779b9u);
}

/* Expected result of runq_rotate(q, top, x), from the lane as the checks
 * see it: top first in the lane and x not below the lane's last. */
static bool rotate_expected(const struct sched_runq *q, const struct sched_entity *top,
			    const struct sched_entity *x)
{
	return top == q->lane.next && top != &q->lane && x->evt >= q->lane.prev->evt;
}

struct runq_snap {
	uint32_t n;
	struct sched_entity *a[NENT + 1];
	struct sched_entity *lane[NENT + 1];
};

static void snap(const struct sched_runq *q, struct runq_snap *s)
{
	const struct sched_entity *e;
	unsigned int i = 0;

	memset(s, 0, sizeof(*s));
	s->n = q->heap.n;
	memcpy(s->a, q->heap.a, sizeof(s->a));
	for (e = q->lane.next; e != &q->lane && i < NENT; e = e->next)
		s->lane[i++] = (struct sched_entity *)e;
}

/* The E keys: usually a slowly rising window, as a scheduler's E's are
 * (so the lane gets most of them), sometimes anything in the window (so the
 * heap gets some), always with many ties. */
static uint64_t runq_key(uint64_t *floor, uint32_t range)
{
	if (rnd(16) == 0)
		*floor += 1;
	return *floor + rnd(range);
}

static void runq_step(struct sched_runq *q, unsigned int cap, uint32_t range, uint64_t *floor)
{
	uint32_t op = rnd(10);
	struct sched_entity *x, *t;

	if (model_n == 0 || (op < 3 && model_n < cap)) {
		x = pick_entity(false);
		stamp(x, runq_key(floor, range), rnd(1000));
		runq_push(q, x);
		model_add(x);
	} else if (op < 5) {
		x = pick_entity(true); /* lane (first, middle, last) or heap */
		runq_remove(q, x);
		model_del(x);
	} else if (op < 9 && model_n < NENT) {
		struct runq_snap before, after;
		bool want, got;

		t = runq_top(q);
		x = pick_entity(false);
		stamp(x, runq_key(floor, range), rnd(1000));
		switch (op) {
		case 5: /* the scheduler's usual pair: rotate, else the slow path */
		case 6:
			runq_replace_top(q, t, x);
			break;
		case 7: /* the slow path alone, also in cases rotate would take */
			runq_replace_slow(q, t, x);
			break;
		default:
			want = rotate_expected(q, t, x);
			snap(q, &before);
			got = runq_rotate(q, t, x);
			assert_int_equal(got, want);
			if (!got) {
				/* "changes nothing" */
				snap(q, &after);
				assert_memory_equal(&before, &after, sizeof(before));
				check_runq(q);
				return;
			}
			break;
		}
		model_del(t);
		model_add(x);
	} else {
		t = runq_top(q);
		runq_remove(q, t);
		model_del(t);
	}
	check_runq(q);
}

static void test_runq_fuzz(void **state)
{
	static const unsigned int caps[] = { 1, 2, 3, 5, 8, 17, NENT };
	static const uint32_t ranges[] = { 1, 3, 8 };
	struct sched_runq q;
	unsigned int c, r, i;
	uint64_t floor;

	(void)state;
	rng = 0x6b43a9b5u;
	for (r = 0; r < sizeof(ranges) / sizeof(ranges[0]); r++) {
		for (c = 0; c < sizeof(caps) / sizeof(caps[0]); c++) {
			floor = KEY_BASE;
			runq_init(&q, &sentinel);
			check_runq(&q);
			for (i = 0; i < 3000; i++)
				runq_step(&q, caps[c], ranges[r], &floor);
			drain_runq(&q);
		}
	}
}

/* ------------------------------------------------------------------------ */
/* Targeted cases */

static void heap_add(struct sched_heap *h, struct sched_entity *e, uint64_t key, bool by_avt)
{
	/* The other key is the reverse, so using the wrong one changes order. */
	if (by_avt)
		stamp(e, KEY_BASE + 1000 - key, KEY_BASE + key);
	else
		stamp(e, KEY_BASE + key, KEY_BASE + 1000 - key);
	heap_push(h, e, by_avt);
	model_add(e);
	check_heap(h, by_avt);
}

static void runq_add(struct sched_runq *q, struct sched_entity *e, uint64_t key)
{
	stamp(e, KEY_BASE + key, 0);
	runq_push(q, e);
	model_add(e);
	check_runq(q);
}

static void test_empty(void **state)
{
	struct sched_heap h;
	struct sched_runq q;
	bool by_avt;

	(void)state;
	for (by_avt = false; ; by_avt = true) {
		heap_init(&h, &sentinel);
		assert_ptr_equal(heap_top(&h), &sentinel);
		assert_true(heap_key(heap_top(&h), by_avt) == SCHED_HEAP_KEY_NONE);
		/* Emptied again after use: the sentinel is back on top. */
		heap_add(&h, &ent[0], 5, by_avt);
		heap_remove(&h, &ent[0], by_avt);
		model_del(&ent[0]);
		check_heap(&h, by_avt);
		assert_ptr_equal(heap_top(&h), &sentinel);
		if (by_avt)
			break;
	}
	runq_init(&q, &sentinel);
	assert_true(runq_empty(&q));
	assert_true(runq_top(&q)->evt == SCHED_HEAP_KEY_NONE);
	assert_true(runq_top(&q)->avt == SCHED_HEAP_KEY_NONE); /* svt_now() reads A */
	runq_add(&q, &ent[0], 5);  /* lane */
	runq_add(&q, &ent[1], 3);  /* heap */
	assert_false(runq_empty(&q));
	drain_runq(&q);
	assert_true(runq_top(&q)->evt == SCHED_HEAP_KEY_NONE);
	assert_true(runq_top(&q)->avt == SCHED_HEAP_KEY_NONE);
}

/* Removing the entry in a[n - 1] (no sift), the top, and from the middle. */
static void heap_remove_cases(bool by_avt)
{
	struct sched_heap h;
	int i;

	heap_init(&h, &sentinel);
	heap_add(&h, &ent[0], 1, by_avt);
	heap_remove(&h, &ent[0], by_avt); /* the only one: last and top */
	model_del(&ent[0]);
	check_heap(&h, by_avt);

	for (i = 0; i < 7; i++)
		heap_add(&h, &ent[i], (uint64_t)i, by_avt);
	heap_remove(&h, h.a[h.n - 1], by_avt); /* the last */
	model_del(&ent[6]);
	check_heap(&h, by_avt);
	heap_remove(&h, heap_top(&h), by_avt); /* the top */
	model_del(&ent[0]);
	check_heap(&h, by_avt);
	heap_remove(&h, &ent[2], by_avt); /* an inner node */
	model_del(&ent[2]);
	check_heap(&h, by_avt);
	/* The last entry moving up past the hole's parent: the hole's
	 * subtree is large, the last entry small. */
	heap_add(&h, &ent[7], 0, by_avt);
	heap_add(&h, &ent[8], 0, by_avt);
	heap_remove(&h, &ent[5], by_avt);
	model_del(&ent[5]);
	check_heap(&h, by_avt);
	drain_heap(&h, by_avt);
}

static void test_heap_remove_cases(void **state)
{
	(void)state;
	heap_remove_cases(false);
	heap_remove_cases(true);
}

/* replace_top with the newcomer smallest, largest, and tied (FIFO). */
static void heap_replace_top_cases(bool by_avt)
{
	struct sched_heap h;
	int i;

	heap_init(&h, &sentinel);
	for (i = 0; i < 6; i++)
		heap_add(&h, &ent[i], 10 + (uint64_t)i, by_avt);

	/* Smallest: it becomes the top. */
	stamp(&ent[10], by_avt ? 0 : KEY_BASE, by_avt ? KEY_BASE : 0);
	heap_replace_top(&h, &ent[10], by_avt);
	model_del(&ent[0]);
	model_add(&ent[10]);
	check_heap(&h, by_avt);
	assert_ptr_equal(heap_top(&h), &ent[10]);

	/* Largest: it sinks to a leaf. */
	stamp(&ent[11], by_avt ? 0 : KEY_BASE + 100, by_avt ? KEY_BASE + 100 : 0);
	heap_replace_top(&h, &ent[11], by_avt);
	model_del(&ent[10]);
	model_add(&ent[11]);
	check_heap(&h, by_avt);
	assert_ptr_equal(heap_top(&h), &ent[1]);

	/* Tied with the new top and two more: it goes behind all of them. */
	heap_add(&h, &ent[12], 11, by_avt);
	heap_add(&h, &ent[13], 11, by_avt);
	stamp(&ent[14], by_avt ? 0 : KEY_BASE + 11, by_avt ? KEY_BASE + 11 : 0);
	heap_replace_top(&h, &ent[14], by_avt); /* top ent[1] (11) out */
	model_del(&ent[1]);
	model_add(&ent[14]);
	check_heap(&h, by_avt);
	assert_ptr_equal(heap_top(&h), &ent[12]);
	heap_remove(&h, &ent[12], by_avt);
	model_del(&ent[12]);
	assert_ptr_equal(heap_top(&h), &ent[13]);
	heap_remove(&h, &ent[13], by_avt);
	model_del(&ent[13]);
	assert_ptr_equal(heap_top(&h), &ent[14]);
	drain_heap(&h, by_avt);
}

static void test_heap_replace_top_cases(void **state)
{
	(void)state;
	heap_replace_top_cases(false);
	heap_replace_top_cases(true);
}

/* Equal keys come out in insertion order, whichever part holds them. */
static void test_fifo_ties(void **state)
{
	static const uint64_t keys[] = { 5, 3, 5, 3, 7, 5, 3, 7, 3, 5 };
	struct sched_heap h;
	struct sched_runq q;
	unsigned int i, n = sizeof(keys) / sizeof(keys[0]);
	bool by_avt;

	(void)state;
	for (by_avt = false; ; by_avt = true) {
		heap_init(&h, &sentinel);
		for (i = 0; i < n; i++)
			heap_add(&h, &ent[i], keys[i], by_avt);
		drain_heap(&h, by_avt);
		if (by_avt)
			break;
	}

	runq_init(&q, &sentinel);
	for (i = 0; i < n; i++)
		runq_add(&q, &ent[i], keys[i]); /* 5, 5, 7, 7 lane; 3s, a 5 heap */
	assert_true(q.heap.n > 0 && q.lane.next != &q.lane); /* both parts used */
	/* The 3s, the 5s, the 7s, each in insertion order (= ent[] index). */
	for (i = 0; i < n; i++) {
		static const int expect[] = { 1, 3, 6, 8, 0, 2, 5, 9, 4, 7 };
		struct sched_entity *t = runq_top(&q);

		assert_ptr_equal(t, &ent[expect[i]]);
		runq_remove(&q, t);
		model_del(t);
		check_runq(&q);
	}
	drain_runq(&q);
}

/* Lane removal from its first, middle and last place. */
static void test_lane_remove_middle(void **state)
{
	struct sched_runq q;
	int i;

	(void)state;
	runq_init(&q, &sentinel);
	for (i = 0; i < 5; i++)
		runq_add(&q, &ent[i], (uint64_t)i / 2); /* 0 0 1 1 2: all lane */
	assert_int_equal(q.heap.n, 0);
	runq_remove(&q, &ent[2]); /* middle */
	model_del(&ent[2]);
	check_runq(&q);
	runq_remove(&q, &ent[4]); /* last: new last is ent[3] */
	model_del(&ent[4]);
	check_runq(&q);
	runq_add(&q, &ent[5], 1); /* tie with the last: still the lane, behind it */
	assert_int_equal(ent[5].pos[0], SCHED_POS_LANE);
	runq_remove(&q, &ent[0]); /* first */
	model_del(&ent[0]);
	check_runq(&q);
	drain_runq(&q);
}

/* runq_replace_top in each of its cases. */
/* runq_replace_top() of q's top, which must be `top`, by x (key evt), with
 * the model kept in step and the queue checked. */
static void replace_top_checked(struct sched_runq *q, struct sched_entity *top,
				struct sched_entity *x, uint64_t evt)
{
	struct sched_entity *t = runq_top(q);

	assert_ptr_equal(t, top);
	stamp(x, evt, 0);
	runq_replace_top(q, t, x);
	model_del(t);
	model_add(x);
	check_runq(q);
}

static void test_runq_replace_top_cases(void **state)
{
	struct sched_runq q;
	struct sched_entity *t;

	(void)state;
	runq_init(&q, &sentinel);
	runq_add(&q, &ent[0], 10); /* lane */
	runq_add(&q, &ent[1], 20); /* lane */
	runq_add(&q, &ent[2], 15); /* heap */

	/* Top in the lane, newcomer the largest: a rotation. */
	t = runq_top(&q);
	assert_ptr_equal(t, &ent[0]);
	stamp(&ent[3], KEY_BASE + 30, 0);
	assert_true(runq_rotate(&q, t, &ent[3]));
	model_del(t);
	model_add(&ent[3]);
	check_runq(&q);

	/* Top in the heap, newcomer the largest: top out of the heap, x last. */
	t = runq_top(&q);
	assert_ptr_equal(t, &ent[2]);
	stamp(&ent[4], KEY_BASE + 30, 0); /* tie with the lane's last */
	assert_false(runq_rotate(&q, t, &ent[4]));
	runq_replace_top(&q, t, &ent[4]);
	model_del(t);
	model_add(&ent[4]);
	check_runq(&q);
	assert_ptr_equal(q.lane.prev, &ent[4]);

	/* Top in the lane, newcomer the smallest: into the heap, and on top. */
	replace_top_checked(&q, &ent[1], &ent[5], KEY_BASE + 1);
	assert_ptr_equal(runq_top(&q), &ent[5]);

	/* Top in the heap, newcomer tied with it: the heap, behind it. */
	runq_add(&q, &ent[6], 1);
	replace_top_checked(&q, &ent[5], &ent[7], KEY_BASE + 1);
	assert_ptr_equal(runq_top(&q), &ent[6]); /* older stamp first */

	/* The only entry, replaced by a larger one: a rotation of a lane of
	 * one (top is also the last the newcomer is compared with). */
	drain_runq(&q);
	runq_add(&q, &ent[0], 10);
	stamp(&ent[1], KEY_BASE + 10, 0);
	assert_true(runq_rotate(&q, &ent[0], &ent[1]));
	model_del(&ent[0]);
	model_add(&ent[1]);
	check_runq(&q);

	/* The only entry, replaced by a smaller one: the lane empties, the
	 * newcomer goes to the heap. */
	stamp(&ent[2], KEY_BASE + 2, 0);
	runq_replace_top(&q, &ent[1], &ent[2]);
	model_del(&ent[1]);
	model_add(&ent[2]);
	check_runq(&q);
	assert_int_equal(q.heap.n, 1);
	drain_runq(&q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_empty, setup),
		cmocka_unit_test_setup(test_heap_remove_cases, setup),
		cmocka_unit_test_setup(test_heap_replace_top_cases, setup),
		cmocka_unit_test_setup(test_fifo_ties, setup),
		cmocka_unit_test_setup(test_lane_remove_middle, setup),
		cmocka_unit_test_setup(test_runq_replace_top_cases, setup),
		cmocka_unit_test_setup(test_heap_fuzz_evt, setup),
		cmocka_unit_test_setup(test_heap_fuzz_avt, setup),
		cmocka_unit_test_setup(test_runq_fuzz, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
