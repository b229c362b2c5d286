/*
 * System time and wall-clock time (see time.h).
 */
#include "time.h"

#include "vmm/guest_info.h"
#include "vmm/port.h"

#define NSEC_PER_SEC 1000000000ull

static struct {
	uint64_t boot_count;          /* counter value at system time 0 */
	struct time_rate to_ns;       /* counter ticks -> ns */
	struct time_rate to_count;    /* ns -> counter ticks */
	uint32_t boot_wallclock;      /* RTC seconds at system time 0 */
} clock;

struct time_rate time_rate_make(uint64_t from_hz, uint64_t to_hz)
{
	struct time_rate r;
	uint64_t rem;

	r.whole = (uint32_t)(to_hz / from_hz);
	rem = to_hz % from_hz;
	/* rem < from_hz, so (rem << 32) / from_hz < 2^32; from_hz <= 2^32 here */
	r.frac = (uint32_t)((rem << 32) / from_hz);
	return r;
}

uint64_t time_rate_apply(struct time_rate r, uint64_t x, int round_up)
{
	uint32_t hi = (uint32_t)(x >> 32);
	uint32_t lo = (uint32_t)x;
	uint64_t lo_frac;
	uint64_t result;

	/* An exact integer ratio (QEMU virt: 16 ns per tick; time_rate_make()
	 * gives it frac 0) needs no fraction and no rounding: one 64x32
	 * multiplication instead of three, on every time_now(). */
	if (r.frac == 0)
		return x * r.whole;
	lo_frac = (uint64_t)lo * r.frac;  /* < 2^64 */
	/* x * whole + (x * frac) >> 32, with x * frac split into hi and lo parts */
	result = x * r.whole + (uint64_t)hi * r.frac + (lo_frac >> 32);
	if (round_up && (uint32_t)lo_frac != 0)
		result++;
	return result;
}

void time_init(void)
{
	uint32_t freq = vmm_port_counter_freq();

	clock.to_ns = time_rate_make(freq, NSEC_PER_SEC);
	clock.to_count = time_rate_make(NSEC_PER_SEC, freq);
	clock.boot_wallclock = vmm_port_rtc_read();
	clock.boot_count = vmm_port_counter_read();
}

uint64_t time_now(void)
{
	return time_rate_apply(clock.to_ns, vmm_port_counter_read() - clock.boot_count, 0);
}

uint64_t time_ns_to_counter(uint64_t ns)
{
	return clock.boot_count + time_rate_apply(clock.to_count, ns, 1);
}

uint32_t time_boot_wallclock(void)
{
	return clock.boot_wallclock;
}

/* Version protocol: odd while an update is under way (see guest_info.h). */
static void time_version_bump(volatile uint32_t *version)
{
	*version = *version + 1;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void time_publish_wallclock(struct vmm_shared_info *s)
{
	time_version_bump(&s->wc_version);
	s->wc_sec = clock.boot_wallclock;
	s->wc_nsec = 0;
	time_version_bump(&s->wc_version);
}
