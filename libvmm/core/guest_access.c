/*
 * Checked guest memory access (see guest_access.h).
 *
 * Guest address VMM_GUEST_BASE + pfn * 4 KiB is pseudo-physical frame pfn;
 * its machine frame comes from the hypervisor's own p2m (p2m.h: the guest
 * cannot change it; its inline lookup gives a run's frame in a few
 * instructions) and is reached through the linear window or a temporary
 * mapping, one page at a time: frames need not be contiguous.
 *
 * Writes never reach a frame in use as a page table (pinned L1 or L2, or
 * an L2 an L1 entry points at): the hypervisor would otherwise store, on the
 * guest's behalf, entries pt_table never checked (a grant copy, an
 * event_channel_op result, a trap frame pushed on a "stack" there could map
 * any machine frame).
 */
#include "guest_access.h"

#include <string.h>

#include "arch.h"
#include "domain.h"
#include "mm.h"
#include "p2m.h"
#include "vmm/abi.h"

#define PAGE_SIZE (1u << MM_PAGE_SHIFT)

bool guest_range_valid(const struct domain *d, uint32_t va, uint32_t len)
{
	uint32_t offset;

	if (va < VMM_GUEST_BASE)
		return false;
	offset = va - VMM_GUEST_BASE;
	/* written so that nothing can overflow */
	return offset < d->mem_size && len <= d->mem_size - offset;
}

/* guest_frame_is_table()'s lookup when the zone hint misses: through the
 * domain's page-table state, which moves the hint to mfn's zone (a cache
 * the page-table code moves on every lookup of its own: hence the cast),
 * or, before the builder set that state up, a search of the zones. */
static __attribute__((noinline)) const struct frame *
guest_frame_lookup(const struct domain *d, uint32_t mfn)
{
	return d->pt.table ? pt_frame_lookup((struct pt_space *)&d->pt, mfn) : mm_frame(mfn);
}

/* True if mfn is typed as a page table (the guest only ever reads those).
 * The zone of the last lookup first: one compare on the hot paths (trap
 * frames, upcalls, grant copies) instead of a zone search. Inlined into
 * both callers (the copies' range check, guest_page_map()). */
static inline __attribute__((always_inline)) bool
guest_frame_is_table(const struct domain *d, uint32_t mfn)
{
	const struct frame_table *ft = d->pt.ft_hint;
	const struct frame *f;

	if (ft && mfn - ft->base_mfn < ft->nr) {
		/* frame_entry_owned(), the chunk tested rather than the pointer */
		uint32_t rel = mfn - ft->dir_base;
		uintptr_t neg = ft->dir[rel >> FRAME_CHUNK_SHIFT].neg;

		if (neg == 0)
			return false; /* free or unmanaged */
		f = (const struct frame *)((uintptr_t)rel * 8u - neg);
	} else {
		f = guest_frame_lookup(d, mfn);
		if (!f)
			return false;
	}
	return f->u.use.type_count != 0 && (f->type == FRAME_TYPE_L1 || f->type == FRAME_TYPE_L2);
}

/* Inside the domain's memory and every page of it backed by a frame (and
 * no page a page table, for a write). */
static bool guest_range_backed(const struct domain *d, uint32_t va, uint32_t len, bool write)
{
	uint32_t pfn, last;

	if (!guest_range_valid(d, va, len))
		return false;
	if (len == 0)
		return true;
	if (d->p2m.dir == NULL)
		return false;
	pfn = (va - VMM_GUEST_BASE) >> MM_PAGE_SHIFT;
	last = (va - VMM_GUEST_BASE + len - 1) >> MM_PAGE_SHIFT;
	/* Inside mem_size, so below max_pages: the inline lookup needs no range check. */
	for (; pfn <= last; pfn++) {
		uint32_t mfn = p2m_lookup(&d->p2m, pfn);

		if (mfn == MM_PFN_NONE || (write && guest_frame_is_table(d, mfn)))
			return false;
	}
	return true;
}

