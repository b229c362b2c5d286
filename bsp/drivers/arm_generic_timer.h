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

void arm_generic_timer_init(void);
uint64_t arm_generic_timer_count(void);
uint32_t arm_generic_timer_freq(void);
void arm_generic_timer_set(uint64_t count);
void arm_generic_timer_stop(void);

#endif /* BSP_ARM_GENERIC_TIMER_H */
