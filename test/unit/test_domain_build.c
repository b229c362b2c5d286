/*
 * The domain builder: memory from frames (contiguous or not), the initial
 * tables (sections or L2 tables, checked by walking them like the MMU),
 * frame types and counts, p2m/m2p consistency, the reservation limit, and
 * cleanup after every kind of failure.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "domain.h"
#include "domain_build.h"
#include "pt_check.h"
#include "pt_ops.h"
#include "vmm/mmu.h"
#include "fake_port.h"
#include "guest_access.h"
#include "mm.h"
#include "p2m.h"
#include "schedule.h"
#include "time.h"
#include "vmm/abi.h"

#define MIB (1u << 20)
#define MFN(phys) ((uint32_t)(phys) >> 12)
#define DOM_ID 3u

static struct domain *d;
static char why[128];

static void mm_boot(uint32_t window)
{
	struct arch_hv_layout lay;

	fake_reset();
	memset(&fake_mmu, 0, sizeof(fake_mmu));
	fake_window_size = window;
	arch_hv_layout(&lay);
	assert_int_equal(mm_init(vmm_board.ram, vmm_board.nr_ram_banks, &lay, why, sizeof(why)), 0);
}

static int setup(void **state)
{
	(void)state;
	mm_boot(FAKE_RAM_SIZE);
	d = calloc(1, sizeof(*d));
	d->id = DOM_ID;
	d->slot = 2;
	return 0;
}

static int setup_small_window(void **state)
{
	setup(state);
	mm_boot(16 * MIB);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(d);
	return 0;
}

/*
 * Takes every free frame, then gives back every other frame outside the
 * window (no two free frames touch there) and one aligned 64-frame run at
 * the window's end for the hypervisor's own needs (domain struct, p2m leaves,
 * tables).
 */
static void fragment_outside_window(void)
{
	uint32_t mfn, first = MFN(FAKE_RAM_BASE + fake_window_size), end = MFN(FAKE_RAM_BASE + FAKE_RAM_SIZE);

	while (mm_alloc(0, FRAME_OWNER_HYP, 0, &mfn) == 0)
		;
	for (mfn = first + 1; mfn < end; mfn += 2)
		assert_int_equal(mm_free(mfn, 0), 0);
	for (mfn = first - 64; mfn < first; mfn++)
		assert_int_equal(mm_free(mfn, 0), 0);
}

/* Guest memory sits at 0xC0000000: the guest-kernel ARM domain (vmm/mmu.h). */
#define KERNEL_DOMAIN (VMM_ARM_DOMAIN_GUEST_KERNEL << 5)

static const uint32_t *l1_of(const struct domain *dom)
{
	return fake_phys_ptr(dom->l1_mfn << 12);
}

/* Every pfn: owned, typed writable once (pfn 0, shared info, twice: the
 * hypervisor's hold too), m2p back to it, and the tables translate to it. */
