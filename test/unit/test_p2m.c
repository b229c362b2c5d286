/*
 * The two-level p2m (core/p2m.c): the directory inline or in a frame, the
 * empty / run / leaf words and the changes between them, the range
 * boundaries, a refused leaf leaving everything as it was, a random
 * sequence of changes against a flat array, and every frame back at the end.
 * Machine frame numbers the map names are made up (the map never touches
 * them); its leaves and directory come from the real allocator.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fake_port.h"
#include "mm.h"
#include "p2m.h"
#include "vmm/abi.h"

#define BLK P2M_BLOCK_PAGES
#define M0  0x12000u /* a made-up machine run */

static struct p2m p;
static uint32_t free0;
static uint32_t *held;      /* window frames taken to starve the allocator */
static uint32_t nr_held;

static int setup(void **state)
{
	struct arch_hv_layout lay;
	char why[96];

	(void)state;
	fake_reset();
	fake_window_size = 16u << 20;
	arch_hv_layout(&lay);
	assert_int_equal(mm_init(vmm_board.ram, vmm_board.nr_ram_banks, &lay, why, sizeof(why)), 0);
	memset(&p, 0xa5, sizeof(p)); /* p2m_init() sets every field */
	free0 = mm_free_frames();
	held = NULL;
	nr_held = 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(held);
	return 0;
}

/* Takes every free frame of the window but `keep`. */
static void starve_window(uint32_t keep)
{
	uint32_t mfn;

	held = realloc(held, (FAKE_RAM_SIZE >> 12) * sizeof(*held));
	while (mm_alloc(0, FRAME_OWNER_HYP, MM_LINEAR, &mfn) == 0)
		held[nr_held++] = mfn;
	assert_true(nr_held >= keep);
	while (keep--)
		assert_int_equal(mm_free(held[--nr_held], 0), 0);
}

static void feed_window(void)
{
	while (nr_held)
		assert_int_equal(mm_free(held[--nr_held], 0), 0);
}

static uint32_t word(uint32_t b)
{
	return p.dir[b];
}

static uint32_t tag(uint32_t b)
{
	return word(b) & P2M_TAG_MASK;
}

/* ------------------------------------------------------------ directory */

static void test_directory_inline_up_to_64_mib(void **state)
{
	uint32_t pfn;

	(void)state;
	assert_int_equal(p2m_init(&p, P2M_INLINE_BLOCKS * BLK), 0);
	assert_ptr_equal(p.dir, p.inline_dir);
	assert_int_equal(p.dir_mfn, MM_PFN_NONE);
	assert_int_equal(p.nr_leaves, 0);
	assert_int_equal(mm_free_frames(), free0);
	for (pfn = 0; pfn < P2M_INLINE_BLOCKS * BLK; pfn += 511)
		assert_int_equal(p2m_lookup(&p, pfn), MM_PFN_NONE);
	p2m_destroy(&p);
	assert_null(p.dir);
	p2m_destroy(&p); /* twice: nothing */
	assert_int_equal(mm_free_frames(), free0);
}

static void test_directory_frame_past_64_mib(void **state)
{
	uint32_t pfn, max = P2M_INLINE_BLOCKS * BLK + 1;

	(void)state;
	assert_int_equal(p2m_init(&p, max), 0);
	assert_ptr_not_equal(p.dir, p.inline_dir);
	assert_int_not_equal(p.dir_mfn, MM_PFN_NONE);
	assert_int_equal(mm_frame(p.dir_mfn)->owner, FRAME_OWNER_HYP);
	assert_true(mm_frame_linear(p.dir_mfn));
	assert_int_equal(mm_free_frames(), free0 - 1);
	for (pfn = 0; pfn < max; pfn += 1000)
		assert_int_equal(p2m_lookup(&p, pfn), MM_PFN_NONE);
	assert_int_equal(p2m_lookup(&p, max - 1), MM_PFN_NONE);
	/* the last pfn alone in its block: the whole block, one run, no leaf */
	assert_int_equal(p2m_set(&p, max - 1, 1, M0), 0);
	assert_int_equal(p2m_lookup(&p, max - 1), M0);
	assert_int_equal(word(P2M_INLINE_BLOCKS), (M0 << 12) | P2M_RUN);
	assert_int_equal(p.nr_leaves, 0);
	assert_int_equal(p2m_set(&p, max - 1, 1, MM_PFN_NONE), 0);
	assert_int_equal(word(P2M_INLINE_BLOCKS), P2M_EMPTY);
	assert_int_equal(mm_free_frames(), free0 - 1);
	p2m_destroy(&p);
	assert_null(p.dir);
	assert_int_equal(mm_free_frames(), free0);
}

