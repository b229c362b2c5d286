/*
 * Grant tables: the table, its entries, mapping and unmapping (see
 * grant_table.h for the counts kept; copy is in grant_copy.c, the batch
 * hypercall in grant_hcall.c).
 *
 * Every refusal is one named check returning a documented code with one
 * rate-limited [VMM] line; counts are taken before anything is written and
 * given back on a later failure, so a refused operation changes nothing.
 */
#include "grant_table.h"

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include "cold.h"
#include "log.h"
#include "vmm/abi.h"
#include "vmm/mmu.h"

const struct gnttab_ops *gnttab_env_ops;
void *gnttab_env_ctx;

#define OPS gnttab_env_ops
#define CTX gnttab_env_ctx

void gnttab_init(const struct gnttab_ops *ops, void *ctx)
{
	gnttab_env_ops = ops;
	gnttab_env_ctx = ctx;
}

void gnttab_domain_init(struct gnttab *gt, uint32_t domid)
{
	memset(gt, 0, sizeof(*gt));
	gt->domid = domid;
	gt->rejections_logged = &gt->log_budget;
}

int gnttab_fail(struct gnttab *gt, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err = (int)vmm_vreject(gt->domid, gt->rejections_logged, err, fmt, ap);
	va_end(ap);
	return err;
}

/* VMM_DOMID_SELF or the caller's own id. */
static bool domid_is_self(const struct gnttab *gt, uint32_t dom)
{
	return dom == VMM_DOMID_SELF || dom == gt->domid;
}

static bool frame_is_owned(uint32_t mfn, uint32_t owner)
{
	struct frame_table *ft = OPS->frames(CTX, mfn);

	return ft && frame_owned_by(ft, mfn, (uint16_t)owner);
}

/* --- entries --------------------------------------------------------------- */

static bool ref_in_table(const struct gnttab *gt, uint32_t ref)
{
	/* nr_frames <= VMM_GNTTAB_MAX_FRAMES: the product cannot overflow */
	return ref < GNTTAB_NR_REFS(gt->nr_frames);
}

static uint8_t *entry_map(struct gnttab *gt, uint32_t ref, uint8_t **page)
{
	*page = OPS->frame_map(CTX, gt->frames[ref / VMM_GNTTAB_ENTRIES_PER_FRAME]);
	if (!*page)
		return NULL;
	return *page + (ref % VMM_GNTTAB_ENTRIES_PER_FRAME) * sizeof(struct vmm_grant_entry);
}

int gnttab_entry_read(struct gnttab *gt, uint32_t ref, struct vmm_grant_entry *e)
{
	uint8_t *page, *p;

	if (!ref_in_table(gt, ref))
		return -VMM_EINVAL;
	p = entry_map(gt, ref, &page);
	if (!p)
		return -VMM_ENOMEM;
	memcpy(e, p, sizeof(*e));
	OPS->frame_unmap(CTX, page);
	return 0;
}

/* Makes the entry's in-use bits say exactly what the active record holds. */
static void entry_sync_inuse(struct gnttab *gt, uint32_t ref, const struct gnttab_active *a)
{
	uint8_t *page, *p = entry_map(gt, ref, &page);
	uint16_t flags;

	if (!p)
		return;
	memcpy(&flags, p, sizeof(flags));
	flags &= (uint16_t)~(VMM_GTF_reading | VMM_GTF_writing);
	if (a && (a->ro_pins || a->rw_pins))
		flags |= VMM_GTF_reading;
	if (a && a->rw_pins)
		flags |= VMM_GTF_writing;
	memcpy(p, &flags, sizeof(flags));
	OPS->frame_unmap(CTX, page);
}

struct gnttab_active *gnttab_active_find(struct gnttab *gt, uint32_t ref)
{
	unsigned int i;

	for (i = 0; i < GNTTAB_ACTIVE_MAX; i++) {
		struct gnttab_active *a = &gt->active[i];
		if ((a->ro_pins || a->rw_pins) && a->ref == ref)
			return a;
	}
	return NULL;
}

static struct gnttab_active *active_free_slot(struct gnttab *gt)
{
	unsigned int i;

	for (i = 0; i < GNTTAB_ACTIVE_MAX; i++)
		if (!gt->active[i].ro_pins && !gt->active[i].rw_pins)
			return &gt->active[i];
	return NULL;
}

uint32_t gnttab_active_count(const struct gnttab *gt)
{
	uint32_t i, n = 0;

	for (i = 0; i < GNTTAB_ACTIVE_MAX; i++)
		if (gt->active[i].ro_pins || gt->active[i].rw_pins)
			n++;
	return n;
}

int gnttab_entry_check(struct gnttab *granter, uint32_t ref, uint32_t grantee, bool write,
		       struct gnttab *caller, struct vmm_grant_entry *e)
{
	const struct gnttab_active *a;
	int err;