static void check_memory_and_tables(const struct domain *dom)
{
	uint32_t pfn, e;
	const uint32_t *l1 = l1_of(dom);

	assert_int_equal(dom->tot_pages, dom->max_pages);
	for (pfn = 0; pfn < dom->max_pages; pfn++) {
		uint32_t mfn = domain_pfn_to_mfn(dom, pfn);
		const struct frame *f = mm_frame(mfn);

		assert_non_null(f);
		assert_int_equal(f->owner, dom->id);
		assert_int_equal(f->type, FRAME_TYPE_WRITABLE);
		assert_int_equal(f->u.use.type_count, pfn == 0 ? 2 : 1);
		assert_int_equal(f->u.use.refcount, pfn == 0 ? 2 : 1);
		assert_int_equal(mm_m2p(mfn), pfn);
		assert_int_equal(fake_walk(dom->l1_mfn << 12, VMM_GUEST_BASE + pfn * 4096 + 0x123),
				 (mfn << 12) + 0x123);
	}
	/* nothing mapped past the memory, nothing below it, hypervisor half copied */
	assert_int_equal(fake_walk(dom->l1_mfn << 12, VMM_GUEST_BASE + dom->max_pages * 4096), 0);
	for (e = 0; e < (VMM_GUEST_BASE >> 20); e++)
		assert_int_equal(l1[e], 0);
	for (e = FAKE_HV_FIRST_ENTRY; e < 4096; e++)
		assert_int_equal(l1[e], FAKE_HV_ENTRY(e));
	/* Every guest entry obeys the guest rules (pt_check) with the domain of its VA,
	 * so the validated page-table code can take the tables over. */
	for (e = 0; e < FAKE_HV_FIRST_ENTRY; e++) {
		struct pt_entry_info info;
		const char *why_not;
		uint32_t i;

		assert_int_equal(pt_check_l1e(l1[e], &info, &why_not), 0);
		if ((l1[e] & 3u) != 0)
			assert_int_equal(l1[e] & PT_DOMAIN_MASK, pt_arm_domain_of(e) << 5);
		if (info.kind == PT_KIND_TABLE) {
			const uint32_t *l2 = fake_phys_ptr(l1[e] & PT_TABLE_ADDR);

			for (i = 0; i < 256; i++)
				assert_int_equal(pt_check_l2e(l2[i], &info, &why_not), 0);
		}
	}
	/* L1: four aligned frames, typed L1 once (the pin), owned by the domain */
	assert_int_equal(dom->l1_mfn & 3, 0);
	for (e = 0; e < 4; e++) {
		const struct frame *f = mm_frame(dom->l1_mfn + e);
		assert_int_equal(f->owner, dom->id);
		assert_int_equal(f->type, FRAME_TYPE_L1);
		assert_int_equal(f->u.use.type_count, 1);
		assert_int_equal(mm_m2p(dom->l1_mfn + e), MM_PFN_NONE);
	}
	assert_int_equal(fake_mmu.l1_phys[dom->slot], dom->l1_mfn << 12);
	assert_int_equal(arch_temp_maps_in_use(), dom->shared && !mm_frame_linear(domain_pfn_to_mfn(dom, 0)) ? 1 : 0);
}

static void test_contiguous_memory_is_mapped_by_sections(void **state)
{
	uint32_t mib;
	const uint32_t *l1;

	(void)state;
	assert_int_equal(domain_mem_build(d, 4 * MIB, why, sizeof(why)), 0);
	check_memory_and_tables(d);
	l1 = l1_of(d);
	for (mib = 0; mib < 4; mib++) {
		uint32_t e = l1[(VMM_GUEST_BASE >> 20) + mib];
		assert_int_equal(e & 0xFFFFFu, DB_SECT_GUEST_RAM | KERNEL_DOMAIN);
		assert_int_equal((e & DB_SECT_BASE_MASK) >> 12, domain_pfn_to_mfn(d, mib * 256));
	}
	assert_int_equal(d->nr_pt_frames, 4);
	assert_non_null(d->shared);
	assert_ptr_equal(d->shared, fake_phys_ptr(domain_pfn_to_mfn(d, 0) << 12));
}

static void test_fragmented_memory_is_mapped_by_l2_tables(void **state)
{
	uint32_t pfn, breaks = 0, l2_mfn;
	const uint32_t *l1, *l2;
	const struct frame *f;

	(void)state;
	fragment_outside_window();
	assert_int_equal(domain_mem_build(d, 2 * MIB + 16 * 4096, why, sizeof(why)), 0);
	for (pfn = 1; pfn < d->max_pages; pfn++)
		breaks += domain_pfn_to_mfn(d, pfn) != domain_pfn_to_mfn(d, pfn - 1) + 1;
	assert_int_equal(breaks, d->max_pages - 1); /* no two pfns in adjacent frames */
	for (pfn = 0; pfn < d->max_pages; pfn++)
		assert_false(mm_frame_linear(domain_pfn_to_mfn(d, pfn)));
	check_memory_and_tables(d);
	/* three L2 tables (the last MiB partial), four to a frame: one frame */
	assert_int_equal(d->nr_pt_frames, 4 + 1);
	l1 = l1_of(d);
	l2_mfn = l1[VMM_GUEST_BASE >> 20] >> 12;
	assert_int_equal(l1[VMM_GUEST_BASE >> 20] & 0x3FFu, DB_L1_COARSE | KERNEL_DOMAIN);
	assert_int_equal(l1[(VMM_GUEST_BASE >> 20) + 1], (l2_mfn << 12) + 1024 + (DB_L1_COARSE | KERNEL_DOMAIN));
	assert_int_equal(l1[(VMM_GUEST_BASE >> 20) + 2], (l2_mfn << 12) + 2048 + (DB_L1_COARSE | KERNEL_DOMAIN));
	assert_int_equal(l1[(VMM_GUEST_BASE >> 20) + 3], 0);
	f = mm_frame(l2_mfn);
	assert_int_equal(f->owner, DOM_ID);
	assert_int_equal(f->type, FRAME_TYPE_L2);
	assert_int_equal(f->u.use.type_count, 1 + 3); /* the pin + three L1 entries */
	assert_int_equal(f->u.use.refcount, 0);
	assert_true(mm_frame_linear(l2_mfn));
	l2 = fake_phys_ptr(l2_mfn << 12);
	assert_int_equal(l2[5], (domain_pfn_to_mfn(d, 5) << 12) | DB_L2_GUEST_RAM);
	assert_int_equal(l2[512 + 15], (domain_pfn_to_mfn(d, 512 + 15) << 12) | DB_L2_GUEST_RAM);
	assert_int_equal(l2[512 + 16], 0);  /* past the memory */
	assert_int_equal(l2[768], 0);       /* the frame's fourth table is unused */
	/* shared info is outside the window: kept mapped through a temporary slot */
	assert_int_equal(arch_temp_maps_in_use(), 1);
	assert_true(fake_mmu.cleaned_bytes >= 16384 + 3 * 1024);
	/* the whole L2 frame, its unused fourth table included, is visible to
	 * the walker as scrubbed (the guest may point an L1 entry at it) */
	assert_int_equal(fake_mmu.table_sync_bytes, 4096);
}

