/*
 * Validated guest page tables: pin/unpin of L1 and L2 tables (all or
 * nothing), entry updates with exact reference and type accounting, the
 * ownership, hypervisor-region and page-table-writability rules at their
 * edges, hostile inputs, and random operation sequences checked against a
 * reference model after every step (a refused step must change nothing).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pt_fake.h"

#define L1A 0u   /* frames 0..3: an L1 */
#define L1B 4u   /* frames 4..7: another */
#define L2A 8u
#define L2B 9u
#define DATA 16u /* frames the tests map */

static uint32_t addr(uint32_t frame, uint32_t index)
{
	return (ptf_mfn(frame) << 12) + 4 * index;
}

static struct frame *fr(uint32_t frame)
{
	return &ptf_frames[frame];
}

static int setup(void **state)
{
	(void)state;
	ptf_reset();
	memset(&ptf_model, 0, sizeof(ptf_model));
	return 0;
}

static void check_model(void)
{
	const char *err = ptf_model_check();

	if (err)
		fail_msg("%s", err);
	assert_false(ptf_hw.bad_access);
}

static void test_pin_l2_double_pin_unpin(void **state)
{
	(void)state;
	assert_int_equal(pt_pin_l2(&ptf_s, ptf_mfn(L2A)), 0);
	assert_int_equal(fr(L2A)->type, FRAME_TYPE_L2);
	assert_int_equal(fr(L2A)->u.use.type_count, 1);
	assert_int_equal(pt_pin_l2(&ptf_s, ptf_mfn(L2A)), -VMM_EEXIST);
	assert_int_equal(fr(L2A)->u.use.type_count, 1);
	assert_int_equal(pt_unpin(&ptf_s, ptf_mfn(L2A)), 0);
	assert_int_equal(pt_unpin(&ptf_s, ptf_mfn(L2A)), -VMM_EINVAL);
	assert_true(ptf_all_zero());
}

static void test_pin_l1_alignment_and_owner(void **state)
{
	(void)state;
	assert_int_equal(pt_pin_l1(&ptf_s, ptf_mfn(L1A + 1)), -VMM_EINVAL);
	assert_int_equal(pt_pin_l1(&ptf_s, ptf_mfn(L1A + 2)), -VMM_EINVAL);
	assert_int_equal(pt_pin_l1(&ptf_s, ptf_mfn(PTF_DOM_NR)), -VMM_EPERM);
	assert_int_equal(pt_pin_l1(&ptf_s, ptf_mfn(PTF_OTHER_END)), -VMM_EPERM);
	assert_int_equal(pt_pin_l1(&ptf_s, PTF_BASE - 4), -VMM_EPERM);
	assert_int_equal(pt_pin_l1(&ptf_s, PTF_BASE + PTF_NR), -VMM_EPERM);
	assert_int_equal(pt_pin_l1(&ptf_s, 0xFFFFFFFCu), -VMM_EPERM);
	/* Each of the four frames must be the domain's: the last one not. */
	fr(L1A + 3)->owner = PTF_OTHER;
	assert_int_equal(pt_pin_l1(&ptf_s, ptf_mfn(L1A)), -VMM_EPERM);
	fr(L1A + 3)->owner = PTF_DOM;
	assert_true(ptf_all_zero());
	/* The last aligned L1 of the domain's frames: accepted. */
	assert_int_equal(pt_pin_l1(&ptf_s, ptf_mfn(PTF_DOM_NR - 4)), 0);
	assert_int_equal(pt_pin_l1(&ptf_s, ptf_mfn(PTF_DOM_NR - 4)), -VMM_EEXIST);
	ptf_model.l1[PTF_DOM_NR - 4] = true;
	check_model();
}

static void test_pin_l1_copies_hypervisor_and_sets_domain(void **state)
{
	uint32_t i;
	unsigned int forgets;

	(void)state;
	ptf_put(addr(L1A, 0), ptf_section(ptf_mfn(0x100), true));
	ptf_put(addr(L1A, 1), 0x1E0u); /* a fault entry with stray bits */
	ptf_put(addr(L1A, 2), ptf_section(ptf_mfn(0x100), false) | PT_DOMAIN_MASK);
	/* Garbage in the hypervisor's part is not checked, only replaced. */
	ptf_put(addr(L1A, PTF_HV_FIRST), 0xFFFFFFFFu);
	ptf_put(addr(L1A, 4095), 0x3u);
	assert_int_equal(pt_pin_l1(&ptf_s, ptf_mfn(L1A)), 0);
	ptf_model.l1[L1A] = true;
	for (i = 0; i < PT_L1_FRAMES; i++) {
		assert_int_equal(fr(L1A + i)->type, FRAME_TYPE_L1);
		assert_int_equal(fr(L1A + i)->u.use.type_count, 1);
	}
	assert_int_equal(ptf_get(addr(L1A, 0)), ptf_section(ptf_mfn(0x100), true) | (PTF_ARM_DOMAIN << 5));
	assert_int_equal(ptf_get(addr(L1A, 1)), 0x1E0u);
	assert_int_equal(ptf_get(addr(L1A, 2)), ptf_section(ptf_mfn(0x100), false) | (PTF_ARM_DOMAIN << 5));
	assert_int_equal(fr(0x100)->u.use.refcount, 2);
	assert_int_equal(fr(0x1FF)->u.use.refcount, 2);
	assert_int_equal(fr(0x1FF)->type, FRAME_TYPE_WRITABLE);
	assert_int_equal(fr(0x1FF)->u.use.type_count, 1);
	check_model();
	/* Unpinning an L1 retires its address space (the target's ASID) exactly once. */
	forgets = ptf_hw.forget_base;
	assert_int_equal(pt_unpin(&ptf_s, ptf_mfn(L1A)), 0);
	assert_int_equal(ptf_hw.forget_base, forgets + 1);
	assert_int_equal(ptf_hw.forgotten, ptf_mfn(L1A) << 12);
	assert_int_equal(pt_unpin(&ptf_s, ptf_mfn(L1A)), -VMM_EINVAL);
	assert_int_equal(ptf_hw.forget_base, forgets + 1);
	ptf_model.l1[L1A] = false;
	assert_true(ptf_all_zero());
	assert_true(ptf_s.flush_pending);
}

