/*
 * GICv2 driver (see gicv2.h).
 */
#include "gicv2.h"

#include "mmio.h"
#include "vmm/port.h"

#define GICD_CTLR       0x000
#define GICD_TYPER      0x004
#define GICD_ISENABLER  0x100
#define GICD_ICENABLER  0x180
#define GICD_ICPENDR    0x280
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR  0x800

#define GICC_CTLR 0x00
#define GICC_PMR  0x04
#define GICC_BPR  0x08

#define GIC_PRIO_IRQ   0xa0u
#define GIC_PRIO_MASK  0xf0u

static uintptr_t dist;
uintptr_t gicv2_cpu; /* gicv2.h: read by the inline acknowledge and EOI */
static unsigned int nr_irqs;

void gicv2_init(uint32_t dist_phys, uint32_t cpu_phys)
{
	unsigned int i;

	dist = vmm_port_device_va(dist_phys);
	gicv2_cpu = vmm_port_device_va(cpu_phys);
	nr_irqs = 32 * ((mmio_read32(dist + GICD_TYPER) & 0x1f) + 1);
	if (nr_irqs > GIC_SPURIOUS)
		nr_irqs = GIC_SPURIOUS;

	mmio_write32(dist + GICD_CTLR, 0);
	for (i = 0; i < nr_irqs; i += 32) {
		mmio_write32(dist + GICD_ICENABLER + i / 8, 0xffffffffu);
		mmio_write32(dist + GICD_ICPENDR + i / 8, 0xffffffffu);
	}
	for (i = 0; i < nr_irqs; i += 4) {
		uint32_t prio = GIC_PRIO_IRQ * 0x01010101u;
		mmio_write32(dist + GICD_IPRIORITYR + i, prio);
		if (i >= 32) /* SPIs go to CPU 0; SGI/PPI targets are fixed */
			mmio_write32(dist + GICD_ITARGETSR + i, 0x01010101u);
	}
	mmio_write32(dist + GICD_CTLR, 1);

	mmio_write32(gicv2_cpu + GICC_PMR, GIC_PRIO_MASK);
	mmio_write32(gicv2_cpu + GICC_BPR, 0);
	mmio_write32(gicv2_cpu + GICC_CTLR, 1);
}

void gicv2_enable(unsigned int irq)
{
	if (irq < nr_irqs)
		mmio_write32(dist + GICD_ISENABLER + (irq / 32) * 4, 1u << (irq % 32));
}

void gicv2_disable(unsigned int irq)
{
	if (irq < nr_irqs)
		mmio_write32(dist + GICD_ICENABLER + (irq / 32) * 4, 1u << (irq % 32));
}

