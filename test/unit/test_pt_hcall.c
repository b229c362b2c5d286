/*
 * mmu_update, update_va_mapping, mmuext_op and multicall: batches stop at
 * the first refusal with the done count reported and the rest untouched,
 * argument limits at their edges, hostile pointers, TLB flush flags, the
 * multicall whitelist, and one rate-limited [VMM] line per refusal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fake_port.h"
#include "log.h"
#include "pt_fake.h"
#include "pt_hcall.h"

#define L1A 0u
#define L2A 8u
#define DATA 16u
#define REQS PTF_GVA           /* request arrays in guest memory */
#define DONE (PTF_GVA + 0x3000u) /* the done count */

static uint32_t addr(uint32_t frame, uint32_t index)
{
	return (ptf_mfn(frame) << 12) + 4 * index;
}

static int setup(void **state)
{
	(void)state;
	fake_reset();
	ptf_reset();
	memset(&ptf_model, 0, sizeof(ptf_model));
	assert_int_equal(pt_pin_l2(&ptf_s, ptf_mfn(L2A)), 0);
	assert_int_equal(pt_pin_l1(&ptf_s, ptf_mfn(L1A)), 0);
	assert_int_equal(pt_set_base(&ptf_s, ptf_mfn(L1A)), 0);
	ptf_model.l1[L1A] = ptf_model.l2[L2A] = true;
	ptf_s.flush_pending = false;
	ptf_hw.flush_all = 0;
	fake_console_clear();
	return 0;
}

static void check_model(void)
{
	const char *err = ptf_model_check();

	if (err)
		fail_msg("%s", err);
}

static void put_req(uint32_t i, uint32_t ptr, uint32_t val)
{
	struct vmm_mmu_update r = {ptr, val};

	memcpy(&ptf_guest[i * sizeof(r)], &r, sizeof(r));
}

static void put_ext(uint32_t i, uint32_t cmd, uint32_t arg1, uint32_t arg2)
{
	struct vmm_mmuext_op op = {cmd, arg1, arg2};

	memcpy(&ptf_guest[i * sizeof(op)], &op, sizeof(op));
}

static uint32_t done_word(void)
{
	uint32_t v;

	memcpy(&v, &ptf_guest[DONE - PTF_GVA], 4);
	return v;
}

static bool logged(const char *s)
{
	return strstr(fake_hw.console, s) != NULL;
}

static void test_mmu_update_batch_stops_at_refusal(void **state)
{
	(void)state;
	put_req(0, addr(L2A, 0), ptf_small(ptf_mfn(DATA), true));
	put_req(1, addr(L2A, 1), ptf_small(ptf_mfn(DATA + 1), true));
	put_req(2, addr(L2A, 2), ptf_small(ptf_mfn(PTF_DOM_NR), true)); /* other domain's */
	put_req(3, addr(L2A, 3), ptf_small(ptf_mfn(DATA + 3), true));
	assert_int_equal(pt_mmu_update(&ptf_s, REQS, 4, DONE, VMM_DOMID_SELF), -VMM_EPERM);
	assert_int_equal(done_word(), 2);
	assert_int_equal(ptf_get(addr(L2A, 1)), ptf_small(ptf_mfn(DATA + 1), true));
	assert_int_equal(ptf_get(addr(L2A, 2)), 0);
	assert_int_equal(ptf_get(addr(L2A, 3)), 0);
	assert_int_equal(ptf_frames[DATA + 3].u.use.refcount, 0);
	assert_true(logged("[VMM] dom1: mmu_update: request 2"));
	assert_true(logged("does not own"));
	check_model();
	/* The whole batch, done = count. */
	put_req(2, addr(L2A, 2), ptf_small(ptf_mfn(DATA + 2), true));
	assert_int_equal(pt_mmu_update(&ptf_s, REQS, 4, DONE, VMM_DOMID_SELF), 0);
	assert_int_equal(done_word(), 4);
	/* Rewriting mapped entries dropped mappings: one flush before returning. */
	assert_int_equal(ptf_hw.flush_all, 1);
	assert_false(ptf_s.flush_pending);
	check_model();
	/* Without a done pointer. */
	assert_int_equal(pt_mmu_update(&ptf_s, REQS, 4, 0, VMM_DOMID_SELF), 0);
	assert_int_equal(pt_mmu_update(&ptf_s, REQS, 0, DONE, VMM_DOMID_SELF), 0);
	assert_int_equal(done_word(), 0);
}

static void test_mmu_update_first_request_refused(void **state)
{
	(void)state;
	put_req(0, addr(L1A, PTF_HV_FIRST), 0);
	put_req(1, addr(L2A, 0), ptf_small(ptf_mfn(DATA), true));
	assert_int_equal(pt_mmu_update(&ptf_s, REQS, 2, DONE, VMM_DOMID_SELF), -VMM_EPERM);
	assert_int_equal(done_word(), 0);
	assert_int_equal(ptf_get(addr(L2A, 0)), 0);
	assert_int_equal(ptf_hw.flush_all, 0);
}

static void test_mmu_update_limits(void **state)
{
	uint32_t i;

	(void)state;
	for (i = 0; i < VMM_MMU_UPDATE_MAX; i++)
		put_req(i, addr(L2A, i), ptf_small(ptf_mfn(DATA), false));
	assert_int_equal(pt_mmu_update(&ptf_s, REQS, VMM_MMU_UPDATE_MAX + 1, DONE, VMM_DOMID_SELF), -VMM_E2BIG);
	assert_int_equal(done_word(), 0);
	assert_int_equal(ptf_frames[DATA].u.use.refcount, 0);
	assert_int_equal(pt_mmu_update(&ptf_s, REQS, VMM_MMU_UPDATE_MAX, DONE, VMM_DOMID_SELF), 0);
	assert_int_equal(done_word(), VMM_MMU_UPDATE_MAX);
	assert_int_equal(ptf_frames[DATA].u.use.refcount, VMM_MMU_UPDATE_MAX);
	/* foreign domains */
	assert_int_equal(pt_mmu_update(&ptf_s, REQS, 1, DONE, 0), -VMM_EPERM);
	assert_int_equal(pt_mmu_update(&ptf_s, REQS, 1, DONE, VMM_DOMID_SELF + 1), -VMM_EPERM);
	assert_int_equal(pt_mmu_update(&ptf_s, REQS, 1, DONE, VMM_DOMID_SELF - 1), -VMM_EPERM);
	check_model();
}