	/* First: a domain the policy keeps apart learns nothing about the table. */
	err = OPS->policy(CTX, granter->domid, grantee);
	if (err)
		return gnttab_fail(caller, err, "grant: policy keeps dom%u and dom%u apart",
				   (unsigned)granter->domid, (unsigned)grantee);
	if (!ref_in_table(granter, ref))
		return gnttab_fail(caller, -VMM_EINVAL, "grant: ref %u of dom%u outside its table (%u refs)",
				   (unsigned)ref, (unsigned)granter->domid,
				   (unsigned)GNTTAB_NR_REFS(granter->nr_frames));
	err = gnttab_entry_read(granter, ref, e);
	if (err)
		return gnttab_fail(caller, err, "grant: entry %u of dom%u unreadable", (unsigned)ref,
				   (unsigned)granter->domid);
	if ((e->flags & VMM_GTF_type_mask) != VMM_GTF_permit_access)
		return gnttab_fail(caller, -VMM_EINVAL, "grant: ref %u of dom%u is not permit_access (flags 0x%x)",
				   (unsigned)ref, (unsigned)granter->domid, (unsigned)e->flags);
	if (e->flags & ~VMM_GTF_known_mask)
		return gnttab_fail(caller, -VMM_EINVAL, "grant: ref %u of dom%u has unknown flags 0x%x",
				   (unsigned)ref, (unsigned)granter->domid, (unsigned)e->flags);
	if (e->domid != grantee)
		return gnttab_fail(caller, -VMM_EPERM, "grant: ref %u of dom%u is for dom%u, not dom%u",
				   (unsigned)ref, (unsigned)granter->domid, (unsigned)e->domid, (unsigned)grantee);
	if (write && (e->flags & VMM_GTF_readonly))
		return gnttab_fail(caller, -VMM_EPERM, "grant: ref %u of dom%u is read-only",
				   (unsigned)ref, (unsigned)granter->domid);
	a = gnttab_active_find(granter, ref);
	if (a && (a->frame != e->frame || a->grantee != e->domid))
		return gnttab_fail(caller, -VMM_EINVAL, "grant: ref %u of dom%u changed while in use",
				   (unsigned)ref, (unsigned)granter->domid);
	if (!frame_is_owned(e->frame, granter->domid))
		return gnttab_fail(caller, -VMM_EPERM, "grant: ref %u of dom%u names frame 0x%x it does not own",
				   (unsigned)ref, (unsigned)granter->domid, (unsigned)e->frame);
	return 0;
}

/* --- setup_table and query_size ------------------------------------------- */

/* Drops what table_frames_get() took for frames[0, n). */
static void table_frames_put(const uint32_t *frames, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		struct frame_table *ft = OPS->frames(CTX, frames[i]);
		frame_put_ref(ft, frames[i]);
		frame_put_type(ft, frames[i], FRAME_TYPE_WRITABLE);
	}
}

/* A reference and a writable type use of each table frame; all or nothing. */
static int table_frames_get(struct gnttab *gt, const uint32_t *frames, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		struct frame_table *ft = OPS->frames(CTX, frames[i]);
		int err = frame_get_type(ft, frames[i], (uint16_t)gt->domid, FRAME_TYPE_WRITABLE);

		if (!err) {
			err = frame_get_ref(ft, frames[i], (uint16_t)gt->domid);
			if (err)
				frame_put_type(ft, frames[i], FRAME_TYPE_WRITABLE);
		}
		if (err) {
			table_frames_put(frames, i);
			return gnttab_fail(gt, err, "setup_table: frame 0x%x %s", (unsigned)frames[i],
					   err == -VMM_EBUSY ? "is a page table" : "count overflow");
		}
	}
	return 0;
}

