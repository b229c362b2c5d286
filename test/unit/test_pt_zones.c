/*
 * Guest page tables over several RAM zones (core/mm.c keeps one frame
 * table per zone): tables, L2 tables and mapped frames in different zones,
 * a section whose frames lie in two adjacent zones (all or nothing across
 * both), holes between banks refused, and the per-space lookup hint that
 * keeps the zone search off the per-frame path.
 *
 * Layout (machine frames):
 *   zone A [0x40000, 0x40080)  domain 1
 *   zone B [0x40080, 0x40200)  domain 1, except 0x401FF (domain 2)
 *   hole   [0x40200, 0x80000)
 *   zone C [0x80000, 0x80040)  domain 1, except 0x8003F (hypervisor)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "frametable.h"
#include "pt_check.h"
#include "pt_table.h"
#include "vmm/abi.h"
#include "vmm/mmu.h"

#define DOM 1u
#define OTHER 2u
#define HV_FIRST (VMM_HYPERVISOR_VA_BASE >> 20)

struct zone {
	uint32_t base, nr;
	struct frame_table ft;
	struct frame frames[0x200]; /* from the zone's first chunk on: frames[z->base % 1024 + i] */
	struct frame_chunk dir[2];
	uint8_t mem[0x180 * 4096];
};

static struct zone zones[3] = {
	{ .base = 0x40000, .nr = 0x80 },
	{ .base = 0x40080, .nr = 0x180 },
	{ .base = 0x80000, .nr = 0x40 },
};
static unsigned int lookups;
static struct pt_space sp;
static uint32_t hv_l1[PT_L1_ENTRIES - HV_FIRST];

static struct zone *zone_of(uint32_t mfn)
{
	unsigned int i;

	for (i = 0; i < 3; i++)
		if (mfn - zones[i].base < zones[i].nr)
			return &zones[i];
	return NULL;
}

static struct frame_table *table(uint32_t mfn)
{
	struct zone *z = zone_of(mfn);

	lookups++;
	return z ? &z->ft : NULL;
}

static uint8_t *at(uint32_t maddr)
{
	struct zone *z = zone_of(maddr >> 12);

	assert_non_null(z);
	return &z->mem[maddr - (z->base << 12)];
}

static uint32_t rd(void *ctx, uint32_t maddr)
{
	uint32_t v;

	(void)ctx;
	memcpy(&v, at(maddr), 4);
	return v;
}

static void wr(void *ctx, uint32_t maddr, uint32_t val)
{
	(void)ctx;
	memcpy(at(maddr), &val, 4);
}

static void nop(void *ctx) { (void)ctx; }
static void nop_va(void *ctx, uint32_t va) { (void)ctx; (void)va; }
static void nop_sync(void *ctx, uint32_t m, uint32_t l) { (void)ctx; (void)m; (void)l; }
static void nop_entry(void *ctx, const uint32_t *hv) { (void)ctx; (void)hv; }
static int no_copy_from(void *ctx, void *d, uint32_t va, uint32_t l)
{
	(void)ctx; (void)d; (void)va; (void)l;
	return -VMM_EFAULT;
}
static int no_copy_to(void *ctx, uint32_t va, const void *s, uint32_t l)
{
	(void)ctx; (void)va; (void)s; (void)l;
	return -VMM_EFAULT;
}

static const struct pt_ops ops = {
	.read = rd, .write = wr, .flush_all = nop, .flush_va = nop_va, .set_base = nop_va,
	.sync_icache = nop_sync, .sync_entry = nop_entry, .sync_table = nop_sync, .copy_from = no_copy_from, .copy_to = no_copy_to,
};

static void scrub(uint32_t mfn) { (void)mfn; }

