/*
 * BSP for QEMU `virt` (Cortex-A15): GICv2, ARM generic timer (virtual
 * timer, PPI 27), PL011 UART, PL031 RTC, power-off by semihosting exit.
 * Memory map: QEMU hw/arm/virt.c. RAM base and size come from bsp.cmake.
 */
#include "arm_generic_timer.h"
#include "gicv2.h"
#include "pl011.h"
#include "pl031.h"
#include "semihosting.h"
#include "vmm/port.h"

#define VIRT_GIC_DIST  0x08000000u
#define VIRT_GIC_CPU   0x08010000u
#define VIRT_UART      0x09000000u
#define VIRT_RTC       0x09010000u
#define VIRT_UART_IRQ  (32 + 1)

/* Guests read CNTVCT (arm_generic_timer_init() allows it). A benchmark
 * variant (test/qemu/bsp/qemu-virt-refresh) overrides it to measure the
 * periodic refresh boards without a guest counter need. */
#ifndef VIRT_GUEST_COUNTER
#define VIRT_GUEST_COUNTER VMM_GUEST_COUNTER_CNTVCT
#endif

/*
 * RAM: one bank, the one the image runs in (bsp.cmake). Test variants that
 * describe more banks (test/qemu/bsp/) define these before including this
 * file; see docs/porting.md.
 */
#ifndef VMM_BSP_RAM_BANKS
#define VMM_BSP_RAM_BANKS { { .base = VMM_BSP_RAM_BASE, .size = VMM_BSP_RAM_SIZE } }
#define VMM_BSP_NR_RAM_BANKS 1
#endif

/* Device regions: the GIC's MiB and the UART/RTC MiB. A test variant
 * (test/qemu/bsp/qemu-virt-baddev) appends a malformed one. */
#ifndef VIRT_EXTRA_DEVICES
#define VIRT_EXTRA_DEVICES
#define VIRT_NR_EXTRA_DEVICES 0
#endif

const struct vmm_board vmm_board = {
	.name = "QEMU virt (Cortex-A15)",
	.ram = VMM_BSP_RAM_BANKS,
	.nr_ram_banks = VMM_BSP_NR_RAM_BANKS,
	.devices = {
		{ .phys = 0x08000000u, .size = 0x00100000u }, /* GIC */
		{ .phys = 0x09000000u, .size = 0x00100000u }, /* UART, RTC */
		VIRT_EXTRA_DEVICES
	},
	.nr_devices = 2 + VIRT_NR_EXTRA_DEVICES,
	.has_pmu = VMM_BSP_HAS_PMU,
	.guest_counter = VIRT_GUEST_COUNTER,
};

void vmm_port_init(void)
{
	pl011_init(VIRT_UART);
	gicv2_init(VIRT_GIC_DIST, VIRT_GIC_CPU);
	arm_generic_timer_init();
}

void vmm_port_console_putc(char c) { pl011_putc(c); }
bool vmm_port_console_try_putc(char c) { return pl011_try_putc(c); }
void vmm_port_console_tx_irq(bool enable) { pl011_tx_irq(enable); }
int vmm_port_console_getc(void) { return pl011_getc(); }
unsigned int vmm_port_console_irq(void) { return VIRT_UART_IRQ; }

void vmm_port_irq_enable(unsigned int irq) { gicv2_enable(irq); }
void vmm_port_irq_disable(unsigned int irq) { gicv2_disable(irq); }
int vmm_port_irq_ack(void) { return gicv2_ack(); }
void vmm_port_irq_eoi(unsigned int irq) { gicv2_eoi(irq); }
/* This board runs no device of its own: every other interrupt is libvmm's to refuse. */
bool vmm_port_irq_handle(unsigned int irq) { (void)irq; return false; }

uint64_t vmm_port_counter_read(void) { return arm_generic_timer_count(); }
uint32_t vmm_port_counter_freq(void) { return arm_generic_timer_freq(); }
void vmm_port_timer_set(uint64_t count) { arm_generic_timer_set(count); }
void vmm_port_timer_stop(void) { arm_generic_timer_stop(); }
unsigned int vmm_port_timer_irq(void) { return ARM_GENERIC_TIMER_VIRT_IRQ; }

uint32_t vmm_port_rtc_read(void) { return pl031_read(VIRT_RTC); }

void vmm_port_poweroff(int code) { semihosting_poweroff(code); }
