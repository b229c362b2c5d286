/*
 * A domain's two-level pfn -> mfn map (see p2m.h). Cold as a whole (domain
 * building and death, memory_op): the lookup the hot paths use is inline in
 * p2m.h.
 */
#include "p2m.h"

#include <stdbool.h>

#include "arch.h"
#include "vmm/abi.h"

#define BLOCK_MASK (P2M_BLOCK_PAGES - 1)

static uint32_t *leaf_of(uint32_t w)
{
	return arch_phys_to_hv(w & ~P2M_TAG_MASK);
}

static bool is_leaf(uint32_t w)
{
	return (w & P2M_TAG_MASK) == P2M_LEAF;
}

/* The pfns of block b: 1024, fewer in a last block that max_pages cuts short. */
static uint32_t block_len(const struct p2m *p, uint32_t b)
{
	uint32_t left = p->max_pages - (b << P2M_BLOCK_SHIFT);

	return left < P2M_BLOCK_PAGES ? left : P2M_BLOCK_PAGES;
}

int p2m_init(struct p2m *p, uint32_t max_pages)
{
	uint32_t nr = p2m_blocks(max_pages), mfn;
	int rc;

	p->dir = NULL;
	p->leaf_bias = 0;
	p->dir_mfn = MM_PFN_NONE;
	p->max_pages = max_pages;
	p->nr_leaves = 0;
	if (nr > P2M_MAX_BLOCKS)
		return -VMM_EINVAL;
	if (nr <= P2M_INLINE_BLOCKS) {
		uint32_t i;

		for (i = 0; i < P2M_INLINE_BLOCKS; i++)
			p->inline_dir[i] = P2M_EMPTY;
		p->dir = p->inline_dir;
		return 0;
	}
	rc = mm_alloc(0, FRAME_OWNER_HYP, MM_LINEAR, &mfn);
	if (rc != 0)
		return rc;
	p->dir_mfn = mfn;
	p->dir = arch_phys_to_hv(mfn << MM_PAGE_SHIFT); /* scrubbed: every word P2M_EMPTY */
	return 0;
}

/* Block b's leaf back to the allocator; its word becomes w. */
static void leaf_drop(struct p2m *p, uint32_t b, uint32_t w)
{
	/* Not refused: a leaf is a hypervisor frame nothing else holds. */
	mm_free(p->dir[b] >> MM_PAGE_SHIFT, 0);
	p->nr_leaves--;
	p->dir[b] = w;
}

void p2m_destroy(struct p2m *p)
{
	uint32_t b, nr = p2m_blocks(p->max_pages);

	if (p->dir == NULL)
		return;
	for (b = 0; b < nr; b++)
		if (is_leaf(p->dir[b]))
			leaf_drop(p, b, P2M_EMPTY);
	if (p->dir_mfn != MM_PFN_NONE)
		mm_free(p->dir_mfn, 0);
	p->dir_mfn = MM_PFN_NONE;
	p->dir = NULL;
}

/* Block b as a leaf with the same entries as its empty or run word. */
static int leaf_take(struct p2m *p, uint32_t b)
{
	uint32_t w = p->dir[b], len = block_len(p, b), mfn, i, *leaf;
	int rc;

	rc = mm_alloc(0, FRAME_OWNER_HYP, MM_LINEAR, &mfn);
	if (rc != 0)
		return rc;
	leaf = arch_phys_to_hv(mfn << MM_PAGE_SHIFT);
	for (i = 0; i < P2M_BLOCK_PAGES; i++)
		leaf[i] = w == P2M_EMPTY || i >= len ? MM_PFN_NONE : (w >> MM_PAGE_SHIFT) + i;
	/* The same for every leaf (a linear window): p2m_lookup()'s shortcut. */
	p->leaf_bias = (uintptr_t)leaf - ((mfn << MM_PAGE_SHIFT) | P2M_LEAF);
	p->dir[b] = (mfn << MM_PAGE_SHIFT) | P2M_LEAF;
	p->nr_leaves++;
	return 0;
}

/* A leaf whose entries are all unbacked, or one run over the whole block, becomes a word again. */
static void block_settle(struct p2m *p, uint32_t b)
{
	const uint32_t *leaf;
	uint32_t i, first, len = block_len(p, b);

	if (!is_leaf(p->dir[b]))
		return;
	leaf = leaf_of(p->dir[b]);
	first = leaf[0];
	if (first == MM_PFN_NONE) {
		for (i = 1; i < len; i++)
			if (leaf[i] != MM_PFN_NONE)
				return;
		leaf_drop(p, b, P2M_EMPTY);
		return;
	}
	for (i = 1; i < len; i++)
		if (leaf[i] != first + i)
			return;
	leaf_drop(p, b, (first << MM_PAGE_SHIFT) | P2M_RUN);
}

