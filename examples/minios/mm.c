/*
 * libvmm Mini-OS: pseudo-physical page allocator and the growing heap
 * (see minios/mm.h).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <minios/os.h>
#include <minios/console.h>
#include <minios/mm.h>

#define PAGE_SHIFT     12
#define PAGES_PER_MIB  256u
#define MIB_PER_L2_FRAME 4u                       /* four 1 KiB L2 tables per frame */
#define MAX_PFNS       ((256u << 20) >> PAGE_SHIFT) /* VMM_DOMAIN_MEM_MAX */
#define MAX_MIB        (MAX_PFNS / PAGES_PER_MIB)
#define HEAP_SAFETY_MARGIN VMM_PAGE_SIZE
/* A small page the guest may write: normal write-back memory, read/write, not global. */
#define PTE_RAM (VMM_PTE_L2_SMALL | VMM_PTE_SMALL_NORMAL | VMM_PTE_SMALL_RW | VMM_PTE_SMALL_NG)

static struct {
	uint32_t boot_pages;    /* mapped by the builder */
	uint32_t max_pages;     /* maximum reservation */
	uint32_t grow_first;    /* first pfn this module may back (a MiB boundary) */
	uint32_t l2_floor;      /* pfns from here up hold L2 tables (taken from the top down) */
	uint32_t l2_next;       /* next pfn for an L2 frame (counts down), > l2_floor - 1 */
	uint32_t heap_pfn_end;  /* the heap's pages are mapped below this pfn */
	uint32_t grown;         /* pages mapped by this module */
	uint32_t l2_frames;
	uint32_t l2_mfn[MAX_MIB / MIB_PER_L2_FRAME]; /* per 4 MiB: its L2 frame, 0 if none yet */
	uint8_t mib_mapped[MAX_MIB];                 /* L1 entry written for the MiB */
	uint32_t backed[MAX_PFNS / 32];              /* pfns this module backed */
} mm;

/* memory_op arguments must lie in backed memory: these live in .bss. */
static struct vmm_memory_reservation mm_res;
static uint32_t mm_extent;

static int pfn_backed(uint32_t pfn)
{
	return (mm.backed[pfn / 32] >> (pfn % 32)) & 1u;
}

static void pfn_set_backed(uint32_t pfn, int on)
{
	if (on)
		mm.backed[pfn / 32] |= 1u << (pfn % 32);
	else
		mm.backed[pfn / 32] &= ~(1u << (pfn % 32));
}

static uintptr_t pfn_va(uint32_t pfn)
{
	return VMM_GUEST_BASE + ((uintptr_t)pfn << PAGE_SHIFT);
}

/* One extent of one page; returns the hypervisor's answer, *mfn set on populate. */
static long reservation_one(uint32_t cmd, uint32_t pfn, uint32_t *mfn)
{
	long rc;

	mm_extent = pfn;
	mm_res.extent_start = (uint32_t)(uintptr_t)&mm_extent;
	mm_res.nr_extents = 1;
	mm_res.extent_order = 0;
	mm_res.mem_flags = 0;
	mm_res.domid = VMM_DOMID_SELF;
	rc = HYPERVISOR_memory_op(cmd, (uint32_t)(uintptr_t)&mm_res);
	if (rc == 1 && mfn)
		*mfn = mm_extent;
	return rc;
}

long minios_mm_current_pages(void)
{
	return HYPERVISOR_memory_op(VMM_MEMOP_current_reservation, VMM_DOMID_SELF);
}

long minios_mm_max_pages(void)
{
	return HYPERVISOR_memory_op(VMM_MEMOP_maximum_reservation, VMM_DOMID_SELF);
}

