/*
 * Fake environment of the grant-table module for its unit tests and fuzz
 * harness: a frame table over GF_NR frames with fake memory, three domains
 * (each with a guest memory buffer at GF_GVA), a policy that can keep two
 * domains apart, and a page-table path that records grant mappings per
 * domain and VA. Header-only: include once per program.
 *
 * Frames [GF_BASE + (d-1)*GF_PER_DOM, +GF_PER_DOM) belong to domain d
 * (d = 1..3); the last GF_PER_DOM frames are the hypervisor's.
 */
#ifndef VMM_TEST_GRANT_FAKE_H
#define VMM_TEST_GRANT_FAKE_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "frametable.h"
#include "grant_table.h"
#include "vmm/abi.h"
#include "vmm/grant_table.h"
#include "vmm/mmu.h"

#define GF_BASE    0x50000u
#define GF_PER_DOM 16u
#define GF_NDOM    3u
#define GF_NR      (GF_PER_DOM * (GF_NDOM + 1u))
#define GF_GVA     0xC0000000u
#define GF_GSIZE   0x4000u
#define GF_MAPS    64u

static struct frame gf_frames[GF_NR];
static struct frame_chunk gf_dir[FRAME_DIR_LEN(GF_BASE, GF_NR)];
static struct frame_table gf_ft;
static uint8_t gf_mem[GF_NR][4096];
static uint8_t gf_guest[GF_NDOM + 1][GF_GSIZE];
static struct gnttab gf_gt[GF_NDOM + 1];
static bool gf_dead[GF_NDOM + 1];
static uint32_t gf_deny_a, gf_deny_b;   /* policy: these two may not share (0: none) */
static int gf_map_fail;                 /* next map_va returns this (0: succeed) */
static unsigned int gf_mapped_now;      /* frame_map() pages not yet unmapped */

static struct gf_map {
	bool used;
	uint32_t domid, va, mfn;
	bool readonly;
} gf_maps[GF_MAPS];

static inline uint32_t gf_mfn(uint32_t dom, uint32_t i)
{
	return GF_BASE + (dom - 1u) * GF_PER_DOM + i;
}

static inline void gf_scrub(uint32_t mfn)
{
	(void)mfn;
}

static struct gnttab *gf_table_of(void *ctx, uint32_t domid)
{
	(void)ctx;
	if (domid < 1 || domid > GF_NDOM || gf_dead[domid])
		return NULL;
	return &gf_gt[domid];
}

static struct frame_table *gf_frames_of(void *ctx, uint32_t mfn)
{
	(void)ctx;
	return mfn >= GF_BASE && mfn < GF_BASE + GF_NR ? &gf_ft : NULL;
}

static void *gf_frame_map(void *ctx, uint32_t mfn)
{
	(void)ctx;
	if (mfn < GF_BASE || mfn >= GF_BASE + GF_NR)
		return NULL;
	gf_mapped_now++;
	return gf_mem[mfn - GF_BASE];
}

static void gf_frame_unmap(void *ctx, void *p)
{
	(void)ctx;
	(void)p;
	gf_mapped_now--;
}

static bool gf_range(uint32_t domid, uint32_t va, uint32_t len)
{
	return domid >= 1 && domid <= GF_NDOM && va >= GF_GVA && va - GF_GVA <= GF_GSIZE &&
	       len <= GF_GSIZE - (va - GF_GVA);
}

static int gf_copy_from(void *ctx, uint32_t domid, void *dst, uint32_t va, uint32_t len)
{
	(void)ctx;
	if (!gf_range(domid, va, len))
		return -VMM_EFAULT;
	memcpy(dst, &gf_guest[domid][va - GF_GVA], len);
	return 0;
}

static int gf_copy_to(void *ctx, uint32_t domid, uint32_t va, const void *src, uint32_t len)
{
	(void)ctx;
	if (!gf_range(domid, va, len))
		return -VMM_EFAULT;
	memcpy(&gf_guest[domid][va - GF_GVA], src, len);
	return 0;
}

static bool gf_accessible(void *ctx, uint32_t domid, uint32_t va, uint32_t len, bool write)
{
	(void)ctx;
	(void)write;
	return gf_range(domid, va, len);
}

static int gf_policy(void *ctx, uint32_t a, uint32_t b)
{
	(void)ctx;
	if (gf_deny_a && ((a == gf_deny_a && b == gf_deny_b) || (a == gf_deny_b && b == gf_deny_a)))
		return -VMM_EPERM;
	return 0;
}

static struct gf_map *gf_map_find(uint32_t domid, uint32_t va)
{
	unsigned int i;

	for (i = 0; i < GF_MAPS; i++)
		if (gf_maps[i].used && gf_maps[i].domid == domid && gf_maps[i].va == va)
			return &gf_maps[i];
	return NULL;
}

static int gf_map_va(void *ctx, uint32_t domid, uint32_t va, uint32_t mfn, bool readonly, uint32_t *pte)
{
	unsigned int i;

	(void)ctx;
	if (gf_map_fail) {
		int err = gf_map_fail;
		gf_map_fail = 0;
		return err;
	}
	if (gf_map_find(domid, va))
		return -VMM_EBUSY;
	for (i = 0; i < GF_MAPS; i++)
		if (!gf_maps[i].used) {
			gf_maps[i] = (struct gf_map){ true, domid, va, mfn, readonly };
			*pte = va ^ 0x5u; /* a token the unmap must get back */
			return 0;
		}
	return -VMM_ENOSPC;
}

static int gf_unmap_va(void *ctx, uint32_t domid, uint32_t pte, uint32_t mfn)
{
	struct gf_map *m = gf_map_find(domid, pte ^ 0x5u);

	(void)ctx;
	if (!m || m->mfn != mfn)
		return -VMM_EINVAL;
	m->used = false;
	return 0;
}

