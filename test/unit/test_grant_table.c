/*
 * Grant tables: every operation and error path of setup_table, query_size,
 * map_grant_ref, unmap_grant_ref, copy and the batch call; boundaries (ref
 * 0, last ref, first invalid ref, 2^31, 2^32-1, unknown and dead domains);
 * frame-table counts and in-use flags after every step; a granted frame
 * that cannot be freed while mapped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "grant_fake.h"

#define D1 1u
#define D2 2u
#define D3 3u
#define VA 0x80000000u
#define RW (VMM_GTF_permit_access)
#define RO (VMM_GTF_permit_access | VMM_GTF_readonly)

static int setup(void **state)
{
	(void)state;
	gf_reset();
	return 0;
}

static const struct frame *fr(uint32_t mfn)
{
	return frame_get(&gf_ft, mfn);
}

static struct vmm_gnttab_map_grant_ref mop(uint32_t va, uint32_t flags, uint32_t ref, uint16_t dom)
{
	struct vmm_gnttab_map_grant_ref m = { va, flags, ref, dom, 0, 0, 0 };
	return m;
}

static int map(uint32_t caller, uint32_t va, uint32_t flags, uint32_t ref, uint16_t dom, uint32_t *handle)
{
	struct vmm_gnttab_map_grant_ref m = mop(va, flags, ref, dom);
	int err = gnttab_map(&gf_gt[caller], &m);

	if (handle)
		*handle = m.handle;
	return err;
}

static int unmap(uint32_t caller, uint32_t va, uint32_t handle)
{
	struct vmm_gnttab_unmap_grant_ref u = { va, handle, 0 };
	return gnttab_unmap(&gf_gt[caller], &u);
}

#define HM VMM_GNTMAP_host_map
#define HMRO (VMM_GNTMAP_host_map | VMM_GNTMAP_readonly)

/* ---- setup_table / query_size ------------------------------------------- */

static void test_setup_counts_and_bounds(void **state)
{
	struct vmm_gnttab_setup_table op = { VMM_DOMID_SELF, 0, 1, GF_GVA + 0x3F00u, 0 };
	uint32_t n;

	(void)state;
	/* nr_frames: 0 and 5 refused, 2^31 and 2^32-1 refused, 1 and 4 accepted */
	assert_int_equal(gf_setup(D1, 0, 0), -VMM_EINVAL);
	assert_int_equal(gf_setup(D1, 0, VMM_GNTTAB_MAX_FRAMES + 1), -VMM_EINVAL);
	for (n = 0x80000000u; n; n = n == 0x80000000u ? 0xFFFFFFFFu : 0) {
		memcpy(&gf_guest[D1][0x3F00], (uint32_t[]){ gf_mfn(D1, 0) }, 4);
		op.nr_frames = n;
		assert_int_equal(gnttab_setup_table(&gf_gt[D1], &op), -VMM_EINVAL);
	}
	assert_int_equal(gf_gt[D1].nr_frames, 0);
	assert_int_equal(gf_setup(D1, 0, VMM_GNTTAB_MAX_FRAMES), 0);
	assert_int_equal(gf_gt[D1].nr_frames, VMM_GNTTAB_MAX_FRAMES);
	for (n = 0; n < VMM_GNTTAB_MAX_FRAMES; n++) {
		assert_int_equal(fr(gf_mfn(D1, n))->u.use.refcount, 2);
		assert_int_equal(fr(gf_mfn(D1, n))->u.use.type_count, 2);
	}
	/* replacing the table drops the old frames' counts */
	assert_int_equal(gf_setup(D1, 4, 1), 0);
	assert_int_equal(fr(gf_mfn(D1, 0))->u.use.refcount, 1);
	assert_int_equal(fr(gf_mfn(D1, 0))->u.use.type_count, 1);
	assert_int_equal(fr(gf_mfn(D1, 4))->u.use.refcount, 2);
	assert_int_equal(gf_mapped_now, 0);
}

static void test_setup_refusals(void **state)
{
	struct vmm_gnttab_setup_table op = { D2, 0, 1, GF_GVA + 0x3F00u, 0 };
	uint32_t list[2];

	(void)state;
	/* another domain's table */
	assert_int_equal(gnttab_setup_table(&gf_gt[D1], &op), -VMM_EPERM);
	op.dom = D1; /* own id accepted like DOMID_SELF */
	op.pad = 1;
	assert_int_equal(gnttab_setup_table(&gf_gt[D1], &op), -VMM_EINVAL);
	op.pad = 0;
	/* frame list outside the caller's memory (last valid place, then one byte further) */
	op.frame_list = GF_GVA + GF_GSIZE - 4;
	memcpy(&gf_guest[D1][GF_GSIZE - 4], (uint32_t[]){ gf_mfn(D1, 1) }, 4);
	assert_int_equal(gnttab_setup_table(&gf_gt[D1], &op), 0);
	op.frame_list = GF_GVA + GF_GSIZE - 3;
	assert_int_equal(gnttab_setup_table(&gf_gt[D1], &op), -VMM_EFAULT);
	op.frame_list = 0xFFFFFFFEu;
	assert_int_equal(gnttab_setup_table(&gf_gt[D1], &op), -VMM_EFAULT);
	/* frames not the caller's: another domain's, the hypervisor's, outside RAM */
	op.frame_list = GF_GVA;
	list[0] = gf_mfn(D2, 0);
	memcpy(gf_guest[D1], list, 4);
	assert_int_equal(gnttab_setup_table(&gf_gt[D1], &op), -VMM_EPERM);
	list[0] = GF_BASE + GF_NDOM * GF_PER_DOM;
	memcpy(gf_guest[D1], list, 4);
	assert_int_equal(gnttab_setup_table(&gf_gt[D1], &op), -VMM_EPERM);
	list[0] = GF_BASE + GF_NR;
	memcpy(gf_guest[D1], list, 4);
	assert_int_equal(gnttab_setup_table(&gf_gt[D1], &op), -VMM_EPERM);
	/* listed twice */
	list[0] = list[1] = gf_mfn(D1, 2);
	memcpy(gf_guest[D1], list, 8);
	op.nr_frames = 2;
	assert_int_equal(gnttab_setup_table(&gf_gt[D1], &op), -VMM_EINVAL);
	/* a page table in second place: refused, the first frame's counts given back */
	frame_put_type(&gf_ft, gf_mfn(D1, 3), FRAME_TYPE_WRITABLE);
	assert_int_equal(frame_get_type(&gf_ft, gf_mfn(D1, 3), D1, FRAME_TYPE_L2), 0);
	list[0] = gf_mfn(D1, 2);
	list[1] = gf_mfn(D1, 3);
	memcpy(gf_guest[D1], list, 8);
	assert_int_equal(gnttab_setup_table(&gf_gt[D1], &op), -VMM_EBUSY);
	assert_int_equal(fr(gf_mfn(D1, 2))->u.use.refcount, 1);
	assert_int_equal(fr(gf_mfn(D1, 2))->u.use.type_count, 1);
	/* the table set up before is unchanged */
	assert_int_equal(gf_gt[D1].nr_frames, 1);
	assert_int_equal(gf_gt[D1].frames[0], gf_mfn(D1, 1));
}

