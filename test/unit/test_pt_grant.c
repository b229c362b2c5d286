/*
 * The page-table path for grant mappings (pt_grant_map / pt_grant_unmap):
 * the only way an entry maps a frame the domain does not own; guest
 * updates cannot replace or remove such an entry, its L2 cannot be
 * unpinned, and no page-table operation ever touches the foreign frame's
 * counts (the grant code owns them).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pt_fake.h"

#define L1A 0u
#define L2A 8u
#define DATA 16u
#define FOREIGN PTF_DOM_NR   /* first frame of the other domain */
#define VA 0x40005000u       /* L1 entry 0x400, L2 table 0 of L2A, page 5 */

static uint32_t addr(uint32_t frame, uint32_t index)
{
	return (ptf_mfn(frame) << 12) + 4 * index;
}

static int setup(void **state)
{
	(void)state;
	ptf_reset();
	assert_int_equal(pt_pin_l2(&ptf_s, ptf_mfn(L2A)), 0);
	assert_int_equal(pt_pin_l1(&ptf_s, ptf_mfn(L1A)), 0);
	assert_int_equal(pt_set_base(&ptf_s, ptf_mfn(L1A)), 0);
	assert_int_equal(pt_update(&ptf_s, addr(L1A, VA >> 20), ptf_table(ptf_mfn(L2A), 0)), 0);
	return 0;
}

static void test_grant_map_unmap(void **state)
{
	struct frame *f = &ptf_frames[FOREIGN];
	uint32_t pte = 0, flushes;

	(void)state;
	assert_int_equal(pt_grant_map(&ptf_s, VA, ptf_mfn(FOREIGN), false, &pte), 0);
	assert_int_equal(pte, addr(L2A, 5));
	assert_int_equal(ptf_get(pte), ptf_small(ptf_mfn(FOREIGN), true) | VMM_PTE_SMALL_XN);
	assert_int_equal(f->u.use.refcount, 0); /* counts are the grant code's */
	/* read-only variant */
	assert_int_equal(pt_grant_map(&ptf_s, VA + 0x1000u, ptf_mfn(FOREIGN), true, &pte), 0);
	assert_int_equal(ptf_get(pte), ptf_small(ptf_mfn(FOREIGN), false) | VMM_PTE_SMALL_XN);
	/* guest updates may neither replace nor remove a grant mapping */
	assert_int_equal(pt_update(&ptf_s, addr(L2A, 5), 0), -VMM_EPERM);
	assert_int_equal(pt_update_va(&ptf_s, VA, ptf_small(ptf_mfn(DATA), true)), -VMM_EPERM);
	assert_int_equal(pt_update_va(&ptf_s, VA + 0x1000u, 0), -VMM_EPERM);
	assert_int_equal(ptf_get(addr(L2A, 5)), ptf_small(ptf_mfn(FOREIGN), true) | VMM_PTE_SMALL_XN);
	/* the L2 holding it cannot be unpinned (even once no L1 entry points at it) */
	assert_int_equal(pt_update(&ptf_s, addr(L1A, VA >> 20), 0), 0);
	assert_int_equal(pt_unpin(&ptf_s, ptf_mfn(L2A)), -VMM_EBUSY);
	assert_int_equal(pt_update(&ptf_s, addr(L1A, VA >> 20), ptf_table(ptf_mfn(L2A), 0)), 0);
	/* unmap: wrong frame, wrong entry, not a table, then right */
	assert_int_equal(pt_grant_unmap(&ptf_s, addr(L2A, 5), ptf_mfn(FOREIGN + 1)), -VMM_EINVAL);
	assert_int_equal(pt_grant_unmap(&ptf_s, addr(L2A, 7), ptf_mfn(FOREIGN)), -VMM_EINVAL);
	assert_int_equal(pt_grant_unmap(&ptf_s, addr(L2A, 5) + 1, ptf_mfn(FOREIGN)), -VMM_EINVAL);
	assert_int_equal(pt_grant_unmap(&ptf_s, addr(DATA, 5), ptf_mfn(FOREIGN)), -VMM_EINVAL);
	assert_int_equal(pt_grant_unmap(&ptf_s, addr(FOREIGN, 0), ptf_mfn(FOREIGN)), -VMM_EINVAL);
	flushes = ptf_hw.flush_all;
	assert_int_equal(pt_grant_unmap(&ptf_s, addr(L2A, 5), ptf_mfn(FOREIGN)), 0);
	assert_int_equal(ptf_get(addr(L2A, 5)), 0);
	assert_true(ptf_s.flush_pending);
	pt_flush_pending(&ptf_s);
	assert_int_equal(ptf_hw.flush_all, flushes + 1);
	assert_int_equal(pt_grant_unmap(&ptf_s, addr(L2A, 5), ptf_mfn(FOREIGN)), -VMM_EINVAL); /* twice */
	/* an own-frame entry is not a grant mapping: unmap refuses it */
	assert_int_equal(pt_update_va(&ptf_s, VA, ptf_small(ptf_mfn(DATA), true)), 0);
	assert_int_equal(pt_grant_unmap(&ptf_s, addr(L2A, 5), ptf_mfn(DATA)), -VMM_EINVAL);
	assert_int_equal(pt_update_va(&ptf_s, VA, 0), 0);
	/* unpinning, after the last grant mapping is gone, touches no foreign count */
	assert_int_equal(pt_grant_unmap(&ptf_s, addr(L2A, 6), ptf_mfn(FOREIGN)), 0);
	assert_int_equal(pt_update(&ptf_s, addr(L1A, VA >> 20), 0), 0);
	assert_int_equal(pt_unpin(&ptf_s, ptf_mfn(L2A)), 0);
	assert_int_equal(f->u.use.refcount, 0);
	assert_int_equal(ptf_frames[DATA].u.use.refcount, 0);
	assert_false(ptf_hw.bad_access);
}

