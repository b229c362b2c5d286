/*
 * ARM generic timer driver (see arm_generic_timer.h).
 */
#include "arm_generic_timer.h"

#define CNTKCTL_PL0VCTEN (1u << 1)

void arm_generic_timer_init(void)
{
	/* Guests (PL0) may read the virtual count CNTVCT and nothing else: no
	 * physical count, no timer registers, no event stream. With it they
	 * compute system time themselves (vmm_board.guest_counter). */
	__asm__ volatile("mcr p15, 0, %0, c14, c1, 0\n\tisb" ::"r"(CNTKCTL_PL0VCTEN));
	arm_generic_timer_stop();
}

uint32_t arm_generic_timer_freq(void)
{
	uint32_t f;

	__asm__ volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(f));
	return f;
}

void arm_generic_timer_stop(void)
{
	__asm__ volatile("mcr p15, 0, %0, c14, c3, 1\n\tisb" ::"r"(0u));
}
