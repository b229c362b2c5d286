/*
 * ACME timer driver (see acme_timer.h). CP15 encodings: ARMv7-A ARM,
 * "Generic Timer registers".
 */
#include "acme_timer.h"

#define CTL_ENABLE (1u << 0)

static inline void ctl_write(uint32_t ctl)
{
	/* CNTP_CTL; the ISB makes a stop take effect before the next access. */
	__asm__ volatile("mcr p15, 0, %0, c14, c2, 1\n\tisb" ::"r"(ctl));
}

void acme_timer_init(void)
{
	/* CNTKCTL = 0: PL0 (the guests) may not read the counter or timers. */
	__asm__ volatile("mcr p15, 0, %0, c14, c1, 0" ::"r"(0u));
	acme_timer_stop();
}

uint64_t acme_timer_count(void)
{
	uint32_t lo, hi;

	/* CNTPCT; the ISB keeps the read from being taken early. */
	__asm__ volatile("isb\n\tmrrc p15, 0, %0, %1, c14" : "=r"(lo), "=r"(hi));
	return ((uint64_t)hi << 32) | lo;
}

uint32_t acme_timer_freq(void)
{
	uint32_t hz;

	__asm__ volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(hz)); /* CNTFRQ */
	return hz;
}

void acme_timer_set(uint64_t count)
{
	/* CNTP_CVAL: the condition is counter >= compare value, so a past value fires at once. */
	__asm__ volatile("mcrr p15, 2, %0, %1, c14" ::"r"((uint32_t)count), "r"((uint32_t)(count >> 32)));
	ctl_write(CTL_ENABLE);
}

void acme_timer_stop(void)
{
	ctl_write(0);
}