static void test_directory_sizes(void **state)
{
	(void)state;
	/* 4 GiB: one frame of words */
	assert_int_equal(p2m_init(&p, P2M_MAX_BLOCKS * BLK), 0);
	assert_int_equal(p2m_set(&p, P2M_MAX_BLOCKS * BLK - BLK, BLK, M0), 0);
	assert_int_equal(p2m_lookup(&p, P2M_MAX_BLOCKS * BLK - 1), M0 + BLK - 1);
	p2m_destroy(&p);
	assert_int_equal(p2m_init(&p, P2M_MAX_BLOCKS * BLK + 1), -VMM_EINVAL);
	assert_null(p.dir);
	assert_int_equal(mm_free_frames(), free0);
	/* no frame for the directory: refused, nothing taken */
	starve_window(0);
	assert_int_equal(p2m_init(&p, P2M_INLINE_BLOCKS * BLK + 1), -VMM_ENOMEM);
	assert_null(p.dir);
	assert_int_equal(p2m_init(&p, P2M_INLINE_BLOCKS * BLK), 0); /* inline needs none */
	p2m_destroy(&p);
	feed_window();
	assert_int_equal(mm_free_frames(), free0);
}

/* ------------------------------------------------------------ words */

static void test_empty_run_leaf_transitions(void **state)
{
	uint32_t i;

	(void)state;
	assert_int_equal(p2m_init(&p, 3 * BLK), 0);
	assert_int_equal(word(1), P2M_EMPTY);
	/* a whole block: one run, no leaf */
	assert_int_equal(p2m_set(&p, BLK, BLK, M0), 0);
	assert_int_equal(word(1), (M0 << 12) | P2M_RUN);
	assert_int_equal(p.nr_leaves, 0);
	assert_int_equal(mm_free_frames(), free0);
	assert_int_equal(p2m_lookup(&p, BLK - 1), MM_PFN_NONE);
	assert_int_equal(p2m_lookup(&p, BLK), M0);
	assert_int_equal(p2m_lookup(&p, BLK + 517), M0 + 517);
	assert_int_equal(p2m_lookup(&p, 2 * BLK - 1), M0 + BLK - 1);
	assert_int_equal(p2m_lookup(&p, 2 * BLK), MM_PFN_NONE);
	/* one page of the run goes: a leaf with the rest */
	assert_int_equal(p2m_set(&p, BLK + 5, 1, MM_PFN_NONE), 0);
	assert_int_equal(tag(1), P2M_LEAF);
	assert_int_equal(p.nr_leaves, 1);
	assert_int_equal(mm_free_frames(), free0 - 1);
	assert_int_equal(mm_frame(word(1) >> 12)->owner, FRAME_OWNER_HYP);
	for (i = 0; i < BLK; i++)
		assert_int_equal(p2m_lookup(&p, BLK + i), i == 5 ? MM_PFN_NONE : M0 + i);
	/* a different frame there: still a leaf */
	assert_int_equal(p2m_set(&p, BLK + 5, 1, 0x777u), 0);
	assert_int_equal(p2m_lookup(&p, BLK + 5), 0x777u);
	assert_int_equal(tag(1), P2M_LEAF);
	/* the run's own frame back: one run again, the leaf given back */
	assert_int_equal(p2m_set(&p, BLK + 5, 1, M0 + 5), 0);
	assert_int_equal(word(1), (M0 << 12) | P2M_RUN);
	assert_int_equal(p.nr_leaves, 0);
	assert_int_equal(mm_free_frames(), free0);
	/* a page of an empty block: a leaf; gone again: empty */
	assert_int_equal(p2m_set(&p, 0, 1, 0x500u), 0);
	assert_int_equal(tag(0), P2M_LEAF);
	assert_int_equal(p2m_lookup(&p, 0), 0x500u);
	assert_int_equal(p2m_lookup(&p, 1), MM_PFN_NONE);
	assert_int_equal(p2m_set(&p, 0, 1, MM_PFN_NONE), 0);
	assert_int_equal(word(0), P2M_EMPTY);
	assert_int_equal(p.nr_leaves, 0);
	assert_int_equal(mm_free_frames(), free0);
	/* no change to an empty block or a run: no leaf taken */
	starve_window(0);
	assert_int_equal(p2m_set(&p, 7, 3, MM_PFN_NONE), 0);
	assert_int_equal(p2m_set(&p, BLK + 100, 20, M0 + 100), 0);
	assert_int_equal(word(0), P2M_EMPTY);
	assert_int_equal(word(1), (M0 << 12) | P2M_RUN);
	feed_window();
	/* filled page by page out of order: collapses into a run with the last */
	for (i = 0; i < BLK; i++)
		assert_int_equal(p2m_set(&p, 2 * BLK + ((i * 7) & (BLK - 1)), 1, 0x9000u + ((i * 7) & (BLK - 1))), 0);
	assert_int_equal(word(2), (0x9000u << 12) | P2M_RUN);
	/* a whole block over a leaf: the leaf goes */
	assert_int_equal(p2m_set(&p, 0, 2, 0x100u), 0);
	assert_int_equal(p.nr_leaves, 1);
	assert_int_equal(p2m_set(&p, 0, BLK, MM_PFN_NONE), 0);
	assert_int_equal(word(0), P2M_EMPTY);
	assert_int_equal(p.nr_leaves, 0);
	assert_int_equal(p2m_set(&p, 0, BLK, 0x4400u), 0);
	assert_int_equal(word(0), (0x4400u << 12) | P2M_RUN);
	/* a run emptied as a whole */
	assert_int_equal(p2m_set(&p, BLK, BLK, MM_PFN_NONE), 0);
	assert_int_equal(word(1), P2M_EMPTY);
	/* a leaf whose pages are a run, but not of this block's alignment, is one run too */
	assert_int_equal(p2m_set(&p, 2 * BLK, BLK / 2, 0x3333u), 0);
	assert_int_equal(tag(2), P2M_LEAF);
	assert_int_equal(p2m_set(&p, 2 * BLK + BLK / 2, BLK / 2, 0x3333u + BLK / 2), 0);
	assert_int_equal(word(2), (0x3333u << 12) | P2M_RUN);
	/* machine frame 0 is a frame like any other */
	assert_int_equal(p2m_set(&p, BLK, BLK, 0), 0);
	assert_int_equal(word(1), P2M_RUN);
	assert_int_equal(p2m_lookup(&p, BLK + 3), 3);
	p2m_destroy(&p);
	assert_int_equal(mm_free_frames(), free0);
}

