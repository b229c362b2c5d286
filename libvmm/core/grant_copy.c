/*
 * Grant copy: the hypervisor moves bytes between a granted frame and the
 * caller's memory (or two granted frames) without mapping anything into
 * the caller. Both sides are checked completely before a byte moves. The
 * data moves in one memcpy from the granted frame, mapped, to the other side
 * (or from the caller's memory into the granted frame), as Xen does: no
 * bounce page in the hypervisor's image (issue 9, its RAM). A granted frame
 * that overlaps the other side (a domain copying a grant of its own onto
 * itself) leaves those bytes in memcpy's order: the caller's own memory only.
 */
#include "grant_table.h"

#include <string.h>

#include "cold.h"
#include "vmm/abi.h"
#include "vmm/mmu.h"

#define OPS gnttab_env_ops
#define CTX gnttab_env_ctx

/* One side of a copy, resolved. */
struct copy_side {
	bool gref;
	uint32_t domid;   /* local: the caller */
	uint32_t mfn;     /* gref: the granted frame */
	uint32_t at;      /* gref: offset in the frame; local: guest address */
};

/* Local to local: through this much of the hypervisor stack at a time. */
#define COPY_LOCAL_CHUNK 64u

/* True if the frame is used as a page table: the hypervisor never writes it for a guest. */
static bool frame_is_table(uint32_t mfn)
{
	struct frame_table *ft = OPS->frames(CTX, mfn);
	const struct frame *f = ft ? frame_get(ft, mfn) : NULL;

	return f && f->u.use.type_count && (f->type == FRAME_TYPE_L1 || f->type == FRAME_TYPE_L2);
}

static int side_resolve(struct gnttab *gt, const struct vmm_gnttab_copy_ptr *p, bool gref, bool write,
			uint32_t len, struct copy_side *s)
{
	const char *what = write ? "dest" : "source";
	struct vmm_grant_entry e;
	struct gnttab *granter;
	int err;

	s->gref = gref;
	if (!gref) {
		if (p->domid != VMM_DOMID_SELF && p->domid != gt->domid)
			return gnttab_fail(gt, -VMM_EPERM, "copy: local %s names dom%u", what, (unsigned)p->domid);
		if (p->offset)
			return gnttab_fail(gt, -VMM_EINVAL, "copy: local %s with offset %u", what,
					   (unsigned)p->offset);
		s->domid = gt->domid;
		s->at = p->u;
		return 0;
	}
	if ((uint32_t)p->offset + len > VMM_GNTCOPY_MAX_LEN)
		return gnttab_fail(gt, -VMM_EINVAL, "copy: %s offset %u + length %u passes the frame", what,
				   (unsigned)p->offset, (unsigned)len);
	granter = p->domid == VMM_DOMID_SELF ? NULL : OPS->table_of(CTX, p->domid);
	if (!granter)
		return gnttab_fail(gt, -VMM_ESRCH, "copy: %s domain %u does not exist", what, (unsigned)p->domid);
	err = gnttab_entry_check(granter, p->u, gt->domid, write, gt, &e);
	if (err)
		return err;
	if (write && frame_is_table(e.frame))
		return gnttab_fail(gt, -VMM_EBUSY, "copy: dest frame 0x%x is a page table", (unsigned)e.frame);
	s->domid = granter->domid;
	s->mfn = e.frame;
	s->at = p->offset;
	return 0;
}

static int side_write(const struct copy_side *s, const void *buf, uint32_t len)
{
	uint8_t *page;

	if (!s->gref)
		return OPS->copy_to(CTX, s->domid, s->at, buf, len);
	page = OPS->frame_map(CTX, s->mfn);
	if (!page)
		return -VMM_ENOMEM;
	memcpy(page + s->at, buf, len);
	OPS->frame_unmap(CTX, page);
	return 0;
}

