/*
 * System time (ns since boot) and wall-clock time.
 *
 * The board supplies a free-running counter and its frequency (port layer).
 * Conversions are exact (the floor or the ceiling of x * num / den, for any
 * 64-bit x whose result fits 64 bits) and use 32x32->64 multiplications only
 * (no 64-bit division on the hot path): a rate is kept as an integer part
 * plus a 64-bit binary fraction, and the estimate it gives is corrected with
 * the exact remainder. An exact integer ratio (fraction 0) costs one
 * multiplication.
 */
#ifndef VMM_CORE_TIME_H
#define VMM_CORE_TIME_H

#include <stdbool.h>
#include <stdint.h>

#include "vmm/guest_info.h"
#include "vmm/port.h"

/* x units of one clock = x * num / den units of another; whole + frac / 2^64
 * is num / den rounded down, the estimate that num and den correct. */
struct time_rate {
	uint32_t whole;
	uint32_t has_frac; /* frac != 0; one word to test on the clock-read path */
	uint32_t num;   /* to_hz */
	uint32_t den;   /* from_hz */
	uint64_t frac;
	/* 1..31: the rate is exactly 1 / 2^down_shift (ns -> ticks of a counter
	 * with a power-of-two ns period, e.g. QEMU virt's 16 ns): a shift
	 * instead of the wide product. 0 otherwise. */
	uint32_t down_shift;
};

/* Rate that converts `from_hz` ticks to `to_hz` ticks (both in 1..2^32-1). */
struct time_rate time_rate_make(uint64_t from_hz, uint64_t to_hz);

/* x * rate exactly, rounded down (round_up = 0) or up (round_up = 1); the
 * result must fit 64 bits (system time < 584 years). */
uint64_t time_rate_apply(const struct time_rate *r, uint64_t x, int round_up);

/* Reads the board counter at boot, the RTC, and fixes system time 0: at
 * the counter's value at boot, or vmm_time_epoch_ns before it if the image
 * defines that (test images; see time.c). */
void time_init(void);

/*
 * Do guests read the counter themselves (vmm_board.guest_counter is not
 * VMM_GUEST_COUNTER_NONE)? Then nobody needs system_time published: no
 * periodic refresh, no clock read or publication for time's sake on the
 * switch, upcall or interrupt paths. Set by time_init().
 */
#define time_guest_counter (time_clock.guest_counter)

/*
 * Sets the guest-counter mode from a VMM_GUEST_COUNTER_* value (time_init()
 * passes vmm_board's; the unit tests switch modes). 0, or -VMM_EINVAL with a
 * [VMM] line for an unknown value, which selects VMM_GUEST_COUNTER_NONE.
 * Domains created afterwards publish the new mode.
 */
int time_set_guest_counter(uint32_t kind);

/*
 * The clock's state, set by time_init() (owned by time.c; time_now() below
 * reads it inline: every domain switch and timer interrupt reads the clock).
 */
struct time_clock {
	uint64_t boot_count;          /* counter value at system time 0 */
	struct time_rate to_ns;       /* counter ticks -> ns */
	struct time_rate to_count;    /* ns -> counter ticks */
	uint32_t boot_wallclock;      /* RTC seconds at system time 0 */
	uint32_t guest_flags;         /* VMM_TIME_* published to every domain */
	/* to_ns.whole when the ratio is an integer (to_ns.has_frac clear),
	 * else 0: time_now() tests the factor it multiplies by, one load. */
	uint32_t ns_per_tick;
	/* time_guest_counter (above): next to what time_now() reads, so that
	 * the switch path tests it from the base address it has already. */
	bool guest_counter;
};
extern struct time_clock time_clock;

/* time_now() for a counter whose ns per tick is not an integer (time.c). */
uint64_t time_now_frac(uint64_t ticks);

/*
 * Nanoseconds since time_init(). Inline, so that the switch and interrupt
 * paths make one call (the board's counter read) instead of two; the
 * integer ratio (QEMU virt: 16 ns per tick; 1 MHz: 1000 ns) is one product.
 */
/* System time at board counter value `count` (rounded down). */
static inline uint64_t time_from_counter(uint64_t count)
{
	uint64_t ticks = count - time_clock.boot_count;
	uint32_t m = time_clock.ns_per_tick;

	if (__builtin_expect(m != 0, 1))
		return ticks * m;
	return time_now_frac(ticks);
}

static inline uint64_t time_now(void)
{
	return time_from_counter(vmm_port_counter_read());
}

/* time_ns_to_counter() for a counter whose period is not a power-of-two
 * number of ns (time.c). */
uint64_t time_ns_to_counter_rate(uint64_t ns);

/*
 * Board counter value at which system time reaches `ns` (rounded up).
 * Inline: every timer programming converts a deadline (the slice-end
 * interrupt does it once per switch).
 */
static inline uint64_t time_ns_to_counter(uint64_t ns)
{
	uint32_t shift = time_clock.to_count.down_shift;

	/* A power-of-two period (QEMU virt: 16 ns), the case every deadline of
	 * the timer path takes there: ns >> shift, plus one if any bit shifted
	 * out was set (rounded up). 1 <= shift <= 9 (2^9 divides 10^9, 2^10
	 * does not), so in 32-bit halves: no carry out of 64 bits at any ns,
	 * no 64-bit shift sequence. */
	if (__builtin_expect(shift != 0, 1)) {
		uint32_t hi = (uint32_t)(ns >> 32), lo = (uint32_t)ns;
		uint64_t q = (uint64_t)(hi >> shift) << 32 | (hi << (32 - shift) | lo >> shift);

		return time_clock.boot_count + q + ((lo & ((1u << shift) - 1)) != 0);
	}
	return time_ns_to_counter_rate(ns);
}

/*
 * Whole counter ticks in `ns` (rounded down): a count that many ticks after
 * the count `now` was read at is reached no later than system time
 * now + ns + 1, at most two ticks before time_ns_to_counter(now + ns + 1).
 * For deadlines programmed relative to a count just read (the refresh tick).
 */
static inline uint64_t time_counter_span(uint64_t ns)
{
	return time_rate_apply(&time_clock.to_count, ns, 0);
}

/* Wall-clock at system time 0 (UNIX seconds). */
uint32_t time_boot_wallclock(void);

/* Writes the wall-clock fields of a fresh shared-info page, and the time
 * fields that never change: flags and the counter's rate (guest_info.h). */
void time_publish_wallclock(struct vmm_shared_info *s);

/*
 * Updates a domain's shared-info system time to `now` (version protocol,
 * see guest_info.h). Inline: every domain switch publishes.
 */
static inline void time_publish(struct vmm_shared_info *s, uint64_t now)
{
	struct vmm_vcpu_time_info *t = &s->vcpu_info.time;
	/* Odd while updating. The guest may have scribbled on version: `| 1`
	 * makes it odd whatever it was (the same value as forcing it even and
	 * bumping). The guest does not run while we write, so it is read once. */
	uint32_t odd = t->version | 1u;

	t->version = odd;
	__atomic_thread_fence(__ATOMIC_SEQ_CST); /* odd is seen before the new time */
	t->system_time = now;
	__atomic_thread_fence(__ATOMIC_SEQ_CST); /* the new time is seen before even */
	t->version = odd + 1;
}

#endif /* VMM_CORE_TIME_H */
