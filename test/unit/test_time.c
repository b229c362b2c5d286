/*
 * Time conversion (counter ticks <-> ns, exact, without 64-bit division) and the
 * shared-info publication protocol.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fake_port.h"
#include "time.h"
#include "vmm/abi.h"
#include "vmm/guest_info.h"
#include "vmm/port.h"

/* Counter rates from the 32 kHz RTC class to 1 GHz: integer ratios and the
 * ones that are not (the defect of issue 12 was on the latter). */
static const uint32_t freqs[] = {32768, 32000, 1000000, 19200000, 24000000, 62500000,
				 100000000, 999999937, 1000000000};

/* Uptimes (in the unit converted from) from 0 to ~584 years of ns; values
 * whose result would not fit 64 bits are skipped by the caller. */
static const uint64_t xs[] = {0, 1, 7, 999, 62500000, 1000000000, 0xffffffffull,
			      0x100000000ull, 86400000000000ull /* a day of ns */,
			      123456789012345ull, 31557600000000000ull /* a year of ns */,
			      1ull << 52, 0x7fffffffffffffffull, 0xfffffffffffffffeull,
			      0xffffffffffffffffull};

static void check_rate(uint64_t from, uint64_t to)
{
	struct time_rate r = time_rate_make(from, to);
	size_t i;
	int k;

	for (i = 0; i < sizeof(xs) / sizeof(xs[0]); i++) {
		for (k = -2; k <= 2; k++) {
			uint64_t x = xs[i] + (uint64_t)(int64_t)k;
			unsigned __int128 p = (unsigned __int128)x * to;
			uint64_t down, up;

			if (p / from > UINT64_MAX - 1)
				continue; /* result does not fit */
			down = time_rate_apply(&r, x, 0);
			up = time_rate_apply(&r, x, 1);
			assert_true(down == (uint64_t)(p / from));
			assert_true(up == (uint64_t)((p + from - 1) / from));
		}
	}
}

static void test_rates_match_exact_math(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(freqs) / sizeof(freqs[0]); i++) {
		check_rate(freqs[i], 1000000000); /* counter -> ns */
		check_rate(1000000000, freqs[i]); /* ns -> counter */
	}
}

/* At every rate and uptime: at the programmed count system time has reached
 * the deadline (never early), one tick before it has not (never more than
 * one tick late), and the boot count offset does not matter. */
static void test_deadlines_exact_at_every_rate_and_uptime(void **state)
{
	static const uint64_t boots[] = {0, 5000, 0x8000000000000000ull};
	size_t f, b, i;

	(void)state;
	for (f = 0; f < sizeof(freqs) / sizeof(freqs[0]); f++) {
		for (b = 0; b < sizeof(boots) / sizeof(boots[0]); b++) {
			fake_reset();
			fake_hw.counter_freq = freqs[f];
			fake_hw.counter = boots[b];
			time_init();
			for (i = 0; i < sizeof(xs) / sizeof(xs[0]); i++) {
				uint64_t ns = xs[i] > (1ull << 62) ? (1ull << 62) + xs[i] % 977 : xs[i];
				uint64_t c = time_ns_to_counter(ns);

				fake_hw.counter = c;
				assert_true(time_now() >= ns);
				if (ns == 0)
					continue;
				fake_hw.counter = c - 1;
				assert_true(time_now() < ns);
			}
		}
	}
}

/* Power-of-two periods (62.5 MHz: 16 ns; 1953125 Hz: 512 ns, the longest
 * a 10^9 ratio allows) take time_ns_to_counter()'s shift path at every ns,
 * up to 2^64 - 1: exactly ceil(ns / period) ticks after the boot count. */
static void test_pow2_deadlines_whole_range(void **state)
{
	static const uint32_t pow2_freqs[] = {62500000, 1953125, 500000000};
	static const uint64_t more[] = {15, 16, 17, 511, 512, 513, 0x8000000000000000ull,
					0x8000000000000001ull, 0xfffffffffffffe00ull};
	size_t f, i;

	(void)state;
	for (f = 0; f < sizeof(pow2_freqs) / sizeof(pow2_freqs[0]); f++) {
		uint64_t period = 1000000000u / pow2_freqs[f];

		fake_reset();
		fake_hw.counter_freq = pow2_freqs[f];
		fake_hw.counter = 5000;
		time_init();
		for (i = 0; i < sizeof(xs) / sizeof(xs[0]) + sizeof(more) / sizeof(more[0]); i++) {
			uint64_t ns = i < sizeof(xs) / sizeof(xs[0]) ? xs[i] : more[i - sizeof(xs) / sizeof(xs[0])];
			uint64_t want = ns / period + (ns % period != 0);

			assert_true(time_ns_to_counter(ns) - 5000 == want);
		}
	}
}

