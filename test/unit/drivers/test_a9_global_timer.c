/*
 * Cortex-A9 global timer driver against a model of the timer, both with the
 * r2p0+ comparator (fires while counter >= comparator) and with the
 * equality-only comparator of earlier silicon: a deadline in the future, one
 * already reached, one long passed, and register accesses slower than the
 * re-aim margin must all raise the interrupt, never before the deadline.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "a9_global_timer.h"
#include "vmm/port.h"

#define GT_PHYS 0x1E000200u
#define GT_VA   0xF0000200u

static struct {
	uint64_t ticks;          /* the counter */
	uint64_t step;           /* ticks each register access takes */
	unsigned int per_tick;   /* or: register accesses per tick (slow counter) */
	unsigned int accesses;
	bool equality_only;      /* pre-r2p0 comparator */
	uint32_t control, comp_lo, comp_hi, autoinc;
	bool event;              /* status bit: the comparator fired */
	uint64_t fired_at;       /* counter value when it first fired */
	unsigned int programs;   /* comparator enables */
} gt;

uintptr_t vmm_port_device_va(uint32_t phys)
{
	return phys == GT_PHYS ? GT_VA : 0;
}

static bool comparing(void)
{
	return (gt.control & 7u) == 7u; /* timer, comparator and IRQ enabled */
}

static uint64_t comparator(void)
{
	return ((uint64_t)gt.comp_hi << 32) | gt.comp_lo;
}

static void fire(void)
{
	if (!gt.event)
		gt.fired_at = gt.ticks;
	gt.event = true;
}

/* Time passes by `n` ticks, one at a time, with the comparator watching. */
static void advance(uint64_t n)
{
	if (!comparing()) {
		gt.ticks += n;
		return;
	}
	while (n--) {
		gt.ticks++;
		if (gt.equality_only ? gt.ticks == comparator() : gt.ticks >= comparator())
			fire();
	}
}

/* r2p0+ also fires at once when enabled on a counter already past. */
static void check_level(void)
{
	if (!gt.equality_only && comparing() && gt.ticks >= comparator())
		fire();
}

/* One register access: time moves by `step`, or by a tick every `per_tick`. */
static void access(void)
{
	if (!gt.per_tick)
		advance(gt.step);
	else if (++gt.accesses % gt.per_tick == 0)
		advance(1);
}

uint32_t mmio_read32(uintptr_t addr)
{
	uint32_t v;

	access();
	switch (addr - GT_VA) {
	case 0x00: v = (uint32_t)gt.ticks; break;
	case 0x04: v = (uint32_t)(gt.ticks >> 32); break;
	case 0x08: v = gt.control; break;
	case 0x0c: v = gt.event; break;
	default: fail_msg("read of 0x%lx", (unsigned long)addr); return 0;
	}
	return v;
}

void mmio_write32(uintptr_t addr, uint32_t value)
{
	access();
	switch (addr - GT_VA) {
	case 0x08:
		if ((value & 7u) == 7u && !comparing())
			gt.programs++;
		gt.control = value;
		break;
	case 0x0c: if (value & 1u) gt.event = false; break;
	case 0x10: gt.comp_lo = value; break;
	case 0x14: gt.comp_hi = value; break;
	case 0x18: gt.autoinc = value; break;
	default: fail_msg("write of 0x%lx", (unsigned long)addr);
	}
	check_level();
}

void mmio_write8(uintptr_t addr, uint8_t value)
{
	(void)addr;
	(void)value;
	fail();
}

static void boot(bool equality_only, uint64_t ticks, uint64_t step)
{
	memset(&gt, 0, sizeof(gt));
	gt.equality_only = equality_only;
	gt.ticks = ticks;
	a9_global_timer_init(GT_PHYS);
	gt.step = step;
}

/* Arms `count`, lets time run on, and returns whether the interrupt came. */
static bool set_and_wait(uint64_t count, uint64_t wait)
{
	a9_global_timer_set(count);
	advance(wait);
	return gt.event;
}

