/*
 * Cortex-A9 MPCore global timer (PERIPHBASE + 0x200): a 64-bit up-counter
 * clocked by PERIPHCLK, with a per-CPU comparator raising PPI 27. Serves as
 * both the free-running counter and the one-shot timer on cores without the
 * ARM generic timer.
 *
 * Safe on every revision: r2p0 and later fire while counter >= comparator
 * (QEMU models this), earlier silicon only when the counter equals the
 * comparator. a9_global_timer_set() reads the counter back after arming and,
 * if the deadline is already reached, re-aims the comparator
 * A9_GLOBAL_TIMER_MIN_AHEAD ticks past the counter (doubling up to
 * _MAX_AHEAD while the accesses are slower than that), so a passed deadline
 * fires at once on both, and never before `count`.
 */
#ifndef BSP_A9_GLOBAL_TIMER_H
#define BSP_A9_GLOBAL_TIMER_H

#include <stdint.h>

#define A9_GLOBAL_TIMER_IRQ 27

/* Re-aim distance for a reached deadline, in ticks: 16 is 160 ns at QEMU's
 * 100 MHz, a few register accesses on silicon (PERIPHCLK = CPU clock / 2). */
#define A9_GLOBAL_TIMER_MIN_AHEAD 16u
#define A9_GLOBAL_TIMER_MAX_AHEAD 65536u

/* Starts the counter (prescaler 0: one tick per PERIPHCLK), comparator off. */
void a9_global_timer_init(uint32_t phys);
uint64_t a9_global_timer_count(void);
void a9_global_timer_set(uint64_t count);
void a9_global_timer_stop(void);

#endif /* BSP_A9_GLOBAL_TIMER_H */