void init_mm(const struct vmm_start_info *si)
{
	long max = minios_mm_max_pages();
	uint32_t grow_mibs;

	memset(&mm, 0, sizeof(mm));
	mm.boot_pages = si->nr_pages;
	mm.max_pages = max > 0 && (uint32_t)max <= MAX_PFNS ? (uint32_t)max : si->nr_pages;
	if (mm.max_pages < mm.boot_pages)
		mm.max_pages = mm.boot_pages;
	mm.grow_first = (mm.boot_pages + PAGES_PER_MIB - 1) & ~(PAGES_PER_MIB - 1);
	if (mm.grow_first > mm.max_pages)
		mm.grow_first = mm.max_pages;
	grow_mibs = (mm.max_pages - mm.grow_first + PAGES_PER_MIB - 1) / PAGES_PER_MIB;
	mm.l2_floor = mm.max_pages - (grow_mibs + MIB_PER_L2_FRAME - 1) / MIB_PER_L2_FRAME;
	mm.l2_next = mm.max_pages;
	mm.heap_pfn_end = mm.grow_first;
	/* The heap may grow up to the L2 frames (minus a guard page) when the
	 * domain can grow, else up to the end of its boot memory. */
	if (mm.l2_floor > mm.grow_first)
		minios_heap_limit = pfn_va(mm.l2_floor) - HEAP_SAFETY_MARGIN;
}

/* A new L2 frame for the 4 MiB group of `mib`: populated at the top, scrubbed, pinned. */
static int l2_frame_for(uint32_t mib, uint32_t *l2_mfn)
{
	uint32_t group = mib / MIB_PER_L2_FRAME, mfn, pfn;
	struct vmm_mmuext_op op;
	long rc;

	if (mm.l2_mfn[group]) {
		*l2_mfn = mm.l2_mfn[group];
		return 0;
	}
	if (mm.l2_next == mm.l2_floor)
		return -1;
	pfn = mm.l2_next - 1;
	if (pfn_backed(pfn) || reservation_one(VMM_MEMOP_populate_physmap, pfn, &mfn) != 1)
		return -1;
	op.cmd = VMM_MMUEXT_PIN_L2_TABLE;
	op.arg1 = mfn;
	op.arg2 = 0;
	rc = HYPERVISOR_mmuext_op(&op, 1, NULL, VMM_DOMID_SELF);
	if (rc != 0) {
		printk("mm: pinning an L2 table failed (%ld)\n", rc);
		reservation_one(VMM_MEMOP_decrease_reservation, pfn, NULL);
		return -1;
	}
	pfn_set_backed(pfn, 1);
	mm.l2_next = pfn;
	mm.l2_mfn[group] = mfn;
	mm.l2_frames++;
	*l2_mfn = mfn;
	return 0;
}

/* Makes sure an L2 table of ours translates MiB `mib` (L1 entry written once). */
static int mib_cover(uint32_t mib)
{
	struct vmm_mmu_update req;
	uint32_t l2_mfn;
	long rc;

	if (mm.mib_mapped[mib])
		return 0;
	if (l2_frame_for(mib, &l2_mfn) != 0)
		return -1;
	req.ptr = (start_info->pt_base_mfn << PAGE_SHIFT) + ((pfn_va((uint32_t)mib * PAGES_PER_MIB) >> 20) << 2);
	req.val = (l2_mfn << PAGE_SHIFT) | ((mib % MIB_PER_L2_FRAME) << 10) | VMM_PTE_L1_TABLE;
	rc = HYPERVISOR_mmu_update(&req, 1, NULL, VMM_DOMID_SELF);
	if (rc != 0) {
		printk("mm: L1 entry for 0x%08lx refused (%ld)\n", (unsigned long)pfn_va(mib * PAGES_PER_MIB), rc);
		return -1;
	}
	mm.mib_mapped[mib] = 1;
	return 0;
}

/* Backs and maps pfn at its own address (growth region only). 0 or -1. */
static int page_grow(uint32_t pfn)
{
	uint32_t mfn;
	long rc;

	if (pfn < mm.grow_first || pfn >= mm.l2_floor || pfn_backed(pfn))
		return -1;
	if (mib_cover(pfn / PAGES_PER_MIB) != 0)
		return -1;
	if (reservation_one(VMM_MEMOP_populate_physmap, pfn, &mfn) != 1)
		return -1;
	rc = HYPERVISOR_update_va_mapping((uint32_t)pfn_va(pfn), (mfn << PAGE_SHIFT) | PTE_RAM, VMM_UVMF_NONE);
	if (rc != 0) {
		printk("mm: mapping pfn 0x%lx refused (%ld)\n", (unsigned long)pfn, rc);
		reservation_one(VMM_MEMOP_decrease_reservation, pfn, NULL);
		return -1;
	}
	pfn_set_backed(pfn, 1);
	mm.grown++;
	return 0;
}

