/*
 * Short-descriptor translation tables (ARMv7-A): the hypervisor's half.
 *
 * Virtual layout, identical in every table:
 *   0x00000000-0xDFFFFFFF  the domain's (its memory at 0xC0000000, built by
 *                          core/domain_build.c from frames; user, non-global)
 *   0xE0000000-0xEFFFFFFF  linear window: the RAM start.S maps, hypervisor
 *                          image included (PL1 only, global)
 *   0xF0000000-0xFFEFFFFF  device windows from vmm_board.devices (PL1 only, XN)
 *   0xFFF00000-0xFFFFFFFF  temporary mappings: one 4 KiB page per slot, for
 *                          frames outside the linear window (PL1 only, XN)
 * The master table (built by start.S, finished here) holds the hypervisor
 * half; each domain table copies it (arch_mmu_l1_copy_hyp()), so a guest can
 * never reach it: the entries have no user access. Domain tables live in
 * frames from the frame table, not in the image.
 */
#include <string.h>

#include "arch.h"
#include "arm.h"
#include "asid.h"
#include "cold.h"
#include "cp15.h"
#include "domain.h"
#include "port_check.h"
#include "vmm/guest_info.h"
#include "vmm/port.h"

#define L1_ENTRIES    4096
#define SECTION_SHIFT 20
#define SECTION_SIZE  (1u << SECTION_SHIFT)
#define PAGE_SHIFT    12

#define SECT          0x2u
#define SECT_B        (1u << 2)
#define SECT_C        (1u << 3)
#define SECT_XN       (1u << 4)
#define SECT_AP_PL1   (1u << 10)            /* AP[1:0] = 01: PL1 RW, PL0 none */
#define SECT_DEVICE   (SECT_B | SECT_XN)          /* shared device, never executed */

#define L1_COARSE     0x1u                  /* L1 entry pointing to an L2 table */
#define SMALL_XN      0x1u
#define SMALL         0x2u
#define SMALL_B       (1u << 2)
#define SMALL_C       (1u << 3)
#define SMALL_AP_PL1  (1u << 4)             /* AP[1:0] = 01: PL1 RW, PL0 none */
#define SMALL_TEX1    (1u << 6)
/* Temporary mappings: normal write-back write-allocate memory like the
 * linear window (same attributes for the same frame), never executed, global. */
#define SMALL_HV_RAM  (SMALL | SMALL_XN | SMALL_B | SMALL_C | SMALL_AP_PL1 | SMALL_TEX1)

/*
 * TTBR0 walk attributes: table walks must read the tables with the
 * attributes the hypervisor writes them with (normal, inner and outer
 * write-back write-allocate, non-shareable; docs/memory.md). The inner
 * field depends on the multiprocessing extensions (MPIDR bit 31 reads 1
 * with them: Cortex-A9, A15; 0 on the A8):
 *   with:    IRGN = bit 0 (IRGN[1]) and bit 6 (IRGN[0]); 01 = write-back
 *            write-allocate -> bit 6 only. (0x09 would be IRGN = 10,
 *            write-through: a mismatch with the tables' mapping.)
 *   without: bit 0 is C, "inner cacheable" (the core's inner policy), bit 6
 *            is reserved and must stay 0.
 * RGN (bits 4:3) = 01, outer write-back write-allocate, in both. start.S
 * chooses the same way for the boot table.
 */
#define TTBR_WALK_MP    0x48u  /* IRGN[0] (bit 6) + RGN = 01 */
#define TTBR_WALK_UP    0x09u  /* C + RGN = 01 */
#define MPIDR_MP_EXT    (1u << 31)
#define MMFR3_COHWALK(v) (((v) >> 20) & 0xfu)

/* Cortex-A9 erratum 754322: see mmu_load(). On unless the build knows the core is another. */
#ifndef VMM_CPU_ERRATUM_754322
#define VMM_CPU_ERRATUM_754322 1
#endif

#define HV_FIRST_ENTRY (HV_RAM_VA >> SECTION_SHIFT)
#define MASTER_SLOT    0xffffffffu  /* mmu_switch.active: the master table, ASID 0 */

extern uint8_t __hv_image_end[];
extern uint8_t __hv_payload_start[];
extern uint8_t __hv_payload_end[];
extern uint8_t __hv_ram_phys[];   /* linker symbols: values, not objects */
extern uint8_t __hv_ram_mib[];
extern uint8_t _start[];