static void test_teardown_returns_everything(void **state)
{
	uint32_t before = mm_free_frames(), pfn, mfn0;

	(void)state;
	fragment_outside_window();
	before = mm_free_frames();
	assert_int_equal(domain_mem_build(d, 2 * MIB, why, sizeof(why)), 0);
	mfn0 = domain_pfn_to_mfn(d, 0);
	domain_mem_teardown(d);
	assert_int_equal(mm_free_frames(), before);
	assert_int_equal(arch_temp_maps_in_use(), 0);
	assert_null(d->p2m.dir);
	assert_int_equal(d->tot_pages, 0);
	assert_int_equal(d->nr_pt_frames, 0);
	assert_int_equal(mm_m2p(mfn0), MM_PFN_NONE);
	assert_int_equal(mm_frame(mfn0)->owner, FRAME_OWNER_FREE);
	(void)pfn;
	domain_mem_teardown(d); /* twice is harmless */
	assert_int_equal(mm_free_frames(), before);
}

/*
 * After the guest changed its tables through pt_table (a MiB unmapped, an
 * L2 pinned in its own frame and hooked into two L1s, a page mapped, a new
 * L1 as its base, the builder's L1 unpinned), teardown still returns every
 * frame: the page-table state and domain_mem_teardown() agree.
 */
static void test_teardown_after_guest_changed_tables(void **state)
{
	uint32_t before, l1, l2, new_l1, page;
	const uint32_t *tab;

	(void)state;
	before = mm_free_frames();
	assert_int_equal(domain_mem_build(d, 2 * MIB, why, sizeof(why)), 0);
	l1 = d->l1_mfn;
	tab = l1_of(d);
	assert_int_equal(tab[(VMM_GUEST_BASE >> 20) + 1] & 3u, DB_L1_SECTION);
	assert_ptr_equal(d->pt.ops, &pt_domain_ops);
	assert_int_equal(d->pt.base_mfn, l1);
	l2 = domain_pfn_to_mfn(d, 256);
	page = domain_pfn_to_mfn(d, 257);
	new_l1 = domain_pfn_to_mfn(d, 260);
	assert_int_equal(pt_update(&d->pt, (l1 << 12) + 4 * ((VMM_GUEST_BASE >> 20) + 1), 0), 0);
	assert_int_equal(pt_pin_l2(&d->pt, l2), 0);
	assert_int_equal(pt_update(&d->pt, (l1 << 12) + 4 * 0x400, (l2 << 12) | VMM_PTE_L1_TABLE), 0);
	assert_int_equal(pt_update_va(&d->pt, 0x40000000u, (page << 12) | VMM_PTE_L2_SMALL |
				      VMM_PTE_SMALL_NORMAL | VMM_PTE_SMALL_RW | VMM_PTE_SMALL_NG), 0);
	assert_int_equal(pt_pin_l1(&d->pt, new_l1), 0);
	assert_int_equal(pt_update(&d->pt, (new_l1 << 12) + 4 * 0x400, (l2 << 12) | VMM_PTE_L1_TABLE), 0);
	assert_int_equal(pt_set_base(&d->pt, new_l1), 0);
	assert_int_equal(fake_mmu.l1_phys[d->slot], new_l1 << 12);
	assert_int_equal(pt_unpin(&d->pt, l1), 0);
	assert_int_equal(mm_frame(l2)->u.use.type_count, 2);
	assert_int_equal(mm_frame(page)->u.use.refcount, 1);
	domain_mem_teardown(d);
	assert_int_equal(mm_free_frames(), before);
	assert_int_equal(d->nr_pt_frames, 0);
	assert_int_equal(mm_frame(l1)->owner, FRAME_OWNER_FREE);
	assert_int_equal(mm_frame(new_l1)->owner, FRAME_OWNER_FREE);
	assert_int_equal(mm_frame(l2)->owner, FRAME_OWNER_FREE);
	assert_int_equal(mm_frame(page)->owner, FRAME_OWNER_FREE);
	assert_null(d->pt.ops);
}