static void test_pin_l1_last_guest_entry_checked(void **state)
{
	(void)state;
	/* Index hv_first - 1 is the guest's: a bad value there is refused. */
	ptf_put(addr(L1A, PTF_HV_FIRST - 1), ptf_section(ptf_mfn(PTF_DOM_NR), false));
	assert_int_equal(pt_pin_l1(&ptf_s, ptf_mfn(L1A)), -VMM_EPERM);
	assert_int_equal(ptf_s.why_index, PTF_HV_FIRST - 1);
	assert_true(ptf_all_zero());
	/* ... and its last accepted section is taken. */
	ptf_put(addr(L1A, PTF_HV_FIRST - 1), ptf_section(ptf_mfn(0x100), false));
	assert_int_equal(pt_pin_l1(&ptf_s, ptf_mfn(L1A)), 0);
	assert_int_equal(fr(0x100)->u.use.refcount, 1);
}

static void test_pin_l1_rollback(void **state)
{
	uint8_t before[16 * 4096];

	(void)state;
	assert_int_equal(pt_pin_l2(&ptf_s, ptf_mfn(L2A)), 0);
	ptf_put(addr(L1A, 0), ptf_section(ptf_mfn(0x100), true));
	ptf_put(addr(L1A, 5), ptf_table(ptf_mfn(L2A), 3));
	ptf_put(addr(L1A, 6), ptf_section(ptf_mfn(0x100), false));
	/* A read/write section over the table itself: refused, all undone. */
	ptf_put(addr(L1A, 7), ptf_section(ptf_mfn(0), true));
	memcpy(before, ptf_mem, sizeof(before));
	assert_int_equal(pt_pin_l1(&ptf_s, ptf_mfn(L1A)), -VMM_EBUSY);
	assert_int_equal(ptf_s.why_index, 7);
	assert_memory_equal(before, ptf_mem, sizeof(before));
	assert_int_equal(fr(L2A)->u.use.type_count, 1);
	assert_int_equal(fr(0x100)->u.use.refcount, 0);
	assert_int_equal(fr(L1A)->type, FRAME_TYPE_NONE);
	ptf_model.l2[L2A] = true;
	check_model();
	/* Read-only over itself is fine. */
	ptf_put(addr(L1A, 7), ptf_section(ptf_mfn(0), false));
	assert_int_equal(pt_pin_l1(&ptf_s, ptf_mfn(L1A)), 0);
	ptf_model.l1[L1A] = true;
	assert_int_equal(fr(L2A)->u.use.type_count, 2);
	check_model();
}

static void test_pin_l1_refused_when_mapped_writable(void **state)
{
	(void)state;
	assert_int_equal(pt_pin_l2(&ptf_s, ptf_mfn(L2A)), 0);
	ptf_put(addr(L2A, 0), 0);
	assert_int_equal(pt_update(&ptf_s, addr(L2A, 0), ptf_small(ptf_mfn(L1A + 3), true)), 0);
	assert_int_equal(pt_pin_l1(&ptf_s, ptf_mfn(L1A)), -VMM_EBUSY);
	assert_int_equal(fr(L1A)->type, FRAME_TYPE_NONE);
	assert_int_equal(fr(L1A + 3)->type, FRAME_TYPE_WRITABLE);
	assert_int_equal(pt_update(&ptf_s, addr(L2A, 0), ptf_small(ptf_mfn(L1A + 3), false)), 0);
	assert_int_equal(pt_pin_l1(&ptf_s, ptf_mfn(L1A)), 0);
	ptf_model.l1[L1A] = ptf_model.l2[L2A] = true;
	check_model();
}

static void test_pin_l2_rollback_last_entry(void **state)
{
	(void)state;
	ptf_put(addr(L2A, 0), ptf_small(ptf_mfn(DATA), true));
	ptf_put(addr(L2A, 1), ptf_small(ptf_mfn(DATA), false));
	ptf_put(addr(L2A, 1023), (ptf_small(ptf_mfn(DATA), false) & ~3u) | PT_L2_LARGE);
	assert_int_equal(pt_pin_l2(&ptf_s, ptf_mfn(L2A)), -VMM_EINVAL);
	assert_int_equal(ptf_s.why_index, 1023);
	assert_true(ptf_all_zero());
	/* A writable mapping of itself: refused. */
	ptf_put(addr(L2A, 1023), ptf_small(ptf_mfn(L2A), true));
	assert_int_equal(pt_pin_l2(&ptf_s, ptf_mfn(L2A)), -VMM_EBUSY);
	assert_true(ptf_all_zero());
	ptf_put(addr(L2A, 1023), ptf_small(ptf_mfn(L2A), false));
	assert_int_equal(pt_pin_l2(&ptf_s, ptf_mfn(L2A)), 0);
	ptf_model.l2[L2A] = true;
	check_model();
	assert_int_equal(fr(DATA)->u.use.refcount, 2);
	assert_int_equal(fr(DATA)->u.use.type_count, 1);
	assert_int_equal(fr(L2A)->u.use.refcount, 1);
}

/* A pin checks the table by reading it through the cache: the whole table
 * (a 4 KiB L2 frame, the four frames of an L1) is then made visible to the
 * walker, so that a core whose walks skip the L1 data cache (Cortex-A8) sees
 * what was checked and not older entries the guest left below it. A refused
 * pin syncs nothing. */
