/*
 * ACME virt BSP: an out-of-tree port (QEMU `virt`, Cortex-A15) with its own
 * interrupt-controller and timer drivers (acme_gic.c, acme_timer.c) and the
 * shared PL011, PL031 and semihosting drivers shipped with libvmm.
 */
#include "acme_gic.h"
#include "acme_timer.h"
#include "pl011.h"
#include "pl031.h"
#include "semihosting.h"
#include "vmm/port.h"

#define ACME_GIC_DIST 0x08000000u
#define ACME_GIC_CPU  0x08010000u
#define ACME_UART     0x09000000u
#define ACME_RTC      0x09010000u
#define ACME_UART_IRQ (32u + 1u)

const struct vmm_board vmm_board = {
	.name = "ACME virt (out-of-tree BSP, Cortex-A15)",
	.ram = { { .base = VMM_BSP_RAM_BASE, .size = VMM_BSP_RAM_SIZE } },
	.nr_ram_banks = 1,
	.devices = {
		{ .phys = 0x08000000u, .size = 0x00100000u }, /* GIC */
		{ .phys = 0x09000000u, .size = 0x00100000u }, /* UART, RTC */
	},
	.nr_devices = 2,
	.has_pmu = VMM_BSP_HAS_PMU,
};

void vmm_port_init(void)
{
	pl011_init(ACME_UART);
	acme_gic_init(ACME_GIC_DIST, ACME_GIC_CPU);
	acme_timer_init();
}

void vmm_port_console_putc(char c) { pl011_putc(c); }
int vmm_port_console_getc(void) { return pl011_getc(); }
unsigned int vmm_port_console_irq(void) { return ACME_UART_IRQ; }

void vmm_port_irq_enable(unsigned int irq) { acme_gic_enable(irq); }
void vmm_port_irq_disable(unsigned int irq) { acme_gic_disable(irq); }
int vmm_port_irq_ack(void) { return acme_gic_ack(); }
void vmm_port_irq_eoi(unsigned int irq) { acme_gic_eoi(irq); }
/*
 * Board-owned interrupts (issue 13): this board runs no device of its own,
 * so every other interrupt is libvmm's to refuse. Defined ahead of the
 * port.h declaration that comes with that change; unused until then.
 */
bool vmm_port_irq_handle(unsigned int irq) { (void)irq; return false; }

uint64_t vmm_port_counter_read(void) { return acme_timer_count(); }
uint32_t vmm_port_counter_freq(void) { return acme_timer_freq(); }
void vmm_port_timer_set(uint64_t count) { acme_timer_set(count); }
void vmm_port_timer_stop(void) { acme_timer_stop(); }
unsigned int vmm_port_timer_irq(void) { return ACME_TIMER_IRQ; }

uint32_t vmm_port_rtc_read(void) { return pl031_read(ACME_RTC); }

void vmm_port_poweroff(int code) { semihosting_poweroff(code); }