uint32_t hv_master_l1[L1_ENTRIES] __attribute__((section(".bss.pgtable"), aligned(16384)));
/* Each domain keeps its shared-info page mapped; map-copy-unmap users need the rest. */
_Static_assert(HV_TEMP_SLOTS >= 2 * VMM_MAX_DOMAINS, "too few temporary-mapping slots");

/* L2 table of the temporary-mapping MiB (256 entries, 1 KiB aligned). */
static uint32_t hv_temp_l2[HV_TEMP_SLOTS] __attribute__((aligned(1024)));

/*
 * What arch_mmu_activate() writes, prepared once so that a context switch
 * only loads it: each slot's TTBR0 value (table address and walk
 * attributes) and address space (its ASID, core/asid.h), both set by
 * arch_mmu_domain_set(), and the PMU user-access state as it is in the
 * hardware, so that PMUSERENR is written only when it changes.
 */
#define PMU_NO_OWNER 0xffffffffu

static struct {
	uint32_t ttbr0[VMM_MAX_DOMAINS];
	uint32_t walk_attrs;       /* TTBR_WALK_MP or TTBR_WALK_UP, from arch_mmu_init() */
	uint32_t walk_coherent;    /* ID_MMFR3.CohWalk != 0: no clean needed after a table store */
	/*
	 * The ASID to load for each slot, or 0 when its space must get one
	 * first: nonzero only while the slot's space holds that ASID in the
	 * current generation. Set from the space by arch_mmu_domain_set() and
	 * after each assignment; all cleared when a generation opens (only
	 * this file assigns ASIDs, so it sees every generation change).
	 */
	uint32_t asid[VMM_MAX_DOMAINS];
	struct asid_space *space[VMM_MAX_DOMAINS];
	uint32_t pmu_user;         /* PMUSERENR.EN as set: 0 from arch_mmu_init() on */
	uint32_t pmu_owner;        /* slot that last ran with PMU access, or PMU_NO_OWNER */
	uint32_t active;           /* slot whose table is in TTBR0, or MASTER_SLOT */
	uint32_t window_from;      /* arch_mmu_window_open(): slot to return to */
} mmu_switch = {
	.pmu_owner = PMU_NO_OWNER,
	.active = MASTER_SLOT,
};

static uint32_t ram_window_phys(void)
{
	return (uint32_t)(uintptr_t)__hv_ram_phys;
}

static uint32_t ram_window_size(void)
{
	return (uint32_t)(uintptr_t)__hv_ram_mib << SECTION_SHIFT;
}

static uint32_t hv_to_phys(const void *p)
{
	return (uint32_t)(uintptr_t)p - HV_RAM_VA + ram_window_phys();
}

static bool phys_in_window(uint32_t phys)
{
	return phys >= ram_window_phys() && phys - ram_window_phys() < ram_window_size();
}

void *arch_phys_to_hv(uint32_t phys)
{
	return (void *)(uintptr_t)(phys - ram_window_phys() + HV_RAM_VA);
}

void arch_hv_layout(struct arch_hv_layout *l)
{
	l->image_base = ram_window_phys() + HV_IMAGE_OFFSET;
	l->image_end = hv_to_phys(__hv_image_end);
	l->payload_base = hv_to_phys(__hv_payload_start);
	l->payload_end = hv_to_phys(__hv_payload_end);
	l->window_base = ram_window_phys();
	l->window_size = ram_window_size();
}

/* Makes a table entry the CPU just wrote visible to table walks. */
static void mmu_clean_entry(const uint32_t *entry)
{
	cp15_write_dccmvau((uint32_t)(uintptr_t)entry);
	arm_dsb();
}

void *arch_map_frame(uint32_t mfn)
{
	uint32_t phys = mfn << PAGE_SHIFT;
	unsigned int i;

	if (phys_in_window(phys))
		return arch_phys_to_hv(phys);
	for (i = 0; i < HV_TEMP_SLOTS; i++) {
		if (hv_temp_l2[i] == 0) {
			hv_temp_l2[i] = phys | SMALL_HV_RAM;
			mmu_clean_entry(&hv_temp_l2[i]);
			/* The slot was invalidated when it was last unmapped. */
			return (void *)(uintptr_t)(HV_TEMP_VA + (i << PAGE_SHIFT));
		}
	}
	return NULL;
}