static void test_mmu_update_hostile_pointers(void **state)
{
	uint32_t last = PTF_GVA + PTF_GSIZE - 8;

	(void)state;
	/* The request array runs past guest memory: the ones inside are done. */
	put_req((last - PTF_GVA) / 8, addr(L2A, 0), ptf_small(ptf_mfn(DATA), false));
	assert_int_equal(pt_mmu_update(&ptf_s, last, 1, 0, VMM_DOMID_SELF), 0);
	assert_int_equal(pt_mmu_update(&ptf_s, last, 2, DONE, VMM_DOMID_SELF), -VMM_EFAULT);
	assert_int_equal(done_word(), 1);
	assert_int_equal(ptf_frames[DATA].u.use.refcount, 1); /* the same entry rewritten */
	/* Wrapping the 4 GiB space (refused before anything, done untouched), ending exactly at
	 * 4 GiB (not wrapping: refused when the request is read, done = 0), outside, done
	 * pointer outside or straddling. */
	memcpy(&ptf_guest[DONE - PTF_GVA], "\x34\x12\0\0", 4);
	assert_int_equal(pt_mmu_update(&ptf_s, 0xFFFFFFF8u, 2, DONE, VMM_DOMID_SELF), -VMM_EFAULT);
	assert_int_equal(done_word(), 0x1234);
	assert_true(logged("mmu_update: requests at 0xfffffff8 wrap the address space"));
	assert_int_equal(pt_mmu_update(&ptf_s, 0xFFFFFFF8u, 1, DONE, VMM_DOMID_SELF), -VMM_EFAULT);
	assert_int_equal(done_word(), 0);
	assert_int_equal(pt_mmu_update(&ptf_s, 0, 1, 0, VMM_DOMID_SELF), -VMM_EFAULT);
	assert_int_equal(pt_mmu_update(&ptf_s, REQS, 1, PTF_GVA + PTF_GSIZE - 3, VMM_DOMID_SELF), -VMM_EFAULT);
	put_req(0, addr(L2A, 5), ptf_small(ptf_mfn(DATA + 5), false));
	assert_int_equal(pt_mmu_update(&ptf_s, REQS, 1, 4, VMM_DOMID_SELF), -VMM_EFAULT);
	assert_int_equal(ptf_get(addr(L2A, 5)), 0); /* a bad done pointer: nothing done */
	assert_int_equal(ptf_frames[DATA + 5].u.use.refcount, 0);
	assert_int_equal(ptf_frames[DATA].u.use.refcount, 1);
	/* Reserved commands in the low bits. */
	put_req(0, addr(L2A, 4) | 1u, 0);
	assert_int_equal(pt_mmu_update(&ptf_s, REQS, 1, DONE, VMM_DOMID_SELF), -VMM_EINVAL);
	put_req(0, addr(L2A, 4) | 3u, 0);
	assert_int_equal(pt_mmu_update(&ptf_s, REQS, 1, DONE, VMM_DOMID_SELF), -VMM_EINVAL);
	put_req(0, addr(L2A, 4) | 2u, 0);
	assert_int_equal(pt_mmu_update(&ptf_s, REQS, 1, DONE, VMM_DOMID_SELF), -VMM_EINVAL);
	assert_true(logged("reserved command 2"));
	check_model();
}

static void test_update_va_mapping_flags(void **state)
{
	uint32_t va = 0x00345000u;

	(void)state;
	assert_int_equal(pt_update(&ptf_s, addr(L1A, 3), ptf_table(ptf_mfn(L2A), 1)), 0);
	assert_int_equal(pt_update_va_mapping(&ptf_s, va, ptf_small(ptf_mfn(DATA), true), 3), -VMM_EINVAL);
	assert_int_equal(pt_update_va_mapping(&ptf_s, va, ptf_small(ptf_mfn(DATA), true), 4), -VMM_EINVAL);
	assert_int_equal(pt_update_va_mapping(&ptf_s, va, ptf_small(ptf_mfn(DATA), true), 0x80000000u), -VMM_EINVAL);
	assert_int_equal(ptf_frames[DATA].u.use.refcount, 0);
	assert_int_equal(pt_update_va_mapping(&ptf_s, va, ptf_small(ptf_mfn(DATA), true), VMM_UVMF_NONE), 0);
	assert_int_equal(ptf_hw.flush_all + ptf_hw.flush_va, 0);
	assert_int_equal(ptf_get(addr(L2A, 256 + 0x45)), ptf_small(ptf_mfn(DATA), true));
	/* Replacing a mapping: the hypervisor flushes everything whatever the flags. */
	assert_int_equal(pt_update_va_mapping(&ptf_s, va, ptf_small(ptf_mfn(DATA), false), VMM_UVMF_INVLPG), 0);
	assert_int_equal(ptf_hw.flush_all, 1);
	assert_int_equal(ptf_hw.flush_va, 0);
	assert_int_equal(pt_update_va_mapping(&ptf_s, va + 0x1000, ptf_small(ptf_mfn(DATA), false), VMM_UVMF_INVLPG), 0);
	assert_int_equal(ptf_hw.flush_va, 1);
	assert_int_equal(ptf_hw.last_va, va + 0x1000);
	assert_int_equal(pt_update_va_mapping(&ptf_s, va + 0x2000, ptf_small(ptf_mfn(DATA), false), VMM_UVMF_TLB_FLUSH), 0);
	assert_int_equal(ptf_hw.flush_all, 2);
	/* Refused: the hypervisor's region, no L2 there, bad value. */
	assert_int_equal(pt_update_va_mapping(&ptf_s, VMM_HYPERVISOR_VA_BASE, 0, 0), -VMM_EPERM);
	assert_int_equal(pt_update_va_mapping(&ptf_s, 0x00445000u, 0, 0), -VMM_EINVAL);
	assert_int_equal(pt_update_va_mapping(&ptf_s, va, ptf_small(ptf_mfn(L1A), true), 0), -VMM_EBUSY);
	assert_true(logged("update_va_mapping: va 0x00345000"));
	assert_true(logged("writable mapping of a page-table frame"));
	check_model();
}

/*
 * update_va_mapping's fast path: the plain map of an empty entry takes it
 * (direct store + walker sync, no ops->write); every other case falls
 * through to the general path with the same result as without the fast
 * path, each boundary of its conditions included.
 */
