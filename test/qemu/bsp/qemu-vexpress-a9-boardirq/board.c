/*
 * Test BSP: bsp/qemu-vexpress-a9 plus a board-owned interrupt. Timer 1 of
 * the second SP804 dual timer (0x10012000; QEMU clocks it at 1 MHz) runs
 * periodically at 1 kHz; its interrupt (GIC SPI 3 = IRQ 35) is enabled in
 * vmm_port_init() and claimed by vmm_port_irq_handle(), which clears it and
 * counts it. At power-off the board prints how many it handled and over how
 * long since the first (libvmm takes no interrupt while it boots the
 * domains), and checks the count against that time: at most one per
 * millisecond plus the first (the period holds, no interrupt storm), and at
 * least a quarter of that (the interrupt kept coming while the guests ran
 * and the hypervisor idled). The slack is for QEMU 7.2 under -icount (as the
 * tests run it), where this SP804 raises its periodic interrupt about once
 * per 2 ms although its counter runs at 1 MHz: 91 interrupts in 180 ms, the
 * handler called once per interrupt raised. Without -icount the same image
 * gets 199 in 201 ms, as real hardware would: none is lost by libvmm.
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
	.name = "QEMU vexpress-a9 (Cortex-A9) + board-owned SP804 interrupt",
	.ram = { { .base = VMM_BSP_RAM_BASE, .size = VMM_BSP_RAM_SIZE } },
	.nr_ram_banks = 1,
	.devices = {
		{ .phys = 0x10000000u, .size = 0x00100000u }, /* UART0, SP804s, RTC */
		{ .phys = VE_PERIPHBASE, .size = 0x00100000u }, /* GIC, global timer */
	},
	.nr_devices = 2,
	.has_pmu = VMM_BSP_HAS_PMU,
	.board_irqs = { VE_SP804_2_IRQ }, /* no config may give it to a domain */
	.nr_board_irqs = 1,
};

static uintptr_t sp804;
static uint32_t board_ticks;
static uint64_t board_start;

static void board_timer_start(void)
{
	sp804 = vmm_port_device_va(VE_SP804_2);
	mmio_write32(sp804 + SP804_CONTROL, 0);
	mmio_write32(sp804 + SP804_LOAD, SP804_HZ / BOARD_TICK_HZ);
	mmio_write32(sp804 + SP804_INTCLR, 1);
	mmio_write32(sp804 + SP804_CONTROL, SP804_CTRL_ENABLE | SP804_CTRL_PERIODIC |
		     SP804_CTRL_INTEN | SP804_CTRL_32BIT);
	gicv2_enable(VE_SP804_2_IRQ);
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

bool vmm_port_irq_handle(unsigned int irq)
{
	if (irq != VE_SP804_2_IRQ)
		return false;
	/* Level interrupt: clear it at the device before libvmm's EOI. */
	if (mmio_read32(sp804 + SP804_MIS) & 1u) {
		mmio_write32(sp804 + SP804_INTCLR, 1);
		if (board_ticks++ == 0)
			board_start = a9_global_timer_count();
	}
	return true;
}

uint64_t vmm_port_counter_read(void) { return a9_global_timer_count(); }
uint32_t vmm_port_counter_freq(void) { return VE_PERIPHCLK_HZ; }
void vmm_port_timer_set(uint64_t count) { a9_global_timer_set(count); }
void vmm_port_timer_stop(void) { a9_global_timer_stop(); }
unsigned int vmm_port_timer_irq(void) { return A9_GLOBAL_TIMER_IRQ; }

uint32_t vmm_port_rtc_read(void) { return pl031_read(VE_RTC); }

static void board_puts(const char *s)
{
	while (*s)
		pl011_putc(*s++);
}

static void board_putu(uint32_t v)
{
	char buf[11];
	unsigned int n = 0;

	do
		buf[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n)
		pl011_putc(buf[--n]);
}

/* The handled count is plausible for the time the timer ran (see the top);
 * none at all leaves board_start 0 and fails the lower bound. */
static inline bool board_ticks_plausible(uint32_t ticks, uint32_t ms)
{
	return ticks <= ms + 1 && (uint64_t)ticks * 4 >= ms;
}

void vmm_port_poweroff(int code)
{
	static bool reported;

	if (!reported) {
		uint32_t ms = (uint32_t)((a9_global_timer_count() - board_start) /
					 (VE_PERIPHCLK_HZ / 1000));

		reported = true;
		mmio_write32(sp804 + SP804_CONTROL, 0);
		board_puts("[board] SP804 interrupts handled by the BSP: ");
		board_putu(board_ticks);
		board_puts(" in ");
		board_putu(ms);
		board_puts(board_ticks_plausible(board_ticks, ms) ? " ms: ok\n" : " ms: FAIL\n");
	}
	semihosting_poweroff(code);
}
