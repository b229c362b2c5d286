/*
 * Cortex-A9 MPCore global timer (PERIPHBASE + 0x200): a 64-bit up-counter
 * clocked by PERIPHCLK, with a per-CPU comparator raising PPI 27. Serves as
 * both the free-running counter and the one-shot timer on cores without the
 * ARM generic timer. Needs r2p0+ comparator semantics (fires while
 * counter >= comparator), which QEMU models.
 */
#ifndef BSP_A9_GLOBAL_TIMER_H
#define BSP_A9_GLOBAL_TIMER_H

#include <stdint.h>

#define A9_GLOBAL_TIMER_IRQ 27

/* Starts the counter (prescaler 0: one tick per PERIPHCLK), comparator off. */
void a9_global_timer_init(uint32_t phys);
uint64_t a9_global_timer_count(void);
void a9_global_timer_set(uint64_t count);
void a9_global_timer_stop(void);

#endif /* BSP_A9_GLOBAL_TIMER_H */
