/*
 * SP804 driver against a model of the device: timer 1 as the free-running
 * counter (extended past its 32-bit wraps), timer 2 as the one-shot with the
 * clamp/re-arm logic (deadlines reached, passed, at and beyond half a wrap)
 * and the wake-up sp804_stop() keeps so the counter is read often enough.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "counter32.h"
#include "sp804.h"
#include "vmm/port.h"

#define BASE 0x10011000u
#define HALF 0x80000000u

/* The device: ticks of TIMCLK since timer 1 was enabled, and registers. */
static struct {
	uint64_t ticks;            /* time, in TIMCLK ticks since timer 1 started */
	uint32_t reg[2][8];        /* timer 1, timer 2: LOAD VALUE CONTROL ... */
	unsigned int intclr[2];    /* INTCLR writes per timer */
	unsigned int t2_starts;    /* timer 2 enabled (one-shot armed) */
	uint32_t t2_loaded;        /* load value when timer 2 was last enabled */
	bool t2_clear_before_start; /* INTCLR written since the last start */
	bool t2_cleared;
} dev;

uintptr_t vmm_port_device_va(uint32_t phys)
{
	return phys == BASE ? 0xF0011000u : 0;
}

static unsigned int reg_timer(uintptr_t addr, unsigned int *idx)
{
	uintptr_t off = addr - 0xF0011000u;

	assert_true(off < 0x40 && off % 4 == 0);
	*idx = (unsigned int)(off % 0x20) / 4;
	return (unsigned int)(off / 0x20);
}

uint32_t mmio_read32(uintptr_t addr)
{
	unsigned int i, t = reg_timer(addr, &i);

	if (t == 0 && i == 1) /* timer 1 VALUE: free-running down from 0xffffffff */
		return 0xffffffffu - (uint32_t)dev.ticks;
	return dev.reg[t][i];
}

void mmio_write32(uintptr_t addr, uint32_t value)
{
	unsigned int i, t = reg_timer(addr, &i);

	if (i == 3) { /* INTCLR */
		dev.intclr[t]++;
		if (t == 1)
			dev.t2_cleared = true;
		return;
	}
	dev.reg[t][i] = value;
	if (t == 1 && i == 2 && (value & 0x80u)) {
		dev.t2_starts++;
		dev.t2_loaded = dev.reg[1][0];
		dev.t2_clear_before_start = dev.t2_cleared;
		dev.t2_cleared = false;
	}
}

void mmio_write8(uintptr_t addr, uint8_t value)
{
	(void)addr;
	(void)value;
	fail();
}

static int setup(void **state)
{
	(void)state;
	memset(&dev, 0, sizeof(dev));
	sp804_init(BASE);
	return 0;
}

static void test_init_runs_timer1_free_and_stops_timer2(void **state)
{
	(void)state;
	assert_int_equal(dev.reg[0][0], 0xffffffffu);       /* full 32-bit period */
	assert_int_equal(dev.reg[0][2], 0x82u);             /* enabled, 32-bit, no irq, free-running */
	assert_int_equal(dev.reg[1][2], 0);                 /* one-shot off */
	assert_int_equal(dev.intclr[1], 1);
	assert_int_equal(sp804_count(), 0);
}

static void test_count_is_64_bit_across_wraps(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < 20; i++) {                          /* 10 wraps at half-wrap reads */
		dev.ticks += HALF;
		assert_int_equal(sp804_count(), dev.ticks);
	}
	dev.ticks += 12345;
	assert_int_equal(sp804_count(), dev.ticks);
}

static void test_oneshot_ticks_bounds(void **state)
{
	const uint64_t now = 5ull << 32;                    /* well past the first wrap */

	(void)state;
	assert_int_equal(sp804_oneshot_ticks(now, now + 1), 1);
	assert_int_equal(sp804_oneshot_ticks(now, now + 2), 2);
	assert_int_equal(sp804_oneshot_ticks(now, now), 1);         /* reached: at once */
	assert_int_equal(sp804_oneshot_ticks(now, now - 1), 1);     /* passed: at once */
	assert_int_equal(sp804_oneshot_ticks(now, 0), 1);
	assert_int_equal(sp804_oneshot_ticks(now, now + HALF - 1), HALF - 1); /* last exact */
	assert_int_equal(sp804_oneshot_ticks(now, now + HALF), HALF);          /* first clamped */
	assert_int_equal(sp804_oneshot_ticks(now, now + HALF + 1), HALF);
	assert_int_equal(sp804_oneshot_ticks(now, now + (1ull << 32)), HALF);  /* beyond 32 bits */
	assert_int_equal(sp804_oneshot_ticks(now, UINT64_MAX), HALF);
}

static void test_set_programs_the_distance_as_a_oneshot(void **state)
{
	(void)state;
	dev.ticks = 1000;
	sp804_set(1500);
	assert_int_equal(dev.t2_loaded, 500);
	assert_int_equal(dev.reg[1][2], 0xa3u); /* enabled, irq, 32-bit, one-shot */
	assert_true(dev.t2_clear_before_start);  /* an old expiry does not linger */
	dev.ticks = 3000;
	sp804_set(2999);                         /* passed: shortest countdown */
	assert_int_equal(dev.t2_loaded, 1);
	sp804_set(3000);                         /* equal: the same */
	assert_int_equal(dev.t2_loaded, 1);
}

/* A deadline beyond the clamp fires early; re-arming from there (as libvmm
 * does on an early interrupt) reaches it, and never lands before it. */
static void test_far_deadline_is_clamped_and_rearmed(void **state)
{
	const uint64_t deadline = 3ull << 32;   /* 3 wraps away */
	unsigned int interrupts = 0;

	(void)state;
	sp804_set(deadline);
	while (sp804_count() < deadline) {
		assert_true(dev.t2_loaded <= HALF);
		dev.ticks += dev.t2_loaded;          /* the countdown runs out */
		interrupts++;
		if (sp804_count() < deadline)
			sp804_set(deadline);             /* libvmm: nothing due, re-arm */
		assert_true(interrupts < 100);
	}
	assert_int_equal(sp804_count(), deadline); /* exactly on time */
	assert_int_equal(interrupts, 6);           /* 3 wraps / half a wrap */
}

/* Stop clears the interrupt and keeps the half-wrap wake-up: an idle system
 * that only ever sees those wake-ups keeps exact time over many wraps. */
static void test_stop_keeps_the_read_rate(void **state)
{
	unsigned int i;

	(void)state;
	sp804_set(10);
	for (i = 0; i < 40; i++) {
		unsigned int clears = dev.intclr[1];

		sp804_stop();
		assert_int_equal(dev.intclr[1], clears + 1);
		assert_int_equal(dev.t2_loaded, HALF);
		assert_int_equal(dev.reg[1][2], 0xa3u);
		dev.ticks += dev.t2_loaded + 50;      /* wake-up plus interrupt latency */
		assert_int_equal(sp804_count(), dev.ticks);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_init_runs_timer1_free_and_stops_timer2, setup),
		cmocka_unit_test_setup(test_count_is_64_bit_across_wraps, setup),
		cmocka_unit_test_setup(test_oneshot_ticks_bounds, setup),
		cmocka_unit_test_setup(test_set_programs_the_distance_as_a_oneshot, setup),
		cmocka_unit_test_setup(test_far_deadline_is_clamped_and_rearmed, setup),
		cmocka_unit_test_setup(test_stop_keeps_the_read_rate, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