static int setup(void **state)
{
	unsigned int i, j;

	(void)state;
	for (i = 0; i < 3; i++) {
		struct zone *z = &zones[i];

		memset(z->mem, 0, sizeof(z->mem));
		assert_int_equal(frame_table_init(&z->ft, z->dir, z->frames, z->base, z->nr, scrub), 0);
		for (j = 0; j < z->nr; j++)
			frame_get(&z->ft, z->base + j)->owner = DOM;
	}
	frame_get(&zones[1].ft, zones[1].base + zones[1].nr - 1)->owner = OTHER;
	frame_get(&zones[2].ft, zones[2].base + zones[2].nr - 1)->owner = FRAME_OWNER_HYP;
	for (i = 0; i < PT_L1_ENTRIES - HV_FIRST; i++)
		hv_l1[i] = ((HV_FIRST + i) << 20) | 0x412u;
	pt_space_init(&sp, table, &ops, NULL, hv_l1, HV_FIRST, DOM);
	lookups = 0;
	return 0;
}

static struct frame *fr(uint32_t mfn)
{
	return frame_get(table(mfn), mfn);
}

static uint32_t small(uint32_t mfn, bool rw)
{
	return (mfn << 12) | VMM_PTE_L2_SMALL | VMM_PTE_SMALL_NORMAL | VMM_PTE_SMALL_NG |
	       (rw ? VMM_PTE_SMALL_RW : VMM_PTE_SMALL_RO);
}

static uint32_t section(uint32_t mfn)
{
	return (mfn << 12) | VMM_PTE_L1_SECTION | VMM_PTE_SECT_NORMAL | VMM_PTE_SECT_NG | VMM_PTE_SECT_RW;
}

/* L1 in zone A, L2 in zone C, the page it maps in zone B: each counted in its own table. */
static void test_tables_and_pages_in_three_zones(void **state)
{
	const uint32_t l1 = 0x40000, l2 = 0x80000, page = 0x40100;

	(void)state;
	assert_int_equal(pt_pin_l1(&sp, l1), 0);
	assert_int_equal(pt_pin_l2(&sp, l2), 0);
	assert_int_equal(pt_update(&sp, l1 << 12, (l2 << 12) | VMM_PTE_L1_TABLE), 0);
	assert_int_equal(fr(l2)->type, FRAME_TYPE_L2);
	assert_int_equal(fr(l2)->u.use.type_count, 2);
	assert_int_equal(pt_set_base(&sp, l1), 0);
	assert_int_equal(pt_update_va(&sp, 0x00001000u, small(page, true)), 0);
	assert_int_equal(rd(NULL, (l2 << 12) + 4), small(page, true));
	assert_int_equal(fr(page)->type, FRAME_TYPE_WRITABLE);
	assert_int_equal(fr(page)->u.use.refcount, 1);
	/* A frame of zone C the hypervisor owns, one of zone B another domain owns. */
	assert_int_equal(pt_update_va(&sp, 0x00002000u, small(0x8003F, false)), -VMM_EPERM);
	assert_int_equal(pt_update_va(&sp, 0x00002000u, small(0x401FF, false)), -VMM_EPERM);
	/* The L2 frame (zone C) cannot be mapped writable; read-only it can. */
	assert_int_equal(pt_update_va(&sp, 0x00002000u, small(l2, true)), -VMM_EBUSY);
	assert_int_equal(pt_update_va(&sp, 0x00002000u, small(l2, false)), 0);
	assert_int_equal(fr(l2)->u.use.refcount, 1);
	/* Back to nothing. */
	assert_int_equal(pt_update_va(&sp, 0x00001000u, 0), 0);
	assert_int_equal(pt_update_va(&sp, 0x00002000u, 0), 0);
	assert_int_equal(pt_update(&sp, l1 << 12, 0), 0);
	sp.base_mfn = PT_NO_BASE;
	assert_int_equal(pt_unpin(&sp, l1), 0);
	assert_int_equal(pt_unpin(&sp, l2), 0);
	assert_int_equal(fr(page)->u.use.refcount, 0);
	assert_int_equal(fr(page)->u.use.type_count, 0);
	assert_int_equal(fr(l2)->u.use.type_count, 0);
	assert_int_equal(fr(l1)->u.use.type_count, 0);
}