static void test_setup_ref_count_overflow(void **state)
{
	struct frame *f;

	(void)state;
	f = frame_get(&gf_ft, gf_mfn(D1, 1));
	f->u.use.refcount = FRAME_COUNT_MAX;
	assert_int_equal(gf_setup(D1, 0, 2), -VMM_ENOSPC);
	assert_int_equal(fr(gf_mfn(D1, 0))->u.use.refcount, 1);
	assert_int_equal(fr(gf_mfn(D1, 0))->u.use.type_count, 1);
	assert_int_equal(f->u.use.type_count, 1);
	f->u.use.refcount = FRAME_COUNT_MAX - 1; /* one below: the last use is accepted */
	assert_int_equal(gf_setup(D1, 0, 2), 0);
	assert_int_equal(f->u.use.refcount, FRAME_COUNT_MAX);
}

static void test_query_size(void **state)
{
	struct vmm_gnttab_query_size q = { VMM_DOMID_SELF, 0, 99, 99, 0 };

	(void)state;
	assert_int_equal(gnttab_query_size(&gf_gt[D1], &q), 0);
	assert_int_equal(q.nr_frames, 0);
	assert_int_equal(q.max_nr_frames, VMM_GNTTAB_MAX_FRAMES);
	assert_int_equal(gf_setup(D1, 0, 3), 0);
	q.dom = D1;
	assert_int_equal(gnttab_query_size(&gf_gt[D1], &q), 0);
	assert_int_equal(q.nr_frames, 3);
	q.dom = D2;
	assert_int_equal(gnttab_query_size(&gf_gt[D1], &q), -VMM_EPERM);
	q.dom = VMM_DOMID_SELF;
	q.pad = 0x8000;
	assert_int_equal(gnttab_query_size(&gf_gt[D1], &q), -VMM_EINVAL);
}

/* ---- map / unmap ---------------------------------------------------------- */

static void test_map_rw_counts_flags_unmap(void **state)
{
	uint32_t g = gf_mfn(D1, 8), h;
	struct vmm_grant_entry e;

	(void)state;
	assert_int_equal(gf_setup(D1, 0, 1), 0);
	gf_entry_set(D1, 0, RW, D2, g);
	assert_int_equal(map(D2, VA, HM, 0, D1, &h), 0);
	assert_int_equal(fr(g)->u.use.refcount, 2);
	assert_int_equal(fr(g)->u.use.type_count, 2);
	assert_int_equal(fr(g)->owner, D1);
	e = gf_entry_get(D1, 0);
	assert_int_equal(e.flags, RW | VMM_GTF_reading | VMM_GTF_writing);
	assert_true(gf_map_find(D2, VA) && !gf_map_find(D2, VA)->readonly);
	assert_int_equal(gnttab_active_count(&gf_gt[D1]), 1);
	/* the granter cannot give the frame back while it is mapped */
	frame_put_type(&gf_ft, g, FRAME_TYPE_WRITABLE);
	frame_put_ref(&gf_ft, g);
	assert_int_equal(frame_free(&gf_ft, g, 0), -VMM_EBUSY);
	assert_int_equal(fr(g)->owner, D1);
	/* unmap: wrong VA, bad handles, then the right one */
	assert_int_equal(unmap(D2, VA + 0x1000u, h), -VMM_EINVAL);
	assert_int_equal(unmap(D2, VA, VMM_GNTTAB_MAPTRACK_MAX), -VMM_EINVAL);
	assert_int_equal(unmap(D2, VA, 0xFFFFFFFFu), -VMM_EINVAL);
	assert_int_equal(unmap(D2, VA, h + 1), -VMM_EINVAL);
	assert_int_equal(unmap(D1, VA, h), -VMM_EINVAL); /* the granter holds no such mapping */
	assert_int_equal(unmap(D2, VA, h), 0);
	assert_null(gf_map_find(D2, VA));
	assert_int_equal(fr(g)->u.use.refcount, 0);
	assert_int_equal(fr(g)->u.use.type_count, 0);
	assert_int_equal(gf_entry_get(D1, 0).flags, RW);
	assert_int_equal(gnttab_active_count(&gf_gt[D1]), 0);
	assert_int_equal(unmap(D2, VA, h), -VMM_EINVAL); /* twice */
	assert_int_equal(frame_free(&gf_ft, g, 0), 0);
	assert_int_equal(gf_mapped_now, 0);
}

