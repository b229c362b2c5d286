/*
 * The grant logic's environment on the running system (see grant_glue.h).
 *
 * Each domain slot has a struct gnttab here (so struct domain does not grow
 * by 2 KiB of maptrack and active records); it is emptied when a new domain
 * id first uses the slot.
 */
#include "grant_glue.h"

#include "arch.h"
#include "domain.h"
#include "grant_table.h"
#include "guest_access.h"
#include "mm.h"
#include "policy.h"
#include "pt_table.h"
#include "vmm/abi.h"

static struct gnttab grant_slots[VMM_MAX_DOMAINS];
static uint32_t grant_slot_owner[VMM_MAX_DOMAINS]; /* domain id + 1 the slot's state is for */

static struct gnttab *grant_of(struct domain *d)
{
	struct gnttab *gt = &grant_slots[d->slot];

	if (grant_slot_owner[d->slot] != d->id + 1u) {
		gnttab_domain_init(gt, d->id);
		grant_slot_owner[d->slot] = d->id + 1u;
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
	struct domain *d = domain_find(domid);

	(void)ctx;
	return d ? guest_copy_from(d, dst, va, len) : -VMM_EFAULT;
}

static int glue_copy_to(void *ctx, uint32_t domid, uint32_t va, const void *src, uint32_t len)
{
	struct domain *d = domain_find(domid);

	(void)ctx;
	return d ? guest_copy_to(d, va, src, len) : -VMM_EFAULT;
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
	struct domain *d = domain_find(domid);
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
	.policy = glue_policy,
	.map_va = glue_map_va,
	.unmap_va = glue_unmap_va,
};

long grant_table_op(struct domain *d, uint32_t cmd, uint32_t uop, uint32_t count)
{
	if (gnttab_env_ops != &glue_ops)
		gnttab_init(&glue_ops, NULL);
	return gnttab_op(grant_of(d), cmd, uop, count);
}
