/*
 * System time and wall-clock time (see time.h).
 */
#include "time.h"

#include "cold.h"
#include "log.h"
#include "vmm/abi.h"
#include "vmm/guest_info.h"
#include "vmm/port.h"

#define NSEC_PER_SEC 1000000000ull

struct time_clock time_clock;

/*
 * System time at boot, for test images that must run far from time 0 (the
 * conversions at large uptimes) on any board: an image defines
 * `const uint64_t vmm_time_epoch_ns = ...;`. A weak reference, not a weak
 * 0 definition, which the compiler would fold: without a definition its
 * address is 0 and the epoch is 0. Not for production images: guests see
 * the offset as uptime.
 */
extern const uint64_t vmm_time_epoch_ns __attribute__((weak));

static uint64_t time_epoch_ns(void)
{
	const uint64_t *epoch = &vmm_time_epoch_ns;

	return epoch ? *epoch : 0;
}

/* The guests' helper (vmm/guest_info.h): the hypervisor and the guests
 * share one implementation of the conversion's wide product. */
#define mul_hi64 vmm_mul_hi64

/* from_hz = to_hz * 2^k for some k in 0..31? (k = 0 gives shift 0: none) */
static bool time_is_pow2_ratio(uint64_t to_hz, uint64_t from_hz)
{
	uint64_t q;

	if (from_hz % to_hz != 0)
		return false;
	q = from_hz / to_hz;
	return (q & (q - 1)) == 0;
}

VMM_COLD struct time_rate time_rate_make(uint64_t from_hz, uint64_t to_hz)
{
	struct time_rate r;
	uint64_t rem;
	uint64_t hi;

	r.whole = (uint32_t)(to_hz / from_hz);
	r.num = (uint32_t)to_hz;
	r.den = (uint32_t)from_hz;
	rem = to_hz % from_hz;
	/* frac = floor(rem * 2^64 / from_hz) by long division in two 32-bit
	 * steps; rem < from_hz <= 2^32, so each quotient digit fits 32 bits. */
	hi = (rem << 32) / from_hz;
	rem = (rem << 32) % from_hz;
	r.frac = (hi << 32) | ((rem << 32) / from_hz);
	r.has_frac = r.frac != 0;
	r.down_shift = 0;
	if (time_is_pow2_ratio(to_hz, from_hz)) {
		while (((uint64_t)to_hz << r.down_shift) != from_hz)
			r.down_shift++;
	}
	return r;
}

uint64_t time_rate_apply(const struct time_rate *r, uint64_t x, int round_up)
{
	uint64_t est;
	uint64_t rem;

	if (r->down_shift) /* exactly x / 2^down_shift */
		return (x >> r->down_shift) + (round_up && (x & ((1ull << r->down_shift) - 1)) != 0);
	/* An exact integer ratio (QEMU virt: 16 ns per tick; 1 MHz: 1000 ns;
	 * 100 MHz: 10 ns) needs no fraction and no rounding. */
	if (!r->has_frac)
		return x * r->whole;
	/* The truncated 64-bit fraction loses less than x / 2^64 < 1 unit and
	 * the floor of the product one more: est is floor(x * num / den) or
	 * one or two below it. */
	est = x * r->whole + mul_hi64(x, r->frac);
	/* The exact remainder x * num - est * den lies in [0, 3 * den): it is
	 * computed modulo 2^64 and needs no wide arithmetic. */
	rem = x * r->num - est * r->den;
	while (rem >= r->den) {
		est++;
		rem -= r->den;
	}
	if (round_up && rem != 0)
		est++;
	return est;
}

int time_set_guest_counter(uint32_t kind)
{
	switch (kind) {
	case VMM_GUEST_COUNTER_CNTVCT:
		time_clock.guest_flags = VMM_TIME_COUNTER_CNTVCT;
		time_guest_counter = true;
		return 0;
	case VMM_GUEST_COUNTER_NONE:
		time_clock.guest_flags = 0;
		time_guest_counter = false;
		return 0;
	default:
		/* Safe fallback: published time works on every board. */
		vmm_log("board: unknown guest_counter %u; guests get published time",
			(unsigned)kind);
		time_clock.guest_flags = 0;
		time_guest_counter = false;
		return -VMM_EINVAL;
	}
}

VMM_COLD void time_init(void)
{
	uint32_t freq = vmm_port_counter_freq();

	time_clock.to_ns = time_rate_make(freq, NSEC_PER_SEC);
	time_clock.ns_per_tick = time_clock.to_ns.has_frac ? 0 : time_clock.to_ns.whole;
	time_clock.to_count = time_rate_make(NSEC_PER_SEC, freq);
	time_clock.boot_wallclock = vmm_port_rtc_read();
	/* System time 0 was epoch ns before now: boot_count may wrap below 0;
	 * every use of it is modulo 2^64. */
	time_clock.boot_count = vmm_port_counter_read() -
		time_rate_apply(&time_clock.to_count, time_epoch_ns(), 0);
	(void)time_set_guest_counter(vmm_board.guest_counter);
}

/* time_now() with a fractional ratio, out of line (time.h). */
uint64_t time_now_frac(uint64_t ticks)
{
	return time_rate_apply(&time_clock.to_ns, ticks, 0);
}

/* time_ns_to_counter() in general, out of line (time.h). */
uint64_t time_ns_to_counter_rate(uint64_t ns)
{
	return time_clock.boot_count + time_rate_apply(&time_clock.to_count, ns, 1);
}

uint32_t time_boot_wallclock(void)
{
	return time_clock.boot_wallclock;
}

/* Version protocol: odd while an update is under way (see guest_info.h). */
static void time_version_bump(volatile uint32_t *version)
{
	*version = *version + 1;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void time_publish_wallclock(struct vmm_shared_info *s)
{
	struct vmm_vcpu_time_info *t = &s->vcpu_info.time;

	time_version_bump(&s->wc_version);
	s->wc_sec = time_clock.boot_wallclock;
	s->wc_nsec = 0;
	time_version_bump(&s->wc_version);
	/* Constant from here on: the domain has not started yet. */
	t->flags = time_clock.guest_flags;
	t->counter_base = time_clock.boot_count;
	t->ns_whole = time_clock.to_ns.whole;
	t->ns_frac = time_clock.to_ns.frac;
	t->counter_hz = time_clock.to_ns.den;
}
