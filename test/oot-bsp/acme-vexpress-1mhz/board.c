/*
 * ACME vexpress 1 MHz: an out-of-tree port written from docs/porting.md
 * (see bsp.cmake). Time comes from a 1 MHz counter only: the first SP804 of
 * QEMU's vexpress-a9 ("timer01", 0x10011000, interrupt 34), 32 bits wide and
 * extended to 64 by the shared sp804/counter32 drivers. libvmm converts
 * between ns and 1000-ns ticks itself; nothing here rounds.
 */
#include "gicv2.h"
#include "pl011.h"
#include "pl031.h"
#include "semihosting.h"
#include "sp804.h"
#include "vmm/port.h"

#define ACME_PERIPHBASE 0x1E000000u               /* A9 private region: GIC */
#define ACME_GIC_CPU    (ACME_PERIPHBASE + 0x0100u)
#define ACME_GIC_DIST   (ACME_PERIPHBASE + 0x1000u)
#define ACME_UART       0x10009000u
#define ACME_TIMER      0x10011000u
#define ACME_RTC        0x10017000u
#define ACME_UART_IRQ   (32u + 5u)
#define ACME_TIMER_IRQ  (32u + 2u)
#define ACME_COUNTER_HZ 1000000u                  /* SP804 TIMCLK */

const struct vmm_board vmm_board = {
	.name = "ACME vexpress 1 MHz (out-of-tree BSP, SP804 time)",
	.ram = { { .base = VMM_BSP_RAM_BASE, .size = VMM_BSP_RAM_SIZE } },
	.nr_ram_banks = 1,
	.devices = {
		{ .phys = 0x10000000u, .size = 0x00100000u }, /* UART, SP804, RTC */
		{ .phys = ACME_PERIPHBASE, .size = 0x00100000u }, /* GIC */
	},
	.nr_devices = 2,
	.has_pmu = VMM_BSP_HAS_PMU,
};

void vmm_port_init(void)
{
	pl011_init(ACME_UART);
	gicv2_init(ACME_GIC_DIST, ACME_GIC_CPU);
	sp804_init(ACME_TIMER);
}

void vmm_port_console_putc(char c) { pl011_putc(c); }
bool vmm_port_console_try_putc(char c) { return pl011_try_putc(c); }
void vmm_port_console_tx_irq(bool enable) { pl011_tx_irq(enable); }
int vmm_port_console_getc(void) { return pl011_getc(); }
unsigned int vmm_port_console_irq(void) { return ACME_UART_IRQ; }

void vmm_port_irq_enable(unsigned int irq) { gicv2_enable(irq); }
void vmm_port_irq_disable(unsigned int irq) { gicv2_disable(irq); }
int vmm_port_irq_ack(void) { return gicv2_ack(); }
void vmm_port_irq_eoi(unsigned int irq) { gicv2_eoi(irq); }
bool vmm_port_irq_handle(unsigned int irq) { (void)irq; return false; }

uint64_t vmm_port_counter_read(void) { return sp804_count(); }
uint32_t vmm_port_counter_freq(void) { return ACME_COUNTER_HZ; }
void vmm_port_timer_set(uint64_t count) { sp804_set(count); }
void vmm_port_timer_stop(void) { sp804_stop(); }
unsigned int vmm_port_timer_irq(void) { return ACME_TIMER_IRQ; }

uint32_t vmm_port_rtc_read(void) { return pl031_read(ACME_RTC); }

void vmm_port_poweroff(int code) { semihosting_poweroff(code); }
