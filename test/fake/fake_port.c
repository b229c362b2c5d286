/*
 * Fake port and arch layers for host tests (see fake_port.h).
 */
#include "fake_port.h"

#include <assert.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "asid.h"
#include "console.h"
#include "domain.h"
#include "guest_access.h"
#include "mm_hcall.h"
#include "vmm/abi.h"
#include "vmm/guest_info.h"
#include "vmm/port.h"

struct fake_hw fake_hw;
uint8_t *fake_ram;
uint32_t fake_window_size = FAKE_RAM_SIZE;
struct fake_mmu fake_mmu;

const struct vmm_board vmm_board = {
	.name = "host fake",
	.ram = { { .base = FAKE_RAM_BASE, .size = FAKE_RAM_SIZE } },
	.nr_ram_banks = 1,
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
	memset(&fake_cpu, 0, sizeof(fake_cpu));
	fake_cpu.vfp_regs = 32;
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
	uint64_t now = fake_hw.counter;

	fake_hw.counter_reads++;
	fake_hw.counter += fake_hw.counter_step; /* time passing while the hypervisor works */
	return now;
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
struct fake_cpu fake_cpu;

/* Models entry.S: thread registers go with the hctx, the FPU goes off if prev had it on. */
void arch_switch(struct arch_hctx *prev, struct arch_hctx *next)
{
	prev->tpidrurw = fake_cpu.tpidrurw;
	fake_cpu.tpidrurw = next->tpidrurw;
	fake_cpu.tpidruro = next->tpidruro;
	fake_cpu.dacr = next->dacr;
	if (prev->vfp_on) {
		prev->vfp_on = 0;
		fake_cpu.fpexc_en = false;
	}
	fake_hw.switches++;
}

unsigned int arch_vfp_init(void)
{
	fake_cpu.fpexc_en = false;
	return fake_cpu.vfp_regs;
}

void arch_vfp_save(struct arch_vfp_state *s)
{
	assert(!fake_cpu.fpexc_en); /* only a switched-out owner is saved */
	memcpy(s->d, fake_cpu.d, fake_cpu.vfp_regs * sizeof(uint64_t));
	s->fpscr = fake_cpu.fpscr;
	fake_cpu.fpexc_en = true;
	fake_cpu.vfp_saves++;
}

void arch_vfp_load(const struct arch_vfp_state *s)
{
	memcpy(fake_cpu.d, s->d, fake_cpu.vfp_regs * sizeof(uint64_t));
	fake_cpu.fpscr = s->fpscr;
	fake_cpu.fpexc_en = true;
	fake_cpu.vfp_loads++;
}

void arch_vfp_enable(void)
{
	fake_cpu.fpexc_en = true;
	fake_cpu.vfp_enables++;
}

void arch_set_tpidruro(uint32_t v)
{
	fake_cpu.tpidruro = v;
}

void arch_set_dacr(uint32_t v)
{
	fake_cpu.dacr = v;
	fake_cpu.dacr_writes++;
}

/* The unprivileged stores of entry.S: on the host, what the domain could
 * store itself is its own memory minus its page tables (the pseudo-physical
 * view of guest_copy_to(); the fake has no page tables of the guest's). */
int arch_guest_push_frame(uint32_t va, const struct vmm_trap_frame *f)
{
	fake_cpu.guest_pushes++;
	return guest_copy_to(current, va, f, sizeof(*f));
}

/* entry.S labels the SVC tables point at: never run on the host. */
void arch_svc_other(void)
{
}

void arch_svc_user_bounce(void)
{
}

void arch_user_regs_init(void)
{
	fake_cpu.user_regs_init = true;
}

void arch_hctx_init(struct arch_hctx *c, struct vmm_trap_frame *frame)
{
	memset(c, 0, sizeof(*c));
	c->sp = (uint32_t)(uintptr_t)frame;
	c->dacr = ARCH_DACR_BOOT;
}

void arch_wait_for_interrupt(void) {}
void arch_mmu_init(void) {}
/* Like the target: the slot's space gets its ASID (a new one, and a whole-TLB flush, as asid.c says). */
void arch_mmu_activate(unsigned int slot, bool pmu_user)
{
	uint32_t r;

	(void)pmu_user;
	fake_hw.active_slot = slot;
	if (slot >= 64)
		abort();
	if (fake_mmu.space[slot] == NULL)
		return; /* a test's hand-made domain without tables */
	r = asid_activate(fake_mmu.space[slot]);
	fake_hw.active_asid = r & ASID_MASK;
	fake_mmu.tlb_flushes += (r & ASID_FLUSH_ALL) != 0;
}

void arch_mmu_domain_clear(unsigned int slot)
{
	if (slot >= VMM_MAX_DOMAINS)
		abort();
	fake_mmu.l1_phys[slot] = 0;
	fake_mmu.space[slot] = NULL;
	fake_mmu.cleared_slots++;
}

void arch_mmu_flush_spaces(const struct asid_cache *c)
{
	fake_mmu.asid_flushes++;
	fake_mmu.flushed_cache = c;
}

void arch_mmu_flush_va(unsigned int slot, uint32_t va)
{
	fake_mmu.flush_va++;
	fake_mmu.flushed_slot = slot;
	fake_mmu.flushed_va = va;
}

void arch_pt_entry_sync(const uint32_t *hv)
{
	(void)hv;
	fake_mmu.entry_syncs++;
}

void arch_icache_invalidate_all(void)
{
	fake_mmu.icache_invalidations++;
}

void arch_pt_table_sync(const void *hv, uint32_t len)
{
	(void)hv;
	fake_mmu.table_sync_bytes += len;
}

const uint32_t *arch_mmu_hyp_entries(void)
{
	static uint32_t hyp[4096 - FAKE_HV_FIRST_ENTRY];
	uint32_t e;

	for (e = FAKE_HV_FIRST_ENTRY; e < 4096; e++)
		hyp[e - FAKE_HV_FIRST_ENTRY] = FAKE_HV_ENTRY(e);
	return hyp;
}
void arch_sync_icache(const void *hv, uint32_t len)
{
	(void)hv;
	(void)len;
}

static bool fake_in_window(uint32_t phys)
{
	return phys >= FAKE_RAM_BASE && phys - FAKE_RAM_BASE < fake_window_size;
}

static bool fake_in_ram(uint32_t phys)
{
	return phys >= FAKE_RAM_BASE && phys - FAKE_RAM_BASE < FAKE_RAM_SIZE;
}

/* Linear addresses exist only inside the window: anything else is a bug in the core. */
void *arch_phys_to_hv(uint32_t phys)
{
	if (!fake_in_window(phys))
		abort();
	return fake_ram + (phys - FAKE_RAM_BASE);
}

void *fake_phys_ptr(uint32_t phys)
{
	if (!fake_in_ram(phys))
		abort();
	return fake_ram + (phys - FAKE_RAM_BASE);
}

void arch_hv_layout(struct arch_hv_layout *l)
{
	l->image_base = FAKE_RAM_BASE + FAKE_IMAGE_OFFSET;
	l->image_end = FAKE_RAM_BASE + FAKE_IMAGE_OFFSET + FAKE_IMAGE_SIZE;
	l->payload_base = FAKE_RAM_BASE + FAKE_IMAGE_OFFSET + FAKE_PAYLOAD_OFFSET;
	l->payload_end = l->payload_base + FAKE_PAYLOAD_SIZE;
	l->window_base = FAKE_RAM_BASE;
	l->window_size = fake_window_size;
}

void *arch_map_frame(uint32_t mfn)
{
	uint32_t phys = mfn << 12;

	if (!fake_in_ram(phys))
		abort();
	if (!fake_in_window(phys)) {
		if (fake_mmu.temp_in_use == FAKE_TEMP_SLOTS)
			return NULL;
		fake_mmu.temp_in_use++;
		fake_mmu.temp_maps++;
	}
	return fake_ram + (phys - FAKE_RAM_BASE);
}

void arch_unmap_frame(void *p)
{
	uint32_t phys = (uint32_t)((uint8_t *)p - fake_ram) + FAKE_RAM_BASE;

	if (!fake_in_window(phys)) {
		if (fake_mmu.temp_in_use == 0)
			abort(); /* unbalanced unmap */
		fake_mmu.temp_in_use--;
	}
}

unsigned int arch_temp_maps_in_use(void) { return fake_mmu.temp_in_use; }

void arch_clean_dcache(const void *hv, uint32_t len)
{
	(void)hv;
	fake_mmu.cleaned_bytes += len;
}

void arch_mmu_l1_copy_hyp(uint32_t *l1)
{
	uint32_t e;

	for (e = FAKE_HV_FIRST_ENTRY; e < 4096; e++)
		l1[e] = FAKE_HV_ENTRY(e);
}

int arch_mmu_domain_set(unsigned int slot, uint32_t l1_phys, struct asid_space *space)
{
	if (slot >= VMM_MAX_DOMAINS || (l1_phys & 0x3fffu) != 0 || space == NULL)
		return -VMM_EINVAL;
	fake_mmu.l1_phys[slot] = l1_phys;
	fake_mmu.space[slot] = space;
	return 0;
}

/*
 * Decodes the domain's L1 the way the MMU would (sections and small pages
 * only) from VMM_GUEST_BASE up to the first unmapped page and gives the
 * builder a copy; close writes the copy back to the frames. So the ELF bytes
 * reach the frames the tables point at, whatever the builder wrote.
 */
uint32_t fake_walk(uint32_t l1_phys, uint32_t va)
{
	const uint32_t *l1 = fake_phys_ptr(l1_phys);
	uint32_t e = l1[va >> 20];

	switch (e & 3u) {
	case 2:
		return (e & 0xFFF00000u) | (va & 0xFFFFFu);
	case 1: {
		const uint32_t *l2 = fake_phys_ptr(e & ~0x3FFu);
		uint32_t s = l2[(va >> 12) & 0xFF];
		return (s & 2u) ? (s & ~0xFFFu) | (va & 0xFFFu) : 0;
	}
	default:
		return 0;
	}
}

void *arch_mmu_window_open(unsigned int slot)
{
	uint32_t l1 = fake_mmu.l1_phys[slot], size = 0, off;

	if (fake_mmu.window)
		abort(); /* not nested */
	while (size < (512u << 20) && fake_walk(l1, VMM_GUEST_BASE + size) != 0)
		size += 4096;
	fake_mmu.window = calloc(1, size ? size : 1);
	fake_mmu.window_size = size;
	fake_mmu.window_slot = slot;
	for (off = 0; off < size; off += 4096)
		memcpy(fake_mmu.window + off, fake_phys_ptr(fake_walk(l1, VMM_GUEST_BASE + off)), 4096);
	fake_mmu.window_opens++;
	return fake_mmu.window;
}

void arch_mmu_window_close(void)
{
	uint32_t l1 = fake_mmu.l1_phys[fake_mmu.window_slot], off;

	for (off = 0; off < fake_mmu.window_size; off += 4096)
		memcpy(fake_phys_ptr(fake_walk(l1, VMM_GUEST_BASE + off)), fake_mmu.window + off, 4096);
	free(fake_mmu.window);
	fake_mmu.window = NULL;
}

void arch_fault_info(int kind, uint32_t *address, uint32_t *status)
{
	(void)kind;
	*status = fake_hw.fault_status ? fake_hw.fault_status : 0x5u;
	*address = arch_dfsr_async(*status) ? 0 : 0xdead0000u; /* as the target's */
}

/* The target's assembly fast path of update_va_mapping (arch/armv7/pt_fast.S)
 * on the host: its C reference runs inside hc_update_va_mapping(). */
long hc_update_va_mapping_fast(uint32_t va, uint32_t val, uint32_t flags, uint32_t a3)
{
	return hc_update_va_mapping(va, val, flags, a3);
}
