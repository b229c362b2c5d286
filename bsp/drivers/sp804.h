/*
 * ARM SP804 dual timer as the board's time source (ARM DDI 0271): two 32-bit
 * down-counters on one clock (TIMCLK) with one combined interrupt line.
 *
 *  - Timer 1 runs free from 0xffffffff with its interrupt off: the counter,
 *    extended to 64 bits by counter32 (read-rate rule in counter32.h).
 *  - Timer 2 is the one-shot: it counts the distance to the deadline down to
 *    0 and interrupts. Being a countdown it has no comparator to miss: a
 *    deadline already reached or passed gets the shortest countdown (one
 *    tick). A deadline further than COUNTER32_MAX_READ_GAP ticks ahead is
 *    clamped to that distance (libvmm takes the early interrupt as "nothing
 *    due yet" and re-arms), and sp804_stop() leaves such a wake-up running,
 *    so the counter is read at least once per half wrap even when libvmm
 *    idles with no deadline.
 *
 * The counter's rate is TIMCLK (no prescaler): 1 MHz on Versatile Express
 * once the SP810 selects TIMCLK for the timer (firmware's job; QEMU always
 * runs it at 1 MHz).
 */
#ifndef BSP_SP804_H
#define BSP_SP804_H

#include <stdint.h>

/* Starts timer 1 (free-running counter) and stops timer 2. */
void sp804_init(uint32_t phys);

/* The 64-bit count (timer 1 extended); call at least once per half wrap. */
uint64_t sp804_count(void);

/* Arms timer 2 to interrupt once the count reaches `count` (clamped). */
void sp804_set(uint64_t count);

/* Clears timer 2's interrupt and leaves only the half-wrap wake-up armed. */
void sp804_stop(void);

/*
 * Timer 2's load value for a deadline `count` seen at count `now`: the
 * distance, at least 1 (reached or passed: at once), at most
 * COUNTER32_MAX_READ_GAP (clamped). Exposed for the host test.
 */
uint32_t sp804_oneshot_ticks(uint64_t now, uint64_t count);

#endif /* BSP_SP804_H */
