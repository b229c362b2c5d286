/*
 * Fake port and arch layers for host tests (see fake_port.h).
 */
#include "fake_port.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "console.h"
#include "vmm/port.h"

struct fake_hw fake_hw;
uint8_t *fake_ram;

const struct vmm_board vmm_board = {
	.name = "host fake",
	.ram_base = 0x40000000u,
	.ram_size = FAKE_RAM_SIZE,
	.devices = {{.phys = 0x09000000u, .size = 0x100000u}},
	.nr_devices = 1,
	.has_pmu = true,
};

void fake_console_clear(void)
{
	fake_hw.console_len = 0;
	fake_hw.console[0] = '\0';
}

void fake_reset(void)
{
	if (!fake_ram)
		fake_ram = calloc(1, FAKE_RAM_SIZE);
	memset(&fake_hw, 0, sizeof(fake_hw));
	fake_hw.counter_freq = 62500000u;
	fake_hw.rtc = 1700000000u;
	fake_hw.pending_irq = -1;
	fake_hw.claimed = -1;
	fake_hw.last_board_irq = -1;
	fake_hw.poweroff_code = -1;
	fake_hw.tx_room = -1;
	console_tx_drain(); /* the next test starts with an empty output buffer */
	fake_hw.console_len = 0;
	fake_hw.console[0] = '\0';
	fake_hw.blocking_putcs = 0;
	fake_hw.tx_irq_calls = 0;
}

/* ------------------------------------------------------------- port */
uintptr_t vmm_port_device_va(uint32_t phys) { return phys; }
void vmm_port_init(void) {}

static void fake_uart_put(char c)
{
	if (fake_hw.console_len + 1 < FAKE_CONSOLE_MAX) {
		fake_hw.console[fake_hw.console_len++] = c;
		fake_hw.console[fake_hw.console_len] = '\0';
	}
}

void vmm_port_console_putc(char c)
{
	fake_hw.blocking_putcs++;
	fake_uart_put(c);
}

bool vmm_port_console_try_putc(char c)
{
	if (fake_hw.tx_room == 0)
		return false;
	if (fake_hw.tx_room > 0)
		fake_hw.tx_room--;
	fake_uart_put(c);
	return true;
}

void vmm_port_console_tx_irq(bool enable)
{
	fake_hw.tx_irq_calls++;
	fake_hw.tx_irq_on = enable;
}

int vmm_port_console_getc(void)
{
	if (!fake_hw.input || !*fake_hw.input)
		return -1;
	return (unsigned char)*fake_hw.input++;
}

unsigned int vmm_port_console_irq(void) { return FAKE_UART_IRQ; }
void vmm_port_irq_enable(unsigned int irq) { fake_hw.irq_enabled[irq / 32] |= 1u << (irq % 32); }
void vmm_port_irq_disable(unsigned int irq)
{
	fake_hw.irq_enabled[irq / 32] &= ~(1u << (irq % 32));
	if (fake_hw.claimed == (int)irq)
		fake_hw.board_disabled_before_eoi = true;
}

void fake_irq_raise(int irq)
{
	if (fake_hw.pending_irq < 0)
		fake_hw.pending_irq = irq;
	else if (fake_hw.pending_nr < FAKE_PENDING_MAX)
		fake_hw.pending_more[fake_hw.pending_nr++] = irq;
	else
		abort();
}

void fake_board_own(unsigned int irq, bool owned)
{
	if (owned)
		fake_hw.board_owned[irq / 32] |= 1u << (irq % 32);
	else
		fake_hw.board_owned[irq / 32] &= ~(1u << (irq % 32));
}

