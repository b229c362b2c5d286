/*
 * pt_check: every ARMv7-A short-descriptor rule at its last accepted and
 * first refused value, the memory-type and access-permission fields
 * exhaustively, and the public constants of vmm/mmu.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "pt_check.h"
#include "vmm/abi.h"
#include "vmm/mmu.h"

/* Accepted values to start from. */
#define SECT_OK (0x40100000u | VMM_PTE_L1_SECTION | VMM_PTE_SECT_NORMAL | VMM_PTE_SECT_RW | VMM_PTE_SECT_NG)
#define TABLE_OK (0x40123400u | VMM_PTE_L1_TABLE)
#define SMALL_OK (0x40123000u | VMM_PTE_L2_SMALL | VMM_PTE_SMALL_NORMAL | VMM_PTE_SMALL_RW | VMM_PTE_SMALL_NG)

static int l1(uint32_t val, struct pt_entry_info *e)
{
	const char *why = NULL;
	int r = pt_check_l1e(val, e, &why);

	if (r)
		assert_non_null(why);
	return r;
}

static int l2(uint32_t val, struct pt_entry_info *e)
{
	const char *why = NULL;
	int r = pt_check_l2e(val, e, &why);

	if (r)
		assert_non_null(why);
	return r;
}

static void test_l1_fault_any_bits(void **state)
{
	struct pt_entry_info e;

	(void)state;
	assert_int_equal(l1(0, &e), 0);
	assert_int_equal(e.kind, PT_KIND_FAULT);
	assert_int_equal(l1(0xFFFFFFFCu, &e), 0);
	assert_int_equal(e.kind, PT_KIND_FAULT);
	assert_int_equal(e.nr, 0);
}

static void test_l1_section_decoded(void **state)
{
	struct pt_entry_info e;

	(void)state;
	assert_int_equal(l1(SECT_OK, &e), 0);
	assert_int_equal(e.kind, PT_KIND_SECTION);
	assert_int_equal(e.mfn, 0x40100u);
	assert_int_equal(e.nr, 256);
	assert_true(e.writable);
	assert_int_equal(l1((SECT_OK & ~VMM_PTE_SECT_RW) | VMM_PTE_SECT_RO, &e), 0);
	assert_false(e.writable);
	/* XN and the domain field are the guest's to leave as they are. */
	assert_int_equal(l1(SECT_OK | VMM_PTE_SECT_XN, &e), 0);
	assert_int_equal(l1(SECT_OK | PT_DOMAIN_MASK, &e), 0);
	assert_int_equal(l1(0xFFF00000u | (SECT_OK & 0xFFFFFu), &e), 0);
	assert_int_equal(e.mfn, 0xFFF00u);
}

static void test_l1_section_refused_bits(void **state)
{
	struct pt_entry_info e;

	(void)state;
	assert_int_equal(l1(SECT_OK | PT_SECT_SUPER, &e), -VMM_EINVAL);
	assert_int_equal(l1(SECT_OK | PT_SECT_NS, &e), -VMM_EINVAL);
	assert_int_equal(l1(SECT_OK | PT_SECT_IMP, &e), -VMM_EINVAL);
	assert_int_equal(l1(SECT_OK & ~PT_SECT_NG, &e), -VMM_EINVAL);
	assert_int_equal(l1(SECT_OK | PT_SECT_S, &e), -VMM_EINVAL);
	/* bits 1:0 = 11: PXN section */
	assert_int_equal(l1(SECT_OK | 1u, &e), -VMM_EINVAL);
}

static void test_l1_section_mem_and_ap_exhaustive(void **state)
{
	uint32_t tex, cb, s, ap;
	struct pt_entry_info e;

	(void)state;
	for (tex = 0; tex < 8; tex++)
		for (cb = 0; cb < 4; cb++)
			for (s = 0; s < 2; s++)
				for (ap = 0; ap < 8; ap++) {
					uint32_t v = (SECT_OK & ~(PT_SECT_MEM_MASK | (3u << 10) | PT_SECT_APX)) |
						     (tex << 12) | (cb << 2) | (s << 16) | ((ap & 3) << 10) |
						     ((ap & 4) ? PT_SECT_APX : 0);
					int ok = tex == 1 && cb == 3 && s == 0 && (ap == 3 || ap == 7);

					assert_int_equal(l1(v, &e), ok ? 0 : -VMM_EINVAL);
					if (ok)
						assert_int_equal(e.writable, ap == 3);
				}
}

static void test_l1_table(void **state)
{
	struct pt_entry_info e;

	(void)state;
	assert_int_equal(l1(TABLE_OK, &e), 0);
	assert_int_equal(e.kind, PT_KIND_TABLE);
	assert_int_equal(e.mfn, 0x40123u);
	assert_int_equal(e.nr, 0);
	assert_int_equal(l1(TABLE_OK | PT_DOMAIN_MASK, &e), 0);
	assert_int_equal(l1(TABLE_OK | PT_TABLE_PXN, &e), -VMM_EINVAL);
	assert_int_equal(l1(TABLE_OK | PT_TABLE_NS, &e), -VMM_EINVAL);
	assert_int_equal(l1(TABLE_OK | PT_TABLE_SBZ, &e), -VMM_EINVAL);
	assert_int_equal(l1(TABLE_OK | PT_TABLE_IMP, &e), -VMM_EINVAL);
}