static void test_grant_map_refusals(void **state)
{
	uint32_t pte = 0xDEADu;

	(void)state;
	/* something mapped there already */
	assert_int_equal(pt_update_va(&ptf_s, VA, ptf_small(ptf_mfn(DATA), false)), 0);
	assert_int_equal(pt_grant_map(&ptf_s, VA, ptf_mfn(FOREIGN), true, &pte), -VMM_EBUSY);
	assert_int_equal(ptf_get(addr(L2A, 5)), ptf_small(ptf_mfn(DATA), false));
	/* the domain's own frame */
	assert_int_equal(pt_grant_map(&ptf_s, VA + 0x1000u, ptf_mfn(DATA), true, &pte), -VMM_EINVAL);
	/* no L2 at the address, the hypervisor's region */
	assert_int_equal(pt_grant_map(&ptf_s, 0x50000000u, ptf_mfn(FOREIGN), true, &pte), -VMM_EINVAL);
	assert_int_equal(pt_grant_map(&ptf_s, VMM_HYPERVISOR_VA_BASE, ptf_mfn(FOREIGN), true, &pte), -VMM_EPERM);
	assert_int_equal(pt_grant_map(&ptf_s, 0xFFFFF000u, ptf_mfn(FOREIGN), true, &pte), -VMM_EPERM);
	/* the last page below the hypervisor is fine once an L2 maps it */
	assert_int_equal(pt_update(&ptf_s, addr(L1A, (VMM_HYPERVISOR_VA_BASE >> 20) - 1),
				   ptf_table(ptf_mfn(L2A), 1)), 0);
	assert_int_equal(pt_grant_map(&ptf_s, VMM_HYPERVISOR_VA_BASE - 0x1000u, ptf_mfn(FOREIGN), true, &pte), 0);
	assert_int_equal(pte, addr(L2A, 256 + 255));
	/* no current L1 */
	ptf_s.base_mfn = PT_NO_BASE;
	assert_int_equal(pt_grant_map(&ptf_s, VA + 0x2000u, ptf_mfn(FOREIGN), true, &pte), -VMM_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_grant_map_unmap, setup),
		cmocka_unit_test_setup(test_grant_map_refusals, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
