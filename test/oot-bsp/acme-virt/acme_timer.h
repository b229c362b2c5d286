/*
 * ACME timer driver: the Cortex-A15's generic timer, counter CNTPCT and the
 * PL1 physical one-shot timer (CNTP_*), not the virtual timer libvmm's
 * shared driver uses.
 */
#ifndef ACME_TIMER_H
#define ACME_TIMER_H

#include <stdint.h>

/* The physical timer's interrupt on QEMU virt: PPI 14, GIC line 30. */
#define ACME_TIMER_IRQ 30u

/* Guests get no counter access; the timer is stopped. */
void acme_timer_init(void);
uint64_t acme_timer_count(void);
uint32_t acme_timer_freq(void);
/* Fires when the counter is >= count (at once if it already is). */
void acme_timer_set(uint64_t count);
void acme_timer_stop(void);

#endif /* ACME_TIMER_H */