/* A guest sleeping again and again from the moment it wakes, at uptimes
 * from 0 to years: each deadline takes exactly one timer interrupt (the
 * count programmed is reached once and system time has then passed the
 * deadline, so nothing is re-armed in the past). */
static void test_many_sleeps_one_interrupt_each(void **state)
{
	static const uint64_t starts[] = {0, 86400000000000ull, 31557600000000000ull * 10};
	size_t f, s;

	(void)state;
	for (f = 0; f < sizeof(freqs) / sizeof(freqs[0]); f++) {
		for (s = 0; s < sizeof(starts) / sizeof(starts[0]); s++) {
			uint64_t deadline;
			unsigned int n, interrupts = 0;

			fake_reset();
			fake_hw.counter_freq = freqs[f];
			fake_hw.counter = 0;
			time_init();
			fake_hw.counter = time_ns_to_counter(starts[s]);
			for (n = 0; n < 2000; n++) {
				/* sleep lengths that do not divide the tick */
				deadline = time_now() + 1 + (n * 7919u) % 1000003u;
				for (;;) {
					/* arm, then the interrupt comes at the count */
					fake_hw.counter = time_ns_to_counter(deadline);
					interrupts++;
					if (time_now() >= deadline)
						break;
					assert_true(interrupts < 4 * (n + 1)); /* no storm */
				}
			}
			assert_int_equal(interrupts, 2000);
		}
	}
}

/*
 * time_counter_span(), as the refresh tick uses it: from the count c that
 * gave `now`, c + span(R - 1) is reached no later than system time now + R
 * (never late for the `programmed` deadline the scheduler records) and at
 * most two ticks before the exact count for now + R, at every rate and
 * uptime.
 */
