/*
 * ACME interrupt controller driver: the SoC's GICv2 (distributor + CPU
 * interface), reduced to what this board needs: one CPU, one priority for
 * every line, no software-generated interrupts.
 */
#ifndef ACME_GIC_H
#define ACME_GIC_H

#include <stdint.h>

/* Every line disabled and cleared, SPIs routed to CPU 0, both parts on. */
void acme_gic_init(uint32_t dist_phys, uint32_t cpu_phys);
void acme_gic_enable(unsigned int irq);
void acme_gic_disable(unsigned int irq);
/* Acknowledges the pending line: its number, or -1 if none (spurious). */
int acme_gic_ack(void);
void acme_gic_eoi(unsigned int irq);

#endif /* ACME_GIC_H */
