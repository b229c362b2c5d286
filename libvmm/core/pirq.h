/*
 * Physical IRQs passed to domains (vmm/config.h struct vmm_pirq_config,
 * vmm/physdev.h): ownership, binding, mask-while-in-flight and EOI.
 */
#ifndef VMM_CORE_PIRQ_H
#define VMM_CORE_PIRQ_H

#include <stdbool.h>
#include <stdint.h>

#include "vmm/config.h"

struct domain;

/* Takes the image's (validated) assignment table; all interrupts unbound. */
void pirq_init(const struct vmm_config *cfg);

/* May d bind irq? 0, -VMM_EPERM (not d's) or -VMM_EEXIST (bound already). */
long pirq_claim_check(const struct domain *d, uint32_t irq);

/* Binds irq (pirq_claim_check() passed) to d's port and enables it. */
void pirq_bind(struct domain *d, uint32_t irq, uint32_t port);

/* Disables irq and forgets its binding (d closed the port or died). */
void pirq_unbind(struct domain *d, uint32_t irq);

/*
 * irq fired: if it is assigned, marks it in flight and notifies the bound
 * port. Returns true if irq is a guest's (the caller EOIs it, then
 * disables it with vmm_port_irq_disable(): disabled after the EOI so that a
 * mask-on-ack controller keeps it masked).
 */
bool pirq_fire(uint32_t irq);

/* physdev_op (hypercall 19, vmm/physdev.h). */
long hc_physdev_op(uint32_t cmd, uint32_t arg, uint32_t a2, uint32_t a3);

#endif /* VMM_CORE_PIRQ_H */
