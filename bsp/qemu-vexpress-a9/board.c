/*
 * BSP for QEMU `vexpress-a9` (Cortex-A9 MPCore, no generic timer): A9 GIC,
 * A9 global timer (counter and one-shot, PPI 27), PL011 UART0, PL031 RTC,
 * power-off by semihosting exit. Memory map: QEMU hw/arm/vexpress.c (legacy
 * motherboard map, a9_daughterboard) and hw/cpu/a9mpcore.c (private region).
 * RAM base and size come from bsp.cmake.
 */
#include "a9_global_timer.h"
#include "gicv2.h"
#include "pl011.h"
#include "pl031.h"
#include "semihosting.h"
#include "vmm/port.h"

#define VE_PERIPHBASE 0x1E000000u                /* A9 private region */
#define VE_GIC_CPU    (VE_PERIPHBASE + 0x0100u)
#define VE_GTIMER     (VE_PERIPHBASE + 0x0200u)
#define VE_GIC_DIST   (VE_PERIPHBASE + 0x1000u)
#define VE_UART0      0x10009000u
#define VE_RTC        0x10017000u
#define VE_UART0_IRQ  (32 + 5)

/*
 * Global timer rate = PERIPHCLK (prescaler 0). QEMU's a9gtimer ticks once per
 * (prescaler + 1) * 10 ns of virtual time: 100 MHz, whatever the board clocks.
 * Real CoreTile A9x4 hardware runs it at CPU clock / 2; set it here for it.
 */
#define VE_PERIPHCLK_HZ 100000000u

/*
 * RAM: one bank, the one the image runs in (bsp.cmake). Test variants that
 * describe more banks (test/qemu/bsp/) define these before including this
 * file; see docs/porting.md.
 */
#ifndef VMM_BSP_RAM_BANKS
#define VMM_BSP_RAM_BANKS { { .base = VMM_BSP_RAM_BASE, .size = VMM_BSP_RAM_SIZE } }
#define VMM_BSP_NR_RAM_BANKS 1
#endif

const struct vmm_board vmm_board = {
	.name = "QEMU vexpress-a9 (Cortex-A9)",
	.ram = VMM_BSP_RAM_BANKS,
	.nr_ram_banks = VMM_BSP_NR_RAM_BANKS,
	.devices = {
		{ .phys = 0x10000000u, .size = 0x00100000u }, /* motherboard CS7: UART0, RTC */
		{ .phys = VE_PERIPHBASE, .size = 0x00100000u }, /* GIC, global timer */
	},
	.nr_devices = 2,
	.has_pmu = VMM_BSP_HAS_PMU,
	.guest_counter = VMM_GUEST_COUNTER_NONE, /* the global timer is device memory */
};

void vmm_port_init(void)
{
	pl011_init(VE_UART0);
	gicv2_init(VE_GIC_DIST, VE_GIC_CPU);
	a9_global_timer_init(VE_GTIMER);
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
/* This board runs no device of its own: every other interrupt is libvmm's to refuse. */
bool vmm_port_irq_handle(unsigned int irq) { (void)irq; return false; }

uint64_t vmm_port_counter_read(void) { return a9_global_timer_count(); }
uint32_t vmm_port_counter_freq(void) { return VE_PERIPHCLK_HZ; }
void vmm_port_timer_set(uint64_t count) { a9_global_timer_set(count); }
void vmm_port_timer_stop(void) { a9_global_timer_stop(); }
unsigned int vmm_port_timer_irq(void) { return A9_GLOBAL_TIMER_IRQ; }

uint32_t vmm_port_rtc_read(void) { return pl031_read(VE_RTC); }

void vmm_port_poweroff(int code) { semihosting_poweroff(code); }