/* Unmaps and gives back a page page_grow() took. */
static int page_shrink(uint32_t pfn)
{
	long rc;

	if (pfn < mm.grow_first || pfn >= mm.l2_floor || !pfn_backed(pfn))
		return -1;
	rc = HYPERVISOR_update_va_mapping((uint32_t)pfn_va(pfn), 0, VMM_UVMF_INVLPG);
	if (rc == 0)
		rc = reservation_one(VMM_MEMOP_decrease_reservation, pfn, NULL) == 1 ? 0 : -1;
	if (rc != 0) {
		printk("mm: giving back pfn 0x%lx failed\n", (unsigned long)pfn);
		return -1;
	}
	pfn_set_backed(pfn, 0);
	mm.grown--;
	return 0;
}

int minios_heap_map(uintptr_t end)
{
	unsigned long flags = local_irq_save();
	uint32_t last = (uint32_t)((end - VMM_GUEST_BASE + VMM_PAGE_SIZE - 1) >> PAGE_SHIFT);
	int rc = 0;

	if (end <= pfn_va(mm.heap_pfn_end) || end <= pfn_va(mm.boot_pages)) {
		local_irq_restore(flags);
		return 0;
	}
	while (rc == 0 && mm.heap_pfn_end < last) {
		rc = page_grow(mm.heap_pfn_end);
		if (rc == 0)
			mm.heap_pfn_end++;
	}
	local_irq_restore(flags);
	return rc;
}

void minios_heap_unmap(uintptr_t end)
{
	unsigned long flags = local_irq_save();
	uint32_t first = (uint32_t)((end - VMM_GUEST_BASE + VMM_PAGE_SIZE - 1) >> PAGE_SHIFT);

	if (first < mm.grow_first)
		first = mm.grow_first;
	while (mm.heap_pfn_end > first && page_shrink(mm.heap_pfn_end - 1) == 0)
		mm.heap_pfn_end--;
	local_irq_restore(flags);
}

void *minios_page_alloc(void)
{
	unsigned long flags = local_irq_save();
	uint32_t pfn;
	void *page = NULL;

	/* From the top of the growth region down; the heap grows up towards them. */
	for (pfn = mm.l2_floor; pfn-- > mm.heap_pfn_end;) {
		if (!pfn_backed(pfn)) {
			if (page_grow(pfn) == 0)
				page = (void *)pfn_va(pfn);
			break;
		}
	}
	local_irq_restore(flags);
	return page;
}

int minios_page_free(void *page)
{
	uintptr_t va = (uintptr_t)page;
	unsigned long flags;
	int rc;

	if (va < VMM_GUEST_BASE || (va & (VMM_PAGE_SIZE - 1)) != 0)
		return -1;
	flags = local_irq_save();
	rc = (uint32_t)((va - VMM_GUEST_BASE) >> PAGE_SHIFT) >= mm.heap_pfn_end ?
	     page_shrink((uint32_t)((va - VMM_GUEST_BASE) >> PAGE_SHIFT)) : -1;
	local_irq_restore(flags);
	return rc;
}

long minios_page_decrease(void *va)
{
	unsigned long flags = local_irq_save();
	long rc = reservation_one(VMM_MEMOP_decrease_reservation,
				  (uint32_t)(((uintptr_t)va - VMM_GUEST_BASE) >> PAGE_SHIFT), NULL);

	local_irq_restore(flags);
	return rc;
}

unsigned long minios_mm_grown_pages(void)
{
	return mm.grown;
}

unsigned long minios_mm_l2_frames(void)
{
	return mm.l2_frames;
}