static void test_map_readonly(void **state)
{
	uint32_t g = gf_mfn(D1, 8), h1, h2;

	(void)state;
	assert_int_equal(gf_setup(D1, 0, 1), 0);
	gf_entry_set(D1, 5, RO, D2, g);
	/* a read-only grant is never mapped writable */
	assert_int_equal(map(D2, VA, HM, 5, D1, NULL), -VMM_EPERM);
	assert_int_equal(fr(g)->u.use.refcount, 1);
	assert_int_equal(gf_entry_get(D1, 5).flags, RO);
	assert_int_equal(map(D2, VA, HMRO, 5, D1, &h1), 0);
	assert_int_equal(fr(g)->u.use.refcount, 2);
	assert_int_equal(fr(g)->u.use.type_count, 1); /* no writable use */
	assert_true(gf_map_find(D2, VA)->readonly);
	assert_int_equal(gf_entry_get(D1, 5).flags, RO | VMM_GTF_reading);
	/* a second mapping of the same grant (read-only) at another VA */
	assert_int_equal(map(D2, VA + 0x1000u, HMRO, 5, D1, &h2), 0);
	assert_int_not_equal(h1, h2);
	assert_int_equal(unmap(D2, VA, h1), 0);
	assert_int_equal(gf_entry_get(D1, 5).flags, RO | VMM_GTF_reading); /* still mapped once */
	assert_int_equal(unmap(D2, VA + 0x1000u, h2), 0);
	assert_int_equal(gf_entry_get(D1, 5).flags, RO);
	assert_int_equal(fr(g)->u.use.refcount, 1);
}

static void test_map_inuse_flags_exact(void **state)
{
	uint32_t g = gf_mfn(D1, 8), hr, hw;

	(void)state;
	assert_int_equal(gf_setup(D1, 0, 1), 0);
	/* forged in-use bits are replaced by the exact ones */
	gf_entry_set(D1, 1, RW | VMM_GTF_writing, D2, g);
	assert_int_equal(map(D2, VA, HMRO, 1, D1, &hr), 0);
	assert_int_equal(gf_entry_get(D1, 1).flags, RW | VMM_GTF_reading);
	assert_int_equal(map(D2, VA + 0x1000u, HM, 1, D1, &hw), 0);
	assert_int_equal(gf_entry_get(D1, 1).flags, RW | VMM_GTF_reading | VMM_GTF_writing);
	assert_int_equal(unmap(D2, VA + 0x1000u, hw), 0);
	assert_int_equal(gf_entry_get(D1, 1).flags, RW | VMM_GTF_reading);
	assert_int_equal(fr(g)->u.use.type_count, 1);
	/* the granter rewrites the entry while it is mapped: further maps refused, unmap still exact */
	gf_entry_set(D1, 1, RW | VMM_GTF_reading, D2, gf_mfn(D1, 9));
	assert_int_equal(map(D2, VA + 0x2000u, HMRO, 1, D1, NULL), -VMM_EINVAL);
	gf_entry_set(D1, 1, RW | VMM_GTF_reading, D3, g);
	assert_int_equal(map(D3, VA, HMRO, 1, D1, NULL), -VMM_EINVAL);
	assert_int_equal(unmap(D2, VA, hr), 0);
	assert_int_equal(fr(g)->u.use.refcount, 1);
	assert_int_equal(fr(gf_mfn(D1, 9))->u.use.refcount, 1);
	assert_int_equal(gf_entry_get(D1, 1).flags, RW);
	/* free again: the new entry works */
	assert_int_equal(map(D3, VA, HMRO, 1, D1, &hr), 0);
}

static void test_map_entry_refusals(void **state)
{
	uint32_t g = gf_mfn(D1, 8);

	(void)state;
	/* no table: every ref is outside it, ref 0 included */
	assert_int_equal(map(D2, VA, HM, 0, D1, NULL), -VMM_EINVAL);
	assert_int_equal(gf_setup(D1, 0, 1), 0);
	gf_entry_set(D1, 0, RW, D2, g);
	gf_entry_set(D1, 511, RW, D2, g);
	assert_int_equal(map(D2, VA, HMRO, 0, D1, NULL), 0);
	assert_int_equal(map(D2, VA + 0x1000u, HMRO, 511, D1, NULL), 0); /* last ref */
	assert_int_equal(map(D2, VA + 0x2000u, HMRO, 512, D1, NULL), -VMM_EINVAL); /* first invalid */
	assert_int_equal(map(D2, VA + 0x2000u, HMRO, 0x80000000u, D1, NULL), -VMM_EINVAL);
	assert_int_equal(map(D2, VA + 0x2000u, HMRO, 0xFFFFFFFFu, D1, NULL), -VMM_EINVAL);
	/* entry types and flags */
	gf_entry_set(D1, 2, VMM_GTF_invalid, D2, g);
	assert_int_equal(map(D2, VA + 0x2000u, HMRO, 2, D1, NULL), -VMM_EINVAL);
	gf_entry_set(D1, 2, VMM_GTF_accept_transfer, D2, g);
	assert_int_equal(map(D2, VA + 0x2000u, HMRO, 2, D1, NULL), -VMM_EINVAL);
	gf_entry_set(D1, 2, VMM_GTF_type_mask, D2, g);
	assert_int_equal(map(D2, VA + 0x2000u, HMRO, 2, D1, NULL), -VMM_EINVAL);
	gf_entry_set(D1, 2, RW | (1u << 5), D2, g);
	assert_int_equal(map(D2, VA + 0x2000u, HMRO, 2, D1, NULL), -VMM_EINVAL);
	gf_entry_set(D1, 2, RW | 0x8000u, D2, g);
	assert_int_equal(map(D2, VA + 0x2000u, HMRO, 2, D1, NULL), -VMM_EINVAL);
	/* another grantee */
	gf_entry_set(D1, 2, RW, D3, g);
	assert_int_equal(map(D2, VA + 0x2000u, HMRO, 2, D1, NULL), -VMM_EPERM);
	/* a frame the granter does not own: another domain's, the hypervisor's, outside RAM */
	gf_entry_set(D1, 2, RW, D2, gf_mfn(D3, 0));
	assert_int_equal(map(D2, VA + 0x2000u, HMRO, 2, D1, NULL), -VMM_EPERM);
	gf_entry_set(D1, 2, RW, D2, GF_BASE + GF_NDOM * GF_PER_DOM);
	assert_int_equal(map(D2, VA + 0x2000u, HMRO, 2, D1, NULL), -VMM_EPERM);
	gf_entry_set(D1, 2, RW, D2, 0xFFFFFFFFu);
	assert_int_equal(map(D2, VA + 0x2000u, HMRO, 2, D1, NULL), -VMM_EPERM);
	assert_int_equal(fr(g)->u.use.refcount, 3);
	assert_int_equal(gf_mapped_now, 0);
}