static void test_counter_span_never_late(void **state)
{
	static const uint64_t spans[] = {1, 999, 10000000 - 1, 123456789};
	size_t f, i, j;

	(void)state;
	for (f = 0; f < sizeof(freqs) / sizeof(freqs[0]); f++) {
		fake_reset();
		fake_hw.counter_freq = freqs[f];
		fake_hw.counter = 0;
		time_init();
		for (i = 0; i < sizeof(xs) / sizeof(xs[0]); i++) {
			uint64_t c = xs[i] >> 4, now;

			if ((unsigned __int128)c * 1000000000u / freqs[f] > (1ull << 62))
				continue; /* system time must fit 64 bits */
			fake_hw.counter = c;
			now = time_now();
			for (j = 0; j < sizeof(spans) / sizeof(spans[0]); j++) {
				uint64_t k = time_counter_span(spans[j]);
				uint64_t exact = time_ns_to_counter(now + spans[j] + 1);

				assert_true(c + k <= exact);
				assert_true(c + k + 2 >= exact);
			}
		}
	}
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
	assert_true(r.frac == 0);
	for (i = 0; i < sizeof(xs) / sizeof(xs[0]); i++) {
		assert_true(time_rate_apply(&r, xs[i], 0) == xs[i] * 16);
		assert_true(time_rate_apply(&r, xs[i], 1) == xs[i] * 16); /* nothing to round */
	}
	r = time_rate_make(1000000000, 1000000000);
	assert_int_equal(r.whole, 1);
	assert_true(r.frac == 0);
	assert_true(time_rate_apply(&r, 0xfedcba9876543210ull, 1) == 0xfedcba9876543210ull);
	/* a ratio with a fraction does not take the integer path */
	r = time_rate_make(24000000, 1000000000);
	assert_true(r.frac != 0);
	/* ns -> ticks of a 16 ns counter is a shift; not for 1 GHz (ratio 1)
	 * or 1 MHz (1000, not a power of two); a 2^31 ratio is the largest */
	assert_int_equal(time_rate_make(1000000000, 62500000).down_shift, 4);
	assert_int_equal(time_rate_make(1000000000, 1000000000).down_shift, 0);
	assert_int_equal(time_rate_make(1000000000, 1000000).down_shift, 0);
	assert_int_equal(time_rate_make(1000000000, 500000000).down_shift, 1);
	assert_int_equal(time_rate_make(0x80000000u, 1).down_shift, 31);
	assert_int_equal(time_rate_make(1000000000, 3).down_shift, 0);
	check_rate(0x80000000u, 1);
	check_rate(1000000000, 500000000);
	/* 1 MHz and 100 MHz are integer ratios too */
	assert_true(time_rate_make(1000000, 1000000000).frac == 0);
	assert_true(time_rate_make(100000000, 1000000000).frac == 0);
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

/*
 * The guests' extrapolation (vmm_time_from_counter() from the published
 * counter_base, ns_whole, ns_frac and counter_hz): at every rate from 32 kHz
 * to 1 GHz, boot count and uptime, exactly the hypervisor's own time_now()
 * at that counter value (error bound 0) and exactly floor(ticks * 10^9 /
 * hz). A guest therefore never sees a fired deadline as not reached.
 */
static void test_guest_extrapolation_is_exact(void **state)
{
	static const uint64_t boots[] = {0, 5000, 0x8000000000000000ull};
	struct vmm_shared_info s;
	size_t f, b, i;
	int k;

	(void)state;
	for (f = 0; f < sizeof(freqs) / sizeof(freqs[0]); f++) {
		for (b = 0; b < sizeof(boots) / sizeof(boots[0]); b++) {
			fake_reset();
			fake_hw.counter_freq = freqs[f];
			fake_hw.counter = boots[b];
			time_init();
			memset(&s, 0xa5, sizeof(s));
			time_publish_wallclock(&s);
			assert_int_equal(s.vcpu_info.time.counter_hz, freqs[f]);
			assert_true(s.vcpu_info.time.counter_base == boots[b]);
			for (i = 0; i < sizeof(xs) / sizeof(xs[0]); i++) {
				for (k = -1; k <= 1; k++) {
					uint64_t x = xs[i] + (uint64_t)(int64_t)k;
					unsigned __int128 p = (unsigned __int128)x * 1000000000u;
					uint64_t guest;

					if (p / freqs[f] > UINT64_MAX - 1)
						continue; /* beyond 584 years of ns */
					fake_hw.counter = boots[b] + x;
					guest = vmm_time_from_counter(&s.vcpu_info.time, fake_hw.counter);
					assert_true(guest == time_now());
					assert_true(guest == (uint64_t)(p / freqs[f]));
				}
			}
		}
	}
}

/* The board's guest_counter selects the published flags; an unknown value
 * is refused with a line and falls back to published time. */
static void test_guest_counter_modes(void **state)
{
	struct vmm_shared_info s = {0};

	(void)state;
	fake_reset();
	time_init(); /* the fake board: VMM_GUEST_COUNTER_NONE */
	assert_false(time_guest_counter);
	time_publish_wallclock(&s);
	assert_int_equal(s.vcpu_info.time.flags, 0);
	assert_int_equal(time_set_guest_counter(VMM_GUEST_COUNTER_CNTVCT), 0);
	assert_true(time_guest_counter);
	time_publish_wallclock(&s);
	assert_int_equal(s.vcpu_info.time.flags, VMM_TIME_COUNTER_CNTVCT);
	fake_console_clear();
	assert_int_equal(time_set_guest_counter(VMM_GUEST_COUNTER_CNTVCT + 1), -VMM_EINVAL);
	assert_false(time_guest_counter);
	assert_non_null(strstr(fake_hw.console, "unknown guest_counter 2"));
	time_publish_wallclock(&s);
	assert_int_equal(s.vcpu_info.time.flags, 0);
	assert_int_equal(time_set_guest_counter(VMM_GUEST_COUNTER_NONE), 0);
	assert_false(time_guest_counter);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rates_match_exact_math),
		cmocka_unit_test(test_integer_rate_is_exact),
		cmocka_unit_test(test_now_counts_from_boot),
		cmocka_unit_test(test_deadlines_exact_at_every_rate_and_uptime),
		cmocka_unit_test(test_pow2_deadlines_whole_range),
		cmocka_unit_test(test_many_sleeps_one_interrupt_each),
		cmocka_unit_test(test_counter_span_never_late),
		cmocka_unit_test(test_publish_leaves_even_version),
		cmocka_unit_test(test_guest_extrapolation_is_exact),
		cmocka_unit_test(test_guest_counter_modes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