/* From a granted frame, mapped, straight to the other side. */
static int copy_from_frame(struct gnttab *gt, const struct copy_side *src, const struct copy_side *dst,
			   uint32_t len)
{
	uint8_t *from = OPS->frame_map(CTX, src->mfn);
	int err;

	if (!from)
		return gnttab_fail(gt, -VMM_ENOMEM, "copy: source 0x%08x+%u unreadable", (unsigned)src->at,
				   (unsigned)len);
	err = side_write(dst, from + src->at, len); /* a local side is checked whole first */
	OPS->frame_unmap(CTX, from);
	if (err)
		return gnttab_fail(gt, err, "copy: dest 0x%08x+%u unwritable", (unsigned)dst->at, (unsigned)len);
	return 0;
}

/* From the caller's memory into a granted frame, mapped: copy_from() checks the
 * whole source range before it writes a byte. */
static int copy_into_frame(struct gnttab *gt, const struct copy_side *src, const struct copy_side *dst,
			   uint32_t len)
{
	uint8_t *to = OPS->frame_map(CTX, dst->mfn);
	int err;

	if (!to)
		return gnttab_fail(gt, -VMM_ENOMEM, "copy: dest 0x%08x+%u unwritable", (unsigned)dst->at,
				   (unsigned)len);
	err = OPS->copy_from(CTX, src->domid, to + dst->at, src->at, len);
	OPS->frame_unmap(CTX, to);
	if (err)
		return gnttab_fail(gt, err, "copy: source 0x%08x+%u unreadable", (unsigned)src->at, (unsigned)len);
	return 0;
}

/* Within the caller's memory (no grant on either side, which nobody needs but Xen
 * allows): both ranges checked, then small chunks, downwards when the destination
 * lies above the source so that overlapping ranges copy as memmove does. */
static VMM_COLD int copy_local(struct gnttab *gt, const struct copy_side *src, const struct copy_side *dst, uint32_t len)
{
	uint8_t buf[COPY_LOCAL_CHUNK] __attribute__((aligned(8)));
	bool down = dst->at > src->at;
	uint32_t done;

	if (!OPS->accessible(CTX, src->domid, src->at, len, false))
		return gnttab_fail(gt, -VMM_EFAULT, "copy: source 0x%08x+%u unreadable", (unsigned)src->at,
				   (unsigned)len);
	if (!OPS->accessible(CTX, dst->domid, dst->at, len, true))
		return gnttab_fail(gt, -VMM_EFAULT, "copy: dest 0x%08x+%u unwritable", (unsigned)dst->at,
				   (unsigned)len);
	for (done = 0; done < len;) {
		uint32_t n = len - done < COPY_LOCAL_CHUNK ? len - done : COPY_LOCAL_CHUNK;
		uint32_t at = down ? len - done - n : done;

		/* both ranges were checked: these cannot fail */
		if (OPS->copy_from(CTX, src->domid, buf, src->at + at, n) ||
		    OPS->copy_to(CTX, dst->domid, dst->at + at, buf, n))
			return gnttab_fail(gt, -VMM_EFAULT, "copy: local 0x%08x+%u failed", (unsigned)src->at,
					   (unsigned)len);
		done += n;
	}
	return 0;
}

int gnttab_copy(struct gnttab *gt, struct vmm_gnttab_copy *op)
{
	struct copy_side src, dst;
	int err;

	if (op->flags & ~(VMM_GNTCOPY_source_gref | VMM_GNTCOPY_dest_gref))
		return gnttab_fail(gt, -VMM_EINVAL, "copy: flags 0x%x", (unsigned)op->flags);
	if (op->len == 0 || op->len > VMM_GNTCOPY_MAX_LEN)
		return gnttab_fail(gt, -VMM_EINVAL, "copy: length %u (1..%u)", (unsigned)op->len,
				   VMM_GNTCOPY_MAX_LEN);
	err = side_resolve(gt, &op->source, (op->flags & VMM_GNTCOPY_source_gref) != 0, false, op->len, &src);
	if (err)
		return err;
	err = side_resolve(gt, &op->dest, (op->flags & VMM_GNTCOPY_dest_gref) != 0, true, op->len, &dst);
	if (err)
		return err;
	if (src.gref)
		return copy_from_frame(gt, &src, &dst, op->len);
	if (dst.gref)
		return copy_into_frame(gt, &src, &dst, op->len);
	return copy_local(gt, &src, &dst, op->len);
}