static void test_map_argument_refusals(void **state)
{
	uint32_t g = gf_mfn(D1, 8);
	struct vmm_gnttab_map_grant_ref m;

	(void)state;
	assert_int_equal(gf_setup(D1, 0, 1), 0);
	gf_entry_set(D1, 0, RW, D2, g);
	/* flags: none, device_map, application_map, contains_pte, readonly alone */
	assert_int_equal(map(D2, VA, 0, 0, D1, NULL), -VMM_EINVAL);
	assert_int_equal(map(D2, VA, HM | 1u, 0, D1, NULL), -VMM_EINVAL);
	assert_int_equal(map(D2, VA, HM | (1u << 3), 0, D1, NULL), -VMM_EINVAL);
	assert_int_equal(map(D2, VA, HM | (1u << 4), 0, D1, NULL), -VMM_EINVAL);
	assert_int_equal(map(D2, VA, VMM_GNTMAP_readonly, 0, D1, NULL), -VMM_EINVAL);
	/* host_addr */
	assert_int_equal(map(D2, VA + 4u, HM, 0, D1, NULL), -VMM_EINVAL);
	assert_int_equal(map(D2, VMM_HYPERVISOR_VA_BASE, HM, 0, D1, NULL), -VMM_EPERM);
	assert_int_equal(map(D2, 0xFFFFF000u, HM, 0, D1, NULL), -VMM_EPERM);
	/* pad */
	m = mop(VA, HM, 0, D1);
	m.pad = 1;
	assert_int_equal(gnttab_map(&gf_gt[D2], &m), -VMM_EINVAL);
	/* granter: unknown, DOMID_SELF, 0, dead */
	assert_int_equal(map(D2, VA, HM, 0, 4, NULL), -VMM_ESRCH);
	assert_int_equal(map(D2, VA, HM, 0, VMM_DOMID_SELF, NULL), -VMM_ESRCH);
	assert_int_equal(map(D2, VA, HM, 0, 0xFFFF, NULL), -VMM_ESRCH);
	gf_dead[D1] = true;
	assert_int_equal(map(D2, VA, HM, 0, D1, NULL), -VMM_ESRCH);
	gf_dead[D1] = false;
	/* the page-table path refuses (something mapped there already): counts given back */
	gf_map_fail = -VMM_EBUSY;
	assert_int_equal(map(D2, VA, HM, 0, D1, NULL), -VMM_EBUSY);
	assert_int_equal(fr(g)->u.use.refcount, 1);
	assert_int_equal(fr(g)->u.use.type_count, 1);
	assert_int_equal(gf_entry_get(D1, 0).flags, RW);
	assert_int_equal(gnttab_active_count(&gf_gt[D1]), 0);
	/* the last valid address below the hypervisor */
	assert_int_equal(map(D2, VMM_HYPERVISOR_VA_BASE - 0x1000u, HM, 0, D1, NULL), 0);
	assert_int_equal(map(D2, VMM_HYPERVISOR_VA_BASE - 0x1000u, HMRO, 0, D1, NULL), -VMM_EBUSY);
}

static void test_map_page_table_frame(void **state)
{
	uint32_t t = gf_mfn(D1, 10);

	(void)state;
	assert_int_equal(gf_setup(D1, 0, 1), 0);
	/* make frame t a pinned L2 table of D1 */
	frame_put_type(&gf_ft, t, FRAME_TYPE_WRITABLE);
	frame_put_ref(&gf_ft, t);
	assert_int_equal(frame_get_type(&gf_ft, t, D1, FRAME_TYPE_L2), 0);
	gf_entry_set(D1, 3, RW, D2, t);
	assert_int_equal(map(D2, VA, HM, 3, D1, NULL), -VMM_EBUSY);
	assert_int_equal(fr(t)->u.use.refcount, 0);
	assert_int_equal(fr(t)->type, FRAME_TYPE_L2);
	assert_int_equal(gf_entry_get(D1, 3).flags, RW);
	/* read-only is allowed: nothing can write through it */
	assert_int_equal(map(D2, VA, HMRO, 3, D1, NULL), 0);
	assert_int_equal(fr(t)->u.use.refcount, 1);
}

static void test_map_policy(void **state)
{
	uint32_t g = gf_mfn(D1, 8);

	(void)state;
	assert_int_equal(gf_setup(D1, 0, 1), 0);
	gf_entry_set(D1, 0, RW, D3, g);
	gf_deny_a = D1;
	gf_deny_b = D3;
	assert_int_equal(map(D3, VA, HM, 0, D1, NULL), -VMM_EPERM);
	assert_int_equal(map(D3, VA, HMRO, 0, D1, NULL), -VMM_EPERM);
	/* checked first: refs outside the table or empty look the same (nothing leaks) */
	assert_int_equal(map(D3, VA, HMRO, 7, D1, NULL), -VMM_EPERM);
	assert_int_equal(map(D3, VA, HMRO, 0xFFFFFFFFu, D1, NULL), -VMM_EPERM);
	assert_int_equal(fr(g)->u.use.refcount, 1);
	assert_int_equal(gnttab_active_count(&gf_gt[D1]), 0);
	gf_deny_a = gf_deny_b = 0;
	assert_int_equal(map(D3, VA, HM, 0, D1, NULL), 0);
}