static void test_update_va_mapping_fast_path(void **state)
{
	uint32_t va = 0x00345000u, writes;
	struct pt_entry_info info;
	const char *why;

	(void)state;
	assert_int_equal(pt_update(&ptf_s, addr(L1A, 3), ptf_table(ptf_mfn(L2A), 1)), 0);
	writes = ptf_hw.writes;
	/* Taken: RW and RO, with and without XN, INVLPG flushes the one VA. */
	assert_true(pt_update_va_fast(&ptf_s, va, ptf_small(ptf_mfn(DATA), true), VMM_UVMF_NONE));
	assert_true(pt_update_va_fast(&ptf_s, va + 0x1000, ptf_small(ptf_mfn(DATA), false) | VMM_PTE_SMALL_XN,
				      VMM_UVMF_INVLPG));
	assert_int_equal(ptf_hw.writes, writes);
	assert_int_equal(ptf_hw.entry_syncs, 2);
	assert_int_equal(ptf_hw.flush_va, 1);
	assert_int_equal(ptf_hw.last_va, va + 0x1000);
	assert_int_equal(ptf_hw.flush_all, 0);
	assert_int_equal(ptf_frames[DATA].u.use.refcount, 2);
	assert_int_equal(ptf_frames[DATA].u.use.type_count, 1);
	assert_int_equal(ptf_frames[DATA].type, FRAME_TYPE_WRITABLE);
	assert_int_equal(pt_check_l2e(ptf_get(addr(L2A, 256 + 0x46)), &info, &why), 0);
	check_model();
	/* Not taken, nothing changed: */
	assert_false(pt_update_va_fast(&ptf_s, va, ptf_small(ptf_mfn(DATA + 1), true), 0));       /* entry in use */
	assert_false(pt_update_va_fast(&ptf_s, va + 0x2000, ptf_small(ptf_mfn(DATA), true), VMM_UVMF_TLB_FLUSH));
	assert_false(pt_update_va_fast(&ptf_s, va + 0x2000, ptf_small(ptf_mfn(DATA), true) | PT_SMALL_S, 0));
	assert_false(pt_update_va_fast(&ptf_s, va + 0x2000, ptf_small(ptf_mfn(DATA), true) & ~PT_SMALL_NG, 0));
	assert_false(pt_update_va_fast(&ptf_s, va + 0x2000, ptf_small(ptf_mfn(L1A), true), 0));   /* table frame RW */
	assert_false(pt_update_va_fast(&ptf_s, va + 0x2000, ptf_small(ptf_mfn(PTF_DOM_NR), false), 0)); /* other's */
	assert_false(pt_update_va_fast(&ptf_s, va + 0x2000, ptf_small(ptf_mfn(PTF_NR), false), 0));  /* past RAM */
	assert_false(pt_update_va_fast(&ptf_s, 0x00445000u, ptf_small(ptf_mfn(DATA), true), 0));  /* no L2 */
	assert_false(pt_update_va_fast(&ptf_s, VMM_HYPERVISOR_VA_BASE + 0x5000u, ptf_small(ptf_mfn(DATA), true), 0));
	assert_int_equal(ptf_frames[DATA].u.use.refcount, 2);
	assert_int_equal(ptf_hw.entry_syncs, 2);
	check_model();
	/* The same through the hypercall: the general path's answers. */
	assert_int_equal(pt_update_va_mapping(&ptf_s, va + 0x2000, ptf_small(ptf_mfn(L1A), true), 0), -VMM_EBUSY);
	assert_int_equal(pt_update_va_mapping(&ptf_s, va + 0x2000, ptf_small(ptf_mfn(L1A), false), 0), 0);
	assert_int_equal(pt_update_va_mapping(&ptf_s, va + 0x3000, ptf_small(ptf_mfn(PTF_DOM_NR), false), 0),
			 -VMM_EPERM);
	assert_int_equal(pt_update_va_mapping(&ptf_s, va + 0x3000, ptf_small(ptf_mfn(PTF_OTHER_END), false), 0),
			 -VMM_EPERM);
	assert_int_equal(pt_update_va_mapping(&ptf_s, va + 0x3000, ptf_small(ptf_mfn(DATA), true) | PT_SMALL_S, 0),
			 -VMM_EINVAL);
	/* The read-only mapping of a table frame went the slow way, a writable one is refused fast or slow. */
	assert_int_equal(ptf_frames[DATA].u.use.refcount, 2);
	/* Counts at their limit: the general path reports the overflow. */
	ptf_frames[DATA + 2].u.use.refcount = FRAME_COUNT_MAX;
	assert_false(pt_update_va_fast(&ptf_s, va + 0x3000, ptf_small(ptf_mfn(DATA + 2), false), 0));
	assert_int_equal(pt_update_va_mapping(&ptf_s, va + 0x3000, ptf_small(ptf_mfn(DATA + 2), false), 0),
			 -VMM_ENOSPC);
	ptf_frames[DATA + 2].u.use.refcount = 0;
	ptf_frames[DATA + 3].type = FRAME_TYPE_WRITABLE;
	ptf_frames[DATA + 3].u.use.type_count = FRAME_COUNT_MAX;
	assert_false(pt_update_va_fast(&ptf_s, va + 0x3000, ptf_small(ptf_mfn(DATA + 3), true), 0));
	assert_true(pt_update_va_fast(&ptf_s, va + 0x3000, ptf_small(ptf_mfn(DATA + 3), false), 0)); /* RO: no type */
	assert_int_equal(pt_update_va_mapping(&ptf_s, va + 0x4000, ptf_small(ptf_mfn(DATA + 3), true), 0),
			 -VMM_ENOSPC);
	ptf_frames[DATA + 3].u.use.type_count = 0;
	ptf_frames[DATA + 3].type = FRAME_TYPE_NONE;
	check_model();
	/* The L2 entry must lie inside the linear window: a window ending right before it, not taken. */
	pt_space_linear(&ptf_s, PTF_BASE << 12, L2A * 4096u + 1024u + 4u * 0x4A, ptf_mem);
	assert_false(pt_update_va_fast(&ptf_s, va + 0x5000, ptf_small(ptf_mfn(DATA), false), 0));
	pt_space_linear(&ptf_s, PTF_BASE << 12, L2A * 4096u + 1024u + 4u * 0x4A + 4u, ptf_mem);
	assert_true(pt_update_va_fast(&ptf_s, va + 0x5000, ptf_small(ptf_mfn(DATA), false), 0));
	check_model();
}