/* Copies len bytes between guest va and buf, page by page (range checked). */
static int guest_copy(const struct domain *d, uint32_t va, void *buf, uint32_t len, bool to_guest)
{
	uint8_t *p = buf;

	if (!guest_range_backed(d, va, len, to_guest))
		return -VMM_EFAULT;
	while (len) {
		uint32_t off = (va - VMM_GUEST_BASE) & (PAGE_SIZE - 1);
		uint32_t n = PAGE_SIZE - off < len ? PAGE_SIZE - off : len;
		uint8_t *frame = arch_map_frame(p2m_lookup(&d->p2m, (va - VMM_GUEST_BASE) >> MM_PAGE_SHIFT));

		if (!frame)
			return -VMM_EFAULT; /* no mapping slot: never with balanced users */
		if (to_guest)
			memcpy(frame + off, p, n);
		else
			memcpy(p, frame + off, n);
		arch_unmap_frame(frame);
		va += n;
		p += n;
		len -= n;
	}
	return 0;
}

int guest_copy_from(const struct domain *d, void *dst, uint32_t va, uint32_t len)
{
	return guest_copy(d, va, dst, len, false);
}

int guest_copy_to(const struct domain *d, uint32_t va, const void *src, uint32_t len)
{
	return guest_copy(d, va, (void *)(uintptr_t)src, len, true);
}

bool guest_range_accessible(const struct domain *d, uint32_t va, uint32_t len)
{
	return guest_range_backed(d, va, len, false);
}

bool guest_range_writable(const struct domain *d, uint32_t va, uint32_t len)
{
	return guest_range_backed(d, va, len, true);
}

void *guest_page_map(const struct domain *d, uint32_t va, uint32_t len, bool write)
{
	uint32_t off = va - VMM_GUEST_BASE, in_page, mfn;
	uint8_t *frame;

	/* Unsigned: a va below the base wraps to an offset >= mem_size. */
	if (off >= d->mem_size || d->p2m.dir == NULL)
		return NULL;
	in_page = off & (PAGE_SIZE - 1);
	if (len == 0 || len > PAGE_SIZE - in_page)
		return NULL; /* empty, or crosses into the next page */
	if ((off >> MM_PAGE_SHIFT) >= d->max_pages)
		return NULL; /* not reached: mem_size is max_pages pages */
	mfn = p2m_lookup(&d->p2m, off >> MM_PAGE_SHIFT);
	if (mfn == MM_PFN_NONE || (write && guest_frame_is_table(d, mfn)))
		return NULL;
	frame = arch_map_frame(mfn);
	return frame ? frame + in_page : NULL;
}

void guest_page_unmap(void *p)
{
	arch_unmap_frame((void *)((uintptr_t)p & ~(uintptr_t)(PAGE_SIZE - 1)));
}

int guest_read_u32(const struct domain *d, uint32_t va, uint32_t *val)
{
	uint32_t off = va - VMM_GUEST_BASE, mfn;
	const uint8_t *frame;

	/* The event send's argument: guest_page_map()'s checks for an aligned
	 * word (within one page, a read: no table check), without its call.
	 * Unsigned: a va below the base wraps to a page past the end. */
	if ((va & 3u) || d->p2m.dir == NULL)
		return guest_copy_from(d, val, va, sizeof(*val));
	if ((off >> MM_PAGE_SHIFT) >= d->max_pages) /* mem_size is max_pages pages */
		return -VMM_EFAULT;
	mfn = p2m_lookup(&d->p2m, off >> MM_PAGE_SHIFT);
	if (mfn == MM_PFN_NONE)
		return -VMM_EFAULT;
	frame = arch_map_frame(mfn);
	if (!frame)
		return -VMM_EFAULT; /* no mapping slot: never with balanced users */
	*val = *(const uint32_t *)(frame + (off & (PAGE_SIZE - 1)));
	arch_unmap_frame((void *)(uintptr_t)frame);
	return 0;
}
