/*
 * Test-only BSP: QEMU `virt` as bsp/qemu-virt, except that a third device
 * region is a 8 KiB block (the porting guide asks for whole, aligned MiB):
 * libvmm must map the two good regions before it (the console works), never
 * the bad one, and stop the boot with a [VMM] error and exit code 4
 * (core/port_check.c) instead of mapping a wrong section. Used by test/qemu
 * only.
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

const struct vmm_board vmm_board = {
	.name = "QEMU virt, a device region of 8 KiB (test)",
	.ram = { { .base = VMM_BSP_RAM_BASE, .size = VMM_BSP_RAM_SIZE } },
	.nr_ram_banks = 1,
	.devices = {
		{ .phys = 0x08000000u, .size = 0x00100000u }, /* GIC */
		{ .phys = 0x09000000u, .size = 0x00100000u }, /* UART, RTC */
		{ .phys = 0x0A000000u, .size = 0x00002000u }, /* the mistake: not whole MiB */
	},
	.nr_devices = 3,
	.has_pmu = VMM_BSP_HAS_PMU,
};

void vmm_port_init(void)
{
	pl011_init(VIRT_UART);
	gicv2_init(VIRT_GIC_DIST, VIRT_GIC_CPU);
	arm_generic_timer_init();
}

void vmm_port_console_putc(char c) { pl011_putc(c); }
int vmm_port_console_getc(void) { return pl011_getc(); }
unsigned int vmm_port_console_irq(void) { return VIRT_UART_IRQ; }

void vmm_port_irq_enable(unsigned int irq) { gicv2_enable(irq); }
void vmm_port_irq_disable(unsigned int irq) { gicv2_disable(irq); }
int vmm_port_irq_ack(void) { return gicv2_ack(); }
void vmm_port_irq_eoi(unsigned int irq) { gicv2_eoi(irq); }
bool vmm_port_irq_handle(unsigned int irq) { (void)irq; return false; }

uint64_t vmm_port_counter_read(void) { return arm_generic_timer_count(); }
uint32_t vmm_port_counter_freq(void) { return arm_generic_timer_freq(); }
void vmm_port_timer_set(uint64_t count) { arm_generic_timer_set(count); }
void vmm_port_timer_stop(void) { arm_generic_timer_stop(); }
unsigned int vmm_port_timer_irq(void) { return ARM_GENERIC_TIMER_VIRT_IRQ; }

uint32_t vmm_port_rtc_read(void) { return pl031_read(VIRT_RTC); }

void vmm_port_poweroff(int code) { semihosting_poweroff(code); }