/*
 * The pt_fast block the assembly reads (arch/armv7/pt_fast.S) and the C
 * reference's checks on it: derived at init, on a new window, a new base
 * and a zone change; the frame word rules at their boundaries.
 */
static void test_update_va_fast_block(void **state)
{
	uint32_t va = 0x00345000u;

	(void)state;
	assert_int_equal(pt_update(&ptf_s, addr(L1A, 3), ptf_table(ptf_mfn(L2A), 1)), 0);
	assert_int_equal(ptf_s.fast.owner_word, PTF_DOM | FRAME_TYPE_WRITABLE << 16 | 0xFFu << 24);
	assert_int_equal(ptf_s.fast.ones, 0xFFFFFFFFu);
	assert_int_equal(ptf_s.fast.limit, PTF_HV_FIRST);
	assert_ptr_equal(ptf_s.fast.l1, ptf_mem);
	assert_int_equal(ptf_s.fast.lin_bias, (PTF_BASE << 12) + 1u);
	assert_int_equal(ptf_s.fast.lin_words, PTF_NR * 1024u);
	assert_ptr_equal(ptf_s.fast.dir, ptf_dir);
	assert_int_equal(ptf_s.fast.zone_bias, ((PTF_BASE & ~1023u) << 11) | 0x43Fu);
	assert_int_equal(ptf_s.fast.zone_nr, PTF_BASE + PTF_NR - (PTF_BASE & ~1023u));
	/* A window that is not word aligned: never used (the base stays where it is). */
	pt_space_linear(&ptf_s, (PTF_BASE << 12) + 2u, PTF_NR * 4096u, ptf_mem);
	assert_int_equal(ptf_s.fast.lin_words, 0);
	assert_false(pt_update_va_fast(&ptf_s, va, ptf_small(ptf_mfn(DATA), true), 0));
	pt_space_linear(&ptf_s, PTF_BASE << 12, PTF_NR * 4096u - 2u, ptf_mem);
	assert_int_equal(ptf_s.fast.lin_words, 0);
	pt_space_linear(&ptf_s, PTF_BASE << 12, PTF_NR * 4096u, ptf_mem);
	/* A current L1 outside the window: limit 0, nothing taken; back inside: taken. */
	pt_space_linear(&ptf_s, (PTF_BASE + 4) << 12, (PTF_NR - 4) * 4096u, ptf_mem + 4 * 4096u);
	pt_base_adopt(&ptf_s, ptf_mfn(L1A));
	assert_null(ptf_s.fast.l1);
	assert_int_equal(ptf_s.fast.limit, 0);
	assert_false(pt_update_va_fast(&ptf_s, 0, ptf_small(ptf_mfn(DATA), true), 0));
	pt_space_linear(&ptf_s, PTF_BASE << 12, PTF_NR * 4096u, ptf_mem);
	pt_base_adopt(&ptf_s, ptf_mfn(L1A));
	assert_int_equal(ptf_s.fast.limit, PTF_HV_FIRST);
	/* Frame word: untyped with type count 0 taken; typed otherwise with count 0 not
	 * (the general path takes it); untyped with a count (inconsistent) not; a free run
	 * head's order not. */
	ptf_frames[DATA + 1].type = FRAME_TYPE_L2;
	assert_false(pt_update_va_fast(&ptf_s, va, ptf_small(ptf_mfn(DATA + 1), true), 0));
	assert_int_equal(pt_update_va_mapping(&ptf_s, va, ptf_small(ptf_mfn(DATA + 1), true), 0), 0);
	assert_int_equal(ptf_frames[DATA + 1].type, FRAME_TYPE_WRITABLE);
	ptf_frames[DATA + 2].u.use.type_count = 1;
	assert_false(pt_update_va_fast(&ptf_s, va + 0x1000, ptf_small(ptf_mfn(DATA + 2), true), 0));
	ptf_frames[DATA + 2].u.use.type_count = 0;
	ptf_frames[DATA + 2].free_order = 0;
	assert_false(pt_update_va_fast(&ptf_s, va + 0x1000, ptf_small(ptf_mfn(DATA + 2), true), 0));
	ptf_frames[DATA + 2].free_order = FRAME_NOT_HEAD;
	assert_true(pt_update_va_fast(&ptf_s, va + 0x1000, ptf_small(ptf_mfn(DATA + 2), true), 0));
	/* Counts one below their limit: taken, to the limit. */
	ptf_frames[DATA + 3].type = FRAME_TYPE_WRITABLE;
	ptf_frames[DATA + 3].u.use.type_count = FRAME_COUNT_MAX - 1;
	ptf_frames[DATA + 3].u.use.refcount = FRAME_COUNT_MAX - 1;
	assert_true(pt_update_va_fast(&ptf_s, va + 0x2000, ptf_small(ptf_mfn(DATA + 3), true), 0));
	assert_int_equal(ptf_frames[DATA + 3].u.use.type_count, FRAME_COUNT_MAX);
	assert_int_equal(ptf_frames[DATA + 3].u.use.refcount, FRAME_COUNT_MAX);
	assert_false(pt_update_va_fast(&ptf_s, va + 0x3000, ptf_small(ptf_mfn(DATA + 3), false), 0));
	/* The zone's first and last frames are in it, the ones around it not. */
	assert_false(pt_update_va_fast(&ptf_s, va + 0x3000, ptf_small(PTF_BASE - 1, true), 0));
	assert_false(pt_update_va_fast(&ptf_s, va + 0x3000, ptf_small(PTF_BASE + PTF_NR, true), 0));
	assert_true(pt_update_va_fast(&ptf_s, va + 0x3000, ptf_small(ptf_mfn(PTF_DOM_NR - 1), true), 0));
	ptf_frames[PTF_NR - 1].owner = PTF_DOM;
	assert_true(pt_update_va_fast(&ptf_s, va + 0x4000, ptf_small(ptf_mfn(PTF_NR - 1), true), 0));
	assert_true(pt_update_va_fast(&ptf_s, va + 0x5000, ptf_small(ptf_mfn(0), false), 0));
}

/*
 * mmu_update's per-request fast path (pt_update_fast()): an empty entry of
 * a pinned L2 of the domain in the window, set to a fast-form page; each
 * other case falls through to pt_update() with its own answer.
 */