static void test_map_limits(void **state)
{
	uint32_t g = gf_mfn(D1, 8), i, h;
	struct frame *f;

	(void)state;
	assert_int_equal(gf_setup(D1, 0, 1), 0);
	gf_entry_set(D1, 0, RW, D2, g);
	/* the caller's mappings: the 64th accepted, the 65th refused */
	for (i = 0; i < VMM_GNTTAB_MAPTRACK_MAX; i++)
		assert_int_equal(map(D2, VA + i * 0x1000u, HMRO, 0, D1, &h), 0);
	assert_int_equal(h, VMM_GNTTAB_MAPTRACK_MAX - 1);
	assert_int_equal(map(D2, VA + i * 0x1000u, HMRO, 0, D1, NULL), -VMM_ENOSPC);
	assert_int_equal(fr(g)->u.use.refcount, 1 + VMM_GNTTAB_MAPTRACK_MAX);
	assert_int_equal(unmap(D2, VA, 0), 0);
	assert_int_equal(map(D2, VA + i * 0x1000u, HMRO, 0, D1, &h), 0);
	assert_int_equal(h, 0); /* the freed handle is reused */
	/* reference count at FRAME_COUNT_MAX: refused, nothing changed */
	gf_reset();
	assert_int_equal(gf_setup(D1, 0, 1), 0);
	gf_entry_set(D1, 0, RW, D2, g);
	f = frame_get(&gf_ft, g);
	f->u.use.refcount = FRAME_COUNT_MAX;
	assert_int_equal(map(D2, VA, HM, 0, D1, NULL), -VMM_ENOSPC);
	assert_int_equal(f->u.use.type_count, 1);
	assert_int_equal(gf_entry_get(D1, 0).flags, RW);
	f->u.use.refcount = FRAME_COUNT_MAX - 1;
	assert_int_equal(map(D2, VA, HM, 0, D1, NULL), 0);
	/* type count at FRAME_COUNT_MAX */
	gf_reset();
	assert_int_equal(gf_setup(D1, 0, 1), 0);
	gf_entry_set(D1, 0, RW, D2, g);
	f = frame_get(&gf_ft, g);
	f->u.use.type_count = FRAME_COUNT_MAX;
	assert_int_equal(map(D2, VA, HM, 0, D1, NULL), -VMM_ENOSPC);
	assert_int_equal(f->u.use.refcount, 1);
	assert_int_equal(map(D2, VA, HMRO, 0, D1, NULL), 0); /* read-only takes no type */
}

static void test_map_active_limit(void **state)
{
	uint32_t i;

	(void)state;
	/* one granter's grants in use: GNTTAB_ACTIVE_MAX over two grantees */
	assert_int_equal(gf_setup(D1, 0, 1), 0);
	for (i = 0; i <= GNTTAB_ACTIVE_MAX; i++)
		gf_entry_set(D1, i, RO, i < 40 ? D2 : D3, gf_mfn(D1, 8));
	for (i = 0; i < GNTTAB_ACTIVE_MAX; i++)
		assert_int_equal(map(i < 40 ? D2 : D3, VA + i * 0x1000u, HMRO, i, D1, NULL), 0);
	assert_int_equal(gnttab_active_count(&gf_gt[D1]), GNTTAB_ACTIVE_MAX);
	assert_int_equal(map(D3, VA + i * 0x1000u, HMRO, i, D1, NULL), -VMM_ENOSPC);
	/* the table cannot be replaced while grants are mapped */
	assert_int_equal(gf_setup(D1, 4, 1), -VMM_EBUSY);
	assert_int_equal(gf_gt[D1].frames[0], gf_mfn(D1, 0));
}

/* ---- copy ------------------------------------------------------------------- */

static struct vmm_gnttab_copy cop(uint32_t su, uint16_t sd, uint16_t so, uint32_t du, uint16_t dd, uint16_t doff,
				  uint16_t len, uint16_t flags)
{
	struct vmm_gnttab_copy c = { { su, sd, so }, { du, dd, doff }, len, flags, 0 };
	return c;
}

static int copy(uint32_t caller, struct vmm_gnttab_copy c)
{
	return gnttab_copy(&gf_gt[caller], &c);
}

#define SG VMM_GNTCOPY_source_gref
#define DG VMM_GNTCOPY_dest_gref

static void test_copy_directions(void **state)
{
	uint32_t g = gf_mfn(D1, 8), g2 = gf_mfn(D1, 9), i;

	(void)state;
	assert_int_equal(gf_setup(D1, 0, 1), 0);
	gf_entry_set(D1, 0, RW, D2, g);
	gf_entry_set(D1, 1, RO, D2, g2);
	memcpy(&gf_guest[D2][0x100], "hello grant", 11);
	/* local -> grant */
	assert_int_equal(copy(D2, cop(GF_GVA + 0x100u, VMM_DOMID_SELF, 0, 0, D1, 100, 11, DG)), 0);
	assert_memory_equal(&gf_mem[g - GF_BASE][100], "hello grant", 11);
	/* grant -> local, own id as the local domain */
	assert_int_equal(copy(D2, cop(0, D1, 100, GF_GVA + 0x200u, D2, 0, 11, SG)), 0);
	assert_memory_equal(&gf_guest[D2][0x200], "hello grant", 11);
	/* grant -> grant (read-only source to read/write dest) */
	memcpy(&gf_mem[g2 - GF_BASE][0], "ro data", 7);
	assert_int_equal(copy(D2, cop(1, D1, 0, 0, D1, 4000, 7, SG | DG)), 0);
	assert_memory_equal(&gf_mem[g - GF_BASE][4000], "ro data", 7);
	/* copy takes no count and leaves no in-use bit */
	assert_int_equal(fr(g)->u.use.refcount, 1);
	assert_int_equal(gf_entry_get(D1, 0).flags, RW);
	/* whole frame: offset 0, length 4096 */
	assert_int_equal(copy(D2, cop(0, D1, 0, GF_GVA, VMM_DOMID_SELF, 0, 4096, SG)), 0);
	assert_int_equal(gf_mapped_now, 0);
	/* local -> local, in chunks; overlapping both ways copies as memmove does */
	for (i = 0; i < 300; i++)
		gf_guest[D2][0x1000 + i] = (uint8_t)i;
	assert_int_equal(copy(D2, cop(GF_GVA + 0x1000u, VMM_DOMID_SELF, 0, GF_GVA + 0x2000u, D2, 0, 300, 0)), 0);
	assert_memory_equal(&gf_guest[D2][0x2000], &gf_guest[D2][0x1000], 300);
	assert_int_equal(copy(D2, cop(GF_GVA + 0x1000u, VMM_DOMID_SELF, 0, GF_GVA + 0x1005u, D2, 0, 300, 0)), 0);
	for (i = 0; i < 300; i++)
		assert_int_equal(gf_guest[D2][0x1005 + i], (uint8_t)i);
	assert_int_equal(copy(D2, cop(GF_GVA + 0x1005u, VMM_DOMID_SELF, 0, GF_GVA + 0x1000u, D2, 0, 300, 0)), 0);
	for (i = 0; i < 300; i++)
		assert_int_equal(gf_guest[D2][0x1000 + i], (uint8_t)i);
	/* a local side outside the caller's memory: refused before a byte moves */
	gf_guest[D2][0x1000] = 0xEE;
	assert_int_equal(copy(D2, cop(GF_GVA + 0x1000u, VMM_DOMID_SELF, 0, GF_GVA + GF_GSIZE - 7, D2, 0, 8, 0)),
			 -VMM_EFAULT);
	assert_int_equal(copy(D2, cop(GF_GVA + GF_GSIZE - 7, VMM_DOMID_SELF, 0, GF_GVA + 0x1000u, D2, 0, 8, 0)),
			 -VMM_EFAULT);
	assert_int_equal(gf_guest[D2][0x1000], 0xEE);
}