static void test_pin_makes_checked_tables_visible_to_walker(void **state)
{
	(void)state;
	ptf_put(addr(L2A, 1023), ptf_small(ptf_mfn(L2A), true));
	assert_int_equal(pt_pin_l2(&ptf_s, ptf_mfn(L2A)), -VMM_EBUSY);
	assert_int_equal(ptf_hw.table_sync_bytes, 0);
	ptf_put(addr(L2A, 1023), ptf_small(ptf_mfn(L2A), false));
	assert_int_equal(pt_pin_l2(&ptf_s, ptf_mfn(L2A)), 0);
	assert_int_equal(ptf_hw.table_sync_bytes, 4096);
	assert_int_equal(ptf_hw.last_table_sync, addr(L2A, 0));
	ptf_put(addr(L1A, 7), ptf_section(ptf_mfn(0), true));
	assert_int_equal(pt_pin_l1(&ptf_s, ptf_mfn(L1A)), -VMM_EBUSY);
	assert_int_equal(ptf_hw.table_sync_bytes, 4096);
	ptf_put(addr(L1A, 7), ptf_section(ptf_mfn(0), false));
	assert_int_equal(pt_pin_l1(&ptf_s, ptf_mfn(L1A)), 0);
	assert_int_equal(ptf_hw.table_sync_bytes, 4096 + 16384);
	assert_int_equal(ptf_hw.last_table_sync, ptf_mfn(L1A + 3) << 12);
	assert_false(ptf_hw.bad_access);
}

static void test_pin_l2_hostile_frames(void **state)
{
	(void)state;
	assert_int_equal(pt_pin_l2(&ptf_s, ptf_mfn(PTF_DOM_NR)), -VMM_EPERM);
	assert_int_equal(pt_pin_l2(&ptf_s, ptf_mfn(PTF_NR - 1)), -VMM_EPERM);
	assert_int_equal(pt_pin_l2(&ptf_s, PTF_BASE - 1), -VMM_EPERM);
	assert_int_equal(pt_pin_l2(&ptf_s, PTF_BASE + PTF_NR), -VMM_EPERM);
	assert_int_equal(pt_pin_l2(&ptf_s, ptf_mfn(PTF_DOM_NR - 1)), 0);
	/* An L1's frame cannot also be an L2, nor the other way round. */
	assert_int_equal(pt_pin_l1(&ptf_s, ptf_mfn(L1A)), 0);
	assert_int_equal(pt_pin_l2(&ptf_s, ptf_mfn(L1A + 2)), -VMM_EBUSY);
	assert_int_equal(pt_pin_l2(&ptf_s, ptf_mfn(L2A)), 0);
	assert_int_equal(pt_pin_l1(&ptf_s, ptf_mfn(L2A & ~3u)), -VMM_EBUSY);
	assert_int_equal(fr(L2A)->type, FRAME_TYPE_L2);
	assert_int_equal(fr(L2A)->u.use.type_count, 1);
	assert_int_equal(fr(L2A + 1)->type, FRAME_TYPE_NONE);
	assert_int_equal(fr(L2A + 3)->type, FRAME_TYPE_NONE);
}

static void pin_l1_l2(void)
{
	assert_int_equal(pt_pin_l2(&ptf_s, ptf_mfn(L2A)), 0);
	assert_int_equal(pt_pin_l1(&ptf_s, ptf_mfn(L1A)), 0);
	ptf_model.l1[L1A] = ptf_model.l2[L2A] = true;
}

static void test_l1_entry_needs_pinned_l2(void **state)
{
	(void)state;
	pin_l1_l2();
	assert_int_equal(pt_update(&ptf_s, addr(L1A, 3), ptf_table(ptf_mfn(L2B), 0)), -VMM_EINVAL);
	assert_int_equal(pt_update(&ptf_s, addr(L1A, 3), ptf_table(ptf_mfn(L1B), 0)), -VMM_EINVAL);
	/* Pointing into an L1 (even a pinned one) is not pointing at an L2. */
	assert_int_equal(pt_update(&ptf_s, addr(L1A, 3), ptf_table(ptf_mfn(L1A), 1)), -VMM_EINVAL);
	assert_int_equal(pt_update(&ptf_s, addr(L1A, 3), ptf_table(ptf_mfn(PTF_DOM_NR), 0)), -VMM_EPERM);
	assert_int_equal(pt_update(&ptf_s, addr(L1A, 3), ptf_table(PTF_BASE + PTF_NR, 0)), -VMM_EPERM);
	assert_int_equal(pt_update(&ptf_s, addr(L1A, 3), ptf_table(ptf_mfn(L2A), 0)), 0);
	assert_int_equal(pt_update(&ptf_s, addr(L1A, 4), ptf_table(ptf_mfn(L2A), 3)), 0);
	assert_int_equal(fr(L2A)->u.use.type_count, 3);
	assert_int_equal(ptf_get(addr(L1A, 4)), ptf_table(ptf_mfn(L2A), 3) | (PTF_ARM_DOMAIN << 5));
	/* Unpinning an L2 in use: refused until the last pointer is gone. */
	assert_int_equal(pt_unpin(&ptf_s, ptf_mfn(L2A)), -VMM_EBUSY);
	assert_int_equal(pt_update(&ptf_s, addr(L1A, 3), 0), 0);
	assert_int_equal(pt_unpin(&ptf_s, ptf_mfn(L2A)), -VMM_EBUSY);
	assert_int_equal(pt_update(&ptf_s, addr(L1A, 4), 0), 0);
	check_model();
	assert_int_equal(pt_unpin(&ptf_s, ptf_mfn(L2A)), 0);
	ptf_model.l2[L2A] = false;
	check_model();
}