static void test_mmu_update_fast_path(void **state)
{
	uint32_t writes, e = addr(L2A, 0x10);

	(void)state;
	writes = ptf_hw.writes;
	assert_true(pt_update_fast(&ptf_s, e, ptf_small(ptf_mfn(DATA), true)));
	assert_true(pt_update_fast(&ptf_s, e + 4, ptf_small(ptf_mfn(DATA), false)));
	assert_int_equal(ptf_hw.writes, writes);
	assert_int_equal(ptf_hw.entry_syncs, 2);
	assert_int_equal(ptf_get(e), ptf_small(ptf_mfn(DATA), true));
	assert_int_equal(ptf_frames[DATA].u.use.refcount, 2);
	assert_int_equal(ptf_frames[DATA].u.use.type_count, 1);
	check_model();
	/* not taken, nothing changed */
	assert_false(pt_update_fast(&ptf_s, e, ptf_small(ptf_mfn(DATA + 1), true)));      /* entry in use */
	assert_false(pt_update_fast(&ptf_s, e + 10, ptf_small(ptf_mfn(DATA), true)));     /* misaligned */
	assert_false(pt_update_fast(&ptf_s, addr(L1A, 5), ptf_small(ptf_mfn(DATA), true))); /* an L1 */
	assert_false(pt_update_fast(&ptf_s, addr(DATA + 1, 5), ptf_small(ptf_mfn(DATA), true))); /* not a table */
	assert_false(pt_update_fast(&ptf_s, addr(PTF_DOM_NR, 5), ptf_small(ptf_mfn(DATA), true))); /* other's */
	assert_false(pt_update_fast(&ptf_s, (PTF_BASE + PTF_NR) << 12, ptf_small(ptf_mfn(DATA), true))); /* no zone */
	assert_false(pt_update_fast(&ptf_s, e + 8, ptf_small(ptf_mfn(L1A), true)));       /* table frame RW */
	assert_false(pt_update_fast(&ptf_s, e + 8, ptf_small(ptf_mfn(PTF_DOM_NR), false))); /* other's frame */
	assert_false(pt_update_fast(&ptf_s, e + 8, ptf_small(ptf_mfn(DATA), true) & ~PT_SMALL_NG)); /* global */
	assert_false(pt_update_fast(&ptf_s, e + 8, 0));
	ptf_frames[DATA + 1].type = FRAME_TYPE_L2;                                          /* typed L2, count 0 */
	assert_false(pt_update_fast(&ptf_s, addr(DATA + 1, 5), ptf_small(ptf_mfn(DATA), true)));
	ptf_frames[DATA + 1].type = FRAME_TYPE_NONE;
	/* an entry outside the window: the window ends right before it, then right after it */
	pt_space_linear(&ptf_s, PTF_BASE << 12, L2A * 4096u + 4u * 0x12, ptf_mem);
	assert_false(pt_update_fast(&ptf_s, e + 8, ptf_small(ptf_mfn(DATA), true)));
	pt_space_linear(&ptf_s, PTF_BASE << 12, L2A * 4096u + 4u * 0x13, ptf_mem);
	assert_true(pt_update_fast(&ptf_s, e + 8, ptf_small(ptf_mfn(DATA), true)));
	assert_int_equal(ptf_frames[DATA].u.use.refcount, 3);
	assert_int_equal(ptf_hw.entry_syncs, 3);
	check_model();
	/* through mmu_update: the general path's answers for the cases above */
	put_req(0, e + 12, ptf_small(ptf_mfn(DATA + 2), true));
	put_req(1, e, ptf_small(ptf_mfn(DATA + 1), true));
	put_req(2, e + 16, ptf_small(ptf_mfn(L1A), true));
	assert_int_equal(pt_mmu_update(&ptf_s, REQS, 3, DONE, VMM_DOMID_SELF), -VMM_EBUSY);
	assert_int_equal(done_word(), 2);
	assert_int_equal(ptf_get(e), ptf_small(ptf_mfn(DATA + 1), true));
	assert_int_equal(ptf_frames[DATA].u.use.refcount, 2);
	check_model();
}

/*
 * The hypervisor's half of the current L1 may hold table entries too (the
 * temporary-mapping MiB on the target): the fast path never writes through
 * them, whatever they point at.
 */
static void test_update_va_fast_never_in_hypervisor_region(void **state)
{
	(void)state;
	ptf_put(addr(L1A, 0xFFF), ptf_table(ptf_mfn(L2A), 2));
	ptf_put(addr(L1A, PTF_HV_FIRST), ptf_table(ptf_mfn(L2A), 3));
	assert_false(pt_update_va_fast(&ptf_s, 0xFFF01000u, ptf_small(ptf_mfn(DATA), true), 0));
	assert_false(pt_update_va_fast(&ptf_s, VMM_HYPERVISOR_VA_BASE, ptf_small(ptf_mfn(DATA), true), 0));
	assert_int_equal(pt_update_va_mapping(&ptf_s, VMM_HYPERVISOR_VA_BASE, ptf_small(ptf_mfn(DATA), true), 0),
			 -VMM_EPERM);
	assert_int_equal(ptf_get(addr(L2A, 512 + 1)), 0);
	assert_int_equal(ptf_get(addr(L2A, 768)), 0);
	assert_int_equal(ptf_frames[DATA].u.use.refcount, 0);
	/* One MiB below the region, the same table entry is the guest's: taken. */
	assert_int_equal(pt_update(&ptf_s, addr(L1A, PTF_HV_FIRST - 1), ptf_table(ptf_mfn(L2A), 3)), 0);
	assert_true(pt_update_va_fast(&ptf_s, VMM_HYPERVISOR_VA_BASE - 0x100000u, ptf_small(ptf_mfn(DATA), true), 0));
	ptf_put(addr(L1A, 0xFFF), ptf_hv_l1[0xFFF - PTF_HV_FIRST]);
	ptf_put(addr(L1A, PTF_HV_FIRST), ptf_hv_l1[0]);
	check_model();
}