static void test_copy_refusals(void **state)
{
	uint32_t g = gf_mfn(D1, 8), t = gf_mfn(D1, 10);
	uint8_t before[4096];

	(void)state;
	assert_int_equal(gf_setup(D1, 0, 1), 0);
	gf_entry_set(D1, 0, RW, D2, g);
	gf_entry_set(D1, 1, RO, D2, g);
	gf_entry_set(D1, 2, RW, D3, g);
	gf_entry_set(D1, 3, RW, D2, t);
	memcpy(before, gf_mem[g - GF_BASE], sizeof(before));
	/* flags and length */
	assert_int_equal(copy(D2, cop(GF_GVA, VMM_DOMID_SELF, 0, 0, D1, 0, 8, DG | 4u)), -VMM_EINVAL);
	assert_int_equal(copy(D2, cop(GF_GVA, VMM_DOMID_SELF, 0, 0, D1, 0, 0, DG)), -VMM_EINVAL);
	assert_int_equal(copy(D2, cop(GF_GVA, VMM_DOMID_SELF, 0, 0, D1, 0, 4097, DG)), -VMM_EINVAL);
	assert_int_equal(copy(D2, cop(GF_GVA, VMM_DOMID_SELF, 0, 0, D1, 0, 0xFFFF, DG)), -VMM_EINVAL);
	/* offset + length: 4096 accepted, 4097 refused */
	assert_int_equal(copy(D2, cop(GF_GVA, VMM_DOMID_SELF, 0, 0, D1, 4095, 1, DG)), 0);
	assert_int_equal(copy(D2, cop(GF_GVA, VMM_DOMID_SELF, 0, 0, D1, 4095, 2, DG)), -VMM_EINVAL);
	assert_int_equal(copy(D2, cop(0, D1, 0xFFFF, GF_GVA, VMM_DOMID_SELF, 0, 1, SG)), -VMM_EINVAL);
	memcpy(before, gf_mem[g - GF_BASE], sizeof(before));
	/* local side: another domain, an offset, outside the caller's memory */
	assert_int_equal(copy(D2, cop(GF_GVA, D3, 0, 0, D1, 0, 8, DG)), -VMM_EPERM);
	assert_int_equal(copy(D2, cop(GF_GVA, VMM_DOMID_SELF, 1, 0, D1, 0, 8, DG)), -VMM_EINVAL);
	assert_int_equal(copy(D2, cop(GF_GVA + GF_GSIZE - 7, VMM_DOMID_SELF, 0, 0, D1, 0, 8, DG)), -VMM_EFAULT);
	assert_int_equal(copy(D2, cop(0, D1, 0, GF_GVA + GF_GSIZE - 7, VMM_DOMID_SELF, 0, 8, SG)), -VMM_EFAULT);
	assert_int_equal(copy(D2, cop(0, D1, 0, 0xFFFFFFF8u, VMM_DOMID_SELF, 0, 8, SG)), -VMM_EFAULT);
	/* grant side: read-only dest, other grantee, unknown/dead granter, bad ref, page table */
	assert_int_equal(copy(D2, cop(GF_GVA, VMM_DOMID_SELF, 0, 1, D1, 0, 8, DG)), -VMM_EPERM);
	assert_int_equal(copy(D2, cop(GF_GVA, VMM_DOMID_SELF, 0, 2, D1, 0, 8, DG)), -VMM_EPERM);
	assert_int_equal(copy(D2, cop(GF_GVA, VMM_DOMID_SELF, 0, 0, 7, 0, 8, DG)), -VMM_ESRCH);
	assert_int_equal(copy(D2, cop(GF_GVA, VMM_DOMID_SELF, 0, 0, VMM_DOMID_SELF, 0, 8, DG)), -VMM_ESRCH);
	assert_int_equal(copy(D2, cop(GF_GVA, VMM_DOMID_SELF, 0, 512, D1, 0, 8, DG)), -VMM_EINVAL);
	assert_int_equal(copy(D2, cop(GF_GVA, VMM_DOMID_SELF, 0, 0xFFFFFFFFu, D1, 0, 8, DG)), -VMM_EINVAL);
	gf_dead[D1] = true;
	assert_int_equal(copy(D2, cop(0, D1, 0, GF_GVA, VMM_DOMID_SELF, 0, 8, SG)), -VMM_ESRCH);
	gf_dead[D1] = false;
	frame_put_type(&gf_ft, t, FRAME_TYPE_WRITABLE);
	frame_put_ref(&gf_ft, t);
	assert_int_equal(frame_get_type(&gf_ft, t, D1, FRAME_TYPE_L1), 0);
	assert_int_equal(copy(D2, cop(GF_GVA, VMM_DOMID_SELF, 0, 3, D1, 0, 8, DG)), -VMM_EBUSY);
	assert_int_equal(copy(D2, cop(3, D1, 0, GF_GVA, VMM_DOMID_SELF, 0, 8, SG)), 0); /* reading it is fine */
	/* the policy */
	gf_deny_a = D2;
	gf_deny_b = D1;
	assert_int_equal(copy(D2, cop(0, D1, 0, GF_GVA, VMM_DOMID_SELF, 0, 8, SG)), -VMM_EPERM);
	gf_deny_a = gf_deny_b = 0;
	memset(gf_guest[D2], 0x5A, 16);
	assert_memory_equal(before, gf_mem[g - GF_BASE], sizeof(before)); /* nothing written by a refused copy */
	assert_int_equal(gf_mapped_now, 0);
}