static void test_not_enough_ram_fails_cleanly(void **state)
{
	uint32_t before = mm_free_frames();
	uint32_t mem = (before / 256 + 1) * MIB; /* one MiB more than free */

	(void)state;
	assert_int_equal(domain_mem_build(d, mem, why, sizeof(why)), -VMM_ENOMEM);
	assert_non_null(strstr(why, "not enough free RAM"));
	assert_int_equal(mm_free_frames(), before);
	assert_null(d->p2m.dir);
	assert_int_equal(arch_temp_maps_in_use(), 0);
}

static void test_no_table_memory_fails_cleanly(void **state)
{
	uint32_t mfn, before, n = 0;

	(void)state;
	/* leave the window four frames: the p2m leaf (1 MiB is a quarter of a p2m block), the
	 * block of frame entries and the m2p chunk of the memory outside the window (two
	 * frames, one) fit, the L1 does not */
	while (mm_alloc(0, FRAME_OWNER_HYP, MM_LINEAR, &mfn) == 0)
		n++;
	for (mfn = MFN(FAKE_RAM_BASE + 16 * MIB) - 4; mfn < MFN(FAKE_RAM_BASE + 16 * MIB); mfn++)
		assert_int_equal(mm_free(mfn, 0), 0);
	before = mm_free_frames();
	assert_int_equal(domain_mem_build(d, MIB, why, sizeof(why)), -VMM_ENOMEM);
	assert_non_null(strstr(why, "page tables"));
	assert_int_equal(mm_free_frames(), before);
	assert_int_equal(arch_temp_maps_in_use(), 0);
	assert_true(n > 0);
}

static void test_reservation_limits(void **state)
{
	uint32_t p2m[8], i;

	(void)state;
	assert_int_equal(p2m_init(&d->p2m, 8), 0);
	d->max_pages = 8;
	d->tot_pages = 0;
	assert_int_equal(domain_mem_take(d, 8, 0), -VMM_EINVAL);   /* first pfn past the end */
	assert_int_equal(domain_mem_take(d, 1, 1), -VMM_EINVAL);   /* not aligned to the order */
	assert_int_equal(domain_mem_take(d, 0, 4), -VMM_EINVAL);   /* 16 frames, 8 pfns */
	assert_int_equal(domain_mem_take(d, 0, FRAME_MAX_ORDER + 1), -VMM_EINVAL);
	assert_int_equal(domain_mem_take(d, 0, 3), 0);             /* all 8: last that fits */
	assert_int_equal(d->tot_pages, 8);
	for (i = 0; i < 8; i++) {
		p2m[i] = domain_pfn_to_mfn(d, i);
		assert_int_equal(mm_m2p(p2m[i]), i);
	}
	assert_int_equal(domain_mem_take(d, 7, 0), -VMM_EBUSY);    /* populated */
	/* give pfn 7 back by hand: one frame free in the reservation */
	assert_int_equal(mm_free(p2m[7], 0), 0);
	assert_int_equal(p2m_set(&d->p2m, 7, 1, MM_PFN_NONE), 0);
	d->tot_pages = 7;
	d->max_pages = 7 + 0; /* the reservation shrank meanwhile: nothing may be taken */
	assert_int_equal(domain_mem_take(d, 6, 0), -VMM_EBUSY);
	d->max_pages = 8;
	d->tot_pages = 8; /* at the limit (e.g. counted elsewhere): refused */
	assert_int_equal(domain_mem_take(d, 7, 0), -VMM_ENOMEM);
	d->tot_pages = 7;
	assert_int_equal(domain_mem_take(d, 7, 0), 0);
	p2m[7] = domain_pfn_to_mfn(d, 7);
	assert_int_not_equal(p2m[7], MM_PFN_NONE);
	assert_int_equal(domain_pfn_to_mfn(d, 8), MM_PFN_NONE);
	/* a run one frame longer than the pfns left */
	d->max_pages = 7;
	assert_int_equal(domain_mem_take(d, 0, 3), -VMM_EINVAL);
	d->max_pages = 8;
	for (i = 0; i < 8; i++)
		assert_int_equal(mm_free(p2m[i], 0), 0);
	p2m_destroy(&d->p2m);
	assert_int_equal(domain_mem_take(d, 0, 0), -VMM_EINVAL);
}