void arch_unmap_frame(void *p)
{
	uintptr_t va = (uintptr_t)p;
	unsigned int i;

	if (va < HV_TEMP_VA)
		return; /* linear window: nothing was mapped */
	i = (unsigned int)((va - HV_TEMP_VA) >> PAGE_SHIFT);
	hv_temp_l2[i] = 0;
	mmu_clean_entry(&hv_temp_l2[i]);
	/* Global entry: TLBIMVA drops it whatever the ASID field says. */
	cp15_write_tlbimva((uint32_t)(va & ~(uintptr_t)0xfff));
	arm_dsb();
	arm_isb();
}

unsigned int arch_temp_maps_in_use(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < HV_TEMP_SLOTS; i++)
		n += hv_temp_l2[i] != 0;
	return n;
}

/* Device regions arch_mmu_init() mapped: those port_check_devices() accepts
 * (the boot stops later with the reason if it refused one). */
static unsigned int mmu_nr_devices;

_Static_assert(VMM_DEVICE_VA_BASE + VMM_DEVICE_VA_SIZE == HV_TEMP_VA, "the device window ends at the temporary mappings");

uintptr_t vmm_port_device_va(uint32_t phys)
{
	uintptr_t va = VMM_DEVICE_VA_BASE;
	unsigned int i;

	for (i = 0; i < mmu_nr_devices; i++) {
		const struct vmm_device_region *r = &vmm_board.devices[i];
		if (phys >= r->phys && phys - r->phys < r->size)
			return va + (phys - r->phys);
		va += r->size;
	}
	return 0;
}

/* Walk attributes and walk coherency of this core, read once (before any domain table). */
static void mmu_walk_probe(void)
{
	mmu_switch.walk_attrs = (cp15_read_mpidr() & MPIDR_MP_EXT) ? TTBR_WALK_MP : TTBR_WALK_UP;
	mmu_switch.walk_coherent = MMFR3_COHWALK(cp15_read_id_mmfr3()) != 0;
}

const uint32_t *arch_mmu_hyp_entries(void)
{
	return &hv_master_l1[HV_FIRST_ENTRY];
}

/*
 * After a store into a table in use: on cores whose walks read the L1 data
 * cache (CohWalk = 1: A15, and the A9 as QEMU and the TRM report it) a DSB
 * is enough, as the walk attributes match the tables' mapping; otherwise
 * (the A8) the line is cleaned to the point of unification first.
 */
void arch_pt_entry_sync(const uint32_t *hv)
{
	if (!mmu_switch.walk_coherent)
		cp15_write_dccmvau((uint32_t)(uintptr_t)hv);
	arm_dsb();
}

void arch_pt_table_sync(const void *hv, uint32_t len)
{
	if (!mmu_switch.walk_coherent) {
		arch_clean_dcache(hv, len); /* ends with a DSB */
		return;
	}
	arm_dsb();
}

/* A slot whose space holds no ASID of this generation has no TLB entries to drop. */
void arch_mmu_flush_va(unsigned int slot, uint32_t va)
{
	if (slot >= VMM_MAX_DOMAINS || mmu_switch.asid[slot] == 0)
		return;
	arm_dsb();
	cp15_write_tlbimva((va & ~0xfffu) | mmu_switch.asid[slot]);
	arm_dsb();
	arm_isb();
}

VMM_COLD void arch_mmu_init(void)
{
	uintptr_t va = VMM_DEVICE_VA_BASE;
	unsigned int i, e;

	mmu_walk_probe();

	/* Drop start.S's identity entries: below the hypervisor half, nothing stays. */
	for (e = 0; e < HV_FIRST_ENTRY; e++)
		hv_master_l1[e] = 0;
	(void)port_check_devices(vmm_board.devices, vmm_board.nr_devices, &mmu_nr_devices, NULL, 0);
	for (i = 0; i < mmu_nr_devices; i++) {
		const struct vmm_device_region *r = &vmm_board.devices[i];
		uint32_t off;

		for (off = 0; off < r->size; off += SECTION_SIZE)
			hv_master_l1[(va + off) >> SECTION_SHIFT] =
				((r->phys + off) & ~(SECTION_SIZE - 1)) | SECT | SECT_DEVICE | SECT_AP_PL1;
		va += r->size;
	}
	hv_master_l1[HV_TEMP_VA >> SECTION_SHIFT] = hv_to_phys(hv_temp_l2) | L1_COARSE;
	mmu_clean_entry(&hv_master_l1[HV_TEMP_VA >> SECTION_SHIFT]);
	arm_dsb();
	cp15_write_tlbiall(0);
	arm_dsb();
	arm_isb();
	/* No PL0 PMU access whatever the boot loader left, so that
	 * mmu_switch.pmu_user matches the hardware from the first switch on. */
	if (vmm_board.has_pmu)
		cp15_write_pmuserenr(0);
}

