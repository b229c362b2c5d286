/*
 * BSP for QEMU `vexpress-a9` taking its time from the motherboard's first
 * SP804 dual timer ("timer01", 0x10011000, GIC SPI 2 = interrupt 34) at
 * 1 MHz instead of the Cortex-A9 global timer: the example of a board whose
 * only timers are 32-bit (docs/porting.md, "Narrow counters"). Everything
 * else is as in bsp/qemu-vexpress-a9: A9 GIC, PL011 UART0, PL031 RTC,
 * semihosting power-off. The second SP804 (0x10012000, interrupt 35) is left
 * to board-owned uses.
 */
#include "gicv2.h"
#include "pl011.h"
#include "pl031.h"
#include "semihosting.h"
#include "sp804.h"
#include "vmm/port.h"

#define VE_PERIPHBASE 0x1E000000u                /* A9 private region */
#define VE_GIC_CPU    (VE_PERIPHBASE + 0x0100u)
#define VE_GIC_DIST   (VE_PERIPHBASE + 0x1000u)
#define VE_UART0      0x10009000u
#define VE_TIMER01    0x10011000u
#define VE_RTC        0x10017000u
#define VE_UART0_IRQ  (32 + 5)
#define VE_TIMER01_IRQ (32 + 2)

/*
 * SP804 TIMCLK. QEMU's vexpress runs both SP804s at 1 MHz. On a real V2M-P1
 * motherboard the SP810 (0x10001000, SCCTRL TimerEn0Sel) picks 1 MHz TIMCLK
 * or 32.768 kHz REFCLK; the boot firmware selects 1 MHz.
 */
#define VE_TIMCLK_HZ 1000000u

const struct vmm_board vmm_board = {
	.name = "QEMU vexpress-a9 (Cortex-A9), SP804 time",
	.ram = { { .base = VMM_BSP_RAM_BASE, .size = VMM_BSP_RAM_SIZE } },
	.nr_ram_banks = 1,
	.devices = {
		{ .phys = 0x10000000u, .size = 0x00100000u }, /* motherboard CS7: UART0, SP804, RTC */
		{ .phys = VE_PERIPHBASE, .size = 0x00100000u }, /* GIC */
	},
	.nr_devices = 2,
	.has_pmu = VMM_BSP_HAS_PMU,
};

void vmm_port_init(void)
{
	pl011_init(VE_UART0);
	gicv2_init(VE_GIC_DIST, VE_GIC_CPU);
	sp804_init(VE_TIMER01);
}

void vmm_port_console_putc(char c) { pl011_putc(c); }
bool vmm_port_console_try_putc(char c) { return pl011_try_putc(c); }
void vmm_port_console_tx_irq(bool enable) { pl011_tx_irq(enable); }
int vmm_port_console_getc(void) { return pl011_getc(); }
unsigned int vmm_port_console_irq(void) { return VE_UART0_IRQ; }

void vmm_port_irq_enable(unsigned int irq) { gicv2_enable(irq); }
void vmm_port_irq_disable(unsigned int irq) { gicv2_disable(irq); }
int vmm_port_irq_ack(void) { return gicv2_ack(); }
void vmm_port_irq_eoi(unsigned int irq) { gicv2_eoi(irq); }
bool vmm_port_irq_handle(unsigned int irq) { (void)irq; return false; }

uint64_t vmm_port_counter_read(void) { return sp804_count(); }
uint32_t vmm_port_counter_freq(void) { return VE_TIMCLK_HZ; }
void vmm_port_timer_set(uint64_t count) { sp804_set(count); }
void vmm_port_timer_stop(void) { sp804_stop(); }
unsigned int vmm_port_timer_irq(void) { return VE_TIMER01_IRQ; }

uint32_t vmm_port_rtc_read(void) { return pl031_read(VE_RTC); }

void vmm_port_poweroff(int code) { semihosting_poweroff(code); }