static void test_init_starts_the_counter_comparator_off(void **state)
{
	(void)state;
	boot(true, 0, 0);
	assert_int_equal(gt.control, 1);
	assert_int_equal(gt.autoinc, 0);
	assert_false(gt.event);
}

static void test_future_deadline_fires_exactly_on_both_revisions(void **state)
{
	bool eq;

	(void)state;
	for (eq = false; ; eq = true) {
		boot(eq, 1000, 1);
		assert_true(set_and_wait(5000, 10000));
		assert_int_equal(comparator(), 5000);           /* not re-aimed */
		assert_int_equal(gt.fired_at, 5000);
		assert_int_equal(gt.programs, 1);
		if (eq)
			break;
	}
}

static void test_reached_and_passed_deadlines_fire_on_equality_only_silicon(void **state)
{
	static const uint64_t behind[] = { 0, 1, 5000, 1000000 };
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(behind) / sizeof(behind[0]); i++) {
		uint64_t now = 2000000, count = now - behind[i];

		boot(true, now, 1);
		assert_true(set_and_wait(count, 1000));
		assert_true(gt.fired_at >= count);                /* never early */
		assert_true(gt.fired_at <= gt.ticks);
		assert_true(comparator() > count);                /* re-aimed ahead */
		assert_true(comparator() - now <= 64);            /* ...only just */
	}
}

/* The one-tick-ahead race: the deadline passes while the comparator is
 * being written, before it is enabled. */
static void test_deadline_passing_during_programming_still_fires(void **state)
{
	uint64_t ahead;

	(void)state;
	for (ahead = 1; ahead < 40; ahead++) {
		boot(true, 100000, 3);
		assert_true(set_and_wait(100000 + ahead, 1000));
		assert_true(gt.fired_at >= 100000 + ahead);
	}
}

/* A counter slower than the register accesses (PERIPHCLK well below the
 * CPU clock) already AT the deadline: it does not move while the comparator
 * is armed, so an equality-only comparator never sees it arrive; reading
 * back "counter == comparator" must count as missed. */
static void test_deadline_equal_to_a_slow_counter_fires(void **state)
{
	unsigned int per_tick;

	(void)state;
	for (per_tick = 2; per_tick <= 64; per_tick *= 2) {
		boot(true, 777777, 0);
		gt.per_tick = per_tick;
		a9_global_timer_set(777777);
		gt.per_tick = 0;
		advance(1000);
		assert_true(gt.event);
		assert_true(gt.fired_at >= 777777);
	}
}

/* Accesses slower than the margin: the margin doubles until it holds. */
static void test_slow_registers_grow_the_margin(void **state)
{
	(void)state;
	boot(true, 1ull << 40, A9_GLOBAL_TIMER_MIN_AHEAD * 4);
	assert_true(set_and_wait(5, 100000));
	assert_true(gt.programs > 1);
	assert_true(gt.fired_at >= 5);
}

static void test_comparator_halves_across_2_32(void **state)
{
	(void)state;
	boot(true, 0xfffffff0u, 1);
	assert_true(set_and_wait(0x100000005ull, 100));
	assert_int_equal(gt.comp_hi, 1);
	assert_int_equal(gt.comp_lo, 5);
	assert_int_equal(gt.fired_at, 0x100000005ull);
}

static void test_stop_disarms_and_clears(void **state)
{
	(void)state;
	boot(false, 1000, 1);
	assert_true(set_and_wait(900, 10));
	a9_global_timer_stop();
	assert_false(gt.event);
	assert_int_equal(gt.control, 1);
	advance(100000);
	assert_false(gt.event);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_starts_the_counter_comparator_off),
		cmocka_unit_test(test_future_deadline_fires_exactly_on_both_revisions),
		cmocka_unit_test(test_reached_and_passed_deadlines_fire_on_equality_only_silicon),
		cmocka_unit_test(test_deadline_passing_during_programming_still_fires),
		cmocka_unit_test(test_deadline_equal_to_a_slow_counter_fires),
		cmocka_unit_test(test_slow_registers_grow_the_margin),
		cmocka_unit_test(test_comparator_halves_across_2_32),
		cmocka_unit_test(test_stop_disarms_and_clears),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