/*
 * domain_mem_take() of part of a p2m block: the leaf (a window frame) is
 * taken before the data frame, and given back if the data frame or its m2p
 * page cannot be had. RAM: a 16 MiB window, the rest outside.
 */
static void test_take_refused_for_its_leaf_changes_nothing(void **state)
{
	static uint32_t held[FAKE_RAM_SIZE >> 12];
	uint32_t n = 0, x, i, o = MM_PFN_NONE, o2 = MM_PFN_NONE, w = MM_PFN_NONE, free1, win_end;

	(void)state;
	win_end = MFN(FAKE_RAM_BASE + 16 * MIB);
	assert_int_equal(p2m_init(&d->p2m, 2048), 0);
	d->max_pages = 2048;
	d->tot_pages = 0;
	/* a domain frame outside the window with a pfn: its chunk has its m2p page */
	assert_int_equal(mm_alloc(0, DOM_ID, MM_OUTSIDE, &x), 0);
	assert_int_equal(mm_m2p_set(x, 1500), 0);
	/* everything else taken; then one frame of x's chunk, one of another
	 * outside chunk (no m2p page) and one of the window are kept at hand */
	while (mm_alloc(0, FRAME_OWNER_HYP, 0, &held[n]) == 0)
		n++;
	for (i = 0; i < n; i++) {
		if (o == MM_PFN_NONE && held[i] >= win_end && held[i] >> 10 == x >> 10)
			o = held[i];
		else if (o2 == MM_PFN_NONE && held[i] >= win_end && held[i] >> 10 != x >> 10)
			o2 = held[i];
		else if (w == MM_PFN_NONE && held[i] < win_end)
			w = held[i];
	}
	assert_int_not_equal(o, MM_PFN_NONE);
	assert_int_not_equal(o2, MM_PFN_NONE);
	assert_int_not_equal(w, MM_PFN_NONE);
	/* a data frame with its m2p page, no window frame for the leaf */
	assert_int_equal(mm_free(o, 0), 0);
	free1 = mm_free_frames();
	assert_int_equal(domain_mem_take(d, 5, 0), -VMM_ENOMEM);
	assert_int_equal(mm_free_frames(), free1);
	assert_int_equal(d->tot_pages, 0);
	assert_int_equal(d->p2m.nr_leaves, 0);
	assert_int_equal(domain_pfn_to_mfn(d, 5), MM_PFN_NONE);
	assert_int_equal(mm_alloc(0, FRAME_OWNER_HYP, 0, &o), 0);
	/* a window frame for the leaf, no data frame: the leaf goes back */
	assert_int_equal(mm_free(w, 0), 0);
	free1 = mm_free_frames();
	assert_int_equal(domain_mem_take(d, 5, 0), -VMM_ENOMEM);
	assert_int_equal(mm_free_frames(), free1);
	assert_int_equal(d->p2m.nr_leaves, 0);
	assert_int_equal(d->p2m.dir[0], P2M_EMPTY);
	/* a window frame for the leaf, a data frame without an m2p page (which
	 * the window cannot give once the leaf took its frame): the leaf goes back */
	assert_int_equal(mm_free(o2, 0), 0);
	free1 = mm_free_frames();
	assert_int_equal(domain_mem_take(d, 5, 0), -VMM_ENOMEM);
	assert_int_equal(mm_free_frames(), free1);
	assert_int_equal(d->p2m.nr_leaves, 0);
	assert_int_equal(d->p2m.dir[0], P2M_EMPTY);
	assert_int_equal(d->tot_pages, 0);
	assert_int_equal(mm_frame(o2)->owner, FRAME_OWNER_FREE);
	/* with both: taken */
	assert_int_equal(mm_free(o, 0), 0);
	assert_int_equal(domain_mem_take(d, 5, 0), 0);
	assert_int_equal(domain_pfn_to_mfn(d, 5), o);
	assert_int_equal(d->p2m.nr_leaves, 1);
	assert_int_equal(d->tot_pages, 1);
	/* out of range, however far: no frame */
	assert_int_equal(domain_pfn_to_mfn(d, 2048), MM_PFN_NONE);
	assert_int_equal(domain_pfn_to_mfn(d, 1u << 20), MM_PFN_NONE);
	assert_int_equal(domain_pfn_to_mfn(d, UINT32_MAX), MM_PFN_NONE);
	(void)x;
}