VMM_COLD int gnttab_setup_table(struct gnttab *gt, struct vmm_gnttab_setup_table *op)
{
	uint32_t frames[VMM_GNTTAB_MAX_FRAMES];
	uint32_t i, j;
	int err;

	if (!domid_is_self(gt, op->dom))
		return gnttab_fail(gt, -VMM_EPERM, "setup_table: for dom%u", (unsigned)op->dom);
	if (op->pad)
		return gnttab_fail(gt, -VMM_EINVAL, "setup_table: pad 0x%x not 0", (unsigned)op->pad);
	if (op->nr_frames == 0 || op->nr_frames > VMM_GNTTAB_MAX_FRAMES)
		return gnttab_fail(gt, -VMM_EINVAL, "setup_table: %u frames (1..%u)", (unsigned)op->nr_frames,
				   VMM_GNTTAB_MAX_FRAMES);
	if (OPS->copy_from(CTX, gt->domid, frames, op->frame_list, op->nr_frames * 4u))
		return gnttab_fail(gt, -VMM_EFAULT, "setup_table: frame list 0x%08x outside domain memory",
				   (unsigned)op->frame_list);
	for (i = 0; i < op->nr_frames; i++) {
		if (!frame_is_owned(frames[i], gt->domid))
			return gnttab_fail(gt, -VMM_EPERM, "setup_table: frame 0x%x is not the domain's",
					   (unsigned)frames[i]);
		for (j = 0; j < i; j++)
			if (frames[j] == frames[i])
				return gnttab_fail(gt, -VMM_EINVAL, "setup_table: frame 0x%x listed twice",
						   (unsigned)frames[i]);
	}
	if (gnttab_active_count(gt))
		return gnttab_fail(gt, -VMM_EBUSY, "setup_table: %u grants of the old table are mapped",
				   (unsigned)gnttab_active_count(gt));
	err = table_frames_get(gt, frames, op->nr_frames);
	if (err)
		return err;
	table_frames_put(gt->frames, gt->nr_frames);
	memcpy(gt->frames, frames, op->nr_frames * 4u);
	gt->nr_frames = op->nr_frames;
	return 0;
}

int gnttab_query_size(struct gnttab *gt, struct vmm_gnttab_query_size *op)
{
	if (!domid_is_self(gt, op->dom))
		return gnttab_fail(gt, -VMM_EPERM, "query_size: for dom%u", (unsigned)op->dom);
	if (op->pad)
		return gnttab_fail(gt, -VMM_EINVAL, "query_size: pad 0x%x not 0", (unsigned)op->pad);
	op->nr_frames = gt->nr_frames;
	op->max_nr_frames = VMM_GNTTAB_MAX_FRAMES;
	return 0;
}

/* --- map and unmap --------------------------------------------------------- */

static void map_counts_put(uint32_t mfn, bool readonly)
{
	struct frame_table *ft = OPS->frames(CTX, mfn);

	frame_put_ref(ft, mfn);
	if (!readonly)
		frame_put_type(ft, mfn, FRAME_TYPE_WRITABLE);
}

static int map_counts_get(struct gnttab *caller, uint32_t granter, uint32_t mfn, bool readonly)
{
	struct frame_table *ft = OPS->frames(CTX, mfn);
	int err = 0;

	if (!readonly) {
		err = frame_get_type(ft, mfn, (uint16_t)granter, FRAME_TYPE_WRITABLE);
		if (err)
			return gnttab_fail(caller, err, "map_grant_ref: frame 0x%x %s", (unsigned)mfn,
					   err == -VMM_EBUSY ? "is a page table: no writable mapping"
							     : "type count overflow");
	}
	err = frame_get_ref(ft, mfn, (uint16_t)granter);
	if (err) {
		if (!readonly)
			frame_put_type(ft, mfn, FRAME_TYPE_WRITABLE);
		return gnttab_fail(caller, err, "map_grant_ref: frame 0x%x reference count overflow", (unsigned)mfn);
	}
	return 0;
}

static struct gnttab_maptrack *maptrack_free_slot(struct gnttab *gt, uint32_t *handle)
{
	uint32_t i;

	for (i = 0; i < VMM_GNTTAB_MAPTRACK_MAX; i++)
		if (!gt->maptrack[i].used) {
			*handle = i;
			return &gt->maptrack[i];
		}
	return NULL;
}

