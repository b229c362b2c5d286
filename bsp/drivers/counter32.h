/*
 * A 64-bit monotonic counter from a 32-bit hardware counter (up or down).
 *
 * libvmm needs vmm_port_counter_read() to return a 64-bit count that never
 * wraps. Many SoCs only have 32-bit timers (SP804, OMAP GP timers, 16550-era
 * SoC timers). This helper extends one in software: every read adds the
 * distance travelled since the previous read, modulo 2^32, to a 64-bit sum.
 *
 * Read-rate rule: the extension is exact as long as two consecutive reads are
 * less than one wrap period (2^32 ticks) apart; a longer gap silently loses
 * whole wraps. The port contract (vmm/port.h, "time") therefore requires
 * reads at least once per HALF wrap period (COUNTER32_MAX_READ_GAP ticks),
 * which leaves the other half as margin for interrupt latency. libvmm reads
 * the counter on every timer interrupt; a BSP guarantees the rate by never
 * programming its one-shot timer further ahead than COUNTER32_MAX_READ_GAP
 * (a later deadline is clamped: libvmm treats the early interrupt as "nothing
 * due yet" and re-arms), and by keeping such a wake-up armed even in
 * vmm_port_timer_stop(). At 1 MHz half a wrap is 35.8 minutes; at 24 MHz,
 * 89 s.
 *
 * A down-counter must reload from 0xffffffff (free-running over the full
 * 32 bits); it is turned into an up-counter by bitwise inversion.
 *
 * Pure C, no register access: the BSP reads the hardware and passes the raw
 * value in. Not re-entrant: call it with interrupts masked on one CPU, as
 * every port hook is.
 */
#ifndef BSP_COUNTER32_H
#define BSP_COUNTER32_H

#include <stdbool.h>
#include <stdint.h>

/* Longest gap, in ticks, between two reads that the port contract allows. */
#define COUNTER32_MAX_READ_GAP 0x80000000u

struct counter32 {
	uint64_t count;  /* extended count at the last read */
	uint32_t last;   /* hardware value at the last read, as an up-count */
	bool down;       /* the hardware counts down (value = 0xffffffff - ticks) */
};

/* Starts the extension at the hardware's current value `raw`: the 64-bit
 * count begins at the (up-converted) raw value, in [0, 2^32). */
void counter32_init(struct counter32 *c, uint32_t raw, bool down);

/* The 64-bit count for a fresh hardware reading `raw`. Monotonic. */
uint64_t counter32_extend(struct counter32 *c, uint32_t raw);

#endif /* BSP_COUNTER32_H */
