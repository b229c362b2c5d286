/*
 * ARM generic timer (Cortex-A7/A15 and later), virtual timer at PL1:
 * the counter is CNTVCT, the one-shot comparator CNTV_CVAL, interrupt PPI 27.
 * arm_generic_timer_init() makes CNTVCT (only) readable from USR mode
 * (CNTKCTL.PL0VCTEN): a board using this driver sets
 * vmm_board.guest_counter = VMM_GUEST_COUNTER_CNTVCT.
 */
#ifndef BSP_ARM_GENERIC_TIMER_H
#define BSP_ARM_GENERIC_TIMER_H

#include <stdint.h>

#define ARM_GENERIC_TIMER_VIRT_IRQ 27

#define ARM_GENERIC_TIMER_CTL_ENABLE (1u << 0)

void arm_generic_timer_init(void);
uint32_t arm_generic_timer_freq(void);
void arm_generic_timer_stop(void);

/*
 * The count and the comparator, inline: a board's vmm_port_counter_read()
 * and vmm_port_timer_set() are then these instructions themselves, with no
 * branch to the driver on every domain switch and timer interrupt
 * (docs/performance.md counts instructions).
 */
static inline uint64_t arm_generic_timer_count(void)
{
	uint32_t lo, hi;

	__asm__ volatile("isb\n\tmrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline void arm_generic_timer_set(uint64_t count)
{
	__asm__ volatile("mcrr p15, 3, %0, %1, c14" ::"r"((uint32_t)count), "r"((uint32_t)(count >> 32)));
	__asm__ volatile("mcr p15, 0, %0, c14, c3, 1\n\tisb" ::"r"(ARM_GENERIC_TIMER_CTL_ENABLE));
}

#endif /* BSP_ARM_GENERIC_TIMER_H */