static void test_boundaries(void **state)
{
	uint32_t max = 2 * BLK + 100, pfn;

	(void)state;
	assert_int_equal(p2m_init(&p, max), 0);
	assert_int_equal(p2m_set(&p, 0, 1, 0x10u), 0);
	assert_int_equal(p2m_set(&p, BLK - 1, 1, 0x11u), 0);
	assert_int_equal(p2m_set(&p, BLK, 1, 0x12u), 0);
	assert_int_equal(p2m_set(&p, max - 1, 1, 0x13u), 0);
	assert_int_equal(p2m_lookup(&p, 0), 0x10u);
	assert_int_equal(p2m_lookup(&p, 1), MM_PFN_NONE);
	assert_int_equal(p2m_lookup(&p, BLK - 2), MM_PFN_NONE);
	assert_int_equal(p2m_lookup(&p, BLK - 1), 0x11u);
	assert_int_equal(p2m_lookup(&p, BLK), 0x12u);
	assert_int_equal(p2m_lookup(&p, BLK + 1), MM_PFN_NONE);
	assert_int_equal(p2m_lookup(&p, max - 2), MM_PFN_NONE);
	assert_int_equal(p2m_lookup(&p, max - 1), 0x13u);
	assert_int_equal(p.nr_leaves, 3);
	/* max_pages and past it: refused, nothing changes */
	assert_int_equal(p2m_set(&p, max, 1, 0x14u), -VMM_EINVAL);
	assert_int_equal(p2m_set(&p, max - 1, 2, 0x14u), -VMM_EINVAL);
	assert_int_equal(p2m_set(&p, 0, max + 1, 0x14u), -VMM_EINVAL);
	assert_int_equal(p2m_set(&p, max - 1, UINT32_MAX, 0x14u), -VMM_EINVAL); /* no wrap */
	assert_int_equal(p2m_set(&p, 5, 0, 0x14u), -VMM_EINVAL);
	assert_int_equal(p2m_prepare(&p, max, 1), -VMM_EINVAL);
	assert_int_equal(p2m_lookup(&p, max - 1), 0x13u);
	assert_int_equal(p.nr_leaves, 3);
	/* the whole range, across the blocks and the short last one */
	assert_int_equal(p2m_set(&p, 0, max, 0x20000u), 0);
	for (pfn = 0; pfn < max; pfn++)
		assert_int_equal(p2m_lookup(&p, pfn), 0x20000u + pfn);
	assert_int_equal(word(0), (0x20000u << 12) | P2M_RUN);
	assert_int_equal(word(1), ((0x20000u + BLK) << 12) | P2M_RUN);
	/* the short last block: its 100 pfns one run, no leaf */
	assert_int_equal(word(2), ((0x20000u + 2 * BLK) << 12) | P2M_RUN);
	assert_int_equal(p.nr_leaves, 0);
	/* one of them goes: a leaf; back: one run again */
	assert_int_equal(p2m_set(&p, max - 1, 1, MM_PFN_NONE), 0);
	assert_int_equal(tag(2), P2M_LEAF);
	/* the leaf's entries past max_pages: unbacked, not the run's continuation */
	for (pfn = 100; pfn < BLK; pfn++)
		assert_int_equal(((const uint32_t *)fake_phys_ptr(word(2) & ~P2M_TAG_MASK))[pfn], MM_PFN_NONE);
	assert_int_equal(p2m_lookup(&p, max - 2), 0x20000u + max - 2);
	assert_int_equal(p2m_lookup(&p, max - 1), MM_PFN_NONE);
	assert_int_equal(p2m_set(&p, max - 1, 1, 0x20000u + max - 1), 0);
	assert_int_equal(word(2), ((0x20000u + 2 * BLK) << 12) | P2M_RUN);
	/* the first 99 by themselves are not the whole block */
	assert_int_equal(p2m_set(&p, 2 * BLK, 99, MM_PFN_NONE), 0);
	assert_int_equal(tag(2), P2M_LEAF);
	assert_int_equal(p2m_set(&p, 2 * BLK, 100, MM_PFN_NONE), 0);
	assert_int_equal(word(2), P2M_EMPTY);
	assert_int_equal(p.nr_leaves, 0);
	/* across a block boundary: both ends' blocks get a leaf */
	assert_int_equal(p2m_set(&p, BLK - 3, 6, MM_PFN_NONE), 0);
	assert_int_equal(p.nr_leaves, 2);
	assert_int_equal(p2m_lookup(&p, BLK - 4), 0x20000u + BLK - 4);
	assert_int_equal(p2m_lookup(&p, BLK - 3), MM_PFN_NONE);
	assert_int_equal(p2m_lookup(&p, BLK + 2), MM_PFN_NONE);
	assert_int_equal(p2m_lookup(&p, BLK + 3), 0x20000u + BLK + 3);
	/* no map: refused */
	p2m_destroy(&p);
	assert_int_equal(p2m_set(&p, 0, 1, 0x14u), -VMM_EINVAL);
	assert_int_equal(mm_free_frames(), free0);
}

