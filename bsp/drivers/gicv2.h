/*
 * ARM Generic Interrupt Controller v2 (also the Cortex-A9 MPCore GIC):
 * distributor + CPU interface, single CPU, all interrupts in group 0 as IRQ.
 */
#ifndef BSP_GICV2_H
#define BSP_GICV2_H

#include <stdint.h>

#include "mmio.h"

/* Physical bases of the distributor and CPU interface (must be in vmm_board.devices). */
void gicv2_init(uint32_t dist_phys, uint32_t cpu_phys);
void gicv2_enable(unsigned int irq);
void gicv2_disable(unsigned int irq);

#define GICC_IAR  0x0c
#define GICC_EOIR 0x10
#define GIC_SPURIOUS 1020

/* The CPU interface's virtual address, set by gicv2_init(). */
extern uintptr_t gicv2_cpu;

/*
 * Acknowledges the highest-priority pending interrupt: its number, or -1 if
 * none (spurious). Inline, with gicv2_eoi(): a board's vmm_port_irq_ack()
 * and vmm_port_irq_eoi() are then the register accesses themselves, on
 * every interrupt's path.
 */
static inline int gicv2_ack(void)
{
	uint32_t irq = mmio_read32(gicv2_cpu + GICC_IAR) & 0x3ffu;

	return irq >= GIC_SPURIOUS ? -1 : (int)irq;
}

/* Ends the claim gicv2_ack() made on irq. */
static inline void gicv2_eoi(unsigned int irq)
{
	mmio_write32(gicv2_cpu + GICC_EOIR, irq);
}

#endif /* BSP_GICV2_H */
