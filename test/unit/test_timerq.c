/*
 * Timer queue (core/timerq.c): earliest deadline in O(1), (deadline, id)
 * order, cancel and re-arm anywhere in the heap, every id armed at once,
 * and the extreme deadlines 0 and 2^64-1.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "timerq.h"

static struct timerq q;

/* Takes every deadline due at `now`; returns how many, checking they come
 * out in (deadline, id) order. */
static unsigned int drain(uint64_t now)
{
	uint64_t last_deadline = 0;
	int last_id = -1, id;
	unsigned int n = 0;

	while ((id = timerq_pop_due(&q, now)) >= 0) {
		uint64_t d = q.deadline[id];

		assert_true(d <= now);
		assert_true(d > last_deadline || (d == last_deadline && id > last_id) || n == 0);
		assert_false(timerq_armed(&q, (unsigned int)id));
		last_deadline = d;
		last_id = id;
		n++;
	}
	return n;
}

static void test_empty_is_never(void **state)
{
	(void)state;
	timerq_init(&q);
	assert_true(timerq_earliest(&q) == TIMERQ_NEVER);
	assert_int_equal(timerq_pop_due(&q, UINT64_MAX), -1);
	timerq_cancel(&q, 3); /* not armed: no-op */
	timerq_cancel(&q, TIMERQ_CAPACITY); /* out of range: no-op */
	assert_int_equal(q.n, 0);
}

static void test_order_and_ties(void **state)
{
	(void)state;
	timerq_init(&q);
	timerq_arm(&q, 5, 300);
	timerq_arm(&q, 2, 100);
	timerq_arm(&q, 7, 100); /* tie with 2: 2 first (lower id) */
	timerq_arm(&q, 1, 200);
	assert_true(timerq_earliest(&q) == 100);
	assert_int_equal(timerq_pop_due(&q, 99), -1); /* the last not-due instant */
	assert_int_equal(timerq_pop_due(&q, 100), 2); /* the first due one */
	assert_int_equal(timerq_pop_due(&q, 100), 7);
	assert_int_equal(timerq_pop_due(&q, 100), -1);
	assert_true(timerq_earliest(&q) == 200);
	assert_int_equal(timerq_pop_due(&q, 1000), 1);
	assert_int_equal(timerq_pop_due(&q, 1000), 5);
	assert_true(timerq_earliest(&q) == TIMERQ_NEVER);
}

static void test_cancel_and_rearm(void **state)
{
	(void)state;
	timerq_init(&q);
	timerq_arm(&q, 0, 50);
	timerq_arm(&q, 1, 60);
	timerq_arm(&q, 2, 70);
	timerq_arm(&q, 3, 80);
	timerq_cancel(&q, 0); /* the top */
	assert_false(timerq_armed(&q, 0));
	assert_true(timerq_earliest(&q) == 60);
	timerq_cancel(&q, 2); /* the middle */
	timerq_arm(&q, 3, 10); /* re-armed earlier: new top */
	assert_true(timerq_earliest(&q) == 10);
	assert_int_equal(q.n, 2);
	timerq_arm(&q, 3, 90); /* re-armed later: sinks */
	assert_true(timerq_earliest(&q) == 60);
	timerq_arm(&q, 1, 60); /* same deadline again: unchanged */
	assert_int_equal(q.n, 2);
	assert_int_equal(timerq_pop_due(&q, 100), 1);
	assert_int_equal(timerq_pop_due(&q, 100), 3);
	timerq_arm(&q, TIMERQ_CAPACITY, 5); /* out of range: ignored */
	assert_int_equal(q.n, 0);
	timerq_arm(&q, TIMERQ_CAPACITY - 1, 5); /* the last valid id */
	assert_true(timerq_armed(&q, TIMERQ_CAPACITY - 1));
	assert_int_equal(timerq_pop_due(&q, 5), TIMERQ_CAPACITY - 1);
}

static void test_extreme_deadlines(void **state)
{
	(void)state;
	timerq_init(&q);
	timerq_arm(&q, 4, UINT64_MAX);
	assert_true(timerq_armed(&q, 4));
	assert_true(timerq_earliest(&q) == UINT64_MAX);
	assert_int_equal(timerq_pop_due(&q, UINT64_MAX - 1), -1);
	timerq_arm(&q, 9, 0);
	assert_true(timerq_earliest(&q) == 0);
	assert_int_equal(timerq_pop_due(&q, 0), 9);
	assert_int_equal(timerq_pop_due(&q, UINT64_MAX), 4);
	assert_int_equal(q.n, 0);
}

/* Every id armed in a scrambled order, random re-arms and cancels, checked
 * against a plain array after each step. */
static void test_many_against_model(void **state)
{
	uint64_t model[TIMERQ_CAPACITY];
	bool armed[TIMERQ_CAPACITY] = { false };
	unsigned int i, step;

	(void)state;
	srand(12);
	timerq_init(&q);
	for (step = 0; step < 20000; step++) {
		unsigned int id = (unsigned int)rand() % TIMERQ_CAPACITY;
		uint64_t best = TIMERQ_NEVER, n = 0;

		if (rand() % 4 == 0) {
			timerq_cancel(&q, id);
			armed[id] = false;
		} else {
			/* Few distinct values: many ties. */
			model[id] = (uint64_t)(rand() % 32) << (rand() % 2 ? 58 : 0);
			armed[id] = true;
			timerq_arm(&q, id, model[id]);
		}
		for (i = 0; i < TIMERQ_CAPACITY; i++) {
			assert_true(timerq_armed(&q, i) == armed[i]);
			if (armed[i]) {
				n++;
				if (model[i] < best)
					best = model[i];
			}
		}
		assert_int_equal(q.n, n);
		assert_true(timerq_earliest(&q) == best);
	}
	for (i = 0; i < TIMERQ_CAPACITY; i++)
		timerq_arm(&q, i, (uint64_t)(i * 7919 % TIMERQ_CAPACITY) << 40);
	assert_int_equal(drain(UINT64_MAX), TIMERQ_CAPACITY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_is_never),
		cmocka_unit_test(test_order_and_ties),
		cmocka_unit_test(test_cancel_and_rearm),
		cmocka_unit_test(test_extreme_deadlines),
		cmocka_unit_test(test_many_against_model),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