static void test_update_addresses(void **state)
{
	(void)state;
	pin_l1_l2();
	/* misaligned */
	assert_int_equal(pt_update(&ptf_s, addr(L2A, 0) + 2, 0), -VMM_EINVAL);
	assert_int_equal(pt_update(&ptf_s, addr(L2A, 0) + 1, 0), -VMM_EINVAL);
	/* not a pinned table, another domain's frame, the hypervisor's, outside RAM */
	assert_int_equal(pt_update(&ptf_s, addr(L2B, 0), 0), -VMM_EINVAL);
	assert_int_equal(pt_update(&ptf_s, addr(PTF_DOM_NR, 0), 0), -VMM_EPERM);
	assert_int_equal(pt_update(&ptf_s, addr(PTF_OTHER_END, 0), 0), -VMM_EPERM);
	assert_int_equal(pt_update(&ptf_s, (PTF_BASE + PTF_NR) << 12, 0), -VMM_EPERM);
	assert_int_equal(pt_update(&ptf_s, 0xFFFFFFFCu, 0), -VMM_EPERM);
	/* L1 indexes across the four frames: hv_first - 1 is the guest's, hv_first is not. */
	assert_int_equal(pt_update(&ptf_s, addr(L1A, PTF_HV_FIRST - 1), ptf_section(ptf_mfn(0x100), false)), 0);
	assert_int_equal(pt_update(&ptf_s, addr(L1A, PTF_HV_FIRST), 0), -VMM_EPERM);
	assert_int_equal(pt_update(&ptf_s, addr(L1A, 4095), 0), -VMM_EPERM);
	assert_int_equal(pt_update(&ptf_s, addr(L1A, 1024), ptf_section(ptf_mfn(0x100), false)), 0);
	assert_int_equal(pt_update(&ptf_s, addr(L1A, 2048), ptf_section(ptf_mfn(0x100), false)), 0);
	assert_int_equal(ptf_get(addr(L1A, PTF_HV_FIRST)), ptf_hv_l1[0]);
	/* L2 entries anywhere in the frame (all four tables) */
	assert_int_equal(pt_update(&ptf_s, addr(L2A, 1023), ptf_small(ptf_mfn(DATA), true)), 0);
	assert_int_equal(pt_update(&ptf_s, addr(L2A, 256), ptf_small(ptf_mfn(DATA), true)), 0);
	assert_int_equal(fr(DATA)->u.use.type_count, 2);
	check_model();
}

static void test_update_ownership_edges(void **state)
{
	(void)state;
	pin_l1_l2();
	assert_int_equal(pt_update(&ptf_s, addr(L2A, 0), ptf_small(ptf_mfn(PTF_DOM_NR - 1), true)), 0);
	assert_int_equal(pt_update(&ptf_s, addr(L2A, 1), ptf_small(ptf_mfn(PTF_DOM_NR), false)), -VMM_EPERM);
	assert_int_equal(pt_update(&ptf_s, addr(L2A, 1), ptf_small(ptf_mfn(PTF_OTHER_END), false)), -VMM_EPERM);
	assert_int_equal(pt_update(&ptf_s, addr(L2A, 1), ptf_small(PTF_BASE - 1, false)), -VMM_EPERM);
	assert_int_equal(pt_update(&ptf_s, addr(L2A, 1), ptf_small(PTF_BASE + PTF_NR, false)), -VMM_EPERM);
	assert_int_equal(pt_update(&ptf_s, addr(L2A, 1), ptf_small(0xFFFFFu, false)), -VMM_EPERM);
	/* sections: the last one of the domain, then the other domain's */
	assert_int_equal(pt_update(&ptf_s, addr(L1A, 9), ptf_section(ptf_mfn(0x100), true)), 0);
	assert_int_equal(pt_update(&ptf_s, addr(L1A, 8), ptf_section(ptf_mfn(0x100), false)), 0);
	assert_int_equal(fr(0x1FF)->u.use.refcount, 3); /* the small page above too */
	assert_int_equal(fr(0x1FF)->u.use.type_count, 2);
	assert_int_equal(pt_update(&ptf_s, addr(L1A, 10), ptf_section(ptf_mfn(0x200), false)), -VMM_EPERM);
	assert_int_equal(pt_update(&ptf_s, addr(L1A, 10), ptf_section(0xFFF00u, false)), -VMM_EPERM);
	check_model();
}

static void test_section_partial_owner_rolls_back(void **state)
{
	(void)state;
	pin_l1_l2();
	/* Frame 0x1FF of the section is someone else's: nothing taken. */
	fr(0x1FF)->owner = PTF_OTHER;
	assert_int_equal(pt_update(&ptf_s, addr(L1A, 9), ptf_section(ptf_mfn(0x100), false)), -VMM_EPERM);
	fr(0x1FF)->owner = PTF_DOM;
	check_model();
	/* Frame 0x180 is a page table: a writable section stops there and undoes the rest. */
	assert_int_equal(pt_pin_l2(&ptf_s, ptf_mfn(0x180)), 0);
	ptf_model.l2[0x180] = true;
	assert_int_equal(pt_update(&ptf_s, addr(L1A, 9), ptf_section(ptf_mfn(0x100), true)), -VMM_EBUSY);
	assert_int_equal(fr(0x17F)->u.use.refcount, 0);
	assert_int_equal(fr(0x17F)->type, FRAME_TYPE_NONE);
	assert_int_equal(ptf_get(addr(L1A, 9)), 0);
	check_model();
}

static void test_writable_page_table_refused(void **state)
{
	(void)state;
	pin_l1_l2();
	assert_int_equal(pt_update(&ptf_s, addr(L2A, 0), ptf_small(ptf_mfn(L2A), true)), -VMM_EBUSY);
	assert_int_equal(pt_update(&ptf_s, addr(L2A, 0), ptf_small(ptf_mfn(L1A + 3), true)), -VMM_EBUSY);
	assert_int_equal(pt_update(&ptf_s, addr(L2A, 0), ptf_small(ptf_mfn(L2A), false)), 0);
	assert_int_equal(pt_update(&ptf_s, addr(L2A, 1), ptf_small(ptf_mfn(L1A + 3), false)), 0);
	/* A frame mapped writable cannot be pinned. */
	assert_int_equal(pt_update(&ptf_s, addr(L2A, 2), ptf_small(ptf_mfn(L2B), true)), 0);
	assert_int_equal(pt_pin_l2(&ptf_s, ptf_mfn(L2B)), -VMM_EBUSY);
	assert_int_equal(fr(L2B)->type, FRAME_TYPE_WRITABLE);
	check_model();
}