void arch_mmu_l1_copy_hyp(uint32_t *l1)
{
	memcpy(&l1[HV_FIRST_ENTRY], &hv_master_l1[HV_FIRST_ENTRY],
	       (L1_ENTRIES - HV_FIRST_ENTRY) * sizeof(uint32_t));
}

static void mmu_load_slot(unsigned int slot);

int arch_mmu_domain_set(unsigned int slot, uint32_t l1_phys, struct asid_space *space)
{
	if (slot >= VMM_MAX_DOMAINS || (l1_phys & 0x3fffu) != 0 || space == NULL)
		return -VMM_EINVAL;
	mmu_switch.ttbr0[slot] = l1_phys | mmu_switch.walk_attrs;
	mmu_switch.space[slot] = space;
	mmu_switch.asid[slot] = space->gen == asid_generation ? space->asid : 0;
	arm_dsb();
	/* The running domain switched tables (or the builder's window is open on it). */
	if (mmu_switch.active == slot) {
		mmu_load_slot(slot);
		arm_isb();
	}
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

/*
 * Loads a table and its ASID. ARMv7 ASID switch via the reserved ASID 0, so
 * that no translation walk (speculative ones included) tags entries of one
 * table with another table's ASID: every walk until the last write pairs
 * either (old ASID, old table), (0, either table) or (new ASID, new table).
 * Walks tagged 0 are harmless: the hypervisor, the only code that runs
 * with ASID 0, uses global mappings alone.
 *
 * Cortex-A9 erratum 754322 ("faulty MMU translations following an ASID
 * switch"): a DSB must precede every CONTEXTIDR write. Only the Cortex-A9
 * has it: the copies of the library built for another named core
 * (cmake/libvmm.cmake, vmm_library_for_cpu()) define
 * VMM_CPU_ERRATUM_754322=0 and leave the two DSBs out; the library built
 * for no core in particular (and the installed one) keeps them, since it
 * may run on an A9. The sequence stays correct without them elsewhere: the
 * ISBs alone order the CONTEXTIDR and TTBR0 writes (ARM ARM, "Synchronization
 * of changes of ASID and TTBR"); the DSB only works around the A9's fault.
 *
 * flush: a new ASID generation (core/asid.h) starts here. The whole TLB is
 * invalidated while ASID 0 is loaded: from then on no walk can tag an entry
 * with an old-generation number, so the numbers handed out again are clean.
 */
static inline __attribute__((always_inline)) void mmu_load(uint32_t ttbr0, uint32_t asid, bool flush)
{
	if (VMM_CPU_ERRATUM_754322)
		arm_dsb();
	cp15_write_contextidr(0);
	arm_isb();
	cp15_write_ttbr0(ttbr0);
	arm_isb();
	if (flush) {
		cp15_write_tlbiall(0);
		arm_dsb();
		arm_isb();
	}
	if (VMM_CPU_ERRATUM_754322)
		arm_dsb();
	cp15_write_contextidr(asid);
}

/* The slot's space has no ASID of this generation: take one (maybe opening a generation). */
static void __attribute__((noinline)) mmu_load_new_asid(unsigned int slot)
{
	uint32_t r = asid_assign(mmu_switch.space[slot]);

	if (r & ASID_FLUSH_ALL) {
		uint32_t i;

		for (i = 0; i < VMM_MAX_DOMAINS; i++)
			mmu_switch.asid[i] = 0; /* every space's ASID is stale now */
	}
	mmu_switch.asid[slot] = r & ASID_MASK;
	mmu_load(mmu_switch.ttbr0[slot], r & ASID_MASK, (r & ASID_FLUSH_ALL) != 0);
	mmu_switch.active = slot;
}

static void mmu_load_slot(unsigned int slot)
{
	if (mmu_switch.asid[slot] != 0) {
		mmu_load(mmu_switch.ttbr0[slot], mmu_switch.asid[slot], false);
		mmu_switch.active = slot;
	} else {
		mmu_load_new_asid(slot);
	}
}

/*
 * The common case -- the slot's space holds an ASID of the current
 * generation -- is a load and a compare (of mmu_switch.asid[slot]) where a
 * fixed ASID per slot was an addition. The PMU access is settled first, so
 * that few values stay live across the switch and no frame is needed.
 */
void arch_mmu_activate(unsigned int slot, bool pmu_user)
{
	uint32_t asid;

	if ((uint32_t)pmu_user != mmu_switch.pmu_user)
		mmu_pmu_set_user(slot, pmu_user);
	asid = mmu_switch.asid[slot];
	if (__builtin_expect(asid == 0, 0)) {
		mmu_load_new_asid(slot);
		return;
	}
	mmu_load(mmu_switch.ttbr0[slot], asid, false);
	mmu_switch.active = slot;
	/*
	 * No isb here: nothing before the exception return into the guest
	 * (context-synchronizing) depends on the new ASID. The hypervisor only
	 * uses global mappings -- its image, stacks and the domains' memory
	 * through the linear window or temporary mappings (core/guest_access.c)
	 * -- whose translation is the same in every table and for every ASID;
	 * guest virtual addresses are dereferenced only by the domain builder,
	 * which synchronizes first (arch_mmu_window_open()). Until then walks may still use ASID 0 with the
	 * new table, which the isb after TTBR0 already allowed.
	 */
}

/* Back to the master table and the hypervisor's ASID 0 (same order as above). */
static void mmu_activate_master(void)
{
	arm_dsb(); /* erratum 754322 */
	cp15_write_contextidr(0);
	arm_isb();
	cp15_write_ttbr0(hv_to_phys(hv_master_l1) | mmu_switch.walk_attrs);
	arm_isb();
	mmu_switch.active = MASTER_SLOT;
}

VMM_COLD void *arch_mmu_window_open(unsigned int slot)
{
	mmu_switch.window_from = mmu_switch.active;
	arch_mmu_activate(slot, mmu_switch.pmu_user != 0);
	arm_isb(); /* the hypervisor dereferences guest addresses next */
	return (void *)(uintptr_t)VMM_GUEST_BASE;
}

void arch_mmu_window_close(void)
{
	if (mmu_switch.window_from == MASTER_SLOT)
		mmu_activate_master();
	else
		arch_mmu_activate(mmu_switch.window_from, mmu_switch.pmu_user != 0);
	arm_isb();
}

void arch_mmu_flush_spaces(const struct asid_cache *c)
{
	unsigned int w;

	arm_dsb(); /* table writes done before the invalidation */
	for (w = 0; w < ASID_CACHE_WAYS; w++)
		if (c->space[w].gen == asid_generation)
			cp15_write_tlbiasid(c->space[w].asid);
	arm_dsb();
	arm_isb();
}

VMM_COLD void arch_mmu_domain_clear(unsigned int slot)
{
	if (slot >= VMM_MAX_DOMAINS)
		return;
	if (mmu_switch.active == slot)
		mmu_activate_master();
	mmu_switch.ttbr0[slot] = 0;
	/* Its spaces were retired (asid_cache_retire()): their ASIDs are never
	 * handed out again before a generation's whole-TLB flush. */
	mmu_switch.space[slot] = NULL;
	mmu_switch.asid[slot] = 0;
}

void arch_clean_dcache(const void *hv, uint32_t len)
{
	uint32_t line = 4u << ((cp15_read_ctr() >> 16) & 0xf); /* DminLine, bytes */
	uintptr_t p = (uintptr_t)hv & ~(uintptr_t)(line - 1);
	uintptr_t end = (uintptr_t)hv + len;

	for (; p < end; p += line)
		cp15_write_dccmvau((uint32_t)p);
	arm_dsb();
}

void arch_icache_invalidate_all(void)
{
	arm_dsb(); /* the scrub's stores are done (ICIALLU reads nothing, but order it) */
	cp15_write_iciallu(0);
	cp15_write_bpiall(0);
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