int vmm_port_irq_ack(void)
{
	int irq = fake_hw.pending_irq;
	unsigned int i;

	fake_hw.acks++;
	if (irq < 0)
		return -1;
	if (fake_hw.claimed >= 0)
		abort(); /* contract: one claim at a time, EOI before the next ack */
	fake_hw.pending_irq = -1;
	if (fake_hw.pending_nr) {
		fake_hw.pending_irq = fake_hw.pending_more[0];
		for (i = 1; i < fake_hw.pending_nr; i++)
			fake_hw.pending_more[i - 1] = fake_hw.pending_more[i];
		fake_hw.pending_nr--;
	}
	fake_hw.claimed = irq;
	return irq;
}

void vmm_port_irq_eoi(unsigned int irq)
{
	if (fake_hw.claimed != (int)irq)
		abort(); /* contract: EOI exactly the claimed interrupt */
	fake_hw.claimed = -1;
	fake_hw.eois++;
	fake_hw.last_eoi = (int)irq;
	if (irq == FAKE_TIMER_IRQ)
		fake_hw.timer_armed_at_eoi = fake_hw.timer_armed && fake_hw.timer_count <= fake_hw.counter;
}

bool vmm_port_irq_handle(unsigned int irq)
{
	bool owned = irq < 128 && (fake_hw.board_owned[irq / 32] & (1u << (irq % 32)));

	fake_hw.board_calls++;
	fake_hw.last_board_irq = (int)irq;
	if (owned)
		fake_hw.board_handled++;
	return owned;
}

const char *vmm_port_cpu_init(void) { return fake_hw.cpu_warning; }
void vmm_port_cpu_switch(void) { fake_hw.cpu_switches++; }

uint64_t vmm_port_counter_read(void)
{
	fake_hw.counter_reads++;
	return fake_hw.counter;
}
uint32_t vmm_port_counter_freq(void) { return fake_hw.counter_freq; }

void vmm_port_timer_set(uint64_t count)
{
	fake_hw.timer_count = count;
	fake_hw.timer_armed = true;
	fake_hw.timer_sets++;
}

void vmm_port_timer_stop(void)
{
	fake_hw.timer_stops++;
	fake_hw.timer_armed = false;
}
unsigned int vmm_port_timer_irq(void) { return FAKE_TIMER_IRQ; }
uint32_t vmm_port_rtc_read(void) { return fake_hw.rtc; }

void vmm_port_poweroff(int code)
{
	fake_hw.poweroff_code = code;
	if (fake_hw.poweroff_jump)
		longjmp(*fake_hw.poweroff_jump, 1);
	abort();
}

/* ------------------------------------------------------------- arch */
void arch_switch(struct arch_hctx *prev, struct arch_hctx *next)
{
	(void)prev;
	(void)next;
	fake_hw.switches++;
}

void arch_hctx_init(struct arch_hctx *c, struct vmm_trap_frame *frame)
{
	memset(c, 0, sizeof(*c));
	c->sp = (uint32_t)(uintptr_t)frame;
}

void arch_wait_for_interrupt(void) {}
void arch_mmu_init(void) {}
int arch_mmu_domain_build(unsigned int slot, uint32_t mem_phys, uint32_t mem_size)
{
	(void)slot;
	(void)mem_phys;
	(void)mem_size;
	return 0;
}

void arch_mmu_activate(unsigned int slot, bool pmu_user)
{
	(void)pmu_user;
	fake_hw.active_slot = slot;
}

void arch_mmu_flush_slot(unsigned int slot) { (void)slot; }
void arch_sync_icache(const void *hv, uint32_t len)
{
	(void)hv;
	(void)len;
}

void *arch_phys_to_hv(uint32_t phys)
{
	if (phys < vmm_board.ram_base || phys - vmm_board.ram_base >= FAKE_RAM_SIZE)
		abort();
	return fake_ram + (phys - vmm_board.ram_base);
}

void arch_free_ram(uint32_t *base, uint32_t *size)
{
	*base = vmm_board.ram_base + (1u << 20);
	*size = FAKE_RAM_SIZE - (1u << 20);
}

void arch_fault_info(int kind, uint32_t *address, uint32_t *status)
{
	(void)kind;
	*address = 0xdead0000u;
	*status = 0x5u;
}