static void test_replace_and_flush(void **state)
{
	(void)state;
	pin_l1_l2();
	ptf_s.flush_pending = false;
	assert_int_equal(pt_update(&ptf_s, addr(L2A, 0), ptf_small(ptf_mfn(DATA), true)), 0);
	assert_false(ptf_s.flush_pending); /* nothing was mapped before */
	/* Rewriting the same value keeps the counts. */
	assert_int_equal(pt_update(&ptf_s, addr(L2A, 0), ptf_small(ptf_mfn(DATA), true)), 0);
	assert_int_equal(fr(DATA)->u.use.refcount, 1);
	assert_int_equal(fr(DATA)->u.use.type_count, 1);
	assert_true(ptf_s.flush_pending);
	pt_flush_pending(&ptf_s);
	assert_int_equal(ptf_hw.flush_all, 1);
	pt_flush_pending(&ptf_s);
	assert_int_equal(ptf_hw.flush_all, 1);
	/* Downgrade to read-only: writable type dropped, reference kept. */
	assert_int_equal(pt_update(&ptf_s, addr(L2A, 0), ptf_small(ptf_mfn(DATA), false)), 0);
	assert_int_equal(fr(DATA)->u.use.refcount, 1);
	assert_int_equal(fr(DATA)->type, FRAME_TYPE_NONE);
	assert_true(ptf_s.flush_pending);
	/* Another frame: the old one is released. */
	assert_int_equal(pt_update(&ptf_s, addr(L2A, 0), ptf_small(ptf_mfn(DATA + 1), true)), 0);
	assert_int_equal(fr(DATA)->u.use.refcount, 0);
	check_model();
	/* A refused update leaves the old entry and its counts. */
	assert_int_equal(pt_update(&ptf_s, addr(L2A, 0), ptf_small(ptf_mfn(PTF_DOM_NR), true)), -VMM_EPERM);
	assert_int_equal(ptf_get(addr(L2A, 0)), ptf_small(ptf_mfn(DATA + 1), true));
	assert_int_equal(fr(DATA + 1)->u.use.refcount, 1);
	/* Removing an L1 pointer to an L2 also needs a flush. */
	assert_int_equal(pt_update(&ptf_s, addr(L1A, 0), ptf_table(ptf_mfn(L2A), 0)), 0);
	ptf_s.flush_pending = false;
	assert_int_equal(pt_update(&ptf_s, addr(L1A, 0), 0), 0);
	assert_true(ptf_s.flush_pending);
	check_model();
}

static void test_count_overflow(void **state)
{
	(void)state;
	pin_l1_l2();
	fr(0x150)->u.use.refcount = FRAME_COUNT_MAX;
	assert_int_equal(pt_update(&ptf_s, addr(L1A, 9), ptf_section(ptf_mfn(0x100), false)), -VMM_ENOSPC);
	assert_int_equal(fr(0x14F)->u.use.refcount, 0);
	assert_int_equal(pt_update(&ptf_s, addr(L1A, 9), ptf_section(ptf_mfn(0x100), true)), -VMM_ENOSPC);
	assert_int_equal(fr(0x14F)->u.use.refcount, 0);
	assert_int_equal(fr(0x150)->type, FRAME_TYPE_NONE);
	assert_int_equal(fr(0x14F)->type, FRAME_TYPE_NONE);
	fr(0x150)->u.use.refcount = 0;
	fr(0x150)->type = FRAME_TYPE_WRITABLE;
	fr(0x150)->u.use.type_count = FRAME_COUNT_MAX;
	assert_int_equal(pt_update(&ptf_s, addr(L2A, 0), ptf_small(ptf_mfn(0x150), true)), -VMM_ENOSPC);
	assert_int_equal(pt_update(&ptf_s, addr(L1A, 9), ptf_section(ptf_mfn(0x100), true)), -VMM_ENOSPC);
	assert_int_equal(fr(0x14F)->u.use.refcount, 0);
	assert_int_equal(fr(0x14F)->type, FRAME_TYPE_NONE);
	fr(0x150)->type = FRAME_TYPE_NONE;
	fr(0x150)->u.use.type_count = 0;
	fr(L2A)->u.use.type_count = FRAME_COUNT_MAX;
	assert_int_equal(pt_update(&ptf_s, addr(L1A, 9), ptf_table(ptf_mfn(L2A), 0)), -VMM_ENOSPC);
	fr(L2A)->u.use.type_count = 1;
	check_model();
}

static void test_unpin_rules(void **state)
{
	(void)state;
	pin_l1_l2();
	assert_int_equal(pt_unpin(&ptf_s, ptf_mfn(L1A + 1)), -VMM_EINVAL);
	assert_int_equal(pt_unpin(&ptf_s, ptf_mfn(L1A + 3)), -VMM_EINVAL);
	assert_int_equal(pt_unpin(&ptf_s, ptf_mfn(L2B)), -VMM_EINVAL);
	assert_int_equal(pt_unpin(&ptf_s, ptf_mfn(PTF_DOM_NR)), -VMM_EPERM);
	assert_int_equal(pt_unpin(&ptf_s, PTF_BASE + PTF_NR), -VMM_EPERM);
	assert_int_equal(pt_update(&ptf_s, addr(L2A, 0), ptf_small(ptf_mfn(DATA), true)), 0);
	assert_int_equal(pt_unpin(&ptf_s, ptf_mfn(DATA)), -VMM_EINVAL); /* writable, not a table */
	assert_int_equal(pt_set_base(&ptf_s, ptf_mfn(L1A)), 0);
	assert_int_equal(pt_unpin(&ptf_s, ptf_mfn(L1A)), -VMM_EBUSY);
	assert_int_equal(pt_pin_l1(&ptf_s, ptf_mfn(L1B)), 0);
	assert_int_equal(pt_set_base(&ptf_s, ptf_mfn(L1B)), 0);
	assert_int_equal(pt_unpin(&ptf_s, ptf_mfn(L1A)), 0);
	ptf_model.l1[L1A] = false;
	ptf_model.l1[L1B] = true;
	check_model();
	assert_true(ptf_unpin_all());
	assert_true(ptf_all_zero());
	/* Unpinning flushes even a table that mapped nothing (it may have been walked). */
	assert_int_equal(pt_pin_l1(&ptf_s, ptf_mfn(L1A)), 0);
	ptf_s.flush_pending = false;
	assert_int_equal(pt_unpin(&ptf_s, ptf_mfn(L1A)), 0);
	assert_true(ptf_s.flush_pending);
	assert_int_equal(pt_pin_l2(&ptf_s, ptf_mfn(L2A)), 0);
	ptf_s.flush_pending = false;
	assert_int_equal(pt_unpin(&ptf_s, ptf_mfn(L2A)), 0);
	assert_true(ptf_s.flush_pending);
}

