/*
 * C entry points of the trap paths (called from arch/armv7/entry.S) and the
 * interrupt dispatcher shared with the idle loop.
 */
#ifndef VMM_CORE_TRAP_H
#define VMM_CORE_TRAP_H

#include "vmm/abi.h"

/*
 * Acknowledges and handles every pending interrupt until vmm_port_irq_ack()
 * returns -1: the timer, console input, and the board's own interrupts
 * (vmm_port_irq_handle()); any other is EOIed, then disabled and logged.
 * The idle loop's way of taking interrupts.
 */
void irq_poll(void);

/* IRQ taken while a guest ran: acknowledges and handles one interrupt as
 * irq_poll() does (another pending one takes the exception again), then
 * reschedules if needed. */
void vmm_irq_entry(struct vmm_trap_frame *f);

/* Abort or undefined instruction (kind: 0 data, 1 prefetch, 2 undef, 3 other). */
void vmm_trap_fault(struct vmm_trap_frame *f, int kind);

#endif /* VMM_CORE_TRAP_H */