void p2m_settle(struct p2m *p, uint32_t pfn, uint32_t n)
{
	uint32_t b;

	if (n == 0)
		return;
	for (b = pfn >> P2M_BLOCK_SHIFT; b <= (pfn + n - 1) >> P2M_BLOCK_SHIFT; b++)
		block_settle(p, b);
}

/*
 * True if writing entries [lo, hi) of block b (mfn for lo, MM_PFN_NONE for
 * none) needs a leaf: part of the block's pfns only, which is not one already and
 * would change. mfn_lo is only looked at when known (known false: any change).
 */
static bool block_needs_leaf(const struct p2m *p, uint32_t b, uint32_t lo, uint32_t hi, bool known,
			     uint32_t mfn_lo)
{
	uint32_t w = p->dir[b];

	if (hi - lo == block_len(p, b) || is_leaf(w))
		return false;
	if (!known)
		return true;
	if (w == P2M_EMPTY)
		return mfn_lo != MM_PFN_NONE;
	return mfn_lo != (w >> MM_PAGE_SHIFT) + (lo & BLOCK_MASK);
}

/* The leaves blocks of [pfn, pfn + n) need, all or none (mfn: see block_needs_leaf()). */
static int p2m_take_leaves(struct p2m *p, uint32_t pfn, uint32_t n, bool known, uint32_t mfn)
{
	uint32_t lo, end = pfn + n;

	/* Written so that nothing overflows: the end is at most max_pages. */
	if (p->dir == NULL || n == 0 || pfn >= p->max_pages || n > p->max_pages - pfn)
		return -VMM_EINVAL;
	for (lo = pfn; lo < end;) {
		uint32_t b = lo >> P2M_BLOCK_SHIFT, hi = (b + 1) << P2M_BLOCK_SHIFT;
		uint32_t mfn_lo = mfn == MM_PFN_NONE ? MM_PFN_NONE : mfn + (lo - pfn);

		if (hi > end)
			hi = end;
		if (block_needs_leaf(p, b, lo, hi, known, mfn_lo)) {
			int rc = leaf_take(p, b);

			if (rc != 0) {
				/* the blocks before b whose leaves were just taken: as they were */
				p2m_settle(p, pfn, lo - pfn);
				return rc;
			}
		}
		lo = hi;
	}
	return 0;
}

int p2m_prepare(struct p2m *p, uint32_t pfn, uint32_t n)
{
	return p2m_take_leaves(p, pfn, n, false, 0);
}

int p2m_set(struct p2m *p, uint32_t pfn, uint32_t n, uint32_t mfn)
{
	uint32_t lo, end = pfn + n;
	int rc = p2m_take_leaves(p, pfn, n, true, mfn);

	if (rc != 0)
		return rc;
	for (lo = pfn; lo < end;) {
		uint32_t b = lo >> P2M_BLOCK_SHIFT, hi = (b + 1) << P2M_BLOCK_SHIFT;
		uint32_t mfn_lo = mfn == MM_PFN_NONE ? MM_PFN_NONE : mfn + (lo - pfn);

		if (hi > end)
			hi = end;
		if (hi - lo == block_len(p, b)) {
			uint32_t w = mfn_lo == MM_PFN_NONE ? P2M_EMPTY : (mfn_lo << MM_PAGE_SHIFT) | P2M_RUN;

			if (is_leaf(p->dir[b]))
				leaf_drop(p, b, w);
			else
				p->dir[b] = w;
		} else if (is_leaf(p->dir[b])) {
			uint32_t *leaf = leaf_of(p->dir[b]), q;

			for (q = lo; q < hi; q++)
				leaf[q & BLOCK_MASK] = mfn_lo == MM_PFN_NONE ? MM_PFN_NONE : mfn_lo + (q - lo);
			block_settle(p, b);
		} /* else: the block has these entries already (block_needs_leaf()) */
		lo = hi;
	}
	return 0;
}

void p2m_copy_out(const struct p2m *p, uint32_t *dst, uint32_t n)
{
	uint32_t pfn;

	for (pfn = 0; pfn < n; pfn++)
		dst[pfn] = p2m_lookup(p, pfn);
}
