/*
 * ARM Generic Interrupt Controller v2 (also the Cortex-A9 MPCore GIC):
 * distributor + CPU interface, single CPU, all interrupts in group 0 as IRQ.
 */
#ifndef BSP_GICV2_H
#define BSP_GICV2_H

#include <stdint.h>

/* Physical bases of the distributor and CPU interface (must be in vmm_board.devices). */
void gicv2_init(uint32_t dist_phys, uint32_t cpu_phys);
void gicv2_enable(unsigned int irq);
void gicv2_disable(unsigned int irq);
int gicv2_ack(void);
void gicv2_eoi(unsigned int irq);

#endif /* BSP_GICV2_H */