static void test_mmuext_pin_unpin_base(void **state)
{
	(void)state;
	put_ext(0, VMM_MMUEXT_PIN_L2_TABLE, ptf_mfn(9), 0);
	put_ext(1, VMM_MMUEXT_PIN_L1_TABLE, ptf_mfn(4), 0);
	put_ext(2, VMM_MMUEXT_NEW_BASEPTR, ptf_mfn(4), 0);
	put_ext(3, VMM_MMUEXT_UNPIN_TABLE, ptf_mfn(L1A), 0);
	put_ext(4, VMM_MMUEXT_TLB_FLUSH_LOCAL, 0, 0);
	put_ext(5, VMM_MMUEXT_INVLPG_LOCAL, VMM_HYPERVISOR_VA_BASE - 1, 0);
	assert_int_equal(pt_mmuext_op(&ptf_s, REQS, 6, DONE, VMM_DOMID_SELF), 0);
	assert_int_equal(done_word(), 6);
	assert_int_equal(ptf_s.base_mfn, ptf_mfn(4));
	assert_int_equal(ptf_hw.base, ptf_mfn(4) << 12);
	assert_int_equal(ptf_hw.flush_va, 1);
	assert_int_equal(ptf_hw.last_va, VMM_HYPERVISOR_VA_BASE - 1);
	assert_int_equal(ptf_hw.flush_all, 1); /* unpin's pending flush done by TLB_FLUSH_LOCAL */
	ptf_model.l1[L1A] = false;
	ptf_model.l1[4] = ptf_model.l2[9] = true;
	check_model();
	/* Double pin and double unpin refused, the batch stops there. */
	put_ext(0, VMM_MMUEXT_PIN_L2_TABLE, ptf_mfn(9), 0);
	put_ext(1, VMM_MMUEXT_UNPIN_TABLE, ptf_mfn(9), 0);
	assert_int_equal(pt_mmuext_op(&ptf_s, REQS, 2, DONE, VMM_DOMID_SELF), -VMM_EEXIST);
	assert_int_equal(done_word(), 0);
	assert_true(logged("mmuext_op: op 0 (cmd 1"));
	put_ext(0, VMM_MMUEXT_UNPIN_TABLE, ptf_mfn(9), 0);
	assert_int_equal(pt_mmuext_op(&ptf_s, REQS, 2, DONE, VMM_DOMID_SELF), -VMM_EINVAL);
	assert_int_equal(done_word(), 1);
	ptf_model.l2[9] = false;
	/* The unpin's flush happened before returning. */
	assert_int_equal(ptf_hw.flush_all, 2);
	check_model();
}

static void test_mmuext_refusals(void **state)
{
	uint32_t i;

	(void)state;
	put_ext(0, VMM_MMUEXT_TLB_FLUSH_LOCAL, 0, 1);
	assert_int_equal(pt_mmuext_op(&ptf_s, REQS, 1, DONE, VMM_DOMID_SELF), -VMM_EINVAL);
	assert_int_equal(ptf_hw.flush_all, 0);
	put_ext(0, VMM_MMUEXT_INVLPG_LOCAL, VMM_HYPERVISOR_VA_BASE, 0);
	assert_int_equal(pt_mmuext_op(&ptf_s, REQS, 1, DONE, VMM_DOMID_SELF), -VMM_EPERM);
	assert_int_equal(ptf_hw.flush_va, 0);
	for (i = 2; i < 4; i++) {
		put_ext(0, i, ptf_mfn(12), 0); /* L3/L4 pins of other architectures */
		assert_int_equal(pt_mmuext_op(&ptf_s, REQS, 1, DONE, VMM_DOMID_SELF), -VMM_EINVAL);
	}
	put_ext(0, 8, 0, 0);
	assert_int_equal(pt_mmuext_op(&ptf_s, REQS, 1, DONE, VMM_DOMID_SELF), -VMM_EINVAL);
	put_ext(0, 0xFFFFFFFFu, 0, 0);
	assert_int_equal(pt_mmuext_op(&ptf_s, REQS, 1, DONE, VMM_DOMID_SELF), -VMM_EINVAL);
	assert_true(logged("unknown command 4294967295"));
	put_ext(0, VMM_MMUEXT_UNPIN_TABLE, ptf_mfn(L1A), 0); /* the current base */
	assert_int_equal(pt_mmuext_op(&ptf_s, REQS, 1, DONE, VMM_DOMID_SELF), -VMM_EBUSY);
	put_ext(0, VMM_MMUEXT_UNPIN_TABLE, ptf_mfn(L2A), 0);
	assert_int_equal(pt_update(&ptf_s, addr(L1A, 1), ptf_table(ptf_mfn(L2A), 0)), 0);
	assert_int_equal(pt_mmuext_op(&ptf_s, REQS, 1, DONE, VMM_DOMID_SELF), -VMM_EBUSY);
	/* Limits and hostile pointers. */
	for (i = 0; i < VMM_MMUEXT_OP_MAX; i++)
		put_ext(i, VMM_MMUEXT_TLB_FLUSH_LOCAL, 0, 0);
	assert_int_equal(pt_mmuext_op(&ptf_s, REQS, VMM_MMUEXT_OP_MAX + 1, DONE, VMM_DOMID_SELF), -VMM_E2BIG);
	assert_int_equal(pt_mmuext_op(&ptf_s, REQS, VMM_MMUEXT_OP_MAX, DONE, VMM_DOMID_SELF), 0);
	assert_int_equal(done_word(), VMM_MMUEXT_OP_MAX);
	assert_int_equal(pt_mmuext_op(&ptf_s, REQS, 1, DONE, 1), -VMM_EPERM);
	assert_int_equal(pt_mmuext_op(&ptf_s, 0xFFFFFFF4u, 2, DONE, VMM_DOMID_SELF), -VMM_EFAULT);
	memset(&ptf_guest[PTF_GSIZE - 12], 0, 12);
	ptf_guest[PTF_GSIZE - 12] = VMM_MMUEXT_TLB_FLUSH_LOCAL;
	assert_int_equal(pt_mmuext_op(&ptf_s, PTF_GVA + PTF_GSIZE - 12, 2, DONE, VMM_DOMID_SELF), -VMM_EFAULT);
	assert_int_equal(done_word(), 1);
	assert_int_equal(pt_mmuext_op(&ptf_s, REQS, 1, 8, VMM_DOMID_SELF), -VMM_EFAULT);
	check_model();
}

static long sync(uint32_t va, uint32_t len)
{
	put_ext(0, VMM_MMUEXT_SYNC_ICACHE, va, len);
	return pt_mmuext_op(&ptf_s, REQS, 1, DONE, VMM_DOMID_SELF);
}