/* A domain with a size but no p2m (before the build, after teardown): nothing is backed. */
static void test_guest_access_without_a_p2m(void **state)
{
	uint32_t v = 0x1234, buf[2];

	(void)state;
	d->mem_size = MIB;
	d->max_pages = MIB >> 12;
	assert_null(d->p2m.dir);
	assert_false(guest_range_accessible(d, VMM_GUEST_BASE, 4));
	assert_false(guest_range_writable(d, VMM_GUEST_BASE + 8, 4));
	assert_int_equal(guest_copy_from(d, buf, VMM_GUEST_BASE, sizeof(buf)), -VMM_EFAULT);
	assert_int_equal(guest_read_u32(d, VMM_GUEST_BASE + 4, &v), -VMM_EFAULT);
	assert_int_equal(v, 0x1234);
	assert_null(guest_page_map(d, VMM_GUEST_BASE, 4, false));
	assert_int_equal(domain_pfn_to_mfn(d, 0), MM_PFN_NONE);
	assert_true(guest_range_accessible(d, VMM_GUEST_BASE, 0)); /* empty: nothing to back */
}

/*
 * Machine-contiguous but not 1 MiB aligned: frames X+128..X+383 (X 1 MiB
 * aligned) freed so that the allocator hands out X+128 first, then X+256.
 * The MiB must get an L2 table, not a section (a section cannot start there).
 */
static void test_unaligned_contiguous_mib_is_not_a_section(void **state)
{
	uint32_t mfn, x = MFN(FAKE_RAM_BASE + 32 * MIB), i;

	(void)state;
	while (mm_alloc(0, FRAME_OWNER_HYP, 0, &mfn) == 0)
		;
	for (mfn = MFN(FAKE_RAM_BASE + 16 * MIB) - 64; mfn < MFN(FAKE_RAM_BASE + 16 * MIB); mfn++)
		assert_int_equal(mm_free(mfn, 0), 0); /* the hypervisor's share in the window */
	for (i = 384; i-- > 128;)
		assert_int_equal(mm_free(x + i, 0), 0);
	assert_int_equal(domain_mem_build(d, MIB, why, sizeof(why)), 0);
	for (i = 0; i < 256; i++)
		assert_int_equal(domain_pfn_to_mfn(d, i), x + 128 + i);
	assert_int_equal(l1_of(d)[VMM_GUEST_BASE >> 20] & 3u, DB_L1_COARSE);
	check_memory_and_tables(d);
}

/* ------------------------------------------------- through domain_create */

static uint8_t elf[52 + 32 + 16];

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void build_elf(void)
{
	memset(elf, 0, sizeof(elf));
	memcpy(elf, "\x7f" "ELF", 4);
	elf[4] = 1;
	elf[5] = 1;
	elf[6] = 1;
	elf[16] = 2;
	elf[18] = 40;
	elf[20] = 1;
	put32(elf + 24, 0xC0008000u);
	elf[28] = 52;
	elf[40] = 52;
	elf[42] = 32;
	elf[44] = 1;
	put32(elf + 52, 1);
	put32(elf + 56, 84);
	put32(elf + 60, 0xC0008000u);
	put32(elf + 64, 0xC0008000u);
	put32(elf + 68, 16);
	put32(elf + 72, 0x100);
	memset(elf + 84, 0xe7, 16);
}