static void test_l2_small(void **state)
{
	struct pt_entry_info e;

	(void)state;
	assert_int_equal(l2(SMALL_OK, &e), 0);
	assert_int_equal(e.kind, PT_KIND_PAGE);
	assert_int_equal(e.mfn, 0x40123u);
	assert_int_equal(e.nr, 1);
	assert_true(e.writable);
	assert_int_equal(l2(SMALL_OK | VMM_PTE_SMALL_XN, &e), 0);
	assert_int_equal(e.kind, PT_KIND_PAGE);
	assert_int_equal(l2((SMALL_OK & ~VMM_PTE_SMALL_RW) | VMM_PTE_SMALL_RO, &e), 0);
	assert_false(e.writable);
	assert_int_equal(l2(SMALL_OK & ~PT_SMALL_NG, &e), -VMM_EINVAL);
	assert_int_equal(l2(SMALL_OK | PT_SMALL_S, &e), -VMM_EINVAL);
}

static void test_l2_fault_and_large(void **state)
{
	struct pt_entry_info e;

	(void)state;
	assert_int_equal(l2(0, &e), 0);
	assert_int_equal(e.kind, PT_KIND_FAULT);
	assert_int_equal(l2(0xFFFFFFFCu, &e), 0);
	assert_int_equal(e.kind, PT_KIND_FAULT);
	/* large page, even with otherwise good attributes */
	assert_int_equal(l2((SMALL_OK & ~3u) | PT_L2_LARGE, &e), -VMM_EINVAL);
}

static void test_l2_mem_and_ap_exhaustive(void **state)
{
	uint32_t tex, cb, s, ap;
	struct pt_entry_info e;

	(void)state;
	for (tex = 0; tex < 8; tex++)
		for (cb = 0; cb < 4; cb++)
			for (s = 0; s < 2; s++)
				for (ap = 0; ap < 8; ap++) {
					uint32_t v = (SMALL_OK & ~(PT_SMALL_MEM_MASK | (3u << 4) | PT_SMALL_APX)) |
						     (tex << 6) | (cb << 2) | (s << 10) | ((ap & 3) << 4) |
						     ((ap & 4) ? PT_SMALL_APX : 0);
					int ok = tex == 1 && cb == 3 && s == 0 && (ap == 3 || ap == 7);

					assert_int_equal(l2(v, &e), ok ? 0 : -VMM_EINVAL);
					if (ok)
						assert_int_equal(e.writable, ap == 3);
				}
}

static void test_store_sets_domain(void **state)
{
	(void)state;
	assert_int_equal(pt_l1e_store(SECT_OK | PT_DOMAIN_MASK, 1), SECT_OK | (1u << 5));
	assert_int_equal(pt_l1e_store(TABLE_OK | (7u << 5), 0), TABLE_OK);
	assert_int_equal(pt_l1e_store(TABLE_OK, 15), TABLE_OK | PT_DOMAIN_MASK);
	/* Fault entries are stored as written. */
	assert_int_equal(pt_l1e_store(0x1E0u, 1), 0x1E0u);
}

/* The ARM domain follows the VA an L1 entry translates (vmm/mmu.h), at each edge. */
static void test_arm_domain_by_index(void **state)
{
	(void)state;
	assert_int_equal(pt_arm_domain_of(0), VMM_ARM_DOMAIN_GUEST_USER);
	assert_int_equal(pt_arm_domain_of(0xBFF), VMM_ARM_DOMAIN_GUEST_USER);
	assert_int_equal(pt_arm_domain_of(0xC00), VMM_ARM_DOMAIN_GUEST_KERNEL);
	assert_int_equal(pt_arm_domain_of(0xDFF), VMM_ARM_DOMAIN_GUEST_KERNEL);
	assert_int_equal(pt_arm_domain_of(0xE00), VMM_ARM_DOMAIN_HYP);
	assert_int_equal(pt_arm_domain_of(0xFFF), VMM_ARM_DOMAIN_HYP);
	assert_int_not_equal(VMM_ARM_DOMAIN_GUEST_USER, VMM_ARM_DOMAIN_GUEST_KERNEL);
}

static void test_public_constants(void **state)
{
	(void)state;
	assert_int_equal(VMM_PTE_SECT_NORMAL, PT_SECT_MEM_WBWA);
	assert_int_equal(VMM_PTE_SMALL_NORMAL, PT_SMALL_MEM_WBWA);
	assert_int_equal(sizeof(struct vmm_mmu_update), 8);
	assert_int_equal(sizeof(struct vmm_mmuext_op), 12);
	assert_int_equal(sizeof(struct vmm_multicall_entry), 24);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_l1_fault_any_bits),
		cmocka_unit_test(test_l1_section_decoded),
		cmocka_unit_test(test_l1_section_refused_bits),
		cmocka_unit_test(test_l1_section_mem_and_ap_exhaustive),
		cmocka_unit_test(test_l1_table),
		cmocka_unit_test(test_l2_small),
		cmocka_unit_test(test_l2_fault_and_large),
		cmocka_unit_test(test_l2_mem_and_ap_exhaustive),
		cmocka_unit_test(test_store_sets_domain),
		cmocka_unit_test(test_arm_domain_by_index),
		cmocka_unit_test(test_public_constants),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
