/*
 * Short-descriptor translation tables (ARMv7-A, 1 MiB sections only).
 *
 * Virtual layout, identical in every table:
 *   0x00000000-0xBFFFFFFF  unmapped (reserved for the guest's own use later)
 *   0xC0000000-...         the domain's memory (user RW, non-global, ASID-tagged)
 *   0xE0000000-0xEFFFFFFF  linear map of RAM, hypervisor image included (PL1 only, global)
 *   0xF0000000-0xFFFFFFFF  device windows from vmm_board.devices (PL1 only, XN)
 * The master table (built by start.S, finished here) holds the hypervisor
 * half; each domain table copies it, so a guest can never reach it: the
 * entries have no user access, and the guest cannot change any table.
 */
#include <string.h>

#include "arch.h"
#include "arm.h"
#include "cp15.h"
#include "domain.h"
#include "vmm/guest_info.h"
#include "vmm/port.h"

#define L1_ENTRIES    4096
#define SECTION_SHIFT 20
#define SECTION_SIZE  (1u << SECTION_SHIFT)

#define SECT          0x2u
#define SECT_B        (1u << 2)
#define SECT_C        (1u << 3)
#define SECT_XN       (1u << 4)
#define SECT_AP_PL1   (1u << 10)            /* AP[1:0] = 01: PL1 RW, PL0 none */
#define SECT_AP_ALL   (3u << 10)            /* AP[1:0] = 11: PL1 and PL0 RW */
#define SECT_TEX1     (1u << 12)
#define SECT_NG       (1u << 17)
#define SECT_NORMAL   (SECT_TEX1 | SECT_C | SECT_B) /* write-back write-allocate */
#define SECT_DEVICE   (SECT_B | SECT_XN)          /* shared device, never executed */

#define TTBR_WALK_ATTRS 0x09u  /* inner cacheable, outer write-back write-allocate */

#define HV_FIRST_ENTRY (HV_RAM_VA >> SECTION_SHIFT)

extern uint8_t __hv_image_end[];
extern uint8_t _start[];

uint32_t hv_master_l1[L1_ENTRIES] __attribute__((section(".bss.pgtable"), aligned(16384)));
static uint32_t domain_l1[VMM_MAX_DOMAINS][L1_ENTRIES]
	__attribute__((section(".bss.pgtable"), aligned(16384)));

/*
 * What arch_mmu_activate() writes, prepared once so that a context switch
 * only loads it: each slot's TTBR0 value (table address and walk
 * attributes, set by arch_mmu_domain_build()), and the PMU user-access
 * state as it is in the hardware, so that PMUSERENR is written only when it
 * changes.
 */
#define PMU_NO_OWNER 0xffffffffu

static struct {
	uint32_t ttbr0[VMM_MAX_DOMAINS];
	uint32_t pmu_user;         /* PMUSERENR.EN as set: 0 from arch_mmu_init() on */
	uint32_t pmu_owner;        /* slot that last ran with PMU access, or PMU_NO_OWNER */
} mmu_switch = {
	.pmu_owner = PMU_NO_OWNER,
};

static uint32_t hv_to_phys(const void *p)
{
	return (uint32_t)(uintptr_t)p - HV_RAM_VA + vmm_board.ram_base;
}

void *arch_phys_to_hv(uint32_t phys)
{
	return (void *)(uintptr_t)(phys - vmm_board.ram_base + HV_RAM_VA);
}

static uint32_t hv_ram_mapped(void)
{
	return vmm_board.ram_size < HV_RAM_VA_MAX ? vmm_board.ram_size : HV_RAM_VA_MAX;
}

void arch_free_ram(uint32_t *base, uint32_t *size)
{
	uint32_t image_end = hv_to_phys(__hv_image_end);

	*base = image_end;
	*size = vmm_board.ram_base + hv_ram_mapped() - image_end;
}

uintptr_t vmm_port_device_va(uint32_t phys)
{
	uintptr_t va = VMM_DEVICE_VA_BASE;
	unsigned int i;

	for (i = 0; i < vmm_board.nr_devices && i < VMM_MAX_DEVICE_REGIONS; i++) {
		const struct vmm_device_region *r = &vmm_board.devices[i];
		if (phys >= r->phys && phys - r->phys < r->size)
			return va + (phys - r->phys);
		va += r->size;
	}
	return 0;
}