/* Frames orphan_put() gave back to the allocator (a dead granter's, last unmap). */
static unsigned int gf_orphans_freed;

static void gf_orphan_put(void *ctx, uint32_t mfn)
{
	const struct frame *f = frame_get(&gf_ft, mfn);

	(void)ctx;
	if (f && f->owner >= 1 && f->owner <= GF_NDOM && gf_dead[f->owner] && !f->u.use.refcount &&
	    !f->u.use.type_count && frame_free(&gf_ft, mfn, 0) == 0)
		gf_orphans_freed++;
}

static const struct gnttab_ops gf_ops = {
	.table_of = gf_table_of,
	.frames = gf_frames_of,
	.frame_map = gf_frame_map,
	.frame_unmap = gf_frame_unmap,
	.copy_from = gf_copy_from,
	.copy_to = gf_copy_to,
	.accessible = gf_accessible,
	.policy = gf_policy,
	.map_va = gf_map_va,
	.unmap_va = gf_unmap_va,
	.orphan_put = gf_orphan_put,
};

/*
 * Domain dom dies as the glue does it: its grant state is released, the
 * others forget it as a granter, its data mappings (the builder's counts)
 * go and every frame of it nothing else holds is freed (as the memory
 * teardown does). Returns how many of its frames were freed.
 */
static inline unsigned int gf_kill(uint32_t dom)
{
	unsigned int d, i, freed = 0;

	gnttab_release(&gf_gt[dom]);
	gf_dead[dom] = true;
	for (d = 1; d <= GF_NDOM; d++)
		if (!gf_dead[d])
			gnttab_forget_granter(&gf_gt[d], &gf_gt[dom]);
	gnttab_domain_init(&gf_gt[dom], dom); /* its storage goes: poison-free reuse is the glue's */
	for (i = 0; i < GF_PER_DOM; i++) {
		frame_put_ref(&gf_ft, gf_mfn(dom, i));
		frame_put_type(&gf_ft, gf_mfn(dom, i), FRAME_TYPE_WRITABLE);
		freed += frame_free(&gf_ft, gf_mfn(dom, i), 0) == 0;
	}
	return freed;
}

/* Fresh state: every domain's frames owned by it, WRITABLE count 1 / ref 1 like a
 * builder's data mapping, no tables, no mappings, policy allows everything. */
static inline void gf_reset(void)
{
	uint32_t d, i;

	memset(gf_mem, 0, sizeof(gf_mem));
	memset(gf_guest, 0, sizeof(gf_guest));
	memset(gf_maps, 0, sizeof(gf_maps));
	memset(gf_dead, 0, sizeof(gf_dead));
	gf_deny_a = gf_deny_b = 0;
	gf_map_fail = 0;
	gf_mapped_now = 0;
	gf_orphans_freed = 0;
	frame_table_init(&gf_ft, gf_dir, gf_frames, GF_BASE, GF_NR, gf_scrub);
	for (d = 1; d <= GF_NDOM; d++) {
		frame_mark_owned(&gf_ft, gf_mfn(d, 0), GF_PER_DOM, (uint16_t)d);
		for (i = 0; i < GF_PER_DOM; i++) {
			frame_get_type(&gf_ft, gf_mfn(d, i), (uint16_t)d, FRAME_TYPE_WRITABLE);
			frame_get_ref(&gf_ft, gf_mfn(d, i), (uint16_t)d);
		}
		gnttab_domain_init(&gf_gt[d], d);
	}
	frame_mark_owned(&gf_ft, GF_BASE + GF_NDOM * GF_PER_DOM, GF_PER_DOM, FRAME_OWNER_HYP);
	gnttab_init(&gf_ops, NULL);
}

/* Writes entry ref of domain dom's table (frame index 0.. of its table). */
static inline void gf_entry_set(uint32_t dom, uint32_t ref, uint16_t flags, uint16_t grantee, uint32_t frame)
{
	struct vmm_grant_entry e = { flags, grantee, frame };
	uint32_t mfn = gf_gt[dom].frames[ref / VMM_GNTTAB_ENTRIES_PER_FRAME];

	memcpy(&gf_mem[mfn - GF_BASE][(ref % VMM_GNTTAB_ENTRIES_PER_FRAME) * 8u], &e, sizeof(e));
}

static inline struct vmm_grant_entry gf_entry_get(uint32_t dom, uint32_t ref)
{
	struct vmm_grant_entry e;
	uint32_t mfn = gf_gt[dom].frames[ref / VMM_GNTTAB_ENTRIES_PER_FRAME];

	memcpy(&e, &gf_mem[mfn - GF_BASE][(ref % VMM_GNTTAB_ENTRIES_PER_FRAME) * 8u], sizeof(e));
	return e;
}

/* Sets up dom's table on its frames [first, first + n) (0 or the error). */
static inline int gf_setup(uint32_t dom, uint32_t first, uint32_t n)
{
	struct vmm_gnttab_setup_table op = { VMM_DOMID_SELF, 0, n, GF_GVA + 0x3F00u, 0 };
	uint32_t i, list[VMM_GNTTAB_MAX_FRAMES + 1] = { 0 };

	for (i = 0; i < n && i <= VMM_GNTTAB_MAX_FRAMES; i++)
		list[i] = gf_mfn(dom, first + i);
	memcpy(&gf_guest[dom][0x3F00], list, sizeof(list));
	return gnttab_setup_table(&gf_gt[dom], &op);
}

#endif /* VMM_TEST_GRANT_FAKE_H */