static void test_create_on_fragmented_memory_outside_window(void **state)
{
	struct vmm_domain_config cfg = { .name = "frag", .mem_size = MIB, .cmdline = "x=1" };
	const struct vmm_start_info *si;
	const uint32_t *list;
	struct domain *dom;
	uint8_t buf[64], back[64];
	uint32_t i, mfn_saved;

	(void)state;
	build_elf();
	cfg.image = elf;
	cfg.image_end = elf + sizeof(elf);
	time_init();
	schedule_init(0, 0, 0);
	fragment_outside_window();
	dom = domain_create(&cfg);
	assert_non_null(dom);
	check_memory_and_tables(dom);
	assert_int_equal(fake_mmu.window_opens, 1);
	assert_null(fake_mmu.window);
	/* the segment landed in pfn 8's frame, its bss zeroed */
	assert_int_equal(((uint8_t *)fake_phys_ptr(domain_pfn_to_mfn(dom, 8) << 12))[0], 0xe7);
	assert_int_equal(((uint8_t *)fake_phys_ptr(domain_pfn_to_mfn(dom, 8) << 12))[15], 0xe7);
	assert_int_equal(((uint8_t *)fake_phys_ptr(domain_pfn_to_mfn(dom, 8) << 12))[16], 0);
	/* start info: where the p2m list is (next page after the image) and its content */
	si = fake_phys_ptr(domain_pfn_to_mfn(dom, 1) << 12);
	assert_string_equal(si->magic, VMM_START_INFO_MAGIC);
	assert_string_equal(si->cmd_line, "x=1");
	assert_int_equal(si->p2m_list, VMM_GUEST_BASE + 0x9000);
	assert_int_equal(si->pt_base_mfn, dom->l1_mfn);
	list = fake_phys_ptr(domain_pfn_to_mfn(dom, 9) << 12);
	for (i = 0; i < 256; i++)
		assert_int_equal(list[i], domain_pfn_to_mfn(dom, i));
	/* hypercall-side copies across a page boundary between unrelated frames */
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 7 + 1);
	assert_int_equal(guest_copy_to(dom, VMM_GUEST_BASE + 0x20000 - 30, buf, sizeof(buf)), 0);
	assert_int_equal(((uint8_t *)fake_phys_ptr(domain_pfn_to_mfn(dom, 0x1f) << 12))[4095], buf[29]);
	assert_int_equal(((uint8_t *)fake_phys_ptr(domain_pfn_to_mfn(dom, 0x20) << 12))[0], buf[30]);
	assert_int_equal(guest_copy_from(dom, back, VMM_GUEST_BASE + 0x20000 - 30, sizeof(back)), 0);
	assert_memory_equal(buf, back, sizeof(buf));
	assert_int_equal(guest_copy_from(dom, back, VMM_GUEST_BASE + MIB - 30, 31), -VMM_EFAULT);
	assert_int_equal(guest_copy_from(dom, back, VMM_GUEST_BASE + MIB - 30, 30), 0);
	assert_int_equal(arch_temp_maps_in_use(), 1); /* shared info only */
	/* a pfn without a frame (as after giving memory back) is not accessible */
	mfn_saved = domain_pfn_to_mfn(dom, 0x20);
	assert_int_equal(p2m_set(&dom->p2m, 0x20, 1, MM_PFN_NONE), 0);
	assert_false(guest_range_accessible(dom, VMM_GUEST_BASE + 0x20000 - 30, 31));
	assert_true(guest_range_accessible(dom, VMM_GUEST_BASE + 0x20000 - 30, 30));
	assert_int_equal(guest_copy_to(dom, VMM_GUEST_BASE + 0x20000 - 30, buf, sizeof(buf)), -VMM_EFAULT);
	assert_int_equal(p2m_set(&dom->p2m, 0x20, 1, mfn_saved), 0);
	/* the shared-info page is the guest's pfn 0 */
	assert_ptr_equal(dom->shared, fake_phys_ptr(domain_pfn_to_mfn(dom, 0) << 12));
}

/*
 * The first frame of a MiB is 1 MiB aligned but the others are scattered:
 * an L2 table again (a section needs the whole aligned run).
 */