static void test_set_base(void **state)
{
	(void)state;
	assert_int_equal(pt_set_base(&ptf_s, ptf_mfn(L1A)), -VMM_EINVAL);
	pin_l1_l2();
	assert_int_equal(pt_set_base(&ptf_s, ptf_mfn(L1A + 1)), -VMM_EINVAL);
	assert_int_equal(pt_set_base(&ptf_s, ptf_mfn(L2A)), -VMM_EINVAL);
	assert_int_equal(pt_set_base(&ptf_s, ptf_mfn(PTF_DOM_NR)), -VMM_EPERM);
	assert_int_equal(ptf_hw.set_base, 0);
	assert_int_equal(ptf_s.base_mfn, PT_NO_BASE);
	assert_int_equal(pt_set_base(&ptf_s, ptf_mfn(L1A)), 0);
	assert_int_equal(ptf_hw.set_base, 1);
	assert_int_equal(ptf_hw.base, ptf_mfn(L1A) << 12);
	assert_int_equal(ptf_s.base_mfn, ptf_mfn(L1A));
}

static void test_update_va(void **state)
{
	uint32_t va = 0xDFFC5000u; /* last MiB below the hypervisor, page 0xC5 */

	(void)state;
	assert_int_equal(pt_update_va(&ptf_s, 0x1000u, 0), -VMM_EINVAL); /* no base */
	pin_l1_l2();
	assert_int_equal(pt_set_base(&ptf_s, ptf_mfn(L1A)), 0);
	assert_int_equal(pt_update_va(&ptf_s, va, ptf_small(ptf_mfn(DATA), true)), -VMM_EINVAL);
	assert_int_equal(pt_update(&ptf_s, addr(L1A, va >> 20), ptf_table(ptf_mfn(L2A), 2)), 0);
	assert_int_equal(pt_update_va(&ptf_s, va, ptf_small(ptf_mfn(DATA), true)), 0);
	assert_int_equal(ptf_get(addr(L2A, 2 * 256 + 0xC5)), ptf_small(ptf_mfn(DATA), true));
	assert_int_equal(pt_update_va(&ptf_s, va | 0xFFFu, ptf_small(ptf_mfn(DATA), false)), 0);
	assert_int_equal(ptf_get(addr(L2A, 2 * 256 + 0xC5)), ptf_small(ptf_mfn(DATA), false));
	assert_int_equal(pt_update_va(&ptf_s, VMM_HYPERVISOR_VA_BASE, 0), -VMM_EPERM);
	assert_int_equal(pt_update_va(&ptf_s, 0xFFFFF000u, 0), -VMM_EPERM);
	/* A section at va: no L2 entry to write, even when the frame a section read as a
	 * table pointer would name holds a pinned L2. */
	{
		uint32_t sect = ptf_section(ptf_mfn(0x100), false), l2f = (sect >> 12) - PTF_BASE, i;

		assert_int_equal(pt_pin_l2(&ptf_s, ptf_mfn(l2f)), 0);
		ptf_model.l2[l2f] = true;
		assert_int_equal(pt_update(&ptf_s, addr(L1A, 1), sect), 0);
		assert_int_equal(pt_update_va(&ptf_s, 0x00100000u, ptf_small(ptf_mfn(DATA), false)), -VMM_EINVAL);
		for (i = 0; i < 1024; i++)
			assert_int_equal(ptf_get(addr(l2f, i)), 0);
	}
	assert_int_equal(pt_update_va(&ptf_s, va, ptf_small(ptf_mfn(PTF_DOM_NR), false)), -VMM_EPERM);
	check_model();
}

/* ------------------------------------------------------------------------- */

static uint32_t rnd(uint32_t n)
{
	return (uint32_t)rand() % n;
}

/* Frames the random test uses for tables and mappings (plus foreign ones). */
static uint32_t rnd_frame(void)
{
	switch (rnd(16)) {
	case 0:
		return ptf_mfn(PTF_DOM_NR + rnd(PTF_NR - PTF_DOM_NR)); /* other / hypervisor */
	case 1:
		return rnd(2) ? PTF_BASE - 1 - rnd(4) : PTF_BASE + PTF_NR + rnd(4);
	default:
		return ptf_mfn(rnd(32));
	}
}

/* Mostly a pinned L2 frame, for L1 entries that should be accepted. */
static uint32_t rnd_l2(void)
{
	uint32_t n;

	for (n = 0; n < 16 && rnd(8); n++) {
		uint32_t i = rnd(32);

		if (ptf_model.l2[i])
			return ptf_mfn(i);
	}
	return rnd_frame();
}

static uint32_t rnd_value(int level)
{
	uint32_t v;

	switch (rnd(8)) {
	case 0:
		return 0;
	case 1:
		v = ptf_small(rnd_frame(), rnd(2));
		break;
	case 2:
		v = ptf_section(rnd(2) ? ptf_mfn(0x100) : rnd_frame(), rnd(2));
		break;
	case 3:
		v = ptf_table(rnd_frame(), rnd(4));
		break;
	case 4:
		return (uint32_t)rand() ^ ((uint32_t)rand() << 16);
	default:
		v = level == 1 ? (rnd(2) ? ptf_table(rnd_l2(), rnd(4)) : ptf_section(ptf_mfn(0x100), rnd(2)))
			       : ptf_small(rnd_frame(), rnd(2));
		break;
	}
	if (rnd(8) == 0)
		v ^= 1u << rnd(20);
	return v;
}

static uint32_t rnd_entry_addr(void)
{
	uint32_t i = rnd(32);

	if (rnd(4) == 0)
		return (rnd_frame() << 12) + 4 * rnd(1024) + (rnd(8) == 0 ? rnd(4) : 0);
	if (rnd(2) && ptf_model.l1[i & ~3u])
		return addr(i & ~3u, rnd(4) ? rnd(16) : rnd(4096));
	return addr(i, rnd(2) ? rnd(8) : rnd(1024));
}

static uint8_t snap_mem[32 * 4096];
static unsigned int step_ok[10], step_refused[10];
static struct frame snap_frames[PTF_NR];