int gnttab_map(struct gnttab *gt, struct vmm_gnttab_map_grant_ref *op)
{
	bool ro = (op->flags & VMM_GNTMAP_readonly) != 0;
	struct gnttab_maptrack *m;
	struct gnttab_active *a;
	struct vmm_grant_entry e;
	struct gnttab *granter;
	uint32_t handle = 0, pte = 0;
	int err;

	if (op->flags & ~(VMM_GNTMAP_host_map | VMM_GNTMAP_readonly) || !(op->flags & VMM_GNTMAP_host_map))
		return gnttab_fail(gt, -VMM_EINVAL, "map_grant_ref: flags 0x%x (host_map[|readonly] only)",
				   (unsigned)op->flags);
	if (op->pad)
		return gnttab_fail(gt, -VMM_EINVAL, "map_grant_ref: pad 0x%x not 0", (unsigned)op->pad);
	if (op->host_addr & 0xFFFu)
		return gnttab_fail(gt, -VMM_EINVAL, "map_grant_ref: host_addr 0x%08x not page aligned",
				   (unsigned)op->host_addr);
	if (op->host_addr >= VMM_HYPERVISOR_VA_BASE)
		return gnttab_fail(gt, -VMM_EPERM, "map_grant_ref: host_addr 0x%08x in the hypervisor's region",
				   (unsigned)op->host_addr);
	granter = op->dom == VMM_DOMID_SELF ? NULL : OPS->table_of(CTX, op->dom);
	if (!granter)
		return gnttab_fail(gt, -VMM_ESRCH, "map_grant_ref: no domain %u", (unsigned)op->dom);
	m = maptrack_free_slot(gt, &handle);
	if (!m)
		return gnttab_fail(gt, -VMM_ENOSPC, "map_grant_ref: %u mappings held already",
				   VMM_GNTTAB_MAPTRACK_MAX);
	err = gnttab_entry_check(granter, op->ref, gt->domid, !ro, gt, &e);
	if (err)
		return err;
	a = gnttab_active_find(granter, op->ref);
	if (!a) {
		a = active_free_slot(granter);
		if (!a)
			return gnttab_fail(gt, -VMM_ENOSPC, "map_grant_ref: dom%u has %u grants in use already",
					   (unsigned)granter->domid, GNTTAB_ACTIVE_MAX);
		a->ref = op->ref;
		a->frame = e.frame;
		a->grantee = e.domid;
	}
	err = map_counts_get(gt, granter->domid, e.frame, ro);
	if (err)
		return err;
	err = OPS->map_va(CTX, gt->domid, op->host_addr, e.frame, ro, &pte);
	if (err) {
		map_counts_put(e.frame, ro);
		return gnttab_fail(gt, err, "map_grant_ref: cannot map at 0x%08x", (unsigned)op->host_addr);
	}
	if (ro)
		a->ro_pins++;
	else
		a->rw_pins++;
	entry_sync_inuse(granter, op->ref, a);
	m->used = true;
	m->granter = granter;
	m->ref = op->ref;
	m->frame = e.frame;
	m->va = op->host_addr;
	m->pte = pte;
	m->readonly = ro;
	op->handle = handle;
	return 0;
}

/* Drops a mapping's counts and the granter's pin, after its entry is gone. */
static void maptrack_drop(struct gnttab_maptrack *m)
{
	map_counts_put(m->frame, m->readonly);
	if (!m->granter) {
		OPS->orphan_put(CTX, m->frame); /* the granter died: the last unmap frees it */
	} else {
		struct gnttab_active *a = gnttab_active_find(m->granter, m->ref);

		if (a) { /* always found: a mapping holds a pin */
			if (m->readonly)
				a->ro_pins--;
			else
				a->rw_pins--;
			entry_sync_inuse(m->granter, m->ref, a);
		}
	}
	memset(m, 0, sizeof(*m));
}

int gnttab_unmap(struct gnttab *gt, struct vmm_gnttab_unmap_grant_ref *op)
{
	struct gnttab_maptrack *m;
	int err;

	if (op->handle >= VMM_GNTTAB_MAPTRACK_MAX || !gt->maptrack[op->handle].used)
		return gnttab_fail(gt, -VMM_EINVAL, "unmap_grant_ref: no mapping with handle %u",
				   (unsigned)op->handle);
	m = &gt->maptrack[op->handle];
	if (m->va != op->host_addr)
		return gnttab_fail(gt, -VMM_EINVAL, "unmap_grant_ref: handle %u is mapped at 0x%08x, not 0x%08x",
				   (unsigned)op->handle, (unsigned)m->va, (unsigned)op->host_addr);
	err = OPS->unmap_va(CTX, gt->domid, m->pte, m->frame);
	if (err)
		return gnttab_fail(gt, err, "unmap_grant_ref: entry at 0x%08x cannot be removed", (unsigned)m->va);
	maptrack_drop(m);
	return 0;
}

/* --- domain death ------------------------------------------------------------ */

void gnttab_release(struct gnttab *gt)
{
	uint32_t i;

	for (i = 0; i < VMM_GNTTAB_MAPTRACK_MAX; i++) {
		struct gnttab_maptrack *m = &gt->maptrack[i];

		if (!m->used)
			continue;
		/* Removing an entry map_va wrote cannot fail; if it did, the
		 * counts stay (the frame leaks, it is never reused while mapped). */
		if (OPS->unmap_va(CTX, gt->domid, m->pte, m->frame) == 0)
			maptrack_drop(m);
	}
	/* Its grants mapped elsewhere: gnttab_forget_granter() on each grantee. */
	memset(gt->active, 0, sizeof(gt->active));
	table_frames_put(gt->frames, gt->nr_frames);
	gt->nr_frames = 0;
}

void gnttab_forget_granter(struct gnttab *grantee, const struct gnttab *granter)
{
	uint32_t i;

	for (i = 0; i < VMM_GNTTAB_MAPTRACK_MAX; i++)
		if (grantee->maptrack[i].used && grantee->maptrack[i].granter == granter)
			grantee->maptrack[i].granter = NULL;
}