static void test_aligned_but_scattered_mib_is_not_a_section(void **state)
{
	uint32_t mfn, x = MFN(FAKE_RAM_BASE + 32 * MIB), i;

	(void)state;
	while (mm_alloc(0, FRAME_OWNER_HYP, 0, &mfn) == 0)
		;
	for (mfn = MFN(FAKE_RAM_BASE + 16 * MIB) - 64; mfn < MFN(FAKE_RAM_BASE + 16 * MIB); mfn++)
		assert_int_equal(mm_free(mfn, 0), 0);
	for (i = 0; i < 300; i++)
		assert_int_equal(mm_free(x + 1024 + 2 * i + 1, 0), 0);
	assert_int_equal(mm_free(x, 0), 0); /* freed last: handed out first, to pfn 0 */
	assert_int_equal(domain_mem_build(d, MIB, why, sizeof(why)), 0);
	assert_int_equal(domain_pfn_to_mfn(d, 0), x);
	assert_int_equal(l1_of(d)[VMM_GUEST_BASE >> 20] & 3u, DB_L1_COARSE);
	check_memory_and_tables(d);
}

/* An image whose bss reaches the last KiB: no room for the 1 KiB list after it. */
static void test_p2m_list_only_if_it_fits(void **state)
{
	struct vmm_domain_config cfg = { .name = "full", .mem_size = MIB };
	const struct vmm_start_info *si;
	struct domain *dom;

	(void)state;
	build_elf();
	put32(elf + 72, MIB - 0x8000 - 0xC00); /* p_memsz: ends at base + 1 MiB - 3 KiB */
	cfg.image = elf;
	cfg.image_end = elf + sizeof(elf);
	time_init();
	schedule_init(0, 0, 0);
	dom = domain_create(&cfg);
	assert_non_null(dom);
	si = fake_phys_ptr(domain_pfn_to_mfn(dom, 1) << 12);
	assert_int_equal(si->image_end, VMM_GUEST_BASE + MIB - 0xC00);
	assert_int_equal(si->p2m_list, 0);
	/* last fit: the list (1 KiB) exactly fills the last page's first KiB */
	put32(elf + 72, MIB - 0x8000 - 0x1000);
	cfg.name = "fits";
	dom = domain_create(&cfg);
	assert_non_null(dom);
	si = fake_phys_ptr(domain_pfn_to_mfn(dom, 1) << 12);
	assert_int_equal(si->p2m_list, VMM_GUEST_BASE + MIB - 0x1000);
	assert_int_equal(((uint32_t *)fake_phys_ptr(domain_pfn_to_mfn(dom, 255) << 12))[255],
			 domain_pfn_to_mfn(dom, 255));
}

static void test_create_with_bad_image_returns_everything(void **state)
{
	static uint8_t junk[64];
	struct vmm_domain_config cfg = { .name = "junk", .image = junk, .image_end = junk + sizeof(junk),
					 .mem_size = 2 * MIB };
	uint32_t before;

	(void)state;
	time_init();
	schedule_init(0, 0, 0);
	fragment_outside_window();
	before = mm_free_frames();
	assert_null(domain_create(&cfg));
	assert_int_equal(mm_free_frames(), before);
	assert_int_equal(arch_temp_maps_in_use(), 0);
	assert_null(fake_mmu.window);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_contiguous_memory_is_mapped_by_sections, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fragmented_memory_is_mapped_by_l2_tables, setup_small_window, teardown),
		cmocka_unit_test_setup_teardown(test_teardown_after_guest_changed_tables, setup, teardown),
		cmocka_unit_test_setup_teardown(test_teardown_returns_everything, setup_small_window, teardown),
		cmocka_unit_test_setup_teardown(test_not_enough_ram_fails_cleanly, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_table_memory_fails_cleanly, setup_small_window, teardown),
		cmocka_unit_test_setup_teardown(test_reservation_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unaligned_contiguous_mib_is_not_a_section, setup_small_window, teardown),
		cmocka_unit_test_setup_teardown(test_p2m_list_only_if_it_fits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_guest_access_without_a_p2m, setup, teardown),
		cmocka_unit_test_setup_teardown(test_take_refused_for_its_leaf_changes_nothing, setup_small_window,
						teardown),
		cmocka_unit_test_setup_teardown(test_aligned_but_scattered_mib_is_not_a_section, setup_small_window, teardown),
		cmocka_unit_test_setup_teardown(test_create_on_fragmented_memory_outside_window, setup_small_window, teardown),
		cmocka_unit_test_setup_teardown(test_create_with_bad_image_returns_everything, setup_small_window, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