void arch_mmu_init(void)
{
	uintptr_t va = VMM_DEVICE_VA_BASE;
	unsigned int i, e;

	/* Drop start.S's identity entries: below the hypervisor half, nothing stays. */
	for (e = 0; e < HV_FIRST_ENTRY; e++)
		hv_master_l1[e] = 0;
	for (i = 0; i < vmm_board.nr_devices && i < VMM_MAX_DEVICE_REGIONS; i++) {
		const struct vmm_device_region *r = &vmm_board.devices[i];
		uint32_t off;

		for (off = 0; off < r->size && va + off >= VMM_DEVICE_VA_BASE; off += SECTION_SIZE)
			hv_master_l1[(va + off) >> SECTION_SHIFT] =
				((r->phys + off) & ~(SECTION_SIZE - 1)) | SECT | SECT_DEVICE | SECT_AP_PL1;
		va += r->size;
	}
	arm_dsb();
	cp15_write_tlbiall(0);
	arm_dsb();
	arm_isb();
	/* No PL0 PMU access whatever the boot loader left, so that
	 * mmu_switch.pmu_user matches the hardware from the first switch on. */
	if (vmm_board.has_pmu)
		cp15_write_pmuserenr(0);
}

int arch_mmu_domain_build(unsigned int slot, uint32_t mem_phys, uint32_t mem_size)
{
	uint32_t *l1;
	uint32_t off;

	if (slot >= VMM_MAX_DOMAINS)
		return -VMM_ENOMEM;
	l1 = domain_l1[slot];
	memset(l1, 0, HV_FIRST_ENTRY * sizeof(uint32_t));
	memcpy(&l1[HV_FIRST_ENTRY], &hv_master_l1[HV_FIRST_ENTRY],
	       (L1_ENTRIES - HV_FIRST_ENTRY) * sizeof(uint32_t));
	for (off = 0; off < mem_size; off += SECTION_SIZE)
		l1[(VMM_GUEST_BASE + off) >> SECTION_SHIFT] =
			(mem_phys + off) | SECT | SECT_NORMAL | SECT_AP_ALL | SECT_NG;
	mmu_switch.ttbr0[slot] = hv_to_phys(l1) | TTBR_WALK_ATTRS;
	arm_dsb();
	return 0;
}

/*
 * Gives (or takes away) PL0 access to the PMU. The counters are enabled when
 * a domain first gets access and again whenever access passes to a
 * different domain, which may find them stopped or reset by the previous
 * one (PL0 access includes PMCR and PMCNTENCLR); a domain that stops its own
 * counter finds it as it left it. Only reached with vmm_board.has_pmu: the
 * state starts at 0 and domain_create() refuses VMM_DOMCFG_PMU_USER without
 * a PMU, so pmu_user never differs from it on such a board.
 */
static void mmu_pmu_set_user(unsigned int slot, uint32_t pmu_user)
{
	mmu_switch.pmu_user = pmu_user;
	cp15_write_pmuserenr(pmu_user);
	if (pmu_user && mmu_switch.pmu_owner != slot) {
		mmu_switch.pmu_owner = slot;
		cp15_write_pmcr(cp15_read_pmcr() | 1u); /* enable counters */
		cp15_write_pmcntenset(1u << 31);         /* cycle counter */
	}
}

void arch_mmu_activate(unsigned int slot, bool pmu_user)
{
	/*
	 * ARMv7 ASID switch via the reserved ASID 0, so that no translation walk
	 * (speculative ones included) tags entries of one domain's table with
	 * another domain's ASID: every walk until the last write pairs either
	 * (old ASID, old table), (0, either table) or (new ASID, new table).
	 */
	/*
	 * Cortex-A9 erratum 754322 ("faulty MMU translations following an ASID
	 * switch"): a DSB must precede every CONTEXTIDR write. Harmless and
	 * cheap on every other core, so done for all of them.
	 */
	arm_dsb();
	cp15_write_contextidr(0);
	arm_isb();
	cp15_write_ttbr0(mmu_switch.ttbr0[slot]);
	arm_isb();
	arm_dsb(); /* erratum 754322, as above */
	cp15_write_contextidr(slot + 1);
	/*
	 * No isb here: nothing before the exception return into the guest
	 * (context-synchronizing) depends on the new ASID. The hypervisor only
	 * uses global mappings -- its image, stacks and the domains' memory
	 * through the linear map (core/guest_access.c) -- whose translation is
	 * the same in every table and for every ASID; guest virtual addresses
	 * are never dereferenced. Until then walks may still use ASID 0 with the
	 * new table, which the isb after TTBR0 already allowed.
	 */
	if ((uint32_t)pmu_user != mmu_switch.pmu_user)
		mmu_pmu_set_user(slot, pmu_user);
}

void arch_mmu_flush_slot(unsigned int slot)
{
	arm_dsb();
	cp15_write_tlbiasid(slot + 1);
	arm_dsb();
	arm_isb();
}

void arch_sync_icache(const void *hv, uint32_t len)
{
	uint32_t line = 4u << ((cp15_read_ctr() >> 16) & 0xf); /* DminLine, bytes */
	uintptr_t p = (uintptr_t)hv & ~(uintptr_t)(line - 1);
	uintptr_t end = (uintptr_t)hv + len;

	for (; p < end; p += line)
		cp15_write_dccmvau((uint32_t)p);
	arm_dsb();
	cp15_write_iciallu(0);
	cp15_write_bpiall(0);
	arm_dsb();
	arm_isb();
}