/* ---- the batch call ---------------------------------------------------------- */

static void test_batch(void **state)
{
	struct vmm_gnttab_query_size q[VMM_GNTTAB_BATCH_MAX];
	struct vmm_gnttab_copy c[2];
	uint32_t i, cmds[] = { 3, 4, 7, 0x80000000u, 0xFFFFFFFFu };

	(void)state;
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		assert_int_equal(gnttab_op(&gf_gt[D1], cmds[i], GF_GVA, 1), -VMM_EINVAL);
	assert_int_equal(gnttab_op(&gf_gt[D1], VMM_GNTTABOP_query_size, GF_GVA, VMM_GNTTAB_BATCH_MAX + 1),
			 -VMM_E2BIG);
	assert_int_equal(gnttab_op(&gf_gt[D1], VMM_GNTTABOP_query_size, GF_GVA, 0x80000000u), -VMM_E2BIG);
	assert_int_equal(gnttab_op(&gf_gt[D1], VMM_GNTTABOP_query_size, GF_GVA, 0xFFFFFFFFu), -VMM_E2BIG);
	assert_int_equal(gnttab_op(&gf_gt[D1], VMM_GNTTABOP_query_size, 0, 0), 0);
	memset(q, 0, sizeof(q));
	for (i = 0; i < VMM_GNTTAB_BATCH_MAX; i++)
		q[i].dom = i == 5 ? D2 : VMM_DOMID_SELF;
	memcpy(gf_guest[D1], q, sizeof(q));
	assert_int_equal(gnttab_op(&gf_gt[D1], VMM_GNTTABOP_query_size, GF_GVA, VMM_GNTTAB_BATCH_MAX), 0);
	memcpy(q, gf_guest[D1], sizeof(q));
	for (i = 0; i < VMM_GNTTAB_BATCH_MAX; i++) {
		assert_int_equal(q[i].status, i == 5 ? -VMM_EPERM : 0);
		assert_int_equal(q[i].max_nr_frames, i == 5 ? 0 : VMM_GNTTAB_MAX_FRAMES);
	}
	/* the second structure crosses the end of memory: the first ran, then -EFAULT */
	assert_int_equal(gf_setup(D1, 0, 1), 0);
	gf_entry_set(D1, 0, RW, D2, gf_mfn(D1, 8));
	c[0] = cop(0, D1, 0, GF_GVA, VMM_DOMID_SELF, 0, 4, SG);
	c[1] = c[0];
	memcpy(&gf_guest[D2][GF_GSIZE - sizeof(c) + 4], c, sizeof(c) - 4);
	gf_mem[gf_mfn(D1, 8) - GF_BASE][0] = 0x77;
	assert_int_equal(gnttab_op(&gf_gt[D2], VMM_GNTTABOP_copy, GF_GVA + GF_GSIZE - sizeof(c) + 4, 2),
			 -VMM_EFAULT);
	assert_int_equal(gf_guest[D2][0], 0x77);
	memcpy(c, &gf_guest[D2][GF_GSIZE - sizeof(c) + 4], sizeof(c[0]));
	assert_int_equal(c[0].status, 0);
	/* a batch whose address wraps 4 GiB */
	assert_int_equal(gnttab_op(&gf_gt[D2], VMM_GNTTABOP_copy, 0xFFFFFFF0u, 2), -VMM_EFAULT);
	/* a map through the batch returns its handle */
	{
		struct vmm_gnttab_map_grant_ref m = mop(VA, HM, 0, D1);
		memcpy(gf_guest[D2], &m, sizeof(m));
		assert_int_equal(gnttab_op(&gf_gt[D2], VMM_GNTTABOP_map_grant_ref, GF_GVA, 1), 0);
		memcpy(&m, gf_guest[D2], sizeof(m));
		assert_int_equal(m.status, 0);
		assert_int_equal(m.handle, 0);
		assert_non_null(gf_map_find(D2, VA));
	}
}

/* ---- domain death ---------------------------------------------------------- */

/* A dying grantee: its mappings go, the granter's counts, pins and in-use flags drop. */
static void test_death_of_grantee(void **state)
{
	uint32_t h1, h2, free_before = gf_ft.nr_free;

	(void)state;
	assert_int_equal(gf_setup(D1, 0, 1), 0);
	assert_int_equal(gf_setup(D2, 0, 1), 0);
	gf_entry_set(D1, 1, RW, D2, gf_mfn(D1, 5));
	gf_entry_set(D1, 2, RO, D2, gf_mfn(D1, 6));
	assert_int_equal(map(D2, VA, HM, 1, D1, &h1), 0);
	assert_int_equal(map(D2, VA + 0x1000u, HMRO, 2, D1, &h2), 0);
	assert_int_equal(fr(gf_mfn(D1, 5))->u.use.refcount, 2);
	/* D2 dies: its 16 frames are free, its table frame too; D1 is as before the maps */
	assert_int_equal(gf_kill(D2), GF_PER_DOM);
	assert_int_equal(gf_ft.nr_free, free_before + GF_PER_DOM);
	assert_null(gf_map_find(D2, VA));
	assert_null(gf_map_find(D2, VA + 0x1000u));
	assert_int_equal(fr(gf_mfn(D1, 5))->u.use.refcount, 1);
	assert_int_equal(fr(gf_mfn(D1, 5))->u.use.type_count, 1);
	assert_int_equal(fr(gf_mfn(D1, 6))->u.use.refcount, 1);
	assert_int_equal(gnttab_active_count(&gf_gt[D1]), 0);
	assert_int_equal(gf_entry_get(D1, 1).flags, RW);
	assert_int_equal(gf_entry_get(D1, 2).flags, RO);
	assert_int_equal(gf_orphans_freed, 0);
	assert_int_equal(gf_mapped_now, 0);
}

