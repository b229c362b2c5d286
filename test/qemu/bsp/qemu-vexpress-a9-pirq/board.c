/*
 * Test BSP: bsp/qemu-vexpress-a9 plus a device interrupt given to a domain
 * (a physical IRQ, issue 11). Timer 1 of the second SP804 (0x10012000,
 * GIC SPI 3 = IRQ 35) runs periodically at 1 kHz with its interrupt enabled
 * at the device; nobody clears it (the guest cannot reach the device), so
 * once raised the level interrupt stays asserted. The board does not claim
 * it: the image config assigns it to a domain, libvmm enables it when the
 * domain binds it and disables it after each event until the domain's EOI,
 * so the asserted line gives one event per EOI instead of a storm.
 */
#include "a9_global_timer.h"
#include "gicv2.h"
#include "mmio.h"
#include "pl011.h"
#include "pl031.h"
#include "semihosting.h"
#include "vmm/port.h"

#define VE_PERIPHBASE 0x1E000000u
#define VE_GIC_CPU    (VE_PERIPHBASE + 0x0100u)
#define VE_GTIMER     (VE_PERIPHBASE + 0x0200u)
#define VE_GIC_DIST   (VE_PERIPHBASE + 0x1000u)
#define VE_UART0      0x10009000u
#define VE_RTC        0x10017000u
#define VE_UART0_IRQ  (32 + 5)
#define VE_PERIPHCLK_HZ 100000000u

/* The board's own device: SP804 #2, timer 1 (registers at its base). */
#define VE_SP804_2     0x10012000u
#define VE_SP804_2_IRQ (32 + 3)
#define SP804_LOAD     0x00
#define SP804_CONTROL  0x08
#define SP804_INTCLR   0x0c
#define SP804_MIS      0x14
#define SP804_CTRL_32BIT    (1u << 1)
#define SP804_CTRL_INTEN    (1u << 5)
#define SP804_CTRL_PERIODIC (1u << 6)
#define SP804_CTRL_ENABLE   (1u << 7)
#define SP804_HZ       1000000u
#define BOARD_TICK_HZ  1000u

const struct vmm_board vmm_board = {
	.name = "QEMU vexpress-a9 (Cortex-A9) + SP804 interrupt for a domain",
	.ram = { { .base = VMM_BSP_RAM_BASE, .size = VMM_BSP_RAM_SIZE } },
	.nr_ram_banks = 1,
	.devices = {
		{ .phys = 0x10000000u, .size = 0x00100000u }, /* UART0, SP804s, RTC */
		{ .phys = VE_PERIPHBASE, .size = 0x00100000u }, /* GIC, global timer */
	},
	.nr_devices = 2,
	.has_pmu = VMM_BSP_HAS_PMU,
};

static uintptr_t sp804;

static void board_timer_start(void)
{
	sp804 = vmm_port_device_va(VE_SP804_2);
	mmio_write32(sp804 + SP804_CONTROL, 0);
	mmio_write32(sp804 + SP804_LOAD, SP804_HZ / BOARD_TICK_HZ);
	mmio_write32(sp804 + SP804_INTCLR, 1);
	mmio_write32(sp804 + SP804_CONTROL, SP804_CTRL_ENABLE | SP804_CTRL_PERIODIC |
		     SP804_CTRL_INTEN | SP804_CTRL_32BIT);
	/* Not enabled at the GIC here: libvmm does when the domain binds it. */
}

void vmm_port_init(void)
{
	pl011_init(VE_UART0);
	gicv2_init(VE_GIC_DIST, VE_GIC_CPU);
	a9_global_timer_init(VE_GTIMER);
	board_timer_start();
}

void vmm_port_console_putc(char c) { pl011_putc(c); }
int vmm_port_console_getc(void) { return pl011_getc(); }
unsigned int vmm_port_console_irq(void) { return VE_UART0_IRQ; }

void vmm_port_irq_enable(unsigned int irq) { gicv2_enable(irq); }
void vmm_port_irq_disable(unsigned int irq) { gicv2_disable(irq); }
int vmm_port_irq_ack(void) { return gicv2_ack(); }
void vmm_port_irq_eoi(unsigned int irq) { gicv2_eoi(irq); }

/* The SP804's interrupt is the domain's (config), not the board's. */
bool vmm_port_irq_handle(unsigned int irq)
{
	(void)irq;
	return false;
}

uint64_t vmm_port_counter_read(void) { return a9_global_timer_count(); }
uint32_t vmm_port_counter_freq(void) { return VE_PERIPHCLK_HZ; }
void vmm_port_timer_set(uint64_t count) { a9_global_timer_set(count); }
void vmm_port_timer_stop(void) { a9_global_timer_stop(); }
unsigned int vmm_port_timer_irq(void) { return A9_GLOBAL_TIMER_IRQ; }

uint32_t vmm_port_rtc_read(void) { return pl031_read(VE_RTC); }

void vmm_port_poweroff(int code)
{
	mmio_write32(sp804 + SP804_CONTROL, 0);
	semihosting_poweroff(code);
}
