/*
 * physdev_op (hypercall 19): physical interrupts given to the caller.
 *
 *   physdev_op(cmd, arg)   r0 = VMM_PHYSDEVOP_*, r1 = guest address of the struct
 *
 * A physical IRQ (vmm/config.h struct vmm_pirq_config) is bound to a port
 * with event_channel_op(bind_pirq). Each time it fires, libvmm disables the
 * interrupt and notifies the port; it stays disabled ("in flight") until
 * the guest, having quietened its device, calls eoi. A level-triggered
 * source therefore raises one event per eoi and cannot storm.
 *
 * Errors: unknown cmd -VMM_EINVAL; arg not wholly in the caller's memory
 * -VMM_EFAULT, also (irq_status_query, which write their result back) when it lies
 * in one of the caller's page-table frames, which the hypervisor never
 * writes for a guest. Each refusal logs one rate-limited "[VMM]" line.
 *
 * This header is self-standing; docs/abi.md is the reference.
 */
#ifndef VMM_PHYSDEV_H
#define VMM_PHYSDEV_H

#include <stdint.h>

#include "vmm/abi.h"

/*
 * eoi: re-enables interrupt `irq` after an event. Returns 0 (also when it
 * was not in flight: nothing changes).
 * Errors: -VMM_EINVAL irq >= 1024; -VMM_EPERM the caller has not bound irq.
 */
#define VMM_PHYSDEVOP_eoi 12

struct vmm_physdev_eoi {
	uint32_t irq;
};

/*
 * irq_status_query: flags of `irq` for the caller. Returns 0.
 *   irq in; flags out: VMM_PHYSDEV_IRQ_* (0 if the caller has not bound it)
 * Errors: -VMM_EINVAL irq >= 1024.
 */
#define VMM_PHYSDEVOP_irq_status_query 5

#define VMM_PHYSDEV_IRQ_NEEDS_EOI 0x1u  /* bound by the caller: eoi after each event */
#define VMM_PHYSDEV_IRQ_IN_FLIGHT 0x2u  /* fired, disabled until eoi */

struct vmm_physdev_irq_status_query {
	uint32_t irq;
	uint32_t flags;
};

#endif /* VMM_PHYSDEV_H */
