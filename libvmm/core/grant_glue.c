/*
 * The grant logic's environment on the running system (see grant_glue.h).
 *
 * A domain's struct gnttab (its table frames, active and maptrack records,
 * under 4 KiB) lives in one hypervisor frame from the allocator, taken when
 * the domain first uses grants (its own grant_table_op, or another's naming
 * it) and given back when it dies: an image whose domains never share pays
 * nothing, and a dead domain leaves nothing behind.
 */
#include "grant_glue.h"

#include "arch.h"
#include "domain.h"
#include "grant_table.h"
#include "guest_access.h"
#include "log.h"
#include "mm.h"
#include "policy.h"
#include "pt_table.h"
#include "vmm/abi.h"

_Static_assert(sizeof(struct gnttab) <= (1u << MM_PAGE_SHIFT), "struct gnttab outgrew its frame");

/* Per domain slot: the live domain's grant state, or NULL (none yet, or freed at death). */
static struct gnttab *grant_state[VMM_MAX_DOMAINS];
static uint32_t grant_state_mfn[VMM_MAX_DOMAINS];
/* The domain grant_domain_destroy() tears down: dead already, domain_find() skips it. */
static struct domain *grant_dying;

/* The domain with id domid that grant code may act on: a live one, or the dying one. */
static struct domain *glue_domain(uint32_t domid)
{
	if (grant_dying && grant_dying->id == domid)
		return grant_dying;
	return domain_find(domid);
}

/* d's grant state, taken from the allocator at first use; NULL if no frame is free. */
static struct gnttab *grant_of(struct domain *d)
{
	struct gnttab *gt = grant_state[d->slot];
	uint32_t mfn;

	if (!gt) {
		if (mm_alloc(0, FRAME_OWNER_HYP, MM_LINEAR, &mfn) != 0)
			return NULL;
		gt = arch_phys_to_hv(mfn << MM_PAGE_SHIFT);
		gnttab_domain_init(gt, d->id);
		grant_state[d->slot] = gt;
		grant_state_mfn[d->slot] = mfn;
	}
	gt->rejections_logged = &d->rejections_logged;
	return gt;
}

static struct gnttab *glue_table_of(void *ctx, uint32_t domid)
{
	struct domain *d = domain_find(domid);

	(void)ctx;
	return d ? grant_of(d) : NULL;
}

/* A frame of a dead granter lost its last grant mapping: back to the allocator (scrubbed at reuse). */
static void glue_orphan_put(void *ctx, uint32_t mfn)
{
	const struct frame *f = mm_frame(mfn);
	uint16_t owner = f ? f->owner : FRAME_OWNER_NONE;

	(void)ctx;
	/* once per frame (it is free after): no rate limit needed */
	if (owner < FRAME_OWNER_NONE && !domain_find(owner) && !f->u.use.refcount && !f->u.use.type_count &&
	    mm_free(mfn, 0) == 0)
		vmm_log("dead dom%u's frame 0x%x: its last grant mapping is gone, back to the allocator",
			(unsigned)owner, (unsigned)mfn);
}

static struct frame_table *glue_frames(void *ctx, uint32_t mfn)
{
	(void)ctx;
	return mm_table(mfn);
}

static void *glue_frame_map(void *ctx, uint32_t mfn)
{
	(void)ctx;
	return arch_map_frame(mfn);
}

static void glue_frame_unmap(void *ctx, void *p)
{
	(void)ctx;
	arch_unmap_frame(p);
}

static int glue_copy_from(void *ctx, uint32_t domid, void *dst, uint32_t va, uint32_t len)
{
	struct domain *d = glue_domain(domid);

	(void)ctx;
	return d ? guest_copy_from(d, dst, va, len) : -VMM_EFAULT;
}

static int glue_copy_to(void *ctx, uint32_t domid, uint32_t va, const void *src, uint32_t len)
{
	struct domain *d = glue_domain(domid);

	(void)ctx;
	return d ? guest_copy_to(d, va, src, len) : -VMM_EFAULT;
}

static bool glue_accessible(void *ctx, uint32_t domid, uint32_t va, uint32_t len, bool write)
{
	struct domain *d = glue_domain(domid);

	(void)ctx;
	return d && (write ? guest_range_writable(d, va, len) : guest_range_accessible(d, va, len));
}

/* The image's access policy (core/policy.c) between granter and grantee. */
static int glue_policy(void *ctx, uint32_t granter, uint32_t grantee)
{
	const struct domain *a = domain_find(granter), *b = domain_find(grantee);

	(void)ctx;
	if (!a || !b)
		return -VMM_EPERM;
	return policy_check(a, b);
}

/* The page-table path for grant mappings, in the grantee's current address space. */
static int glue_map_va(void *ctx, uint32_t domid, uint32_t va, uint32_t mfn, bool readonly, uint32_t *pte)
{
	struct domain *d = domain_find(domid);

	(void)ctx;
	if (!d || !d->pt.ops)
		return -VMM_EINVAL;
	return pt_grant_map(&d->pt, va, mfn, readonly, pte);
}

static int glue_unmap_va(void *ctx, uint32_t domid, uint32_t pte, uint32_t mfn)
{
	struct domain *d = glue_domain(domid);
	int err;

	(void)ctx;
	if (!d || !d->pt.ops)
		return -VMM_EINVAL;
	err = pt_grant_unmap(&d->pt, pte, mfn);
	/* the frame's counts drop right after: no stale translation may survive */
	pt_flush_pending(&d->pt);
	return err;
}

static const struct gnttab_ops glue_ops = {
	.table_of = glue_table_of,
	.frames = glue_frames,
	.frame_map = glue_frame_map,
	.frame_unmap = glue_frame_unmap,
	.copy_from = glue_copy_from,
	.copy_to = glue_copy_to,
	.accessible = glue_accessible,
	.policy = glue_policy,
	.map_va = glue_map_va,
	.unmap_va = glue_unmap_va,
	.orphan_put = glue_orphan_put,
};

long grant_table_op(struct domain *d, uint32_t cmd, uint32_t uop, uint32_t count)
{
	struct gnttab *gt;

	if (gnttab_env_ops != &glue_ops)
		gnttab_init(&glue_ops, NULL);
	gt = grant_of(d);
	if (!gt)
		return vmm_reject(d->id, &d->rejections_logged, -VMM_ENOMEM,
				  "grant_table_op: no hypervisor frame for the grant state");
	return gnttab_op(gt, cmd, uop, count);
}

void grant_domain_destroy(struct domain *d)
{
	struct gnttab *gt = grant_state[d->slot];
	unsigned int i;

	if (!gt)
		return;
	if (gnttab_env_ops != &glue_ops)
		gnttab_init(&glue_ops, NULL);
	grant_dying = d;
	gnttab_release(gt); /* its mappings go while its address space is live */
	for (i = 0; i < VMM_MAX_DOMAINS; i++)
		if (grant_state[i] && i != d->slot)
			gnttab_forget_granter(grant_state[i], gt);
	grant_dying = NULL;
	grant_state[d->slot] = NULL;
	mm_free(grant_state_mfn[d->slot], 0);
}

uint32_t grant_state_frames(void)
{
	uint32_t i, n = 0;

	for (i = 0; i < VMM_MAX_DOMAINS; i++)
		n += grant_state[i] != NULL;
	return n;
}
