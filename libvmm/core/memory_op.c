/*
 * memory_op: a domain's reservation (see memory_op.h and
 * include/vmm/memory_op.h for the ABI).
 *
 * The hypervisor's p2m (d->p2m, p2m.h) is the truth about which pfns are
 * backed; the machine-to-physical table follows it through
 * domain_mem_take() and mm_free(). The guest learns new machine frames from
 * the extent list (populate writes them back), so the hypervisor never
 * writes into the guest's own copy of the p2m list, which the guest may
 * have reused (vmm/guest_info.h).
 */
#include "memory_op.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "arch.h"
#include "domain.h"
#include "domain_build.h"
#include "guest_access.h"
#include "log.h"
#include "mm.h"
#include "p2m.h"
#include "vmm/abi.h"
#include "vmm/config.h"
#include "vmm/memory_op.h"
#include "vmm/mmu.h"

/* The shared-info page: the hypervisor keeps its frame mapped while the domain lives. */
#define MEMOP_SHARED_INFO_PFN 0u

static long memop_reject(struct domain *d, long err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static long memop_reject(struct domain *d, long err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err = vmm_vreject(d->id, &d->rejections_logged, err, fmt, ap);
	va_end(ap);
	return err;
}

static bool memop_domid_is_caller(const struct domain *caller, uint32_t domid)
{
	return domid == VMM_DOMID_SELF || domid == caller->id;
}

/* ------------------------------------------------------------ queries */

static long memop_query(struct domain *caller, uint32_t cmd, uint32_t domid)
{
	const struct domain *d = caller;
	const char *what = cmd == VMM_MEMOP_current_reservation ? "current" : "maximum";

	if (!memop_domid_is_caller(caller, domid)) {
		if (!(caller->flags & VMM_DOMCFG_PRIVILEGED))
			return memop_reject(caller, -VMM_EPERM,
					    "memory_op %s_reservation: dom%u is not the caller (not privileged)",
					    what, (unsigned)domid);
		d = domain_find(domid);
		if (!d)
			return memop_reject(caller, -VMM_ESRCH, "memory_op %s_reservation: no domain %u",
					    what, (unsigned)domid);
	}
	return (long)(cmd == VMM_MEMOP_current_reservation ? d->tot_pages : d->max_pages);
}

/* ------------------------------------------------------------ frames */

/* True if the extent of 2^order pfns at pfn is aligned and inside 0..max_pages-1. */
static bool memop_extent_valid(const struct domain *d, uint32_t pfn, uint32_t order)
{
	uint32_t n = 1u << order;

	return (pfn & (n - 1)) == 0 && pfn < d->max_pages && n <= d->max_pages - pfn;
}

/* 0 if pfn's frame may be given back, else why not (memory_pfn_release()). */
static int memop_pfn_releasable(const struct domain *d, uint32_t pfn)
{
	uint32_t mfn = domain_pfn_to_mfn(d, pfn);
	const struct frame *f;

	if (mfn == MM_PFN_NONE)
		return -VMM_EINVAL;
	if (pfn == MEMOP_SHARED_INFO_PFN)
		return -VMM_EBUSY;
	f = mm_frame(mfn);
	if (f == NULL || f->owner != d->id)
		return -VMM_EINVAL; /* not reached: p2m entries are frames the domain owns */
	/* Mapped somewhere (a reference) or typed (writable mapping, page table). */
	if (f->u.use.type_count != 0 || f->u.use.refcount != 0)
		return -VMM_EBUSY;
	return 0;
}

/* Frees a frame memop_pfn_releasable() accepted, its p2m entry prepared
 * (p2m_prepare(): the block's leaf taken): cannot fail after those. */
static void memop_pfn_free(struct domain *d, uint32_t pfn)
{
	if (mm_free(domain_pfn_to_mfn(d, pfn), 0) != 0)
		return; /* not reached: unused frames of one owner are always freed */
	p2m_set(&d->p2m, pfn, 1, MM_PFN_NONE);
	d->tot_pages--;
}

int memory_pfn_release(struct domain *d, uint32_t pfn)
{
	int rc = memop_pfn_releasable(d, pfn);

	if (rc == 0)
		rc = p2m_prepare(&d->p2m, pfn, 1);
	if (rc == 0)
		memop_pfn_free(d, pfn);
	return rc;
}

/* ------------------------------------------------------------ extents */

static long memop_populate_extent(struct domain *d, uint32_t pfn, uint32_t order, uint32_t elem_va)
{
	uint32_t n = 1u << order, i, mfn;
	int rc;

	for (i = 0; i < n; i++)
		if (domain_pfn_to_mfn(d, pfn + i) != MM_PFN_NONE)
			return memop_reject(d, -VMM_EEXIST, "memory_op populate: pfn 0x%x is backed already",
					    (unsigned)(pfn + i));
	/* Every pfn is below max_pages and backed at most once, so tot_pages
	 * cannot pass max_pages (domain_mem_take() checks it once more). */
	rc = domain_mem_take(d, pfn, order);
	if (rc != 0)
		return memop_reject(d, rc, "memory_op populate: no free run of %u frames", (unsigned)n);
	mfn = domain_pfn_to_mfn(d, pfn);
	/* The list was checked backed and populate backs only unbacked pfns: the
	 * element's page is still there. */
	if (guest_copy_to(d, elem_va, &mfn, sizeof(mfn)) != 0)
		return memop_reject(d, -VMM_EFAULT, "memory_op populate: extent list at 0x%08x not writable",
				    (unsigned)elem_va);
	return 0;
}

/* All or nothing: every frame of the extent is checked before any is freed. */
static long memop_decrease_extent(struct domain *d, uint32_t pfn, uint32_t order)
{
	uint32_t n = 1u << order, i;

	for (i = 0; i < n; i++) {
		int rc = memop_pfn_releasable(d, pfn + i);

		if (rc == -VMM_EINVAL)
			return memop_reject(d, rc, "memory_op decrease: pfn 0x%x is not backed", (unsigned)(pfn + i));
		if (rc != 0)
			return memop_reject(d, rc, "memory_op decrease: pfn 0x%x is still mapped or typed%s",
					    (unsigned)(pfn + i),
					    pfn + i == MEMOP_SHARED_INFO_PFN ? " (shared info)" : "");
	}
	/* Part of a run: the block's leaf before the first frame goes (the
	 * domain's promise keeps one per block, so only a broken promise fails). */
	if (p2m_prepare(&d->p2m, pfn, n) != 0)
		return memop_reject(d, -VMM_ENOMEM, "memory_op decrease: no frame for the p2m leaf of pfn 0x%x",
				    (unsigned)pfn);
	for (i = 0; i < n; i++)
		memop_pfn_free(d, pfn + i);
	return 0;
}

/* ------------------------------------------------------------ reservation calls */

/* The checks made before any extent is done (nothing changes on refusal). */
static long memop_reservation_check(struct domain *d, const struct vmm_memory_reservation *r, bool populate,
				    const char *name)
{
	if (!memop_domid_is_caller(d, r->domid))
		return memop_reject(d, -VMM_EPERM, "memory_op %s: dom%u is not the caller", name, (unsigned)r->domid);
	if (r->mem_flags != 0)
		return memop_reject(d, -VMM_EINVAL, "memory_op %s: mem_flags 0x%x must be 0", name,
				    (unsigned)r->mem_flags);
	if (r->extent_order > VMM_MEMOP_MAX_ORDER)
		return memop_reject(d, -VMM_EINVAL, "memory_op %s: extent order %u (max %u)", name,
				    (unsigned)r->extent_order, VMM_MEMOP_MAX_ORDER);
	/* At most VMM_MEMOP_MAX_PAGES pages (so VMM_MEMOP_MAX_EXTENTS extents of
	 * order 0), compared without shifting the guest's count: no overflow. */
	if (r->nr_extents > (VMM_MEMOP_MAX_PAGES >> r->extent_order))
		return memop_reject(d, -VMM_E2BIG, "memory_op %s: %u extents of order %u (max %u pages per call)",
				    name, (unsigned)r->nr_extents, (unsigned)r->extent_order, VMM_MEMOP_MAX_PAGES);
	/* populate writes each element back (its mfn): writable up front, so
	 * no frame is taken whose number the guest could not receive. */
	if (r->nr_extents != 0 &&
	    !(populate ? guest_range_writable : guest_range_accessible)(d, r->extent_start,
									 r->nr_extents * (uint32_t)sizeof(uint32_t)))
		return memop_reject(d, -VMM_EFAULT, "memory_op %s: extent list 0x%08x+%u not in the domain's backed memory",
				    name, (unsigned)r->extent_start, (unsigned)r->nr_extents);
	return 0;
}

static long memop_one_extent(struct domain *d, bool populate, const struct vmm_memory_reservation *r,
			     uint32_t elem_va, const char *name)
{
	uint32_t pfn;

	if (guest_copy_from(d, &pfn, elem_va, sizeof(pfn)) != 0)
		return memop_reject(d, -VMM_EFAULT, "memory_op %s: extent list at 0x%08x no longer backed",
				    name, (unsigned)elem_va);
	if (!memop_extent_valid(d, pfn, r->extent_order))
		return memop_reject(d, -VMM_EINVAL,
				    "memory_op %s: extent pfn 0x%x order %u misaligned or past %u pages", name,
				    (unsigned)pfn, (unsigned)r->extent_order, (unsigned)d->max_pages);
	if (populate)
		return memop_populate_extent(d, pfn, r->extent_order, elem_va);
	return memop_decrease_extent(d, pfn, r->extent_order);
}

static long memop_reservation(struct domain *d, uint32_t cmd, uint32_t arg)
{
	bool populate = cmd != VMM_MEMOP_decrease_reservation;
	const char *name = populate ? "populate" : "decrease";
	struct vmm_memory_reservation r;
	uint32_t i = 0, pages_before = d->tot_pages;
	long rc;

	if (guest_copy_from(d, &r, arg, sizeof(r)) != 0)
		return memop_reject(d, -VMM_EFAULT, "memory_op %s: argument 0x%08x not in the domain's backed memory", name,
				    (unsigned)arg);
	rc = memop_reservation_check(d, &r, populate, name);
	for (; rc == 0 && i < r.nr_extents; i++) {
		rc = memop_one_extent(d, populate, &r, r.extent_start + i * (uint32_t)sizeof(uint32_t), name);
		if (rc != 0)
			break;
	}
	r.nr_done = i;
	/* Frames that came from another owner were scrubbed through the data
	 * side: drop any instruction-cache line of their old code before the
	 * domain can fetch from them (once per call, not per frame). */
	if (d->tot_pages > pages_before)
		arch_icache_invalidate_all();
	/* Fails only if the caller gave back the argument's own page in this
	 * call: the result code still tells what happened. */
	(void)guest_copy_to(d, arg + (uint32_t)offsetof(struct vmm_memory_reservation, nr_done), &r.nr_done,
			    sizeof(r.nr_done));
	return rc != 0 ? rc : (long)r.nr_extents;
}

long memory_op(struct domain *caller, uint32_t cmd, uint32_t arg)
{
	switch (cmd) {
	case VMM_MEMOP_current_reservation:
	case VMM_MEMOP_maximum_reservation:
		return memop_query(caller, cmd, arg);
	case VMM_MEMOP_increase_reservation:
	case VMM_MEMOP_populate_physmap:
	case VMM_MEMOP_decrease_reservation:
		return memop_reservation(caller, cmd, arg);
	default:
		return memop_reject(caller, -VMM_EINVAL, "memory_op: unknown command %u", (unsigned)cmd);
	}
}

long hc_memory_op(uint32_t cmd, uint32_t arg, uint32_t a2, uint32_t a3)
{
	(void)a2;
	(void)a3;
	return memory_op(current, cmd, arg);
}