/* A section at 0x40000 covers 0x80 frames of zone A and 0x80 of zone B. */
static void test_section_across_two_zones(void **state)
{
	const uint32_t l1 = 0x40100;
	unsigned int i;

	(void)state;
	assert_int_equal(pt_pin_l1(&sp, l1), 0);
	assert_int_equal(pt_update(&sp, (l1 << 12) + 8, section(0x40000)), 0);
	for (i = 0; i < 256; i++) {
		assert_int_equal(fr(0x40000 + i)->u.use.refcount, 1);
		assert_int_equal(fr(0x40000 + i)->type, FRAME_TYPE_WRITABLE);
	}
	/* A second entry for the same MiB: both zones count two mappings. */
	assert_int_equal(pt_update(&sp, (l1 << 12) + 12, section(0x40000)), 0);
	assert_int_equal(fr(0x40000)->u.use.refcount, 2);
	assert_int_equal(fr(0x400FF)->u.use.type_count, 2);
	assert_int_equal(pt_update(&sp, (l1 << 12) + 8, 0), 0);
	assert_int_equal(pt_update(&sp, (l1 << 12) + 12, 0), 0);
	for (i = 0; i < 256; i++) {
		assert_int_equal(fr(0x40000 + i)->u.use.refcount, 0);
		assert_int_equal(fr(0x40000 + i)->u.use.type_count, 0);
	}
	assert_int_equal(pt_unpin(&sp, l1), 0);
}

/* Last frame of zone B is another domain's: a section over it fails, zone A keeps no count. */
static void test_section_refused_at_last_frame_leaves_both_zones(void **state)
{
	const uint32_t l1 = 0x80000;
	unsigned int i;

	(void)state;
	assert_int_equal(pt_pin_l1(&sp, l1), 0);
	/* 0x40100..0x401FF: zone B only, its last frame is OTHER's. */
	assert_int_equal(pt_update(&sp, l1 << 12, section(0x40100)), -VMM_EPERM);
	for (i = 0; i < 256; i++)
		assert_int_equal(fr(0x40100 + i)->u.use.refcount, 0);
	assert_int_equal(rd(NULL, l1 << 12), 0);
	assert_int_equal(pt_unpin(&sp, l1), 0);
}

/* Frames in the hole between banks and past the last zone are nobody's. */
static void test_hole_and_end_refused(void **state)
{
	(void)state;
	assert_int_equal(pt_pin_l2(&sp, 0x40200), -VMM_EPERM);   /* first frame of the hole */
	assert_int_equal(pt_pin_l2(&sp, 0x7FFFF), -VMM_EPERM);   /* last frame of the hole */
	assert_int_equal(pt_pin_l2(&sp, 0x80040), -VMM_EPERM);   /* past zone C */
	assert_int_equal(pt_pin_l2(&sp, 0x401FE), 0);            /* last domain frame of zone B */
	assert_int_equal(pt_pin_l2(&sp, 0x8003E), 0);            /* last domain frame of zone C */
	assert_int_equal(pt_update(&sp, 0x401FE000u, small(0x40200, false)), -VMM_EPERM);
	assert_int_equal(pt_update(&sp, 0x401FE000u, small(0x8003E, false)), 0);
	assert_int_equal(pt_update(&sp, 0x401FE000u, 0), 0);
	assert_int_equal(pt_unpin(&sp, 0x401FE), 0);
	assert_int_equal(pt_unpin(&sp, 0x8003E), 0);
}

/* The hint: a section inside one zone searches the zones once, not per frame. */
static void test_lookup_hint_once_per_zone(void **state)
{
	const uint32_t l1 = 0x40100;

	(void)state;
	assert_int_equal(pt_pin_l1(&sp, l1), 0);
	lookups = 0;
	assert_int_equal(pt_update(&sp, (l1 << 12) + 8, section(0x40000)), 0);
	/* 256 frames over zones A and B, each walked twice (owners, then counts):
	 * a search per zone change, not per frame. */
	assert_in_range(lookups, 1, 8);
	assert_int_equal(pt_update(&sp, (l1 << 12) + 8, 0), 0);
	assert_int_equal(pt_unpin(&sp, l1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_tables_and_pages_in_three_zones, setup),
		cmocka_unit_test_setup(test_section_across_two_zones, setup),
		cmocka_unit_test_setup(test_section_refused_at_last_frame_leaves_both_zones, setup),
		cmocka_unit_test_setup(test_hole_and_end_refused, setup),
		cmocka_unit_test_setup(test_lookup_hint_once_per_zone, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