static void random_step(void)
{
	uint32_t mfn = rnd_frame(), base = ptf_s.base_mfn;
	int op = (int)rnd(10), r;

	memcpy(snap_mem, ptf_mem, sizeof(snap_mem));
	memcpy(snap_frames, ptf_frames, sizeof(snap_frames));
	ptf_s.flush_pending = false;
	switch (op) {
	case 0:
		r = pt_pin_l1(&ptf_s, rnd(4) ? (mfn & ~3u) : mfn);
		if (r == 0)
			ptf_model.l1[(mfn & ~3u) - PTF_BASE] = true;
		break;
	case 1:
		r = pt_pin_l2(&ptf_s, mfn);
		if (r == 0)
			ptf_model.l2[mfn - PTF_BASE] = true;
		break;
	case 2:
		r = pt_unpin(&ptf_s, mfn);
		if (r == 0) {
			ptf_model.l1[mfn - PTF_BASE] = false;
			ptf_model.l2[mfn - PTF_BASE] = false;
		}
		break;
	case 3:
		for (r = 0; r < 16 && rnd(8); r++) { /* mostly one of the pinned L1s */
			uint32_t i = rnd(8) * 4;

			if (ptf_model.l1[i]) {
				mfn = ptf_mfn(i);
				break;
			}
		}
		r = pt_set_base(&ptf_s, mfn);
		break;
	case 4: {
		uint32_t va = rnd(4) ? rnd(16) << 20 | rnd(256) << 12 : (uint32_t)rand() << 1, i;

		/* Mostly a VA that an L2 table of the current L1 translates. */
		for (i = 0; base != PT_NO_BASE && i < 16 && rnd(8); i++)
			if ((ptf_get((base << 12) + 4 * i) & 3u) == PT_L1_TABLE) {
				va = i << 20 | rnd(256) << 12;
				break;
			}

		r = pt_update_va(&ptf_s, va, rnd_value(2));
		break;
	}
	default: {
		uint32_t a = rnd_entry_addr();
		const struct frame *f = frame_get(&ptf_ft, a >> 12);

		r = pt_update(&ptf_s, a, rnd_value(f && f->type == FRAME_TYPE_L1 ? 1 : 2));
		break;
	}
	}
	check_model();
	if (r)
		step_refused[op]++;
	else
		step_ok[op]++;
	if (r != 0) {
		/* Refused: nothing changed, not even the table memory. */
		assert_memory_equal(snap_mem, ptf_mem, sizeof(snap_mem));
		assert_memory_equal(snap_frames, ptf_frames, sizeof(snap_frames));
		assert_int_equal(ptf_s.base_mfn, base);
	} else {
		uint32_t i;

		/* Any count that went down means a mapping was dropped: a flush must follow. */
		for (i = 0; i < PTF_NR; i++)
			if (ptf_frames[i].u.use.refcount < snap_frames[i].u.use.refcount ||
			    (ptf_frames[i].type == FRAME_TYPE_L2 &&
			     ptf_frames[i].u.use.type_count < snap_frames[i].u.use.type_count))
				assert_true(ptf_s.flush_pending);
	}
}

static void test_random_against_model(void **state)
{
	unsigned int seed, step, pins = 0;

	(void)state;
	for (seed = 1; seed <= 12; seed++) {
		ptf_reset();
		memset(&ptf_model, 0, sizeof(ptf_model));
		srand(seed);
		for (step = 0; step < 400; step++)
			random_step();
		for (step = 0; step < PTF_NR; step++)
			pins += ptf_model.l1[step] + ptf_model.l2[step];
		assert_true(ptf_unpin_all());
		check_model();
		assert_true(ptf_all_zero());
	}
	/* The sequences did build tables (not only refusals), and every kind of step both succeeded and was refused. */
	assert_true(pins > 12);
	for (step = 0; step < 10; step++) {
		print_message("op %u: %u done, %u refused\n", step, step_ok[step], step_refused[step]);
		assert_true(step_ok[step] > 5);
		assert_true(step_refused[step] > 5);
	}
}

/*
 * The domain field comes from the entry's index, whatever the guest wrote:
 * user below 0xC00, kernel from 0xC00 to 0xDFF, both at pin time and for
 * later updates.
 */
static void test_domain_field_by_index(void **state)
{
	const uint32_t v = ptf_section(ptf_mfn(0x100), false);

	(void)state;
	ptf_put(addr(L1A, 0xBFF), v | (2u << 5));
	ptf_put(addr(L1A, 0xC00), v);
	ptf_put(addr(L1A, 0xDFF), v | PT_DOMAIN_MASK);
	assert_int_equal(pt_pin_l1(&ptf_s, ptf_mfn(L1A)), 0);
	ptf_model.l1[L1A] = true;
	assert_int_equal(ptf_get(addr(L1A, 0xBFF)), v | (VMM_ARM_DOMAIN_GUEST_USER << 5));
	assert_int_equal(ptf_get(addr(L1A, 0xC00)), v | (VMM_ARM_DOMAIN_GUEST_KERNEL << 5));
	assert_int_equal(ptf_get(addr(L1A, 0xDFF)), v | (VMM_ARM_DOMAIN_GUEST_KERNEL << 5));
	assert_int_equal(pt_update(&ptf_s, addr(L1A, 0xBFF), v | (VMM_ARM_DOMAIN_GUEST_KERNEL << 5)), 0);
	assert_int_equal(ptf_get(addr(L1A, 0xBFF)), v | (VMM_ARM_DOMAIN_GUEST_USER << 5));
	assert_int_equal(pt_update(&ptf_s, addr(L1A, 0xC00), v | (VMM_ARM_DOMAIN_GUEST_USER << 5)), 0);
	assert_int_equal(ptf_get(addr(L1A, 0xC00)), v | (VMM_ARM_DOMAIN_GUEST_KERNEL << 5));
	assert_int_equal(pt_update(&ptf_s, addr(L1A, 0xDFF), v), 0);
	assert_int_equal(ptf_get(addr(L1A, 0xDFF)), v | (VMM_ARM_DOMAIN_GUEST_KERNEL << 5));
	assert_int_equal(pt_update(&ptf_s, addr(L1A, 0xC01), ptf_table(ptf_mfn(L2A), 0)), -VMM_EINVAL);
	assert_int_equal(pt_pin_l2(&ptf_s, ptf_mfn(L2A)), 0);
	ptf_model.l2[L2A] = true;
	assert_int_equal(pt_update(&ptf_s, addr(L1A, 0xC01), ptf_table(ptf_mfn(L2A), 0) | (1u << 5)), 0);
	assert_int_equal(ptf_get(addr(L1A, 0xC01)), ptf_table(ptf_mfn(L2A), 0) | (VMM_ARM_DOMAIN_GUEST_KERNEL << 5));
	/* The hypervisor's entries are not the guest's to write at all. */
	assert_int_equal(pt_update(&ptf_s, addr(L1A, 0xE00), v), -VMM_EPERM);
	check_model();
}

