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

/*
 * Data abort taken while the hypervisor itself ran (entry.S, once its
 * fixups for guest accesses are ruled out); f holds the interrupted
 * registers, SVC mode's own sp and lr. An asynchronous abort (an external
 * or parity error reported late, for an earlier write of a guest, a device
 * or the hypervisor: ARMv7 cannot tell whose) is counted, logged for the
 * first TRAP_ASYNC_LOG_LIMIT with vmm_log_now() (the hypervisor may have
 * been interrupted anywhere), and the interrupted code resumes. Any other
 * is a hypervisor bug: panic, power off with exit code 2.
 */
void vmm_trap_hyp_data_abort(struct vmm_trap_frame *f);

#define TRAP_ASYNC_LOG_LIMIT 4u

/* Asynchronous aborts vmm_trap_hyp_data_abort() resumed from since boot. */
uint32_t trap_hyp_async_aborts(void);

#endif /* VMM_CORE_TRAP_H */