static void test_mmuext_sync_icache(void **state)
{
	(void)state;
	assert_int_equal(pt_update(&ptf_s, addr(L1A, 0), ptf_table(ptf_mfn(L2A), 0)), 0);
	assert_int_equal(pt_update(&ptf_s, addr(L2A, 1), ptf_small(ptf_mfn(DATA), false)), 0);
	assert_int_equal(pt_update(&ptf_s, addr(L2A, 2), ptf_small(ptf_mfn(DATA + 1), true)), 0);
	assert_int_equal(pt_update(&ptf_s, addr(L1A, 1), ptf_section(ptf_mfn(0x100), false)), 0);
	assert_int_equal(pt_update(&ptf_s, addr(L1A, PTF_HV_FIRST - 1), ptf_table(ptf_mfn(L2A), 3)), 0);
	assert_int_equal(pt_update(&ptf_s, addr(L2A, 3 * 256 + 255), ptf_small(ptf_mfn(DATA), false)), 0);
	/* Two whole pages, then a range over a page boundary: one call per page piece. */
	assert_int_equal(sync(0x1000, 0x2000), 0);
	assert_int_equal(ptf_hw.syncs, 2);
	assert_int_equal(ptf_hw.sync_bytes, 0x2000);
	assert_int_equal(ptf_hw.last_sync, ptf_mfn(DATA + 1) << 12);
	assert_int_equal(sync(0x1801, 0x1000), 0);
	assert_int_equal(ptf_hw.syncs, 4);
	assert_int_equal(ptf_hw.sync_bytes, 0x3000);
	assert_int_equal(ptf_hw.last_sync, ptf_mfn(DATA + 1) << 12);
	assert_int_equal(sync(0x1FFF, 1), 0);
	assert_int_equal(ptf_hw.last_sync, (ptf_mfn(DATA) << 12) | 0xFFF);
	/* One byte too far: the page after is not mapped, and nothing is done. */
	assert_int_equal(sync(0x1000, 0x2001), -VMM_EFAULT);
	assert_int_equal(sync(0x0FFF, 2), -VMM_EFAULT);
	/* A fault entry whose other bits name a frame of the domain maps nothing. */
	assert_int_equal(pt_update(&ptf_s, addr(L2A, 3), ptf_mfn(DATA) << 12), 0);
	assert_int_equal(sync(0x3000, 1), -VMM_EFAULT);
	assert_int_equal(ptf_hw.syncs, 5);
	assert_true(logged("sync_icache 0x00000fff+2: page not mapped"));
	/* Length limits over the section: the whole MiB, one byte more, nothing. */
	assert_int_equal(sync(0x100000, VMM_SYNC_ICACHE_MAX), 0);
	assert_int_equal(ptf_hw.syncs, 5 + 256);
	assert_int_equal(ptf_hw.last_sync, ptf_mfn(0x1FF) << 12);
	assert_int_equal(sync(0x100000, VMM_SYNC_ICACHE_MAX + 1), -VMM_E2BIG);
	assert_int_equal(sync(0x100000, 0), -VMM_EINVAL);
	/* Up to the hypervisor's region, not into it, nor wrapping. */
	assert_int_equal(sync(VMM_HYPERVISOR_VA_BASE - 0x1000, 0x1000), 0);
	assert_int_equal(ptf_hw.last_sync, ptf_mfn(DATA) << 12);
	assert_int_equal(sync(VMM_HYPERVISOR_VA_BASE - 0x1000, 0x1001), -VMM_EPERM);
	assert_int_equal(sync(0xFFFFF000u, 0x2000), -VMM_EPERM);
	assert_int_equal(ptf_hw.syncs, 5 + 256 + 1);
	/* A mapped frame that is not the domain's (cannot happen with pinned tables): refused. */
	ptf_frames[DATA + 1].owner = PTF_OTHER;
	assert_int_equal(sync(0x2000, 1), -VMM_EFAULT);
	ptf_frames[DATA + 1].owner = PTF_DOM;
	ptf_s.base_mfn = PT_NO_BASE;
	assert_int_equal(sync(0x1000, 1), -VMM_EINVAL);
	assert_false(ptf_hw.bad_access);
}

/* ------------------------------------------------------------------------- */

static unsigned int dispatched;

static long fake_dispatch(void *arg, uint32_t op, const uint32_t args[4])
{
	struct pt_space *s = arg;

	dispatched++;
	switch (op) {
	case VMM_HC_mmu_update:
		return pt_mmu_update(s, args[0], args[1], args[2], args[3]);
	case VMM_HC_update_va_mapping:
		return pt_update_va_mapping(s, args[0], args[1], args[2]);
	case VMM_HC_mmuext_op:
		return pt_mmuext_op(s, args[0], args[1], args[2], args[3]);
	default:
		return (long)(op * 1000 + args[0] + args[1] + args[2] + args[3]);
	}
}

#define MC (PTF_GVA + 0x1000u)

static void put_mc(uint32_t i, uint32_t op, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3)
{
	struct vmm_multicall_entry e = {op, 0x5555, {a0, a1, a2, a3}};

	memcpy(&ptf_guest[MC - PTF_GVA + i * sizeof(e)], &e, sizeof(e));
}

static int32_t mc_result(uint32_t i)
{
	struct vmm_multicall_entry e;

	memcpy(&e, &ptf_guest[MC - PTF_GVA + i * sizeof(e)], sizeof(e));
	return e.result;
}