/* ------------------------------------------------------------ refusals */

static void snapshot(uint32_t *flat, uint32_t n)
{
	p2m_copy_out(&p, flat, n);
}

static void test_leaf_refused_changes_nothing(void **state)
{
	static uint32_t before[3 * BLK], after[3 * BLK];
	uint32_t words[3], leaves, free1;

	(void)state;
	assert_int_equal(p2m_init(&p, 3 * BLK), 0);
	assert_int_equal(p2m_set(&p, 0, BLK, M0), 0);
	assert_int_equal(p2m_set(&p, BLK, BLK, M0 + BLK), 0);
	assert_int_equal(p2m_set(&p, 2 * BLK + 9, 1, 0x55u), 0); /* block 2: a leaf */
	snapshot(before, 3 * BLK);
	memcpy(words, p.dir, sizeof(words));
	leaves = p.nr_leaves;
	/* no frame at all */
	starve_window(0);
	assert_int_equal(p2m_set(&p, 17, 1, MM_PFN_NONE), -VMM_ENOMEM);
	assert_int_equal(p2m_set(&p, 17, 1, 0x66u), -VMM_ENOMEM);
	assert_int_equal(p2m_prepare(&p, BLK + 3, 2), -VMM_ENOMEM);
	/* a leaf that exists needs no frame; a whole block neither */
	assert_int_equal(p2m_set(&p, 2 * BLK + 10, 1, 0x56u), 0);
	assert_int_equal(p2m_set(&p, 2 * BLK + 10, 1, MM_PFN_NONE), 0);
	assert_int_equal(p2m_prepare(&p, 2 * BLK, 5), 0);
	assert_int_equal(p2m_prepare(&p, 0, 2 * BLK), 0);
	feed_window();
	/* one frame: the first of two leaves is taken, the second is not: the first goes back */
	starve_window(1);
	free1 = mm_free_frames();
	assert_int_equal(p2m_set(&p, BLK - 2, 4, 0x70u), -VMM_ENOMEM);
	assert_int_equal(mm_free_frames(), free1);
	assert_int_equal(p2m_prepare(&p, BLK - 2, 4), -VMM_ENOMEM);
	assert_int_equal(mm_free_frames(), free1);
	snapshot(after, 3 * BLK);
	assert_memory_equal(before, after, sizeof(before));
	assert_memory_equal(words, p.dir, sizeof(words));
	assert_int_equal(p.nr_leaves, leaves);
	/* prepared, then abandoned: settled back to the run */
	assert_int_equal(p2m_prepare(&p, 4, 1), 0);
	assert_int_equal(tag(0), P2M_LEAF);
	assert_int_equal(mm_free_frames(), free1 - 1);
	/* after p2m_prepare(), no frame is needed any more */
	assert_int_equal(p2m_set(&p, 4, 1, MM_PFN_NONE), 0);
	assert_int_equal(p2m_set(&p, 4, 1, M0 + 4), 0); /* one run again: the leaf back */
	assert_int_equal(word(0), (M0 << 12) | P2M_RUN);
	assert_int_equal(p2m_prepare(&p, 4, 1), 0);
	p2m_settle(&p, 4, 1);
	assert_int_equal(word(0), (M0 << 12) | P2M_RUN);
	assert_int_equal(mm_free_frames(), free1);
	p2m_settle(&p, 0, 0); /* nothing */
	p2m_settle(&p, 2 * BLK, 1); /* a leaf that is not one run: stays */
	assert_int_equal(tag(2), P2M_LEAF);
	feed_window();
	p2m_destroy(&p);
	assert_int_equal(mm_free_frames(), free0);
}

