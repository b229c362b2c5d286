/*
 * Time conversion (counter ticks <-> ns without 64-bit division) and the
 * shared-info publication protocol.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fake_port.h"
#include "time.h"
#include "vmm/guest_info.h"

static uint64_t exact(uint64_t x, uint64_t from, uint64_t to)
{
	return (uint64_t)(((unsigned __int128)x * to) / from);
}

static void check_rate(uint64_t from, uint64_t to)
{
	static const uint64_t xs[] = {0, 1, 7, 999, 62500000, 1000000000, 0xffffffffull,
				      0x100000000ull, 123456789012345ull, 1ull << 52};
	struct time_rate r = time_rate_make(from, to);
	size_t i;

	for (i = 0; i < sizeof(xs) / sizeof(xs[0]); i++) {
		uint64_t want = exact(xs[i], from, to);
		uint64_t down = time_rate_apply(r, xs[i], 0);
		uint64_t up = time_rate_apply(r, xs[i], 1);
		/* the 32-bit fraction loses at most x / 2^32 + 1 units */
		uint64_t slack = (xs[i] >> 32) + 2;

		assert_true(down <= want);
		assert_true(want - down <= slack);
		assert_true(up >= down && up - down <= 1);
	}
}

static void test_rates_match_exact_math(void **state)
{
	(void)state;
	check_rate(62500000, 1000000000);  /* QEMU virt generic timer */
	check_rate(1000000000, 62500000);
	check_rate(24000000, 1000000000);  /* common SoC crystal */
	check_rate(1000000000, 24000000);
	check_rate(100000000, 1000000000); /* A9 global timer at 100 MHz */
	check_rate(1000000000, 1000000000);
	check_rate(32768, 1000000000);     /* RTC-class counter */
}

/* 62.5 MHz is exactly 16 ns per tick: the rate has no fraction, and the
 * integer path must still be exact over the whole 64-bit range it covers. */
static void test_integer_rate_is_exact(void **state)
{
	static const uint64_t xs[] = {0, 1, 0xffffffffull, 0x100000000ull, 0x123456789abcdefull,
				      (1ull << 60) - 1};
	struct time_rate r = time_rate_make(62500000, 1000000000);
	size_t i;

	(void)state;
	assert_int_equal(r.whole, 16);
	assert_int_equal(r.frac, 0);
	for (i = 0; i < sizeof(xs) / sizeof(xs[0]); i++) {
		assert_true(time_rate_apply(r, xs[i], 0) == xs[i] * 16);
		assert_true(time_rate_apply(r, xs[i], 1) == xs[i] * 16); /* nothing to round */
	}
	r = time_rate_make(1000000000, 1000000000);
	assert_int_equal(r.whole, 1);
	assert_int_equal(r.frac, 0);
	assert_true(time_rate_apply(r, 0xfedcba9876543210ull, 1) == 0xfedcba9876543210ull);
	/* a ratio with a fraction does not take the integer path */
	r = time_rate_make(24000000, 1000000000);
	assert_int_not_equal(r.frac, 0);
}

static void test_now_counts_from_boot(void **state)
{
	(void)state;
	fake_reset();
	fake_hw.counter = 5000;
	time_init();
	assert_int_equal(time_now(), 0);
	fake_hw.counter += 62500000; /* one second at 62.5 MHz */
	assert_int_equal(time_now(), 1000000000ull);
	assert_int_equal(time_boot_wallclock(), 1700000000u);
}

static void test_deadline_never_early(void **state)
{
	uint64_t ns;

	(void)state;
	fake_reset();
	fake_hw.counter_freq = 24000000;
	time_init();
	for (ns = 1; ns < 5000000; ns = ns * 3 + 1) {
		uint64_t c = time_ns_to_counter(ns);
		/* at the counter we program, system time has reached the deadline */
		fake_hw.counter = c;
		assert_true(time_now() >= ns - 1);
		fake_hw.counter = c - 1;
		assert_true(time_now() < ns);
	}
}

static void test_publish_leaves_even_version(void **state)
{
	struct vmm_shared_info s = {0};

	(void)state;
	fake_reset();
	time_init();
	s.vcpu_info.time.version = 7; /* a guest scribbled an odd value */
	time_publish(&s, 42);
	assert_int_equal(s.vcpu_info.time.version, 8); /* went through odd 7, ended even */
	assert_int_equal(s.vcpu_info.time.system_time, 42);
	time_publish(&s, 43);
	assert_int_equal(s.vcpu_info.time.version, 10); /* 9 while updating */
	assert_int_equal(s.vcpu_info.time.system_time, 43);
	time_publish_wallclock(&s);
	assert_int_equal(s.wc_version % 2, 0);
	assert_int_equal(s.wc_sec, 1700000000u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rates_match_exact_math),
		cmocka_unit_test(test_integer_rate_is_exact),
		cmocka_unit_test(test_now_counts_from_boot),
		cmocka_unit_test(test_deadline_never_early),
		cmocka_unit_test(test_publish_leaves_even_version),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
