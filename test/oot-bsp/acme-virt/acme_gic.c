/*
 * ACME interrupt controller driver (see acme_gic.h). Register layout: ARM
 * GICv2 architecture specification (distributor at dist, CPU interface at cpu).
 */
#include "acme_gic.h"

#include "vmm/port.h"

/* Distributor */
#define DIST_CTRL        0x000u
#define DIST_TYPE        0x004u
#define DIST_SET_ENABLE  0x100u
#define DIST_CLR_ENABLE  0x180u
#define DIST_CLR_PENDING 0x280u
#define DIST_PRIORITY    0x400u
#define DIST_TARGETS     0x800u
/* CPU interface */
#define CPU_CTRL     0x00u
#define CPU_PRIO_MSK 0x04u
#define CPU_ACK      0x0cu
#define CPU_EOI      0x10u

#define LINE_SPURIOUS 1020u
#define FIRST_SPI     32u
/* One priority for every line, above the mask: libvmm never nests IRQs. */
#define LINE_PRIORITY 0x80u
#define PRIORITY_MASK 0xf0u

static volatile uint32_t *dist_regs, *cpu_regs;
static unsigned int lines;

static inline volatile uint32_t *dist_reg(uint32_t offset) { return dist_regs + offset / 4; }
static inline volatile uint32_t *cpu_reg(uint32_t offset) { return cpu_regs + offset / 4; }

static inline bool line_exists(unsigned int irq) { return irq < lines; }

void acme_gic_init(uint32_t dist_phys, uint32_t cpu_phys)
{
	unsigned int i;

	dist_regs = (volatile uint32_t *)vmm_port_device_va(dist_phys);
	cpu_regs = (volatile uint32_t *)vmm_port_device_va(cpu_phys);
	lines = 32u * ((*dist_reg(DIST_TYPE) & 0x1fu) + 1u);
	if (lines > LINE_SPURIOUS)
		lines = LINE_SPURIOUS;

	*dist_reg(DIST_CTRL) = 0;
	for (i = 0; i < lines; i += 32) {
		*dist_reg(DIST_CLR_ENABLE + i / 8) = ~0u;
		*dist_reg(DIST_CLR_PENDING + i / 8) = ~0u;
	}
	for (i = 0; i < lines; i += 4) {
		*dist_reg(DIST_PRIORITY + i) = LINE_PRIORITY * 0x01010101u;
		/* Targets of SGIs and PPIs are read-only (this CPU). */
		if (i >= FIRST_SPI)
			*dist_reg(DIST_TARGETS + i) = 0x01010101u;
	}
	*dist_reg(DIST_CTRL) = 1;
	*cpu_reg(CPU_PRIO_MSK) = PRIORITY_MASK;
	*cpu_reg(CPU_CTRL) = 1;
}

void acme_gic_enable(unsigned int irq)
{
	if (line_exists(irq))
		*dist_reg(DIST_SET_ENABLE + (irq / 32) * 4) = 1u << (irq % 32);
}

void acme_gic_disable(unsigned int irq)
{
	if (line_exists(irq))
		*dist_reg(DIST_CLR_ENABLE + (irq / 32) * 4) = 1u << (irq % 32);
}

int acme_gic_ack(void)
{
	unsigned int irq = *cpu_reg(CPU_ACK) & 0x3ffu;

	return irq >= LINE_SPURIOUS ? -1 : (int)irq;
}

void acme_gic_eoi(unsigned int irq)
{
	*cpu_reg(CPU_EOI) = irq;
}