/* ------------------------------------------------------------ random */

static uint32_t rnd_state = 12345u;

static uint32_t rnd(uint32_t n)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (rnd_state >> 8) % n;
}

/* Leaves counted, none of them empty or one run (they would have settled). */
static void check_invariants(uint32_t max)
{
	uint32_t b, leaves = 0;

	for (b = 0; b < p2m_blocks(max); b++) {
		if (tag(b) == P2M_LEAF) {
			leaves++;
			assert_int_equal(mm_frame(word(b) >> 12)->owner, FRAME_OWNER_HYP);
		} else {
			assert_int_equal(word(b) & P2M_TAG_MASK & ~P2M_RUN, 0);
		}
	}
	assert_int_equal(leaves, p.nr_leaves);
}

static void test_random_changes_match_a_flat_array(void **state)
{
	static uint32_t ref[20 * BLK + 300], got[20 * BLK + 300];
	uint32_t max = 20 * BLK + 300, i, step, base, grabbed[32], nr_grabbed, refused = 0, runs = 0;

	(void)state;
	assert_int_equal(p2m_init(&p, max), 0); /* a directory frame */
	starve_window(32); /* enough for every block's leaf; a starved step takes them */
	base = mm_free_frames();
	for (i = 0; i < max; i++)
		ref[i] = MM_PFN_NONE;
	for (step = 0; step < 4000; step++) {
		uint32_t op = rnd(10), pfn, n, mfn;
		int rc, starve = rnd(8) == 0;

		if (op < 3) { /* a whole block */
			pfn = rnd(max / BLK) * BLK;
			n = BLK;
		} else if (op < 7) { /* a page */
			pfn = rnd(max);
			n = 1;
		} else { /* a range, maybe across blocks */
			pfn = rnd(max);
			n = 1 + rnd(max - pfn < 2 * BLK ? max - pfn : 2 * BLK);
		}
		mfn = rnd(3) == 0 ? MM_PFN_NONE : 0x10000u + rnd(0x40000u);
		if (op == 4 && pfn > 0 && ref[pfn - 1] != MM_PFN_NONE)
			mfn = ref[pfn - 1] + 1; /* extends a run: blocks become one run again */
		for (nr_grabbed = 0; starve && mm_alloc(0, FRAME_OWNER_HYP, MM_LINEAR, &grabbed[nr_grabbed]) == 0;)
			nr_grabbed++;
		rc = p2m_set(&p, pfn, n, mfn);
		while (nr_grabbed)
			assert_int_equal(mm_free(grabbed[--nr_grabbed], 0), 0);
		assert_true(rc == 0 || (starve && rc == -VMM_ENOMEM));
		refused += rc != 0;
		runs += (word(pfn >> 10) & P2M_RUN) != 0;
		if (rc == 0)
			for (i = 0; i < n; i++)
				ref[pfn + i] = mfn == MM_PFN_NONE ? MM_PFN_NONE : mfn + i;
		check_invariants(max);
		assert_int_equal(mm_free_frames(), base - p.nr_leaves);
		if (step % 16 == 0) {
			p2m_copy_out(&p, got, max);
			assert_memory_equal(ref, got, sizeof(ref));
		} else {
			for (i = 0; i < 64; i++) {
				uint32_t q = rnd(max);

				assert_int_equal(p2m_lookup(&p, q), ref[q]);
			}
		}
	}
	/* the sequence went through every case */
	assert_true(p.nr_leaves > 0);
	assert_true(refused > 10);
	assert_true(runs > 100);
	p2m_destroy(&p);
	feed_window();
	assert_int_equal(mm_free_frames(), free0);
}

static void test_destroy_returns_every_frame(void **state)
{
	uint32_t b;

	(void)state;
	assert_int_equal(p2m_init(&p, 30 * BLK), 0);
	for (b = 0; b < 30; b += 2)
		assert_int_equal(p2m_set(&p, b * BLK + b, 3, 0x1000u * b), 0);
	assert_int_equal(p.nr_leaves, 15);
	assert_int_equal(mm_free_frames(), free0 - 16);
	p2m_destroy(&p);
	assert_null(p.dir);
	assert_int_equal(p.nr_leaves, 0);
	assert_int_equal(mm_free_frames(), free0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_directory_inline_up_to_64_mib, setup, teardown),
		cmocka_unit_test_setup_teardown(test_directory_frame_past_64_mib, setup, teardown),
		cmocka_unit_test_setup_teardown(test_directory_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_run_leaf_transitions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_boundaries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_leaf_refused_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random_changes_match_a_flat_array, setup, teardown),
		cmocka_unit_test_setup_teardown(test_destroy_returns_every_frame, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