/* A dying granter: frames mapped by others stay theirs to read until the last unmap frees them. */
static void test_death_of_granter(void **state)
{
	uint32_t h1, h2, h3, free_before = gf_ft.nr_free;
	struct frame_table *ft = &gf_ft;

	(void)state;
	assert_int_equal(gf_setup(D1, 0, 1), 0);
	gf_entry_set(D1, 1, RW, D2, gf_mfn(D1, 5));
	gf_entry_set(D1, 3, RO, D3, gf_mfn(D1, 5));
	gf_entry_set(D1, 2, RO, D2, gf_mfn(D1, 6));
	assert_int_equal(map(D2, VA, HM, 1, D1, &h1), 0);
	assert_int_equal(map(D3, VA, HMRO, 3, D1, &h3), 0);
	assert_int_equal(map(D2, VA + 0x1000u, HMRO, 2, D1, &h2), 0);
	gf_mem[gf_mfn(D1, 5) - GF_BASE][0] = 0x5a;
	/* D1 dies: 14 of its 16 frames are free (its table frame too), the two mapped ones not */
	assert_int_equal(gf_kill(D1), GF_PER_DOM - 2);
	assert_int_equal(ft->nr_free, free_before + GF_PER_DOM - 2);
	assert_int_equal(fr(gf_mfn(D1, 5))->owner, D1);
	assert_int_equal(fr(gf_mfn(D1, 5))->u.use.refcount, 2);
	assert_int_equal(fr(gf_mfn(D1, 5))->u.use.type_count, 1);
	assert_int_equal(frame_free(ft, gf_mfn(D1, 5), 0), -VMM_EBUSY);
	assert_int_equal(gf_mem[gf_mfn(D1, 5) - GF_BASE][0], 0x5a); /* still the data they read */
	/* nothing new of a dead granter */
	assert_int_equal(map(D2, VA + 0x2000u, HM, 1, D1, NULL), -VMM_ESRCH);
	/* the last unmap of each frame frees it, not an earlier one */
	assert_int_equal(unmap(D2, VA, h1), 0);
	assert_int_equal(gf_orphans_freed, 0);
	assert_int_equal(fr(gf_mfn(D1, 5))->u.use.refcount, 1);
	assert_int_equal(unmap(D2, VA + 0x1000u, h2), 0);
	assert_int_equal(gf_orphans_freed, 1);
	assert_int_equal(fr(gf_mfn(D1, 6))->owner, FRAME_OWNER_FREE);
	assert_int_equal(unmap(D3, VA, h3), 0);
	assert_int_equal(gf_orphans_freed, 2);
	assert_int_equal(fr(gf_mfn(D1, 5))->owner, FRAME_OWNER_FREE);
	assert_int_equal(ft->nr_free, free_before + GF_PER_DOM);
	/* handles are free again */
	assert_int_equal(unmap(D2, VA, h1), -VMM_EINVAL);
	assert_int_equal(gf_mapped_now, 0);
}

/* A dying grantee holding a mapping of an already dead granter frees that frame. */
static void test_death_of_both(void **state)
{
	uint32_t h, free_before = gf_ft.nr_free;

	(void)state;
	assert_int_equal(gf_setup(D1, 0, 1), 0);
	assert_int_equal(gf_setup(D2, 0, 2), 0);
	gf_entry_set(D1, 1, RW, D2, gf_mfn(D1, 5));
	assert_int_equal(map(D2, VA, HM, 1, D1, &h), 0);
	assert_int_equal(gf_kill(D1), GF_PER_DOM - 1);
	assert_int_equal(gf_kill(D2), GF_PER_DOM);
	assert_int_equal(gf_orphans_freed, 1);
	assert_int_equal(gf_ft.nr_free, free_before + 2 * GF_PER_DOM);
	assert_int_equal(gf_map_find(D2, VA), NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_setup_counts_and_bounds, setup),
		cmocka_unit_test_setup(test_setup_refusals, setup),
		cmocka_unit_test_setup(test_setup_ref_count_overflow, setup),
		cmocka_unit_test_setup(test_query_size, setup),
		cmocka_unit_test_setup(test_map_rw_counts_flags_unmap, setup),
		cmocka_unit_test_setup(test_map_readonly, setup),
		cmocka_unit_test_setup(test_map_inuse_flags_exact, setup),
		cmocka_unit_test_setup(test_map_entry_refusals, setup),
		cmocka_unit_test_setup(test_map_argument_refusals, setup),
		cmocka_unit_test_setup(test_map_page_table_frame, setup),
		cmocka_unit_test_setup(test_map_policy, setup),
		cmocka_unit_test_setup(test_map_limits, setup),
		cmocka_unit_test_setup(test_map_active_limit, setup),
		cmocka_unit_test_setup(test_copy_directions, setup),
		cmocka_unit_test_setup(test_copy_refusals, setup),
		cmocka_unit_test_setup(test_batch, setup),
		cmocka_unit_test_setup(test_death_of_grantee, setup),
		cmocka_unit_test_setup(test_death_of_granter, setup),
		cmocka_unit_test_setup(test_death_of_both, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
