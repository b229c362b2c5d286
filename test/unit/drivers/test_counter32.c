/*
 * counter32: a 64-bit monotonic count from a 32-bit up- or down-counter, and
 * the read-rate rule it relies on (reads less than one wrap apart; the port
 * contract asks for half a wrap).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "counter32.h"

#define WRAP (1ull << 32)

/* A hardware counter that has run `ticks` since it held 0 (up) or
 * 0xffffffff (down): what its register reads. */
static uint32_t hw_value(uint64_t ticks, bool down)
{
	return down ? (uint32_t)(0xffffffffu - (uint32_t)ticks) : (uint32_t)ticks;
}

static void test_starts_at_the_hardware_value(void **state)
{
	struct counter32 c;

	(void)state;
	counter32_init(&c, 1234, false);
	assert_int_equal(counter32_extend(&c, 1234), 1234);
	counter32_init(&c, 0xffffffffu, true); /* down-counter freshly loaded */
	assert_int_equal(counter32_extend(&c, 0xffffffffu), 0);
	assert_int_equal(counter32_extend(&c, 0xfffffff0u), 15);
}

static void test_up_counter_wraps_across_2_32(void **state)
{
	struct counter32 c;

	(void)state;
	counter32_init(&c, 0xfffffff0u, false);
	assert_int_equal(counter32_extend(&c, 0xffffffffu), 0xffffffffull);
	assert_int_equal(counter32_extend(&c, 0), WRAP);          /* the wrap itself */
	assert_int_equal(counter32_extend(&c, 5), WRAP + 5);
	/* a read just before and just after the wrap point in one step */
	counter32_init(&c, 0xfffffffeu, false);
	assert_int_equal(counter32_extend(&c, 1), WRAP + 1);
}

static void test_down_counter_wraps_across_zero(void **state)
{
	struct counter32 c;
	uint64_t t = WRAP - 3;

	(void)state;
	counter32_init(&c, hw_value(t, true), true);
	assert_int_equal(counter32_extend(&c, 2), WRAP - 3);
	assert_int_equal(counter32_extend(&c, 0), WRAP - 1);
	assert_int_equal(counter32_extend(&c, 0xffffffffu), WRAP); /* reloaded: one wrap */
	assert_int_equal(counter32_extend(&c, 0xfffffff6u), WRAP + 9);
}

static void test_many_wraps_stay_exact(void **state)
{
	bool down;

	(void)state;
	for (down = false; ; down = true) {
		struct counter32 c;
		uint64_t t = 77;
		unsigned int i;

		counter32_init(&c, hw_value(t, down), down);
		/* 3 reads per wrap, uneven steps, 1000 wraps: the sum never drifts */
		for (i = 0; i < 3000; i++) {
			t += 0x55555555u + (i % 7);
			assert_int_equal(counter32_extend(&c, hw_value(t, down)), t);
		}
		assert_true(t > 1000 * WRAP);
		if (down)
			break;
	}
}

/* The rule's limit: reads exactly COUNTER32_MAX_READ_GAP apart, forever. */
static void test_reads_at_the_rules_limit(void **state)
{
	bool down;

	(void)state;
	assert_int_equal(COUNTER32_MAX_READ_GAP, WRAP / 2);
	for (down = false; ; down = true) {
		struct counter32 c;
		uint64_t t = 0xfffffff0u;
		unsigned int i;

		counter32_init(&c, hw_value(t, down), down);
		for (i = 0; i < 100; i++) {
			t += COUNTER32_MAX_READ_GAP;
			assert_int_equal(counter32_extend(&c, hw_value(t, down)), t);
		}
		if (down)
			break;
	}
}

/* Beyond the rule, the helper still copes with up to one wrap minus a tick
 * (the margin the rule keeps for latency); a whole wrap between reads is
 * invisible and lost, which is why the rule exists. */
static void test_margin_and_what_breaks_without_the_rule(void **state)
{
	struct counter32 c;
	uint64_t t = 100;

	(void)state;
	counter32_init(&c, (uint32_t)t, false);
	t += WRAP - 1;
	assert_int_equal(counter32_extend(&c, (uint32_t)t), t);
	t += WRAP;                                  /* a whole wrap unread */
	assert_int_equal(counter32_extend(&c, (uint32_t)t), t - WRAP);
}

static void test_is_monotonic_for_equal_reads(void **state)
{
	struct counter32 c;

	(void)state;
	counter32_init(&c, 42, false);
	assert_int_equal(counter32_extend(&c, 42), 42);
	assert_int_equal(counter32_extend(&c, 42), 42);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_starts_at_the_hardware_value),
		cmocka_unit_test(test_up_counter_wraps_across_2_32),
		cmocka_unit_test(test_down_counter_wraps_across_zero),
		cmocka_unit_test(test_many_wraps_stay_exact),
		cmocka_unit_test(test_reads_at_the_rules_limit),
		cmocka_unit_test(test_margin_and_what_breaks_without_the_rule),
		cmocka_unit_test(test_is_monotonic_for_equal_reads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