/*
 * pt_limit_sections(): an L1 may hold `max` sections (entries in the
 * hypervisor's half, copied sections, do not count): pinned with max, refused
 * with max + 1 and nothing taken; an update adding a section past the limit is
 * refused, one replacing a section is not. Counted through the linear window
 * and through the ops.
 */
static void section_limit(bool linear)
{
	if (!linear)
		pt_space_linear(&ptf_s, 0, 0, NULL);
	pt_limit_sections(&ptf_s, 3);
	ptf_put(addr(L1A, 0), ptf_section(ptf_mfn(0), false));
	ptf_put(addr(L1A, 5), ptf_section(ptf_mfn(0), false));
	ptf_put(addr(L1A, PTF_HV_FIRST - 2), ptf_section(ptf_mfn(0), false));
	ptf_put(addr(L1A, PTF_HV_FIRST - 1), ptf_section(ptf_mfn(0), false));
	ptf_put(addr(L1A, PTF_HV_FIRST), 0xFFFFFFFFu);
	ptf_put(addr(L1A, 4095), 0xFFFFFFFFu);
	assert_int_equal(pt_pin_l1(&ptf_s, ptf_mfn(L1A)), -VMM_E2BIG);
	assert_string_equal(ptf_s.why, "L1 table holds more sections than the domain's limit");
	assert_true(ptf_all_zero());
	ptf_put(addr(L1A, PTF_HV_FIRST - 2), 0); /* a fault entry: three sections left */
	assert_int_equal(pt_pin_l1(&ptf_s, ptf_mfn(L1A)), 0);
	ptf_model.l1[L1A] = true;
	assert_int_equal(fr(0)->u.use.refcount, 3);
	/* a fourth: refused, nothing changed */
	assert_int_equal(pt_update(&ptf_s, addr(L1A, 1), ptf_section(ptf_mfn(0x100), false)), -VMM_E2BIG);
	assert_int_equal(ptf_get(addr(L1A, 1)), 0);
	assert_int_equal(fr(0x100)->u.use.refcount, 0);
	/* a fault or an L2 table entry is no section */
	assert_int_equal(pt_update(&ptf_s, addr(L1A, 1), 0x1E0u), 0);
	/* replacing one of the three: allowed */
	assert_int_equal(pt_update(&ptf_s, addr(L1A, 5), ptf_section(ptf_mfn(0x100), true)), 0);
	assert_int_equal(fr(0)->u.use.refcount, 2);
	assert_int_equal(fr(0x100)->u.use.refcount, 1);
	/* one dropped: room for one more, then none */
	assert_int_equal(pt_update(&ptf_s, addr(L1A, 0), 0), 0);
	assert_int_equal(pt_update(&ptf_s, addr(L1A, 2), ptf_section(ptf_mfn(0), false)), 0);
	assert_int_equal(pt_update(&ptf_s, addr(L1A, 0), ptf_section(ptf_mfn(0), false)), -VMM_E2BIG);
	assert_string_equal(ptf_s.why, "one section more than the domain's limit in this L1 table");
	assert_int_equal(pt_unpin(&ptf_s, ptf_mfn(L1A)), 0);
	ptf_model.l1[L1A] = false;
	assert_true(ptf_all_zero());
}

static void test_l1_section_limit_linear(void **state)
{
	(void)state;
	section_limit(true);
}

static void test_l1_section_limit_through_ops(void **state)
{
	(void)state;
	section_limit(false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_pin_l2_double_pin_unpin, setup),
		cmocka_unit_test_setup(test_l1_section_limit_linear, setup),
		cmocka_unit_test_setup(test_l1_section_limit_through_ops, setup),
		cmocka_unit_test_setup(test_pin_makes_checked_tables_visible_to_walker, setup),
		cmocka_unit_test_setup(test_pin_l1_alignment_and_owner, setup),
		cmocka_unit_test_setup(test_pin_l1_copies_hypervisor_and_sets_domain, setup),
		cmocka_unit_test_setup(test_domain_field_by_index, setup),
		cmocka_unit_test_setup(test_pin_l1_last_guest_entry_checked, setup),
		cmocka_unit_test_setup(test_pin_l1_rollback, setup),
		cmocka_unit_test_setup(test_pin_l1_refused_when_mapped_writable, setup),
		cmocka_unit_test_setup(test_pin_l2_rollback_last_entry, setup),
		cmocka_unit_test_setup(test_pin_l2_hostile_frames, setup),
		cmocka_unit_test_setup(test_l1_entry_needs_pinned_l2, setup),
		cmocka_unit_test_setup(test_update_addresses, setup),
		cmocka_unit_test_setup(test_update_ownership_edges, setup),
		cmocka_unit_test_setup(test_section_partial_owner_rolls_back, setup),
		cmocka_unit_test_setup(test_writable_page_table_refused, setup),
		cmocka_unit_test_setup(test_replace_and_flush, setup),
		cmocka_unit_test_setup(test_count_overflow, setup),
		cmocka_unit_test_setup(test_unpin_rules, setup),
		cmocka_unit_test_setup(test_set_base, setup),
		cmocka_unit_test_setup(test_update_va, setup),
		cmocka_unit_test_setup(test_random_against_model, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
