/*
 * A domain's pfn -> mfn map (p2m): which machine frame backs each of its
 * pseudo-physical frames, kept in hypervisor memory where the guest cannot
 * change it (the guest's own copy of the list is a flat array in its
 * memory, domain.c, and does not change with this).
 *
 * Two levels, so that the common case costs no page of its own: static
 * partitioning backs each 4 MiB block of 1024 pfns with one machine run
 * (domain_populate() when RAM is not fragmented). One 32-bit directory word
 * per block:
 *
 *   0                      empty: no pfn of the block is backed
 *   (M << 12) | P2M_RUN    one run: every pfn of the block backed, pfn -> M + (pfn & 1023)
 *   (L << 12) | P2M_LEAF   leaf: frame L holds the block's 1024 mfns
 *                          (MM_PFN_NONE where unbacked)
 *
 * The block's pfns are those below max_pages: a last block that max_pages
 * cuts short is one run when those are (a 1 MiB domain backed by one run at
 * boot has no leaf, and its lookups take the run's short path).
 *
 * Bits 11..2 are 0; machine frames (M, L) are below 2^20 (32-bit physical
 * addresses). A leaf appears when a block stops being empty or one whole run
 * (a populate of part of it, a decrease of one of its pages, a boot run
 * smaller than the block) and goes again when the block becomes empty or one
 * whole run again (p2m_set()). Leaves are hypervisor frames (FRAME_OWNER_HYP,
 * linear window): at most one per block, which the domain's reservation
 * promise counts (domain.c, domain_later_frames()), so no other domain can
 * take the frame a leaf of this one needs.
 *
 * The directory: P2M_INLINE_BLOCKS words inside struct domain (domains up to
 * 64 MiB: no frame at all), else one hypervisor frame (1024 words: 4 GiB).
 *
 * Changing entries: p2m_set() takes the leaf a block needs before it changes
 * anything, so it either does everything or nothing (-VMM_ENOMEM). An
 * operation that must not fail half-way (a decrease frees frames as it goes)
 * calls p2m_prepare() first: after it, p2m_set() over that range cannot
 * fail; p2m_settle() gives back what p2m_prepare() took if the operation is
 * abandoned.
 */
#ifndef VMM_CORE_P2M_H
#define VMM_CORE_P2M_H

#include <stdint.h>

#include "mm.h"

#define P2M_BLOCK_SHIFT   10u
#define P2M_BLOCK_PAGES   (1u << P2M_BLOCK_SHIFT)
#define P2M_EMPTY         0u
#define P2M_RUN           0x1u
#define P2M_LEAF          0x2u
#define P2M_TAG_MASK      0xfffu
#define P2M_INLINE_BLOCKS 16u
#define P2M_MAX_BLOCKS    1024u /* words in one directory frame: 4 GiB */

struct p2m {
	uint32_t *dir;          /* inline_dir or the directory frame; NULL: no p2m (before build, after teardown) */
	uintptr_t leaf_bias;    /* a leaf word plus this: the leaf's hypervisor address (set with the first leaf) */
	uint32_t dir_mfn;       /* the directory frame, MM_PFN_NONE when inline */
	uint32_t max_pages;
	uint32_t nr_leaves;     /* leaf frames held */
	uint32_t inline_dir[P2M_INLINE_BLOCKS];
};

/* Blocks (directory words, at most one leaf each) that cover max_pages pfns. */
static inline uint32_t p2m_blocks(uint32_t max_pages)
{
	return (max_pages + P2M_BLOCK_PAGES - 1) >> P2M_BLOCK_SHIFT;
}

/*
 * The frame behind pfn, or MM_PFN_NONE; pfn < max_pages, dir set (the
 * caller checks: this is the guest-access hot path). The run first: one
 * load, a test and an add. A leaf is reached without arch_phys_to_hv()'s
 * call (a domain smaller than 4 MiB has only leaves): leaves are window
 * frames, and the window maps linearly, so one bias turns every leaf word
 * into its address.
 */
static inline uint32_t p2m_lookup(const struct p2m *p, uint32_t pfn)
{
	uint32_t w = p->dir[pfn >> P2M_BLOCK_SHIFT];

	if (__builtin_expect(w & P2M_RUN, 1))
		return (w >> MM_PAGE_SHIFT) + (pfn & (P2M_BLOCK_PAGES - 1));
	if (w == P2M_EMPTY)
		return MM_PFN_NONE;
	return ((const uint32_t *)(w + p->leaf_bias))[pfn & (P2M_BLOCK_PAGES - 1)];
}

/*
 * An empty map of max_pages pfns (at most P2M_MAX_BLOCKS blocks): the
 * directory inline, or one hypervisor frame. 0, -VMM_EINVAL (too large) or
 * -VMM_ENOMEM (no frame; p->dir stays NULL).
 */
int p2m_init(struct p2m *p, uint32_t max_pages);

/* Gives back the leaves and the directory frame (not the frames the map
 * names: the caller's); p->dir becomes NULL. Safe on a map never set up. */
void p2m_destroy(struct p2m *p);

/*
 * Takes the leaves p2m_set() over [pfn, pfn + n) would need (blocks the
 * range covers only in part that are empty or one run), before anything
 * changes. 0, -VMM_EINVAL (empty, or not inside 0..max_pages-1, or no map)
 * or -VMM_ENOMEM, with nothing taken.
 */
int p2m_prepare(struct p2m *p, uint32_t pfn, uint32_t n);

/*
 * pfns [pfn, pfn + n) -> mfn, mfn + 1, ... (mfn MM_PFN_NONE: unbacked). A
 * block left empty or one whole run gives its leaf back. 0, -VMM_EINVAL (as
 * p2m_prepare()) or -VMM_ENOMEM (a leaf was needed and none is free), nothing
 * changed on failure. Never fails after p2m_prepare() of a range that covers
 * this one while its blocks stay as prepared (p2m_set()s of MM_PFN_NONE
 * keep them so: they can only empty a block).
 */
int p2m_set(struct p2m *p, uint32_t pfn, uint32_t n, uint32_t mfn);

/* Gives back the leaves of blocks of [pfn, pfn + n) that are empty or one
 * run (what p2m_prepare() took for an operation that was then refused). */
void p2m_settle(struct p2m *p, uint32_t pfn, uint32_t n);

/* The first n entries as a flat array (the guest's copy of the list). */
void p2m_copy_out(const struct p2m *p, uint32_t *dst, uint32_t n);

#endif /* VMM_CORE_P2M_H */