static void test_multicall_results(void **state)
{
	(void)state;
	dispatched = 0;
	put_req(0, addr(L1A, 3), ptf_table(ptf_mfn(L2A), 0));
	put_mc(0, VMM_HC_mmu_update, REQS, 1, 0, VMM_DOMID_SELF);
	put_mc(1, VMM_HC_update_va_mapping, 0x00301000u, ptf_small(ptf_mfn(DATA), true), 0, 0);
	put_mc(2, VMM_HC_update_va_mapping, 0x00302000u, ptf_small(ptf_mfn(PTF_DOM_NR), true), 0, 0);
	put_mc(3, VMM_HC_multicall, MC, 1, 0, 0);             /* nested: refused */
	put_mc(4, VMM_HC_sched_op, 2, 0, 0, 0);                /* would not return */
	put_mc(5, VMM_HC_restore_trap_frame, 0, 0, 0, 0);
	put_mc(6, VMM_HC_xen_version, 1, 2, 3, 4);
	put_mc(7, VMM_HC_console_io, 0, 0, 0, 0);
	put_mc(8, VMM_HC_set_timer_op, 0, 0, 0, 0);
	put_mc(9, VMM_HC_memory_op, 0, 0, 0, 0);
	put_mc(10, VMM_HC_COUNT, 0, 0, 0, 0);
	put_mc(11, 0xFFFFFFFFu, 0, 0, 0, 0);
	put_mc(12, VMM_HC_mmuext_op, REQS + 0x800, 1, 0, VMM_DOMID_SELF);
	put_ext(0x800 / 12 + 0, 0, 0, 0);
	memset(&ptf_guest[0x800], 0, 12);
	((uint32_t *)(void *)&ptf_guest[0x800])[0] = VMM_MMUEXT_TLB_FLUSH_LOCAL;
	assert_int_equal(pt_multicall(&ptf_s, MC, 13, fake_dispatch, &ptf_s), 0);
	assert_int_equal(mc_result(0), 0);
	assert_int_equal(mc_result(1), 0);
	assert_int_equal(mc_result(2), -VMM_EPERM);
	assert_int_equal(mc_result(3), -VMM_EINVAL);
	assert_int_equal(mc_result(4), -VMM_EINVAL);
	assert_int_equal(mc_result(5), -VMM_EINVAL);
	assert_int_equal(mc_result(6), VMM_HC_xen_version * 1000 + 10);
	assert_int_equal(mc_result(7), VMM_HC_console_io * 1000);
	assert_int_equal(mc_result(8), VMM_HC_set_timer_op * 1000);
	assert_int_equal(mc_result(9), VMM_HC_memory_op * 1000);
	assert_int_equal(mc_result(10), -VMM_EINVAL);
	assert_int_equal(mc_result(11), -VMM_EINVAL);
	assert_int_equal(mc_result(12), 0);
	assert_int_equal(dispatched, 8);
	assert_int_equal(ptf_get(addr(L2A, 1)), ptf_small(ptf_mfn(DATA), true));
	assert_true(logged("multicall: call 3: hypercall 13 cannot be batched"));
	check_model();
}

static void test_multicall_limits(void **state)
{
	uint32_t i, last = PTF_GVA + PTF_GSIZE - 24;

	(void)state;
	dispatched = 0;
	for (i = 0; i < VMM_MULTICALL_MAX; i++)
		put_mc(i, VMM_HC_xen_version, i, 0, 0, 0);
	assert_int_equal(pt_multicall(&ptf_s, MC, VMM_MULTICALL_MAX + 1, fake_dispatch, &ptf_s), -VMM_E2BIG);
	assert_int_equal(dispatched, 0);
	assert_int_equal(pt_multicall(&ptf_s, MC, VMM_MULTICALL_MAX, fake_dispatch, &ptf_s), 0);
	assert_int_equal(dispatched, VMM_MULTICALL_MAX);
	assert_int_equal(mc_result(VMM_MULTICALL_MAX - 1), VMM_HC_xen_version * 1000 + VMM_MULTICALL_MAX - 1);
	assert_int_equal(pt_multicall(&ptf_s, MC, 0, fake_dispatch, &ptf_s), 0);
	assert_int_equal(pt_multicall(&ptf_s, 0xFFFFFFF0u, 1, fake_dispatch, &ptf_s), -VMM_EFAULT);
	assert_true(logged("multicall: calls at 0xfffffff0 wrap the address space"));
	assert_int_equal(pt_multicall(&ptf_s, 0xFFFFFFE8u, 1, fake_dispatch, &ptf_s), -VMM_EFAULT);
	/* The last entry inside guest memory runs, the next one is outside. */
	dispatched = 0;
	memset(&ptf_guest[last - PTF_GVA], 0, 24);
	ptf_guest[last - PTF_GVA] = VMM_HC_xen_version;
	assert_int_equal(pt_multicall(&ptf_s, last, 1, fake_dispatch, &ptf_s), 0);
	assert_int_equal(pt_multicall(&ptf_s, last, 2, fake_dispatch, &ptf_s), -VMM_EFAULT);
	assert_int_equal(dispatched, 2);
}

static void test_rejections_rate_limited(void **state)
{
	unsigned int i, lines = 0;
	const char *p;

	(void)state;
	put_req(0, 3, 0);
	for (i = 0; i < VMM_REJECT_LOG_LIMIT + 10; i++)
		assert_int_equal(pt_mmu_update(&ptf_s, REQS, 1, 0, VMM_DOMID_SELF), -VMM_EINVAL);
	for (p = fake_hw.console; (p = strstr(p, "[VMM] dom1: mmu_update")) != NULL; p++)
		lines++;
	assert_int_equal(lines, VMM_REJECT_LOG_LIMIT);
	assert_true(logged("further rejected hypercalls are not logged"));
	/* Pointed at the domain's own counter, it shares that budget. */
	{
		uint32_t counter = VMM_REJECT_LOG_LIMIT - 1;

		fake_console_clear();
		ptf_s.rejections_logged = &counter;
		assert_int_equal(pt_mmu_update(&ptf_s, REQS, 1, 0, VMM_DOMID_SELF), -VMM_EINVAL);
		assert_int_equal(counter, VMM_REJECT_LOG_LIMIT);
		assert_true(logged("[VMM] dom1: mmu_update"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_mmu_update_batch_stops_at_refusal, setup),
		cmocka_unit_test_setup(test_mmu_update_first_request_refused, setup),
		cmocka_unit_test_setup(test_mmu_update_limits, setup),
		cmocka_unit_test_setup(test_mmu_update_hostile_pointers, setup),
		cmocka_unit_test_setup(test_update_va_mapping_flags, setup),
		cmocka_unit_test_setup(test_update_va_mapping_fast_path, setup),
		cmocka_unit_test_setup(test_update_va_fast_block, setup),
		cmocka_unit_test_setup(test_mmu_update_fast_path, setup),
		cmocka_unit_test_setup(test_update_va_fast_never_in_hypervisor_region, setup),
		cmocka_unit_test_setup(test_mmuext_pin_unpin_base, setup),
		cmocka_unit_test_setup(test_mmuext_refusals, setup),
		cmocka_unit_test_setup(test_mmuext_sync_icache, setup),
		cmocka_unit_test_setup(test_multicall_results, setup),
		cmocka_unit_test_setup(test_multicall_limits, setup),
		cmocka_unit_test_setup(test_rejections_rate_limited, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
