/*
 * Frame table and buddy allocator: alignment, splitting and merging,
 * fragmentation, refused frees, ownership, the type/count state machine,
 * scrubbing on every owner change, and random operations checked against a
 * reference model after every step.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "frametable.h"
#include "vmm/abi.h"

#define BASE 0x40000u /* machine frame of 0x40000000 */
#define NR 4096u      /* 16 MiB covered */

static struct frame frames[NR];
static struct frame_chunk dir[8]; /* enough for NR frames from any base */
static struct frame_table ft;
static uint8_t scrubbed[NR]; /* times each frame was scrubbed */

static void scrub_record(uint32_t mfn)
{
	assert_true(mfn >= BASE && mfn < BASE + NR);
	scrubbed[mfn - BASE]++;
}

static void scrub_none(uint32_t mfn)
{
	(void)mfn;
}

static int setup(void **state)
{
	(void)state;
	memset(scrubbed, 0, sizeof(scrubbed));
	assert_int_equal(frame_table_init(&ft, dir, frames, BASE, NR, scrub_record), 0);
	return 0;
}

static void test_init_bounds(void **state)
{
	(void)state;
	assert_int_equal(frame_table_init(&ft, dir, frames, BASE, 0, scrub_record), -VMM_EINVAL);
	assert_int_equal(frame_table_init(&ft, NULL, frames, BASE, NR, scrub_record), -VMM_EINVAL);
	assert_int_equal(frame_table_init(&ft, dir, frames, BASE, NR, NULL), -VMM_EINVAL);
	/* Last frame of the 4 GiB space: accepted; one more: refused. */
	assert_int_equal(frame_table_init(&ft, dir, frames, 0xFFFFFu - NR + 1, NR, scrub_record), 0);
	assert_int_equal(frame_table_init(&ft, dir, frames, 0xFFFFFu - NR + 2, NR, scrub_record), -VMM_EINVAL);
	assert_int_equal(frame_table_init(&ft, dir, frames, 0x100000u, 1, scrub_record), -VMM_EINVAL);
	assert_int_equal(frame_table_init(&ft, dir, frames, 0xFFFFFu, 1, scrub_record), 0);
}

static void test_add_ram_bounds(void **state)
{
	uint32_t mfn;

	(void)state;
	assert_int_equal(frame_alloc(&ft, 0, 1, &mfn), -VMM_ENOMEM);
	assert_int_equal(frame_add_ram(&ft, BASE - 1, 2), -VMM_EINVAL);
	assert_int_equal(frame_add_ram(&ft, BASE + NR - 1, 2), -VMM_EINVAL);
	assert_int_equal(frame_add_ram(&ft, BASE, 0), -VMM_EINVAL);
	assert_int_equal(frame_add_ram(&ft, BASE + NR - 1, 1), 0);
	assert_int_equal(ft.nr_free, 1);
	/* The same frame twice: refused, nothing changed. */
	assert_int_equal(frame_add_ram(&ft, BASE + NR - 2, 2), -VMM_EINVAL);
	assert_int_equal(ft.nr_free, 1);
	assert_int_equal(frame_get(&ft, BASE + NR - 2)->owner, FRAME_OWNER_NONE);
	assert_null(frame_get(&ft, BASE + NR));
	assert_null(frame_get(&ft, BASE - 1));
}

static void test_alloc_alignment_and_bounds(void **state)
{
	uint32_t mfn, order;

	(void)state;
	/* An unaligned bank: runs still come out naturally aligned. */
	assert_int_equal(frame_add_ram(&ft, BASE + 3, NR - 3), 0);
	for (order = 0; order <= FRAME_MAX_ORDER; order++) {
		assert_int_equal(frame_alloc(&ft, order, 1, &mfn), 0);
		assert_int_equal(mfn & ((1u << order) - 1), 0);
		assert_true(mfn >= BASE + 3 && mfn + (1u << order) <= BASE + NR);
	}
	assert_int_equal(frame_alloc(&ft, FRAME_MAX_ORDER + 1, 1, &mfn), -VMM_EINVAL);
	assert_int_equal(frame_alloc(&ft, 0, FRAME_OWNER_FREE, &mfn), -VMM_EINVAL);
	assert_int_equal(frame_alloc(&ft, 0, FRAME_OWNER_NONE, &mfn), -VMM_EINVAL);
	assert_int_equal(frame_alloc(&ft, 0, FRAME_OWNER_HYP, &mfn), 0);
	assert_int_equal(frame_get(&ft, mfn)->owner, FRAME_OWNER_HYP);
}

static void test_l1_runs_after_fragmentation(void **state)
{
	uint32_t mfn[NR], got, i;

	(void)state;
	assert_int_equal(frame_add_ram(&ft, BASE, 64), 0);
	for (i = 0; i < 64; i++)
		assert_int_equal(frame_alloc(&ft, 0, 1, &mfn[i]), 0);
	assert_int_equal(frame_alloc(&ft, 0, 1, &got), -VMM_ENOMEM);
	/* Every other frame back: 32 free, but no two contiguous. */
	for (i = 0; i < 64; i += 2)
		assert_int_equal(frame_free(&ft, mfn[i], 0), 0);
	assert_int_equal(ft.nr_free, 32);
	assert_int_equal(frame_alloc(&ft, FRAME_L1_ORDER, 1, &got), -VMM_ENOMEM);
	assert_int_equal(frame_alloc(&ft, 1, 1, &got), -VMM_ENOMEM);
	/* The rest back: buddies merge into one 64-frame run. */
	for (i = 1; i < 64; i += 2)
		assert_int_equal(frame_free(&ft, mfn[i], 0), 0);
	assert_int_equal(ft.free_head[6] != FRAME_NONE, 1);
	for (i = 0; i < 6; i++)
		assert_int_equal(ft.free_head[i], FRAME_NONE);
	for (i = 0; i < 16; i++) {
		assert_int_equal(frame_alloc(&ft, FRAME_L1_ORDER, 2, &got), 0);
		assert_int_equal(got % 4, 0);
	}
	assert_int_equal(ft.nr_free, 0);
}

static void test_free_refused(void **state)
{
	uint32_t a, b;

	(void)state;
	assert_int_equal(frame_add_ram(&ft, BASE, 16), 0);
	assert_int_equal(frame_alloc(&ft, 2, 1, &a), 0);
	assert_int_equal(frame_alloc(&ft, 2, 2, &b), 0);
	assert_int_equal(frame_free(&ft, a + 1, 2), -VMM_EINVAL);   /* unaligned */
	assert_int_equal(frame_free(&ft, a + 1, 1), -VMM_EINVAL);   /* unaligned, one owner */
	assert_int_equal(frame_get(&ft, a + 1)->owner, 1);
	assert_int_equal(frame_free(&ft, a, FRAME_MAX_ORDER + 1), -VMM_EINVAL);
	assert_int_equal(frame_free(&ft, BASE + NR, 0), -VMM_EINVAL); /* not covered */
	assert_int_equal(frame_free(&ft, BASE + 32, 0), -VMM_EINVAL); /* unmanaged */
	/* A run spanning two owners. */
	assert_int_equal(frame_free(&ft, a & ~7u, 3), -VMM_EINVAL);
	/* Referenced or typed: busy, nothing changed. */
	assert_int_equal(frame_get_ref(&ft, a + 3, 1), 0);
	assert_int_equal(frame_free(&ft, a, 2), -VMM_EBUSY);
	assert_int_equal(frame_get(&ft, a)->owner, 1);
	assert_int_equal(frame_put_ref(&ft, a + 3), 0);
	assert_int_equal(frame_get_type(&ft, a, 1, FRAME_TYPE_L1), 0);
	assert_int_equal(frame_free(&ft, a, 2), -VMM_EBUSY);
	assert_int_equal(frame_put_type(&ft, a, FRAME_TYPE_L1), 0);
	assert_int_equal(frame_free(&ft, a, 2), 0);
	assert_int_equal(frame_free(&ft, a, 2), -VMM_EINVAL); /* double free */
	assert_int_equal(frame_free(&ft, a, 0), -VMM_EINVAL);
	assert_int_equal(ft.nr_free, 12);
}

static void test_scrub_on_every_owner_change(void **state)
{
	uint32_t a, b, i;

	(void)state;
	assert_int_equal(frame_add_ram(&ft, BASE, 8), 0);
	for (i = 0; i < NR; i++)
		assert_int_equal(scrubbed[i], 0); /* adding RAM scrubs nothing yet */
	assert_int_equal(frame_alloc(&ft, 2, 1, &a), 0);
	for (i = 0; i < 4; i++)
		assert_int_equal(scrubbed[a - BASE + i], 1);
	assert_int_equal(frame_free(&ft, a, 2), 0);
	assert_int_equal(frame_alloc(&ft, 3, 2, &b), 0);
	for (i = 0; i < 8; i++)
		assert_int_equal(scrubbed[b - BASE + i], (b + i >= a && b + i < a + 4) ? 2 : 1);
}

static void test_ownership(void **state)
{
	uint32_t a;

	(void)state;
	assert_int_equal(frame_add_ram(&ft, BASE, 4), 0);
	assert_false(frame_owned_by(&ft, BASE, 1));
	assert_false(frame_owned_by(&ft, BASE, FRAME_OWNER_FREE));
	assert_int_equal(frame_alloc(&ft, 0, 1, &a), 0);
	assert_true(frame_owned_by(&ft, a, 1));
	assert_int_equal(frame_put_ref(&ft, a), -VMM_EINVAL); /* none held */
	assert_int_equal(frame_get_ref(&ft, a, 1), 0);
	assert_int_equal(frame_put_ref(&ft, a), 0);
	assert_int_equal(frame_put_ref(&ft, a), -VMM_EINVAL);
	assert_false(frame_owned_by(&ft, a, 2));
	assert_false(frame_owned_by(&ft, BASE + 8, FRAME_OWNER_NONE));
	assert_false(frame_owned_by(&ft, BASE + NR, 1));
	/* Another domain cannot type or reference it. */
	assert_int_equal(frame_get_ref(&ft, a, 2), -VMM_EINVAL);
	assert_int_equal(frame_get_type(&ft, a, 2, FRAME_TYPE_WRITABLE), -VMM_EINVAL);
	/* Free frames cannot be typed, referenced or released. */
	assert_int_equal(frame_get_ref(&ft, a + 1, 1), -VMM_EINVAL);
	assert_int_equal(frame_put_ref(&ft, a + 1), -VMM_EINVAL);
	assert_int_equal(frame_put_type(&ft, a + 1, FRAME_TYPE_WRITABLE), -VMM_EINVAL);
}

static void test_type_state_machine(void **state)
{
	uint32_t a;

	(void)state;
	assert_int_equal(frame_add_ram(&ft, BASE, 4), 0);
	assert_int_equal(frame_alloc(&ft, 0, 1, &a), 0);
	assert_int_equal(frame_get_type(&ft, a, 1, FRAME_TYPE_NONE), -VMM_EINVAL);
	assert_int_equal(frame_get_type(&ft, a, 1, (enum frame_type)4), -VMM_EINVAL);
	assert_int_equal(frame_get_type(&ft, a, 1, FRAME_TYPE_WRITABLE), 0);
	assert_int_equal(frame_get_type(&ft, a, 1, FRAME_TYPE_WRITABLE), 0);
	/* Mapped writable: cannot become a page table. */
	assert_int_equal(frame_get_type(&ft, a, 1, FRAME_TYPE_L2), -VMM_EBUSY);
	assert_int_equal(frame_get_type(&ft, a, 1, FRAME_TYPE_L1), -VMM_EBUSY);
	assert_int_equal(frame_put_type(&ft, a, FRAME_TYPE_L2), -VMM_EINVAL);
	assert_int_equal(frame_put_type(&ft, a, FRAME_TYPE_WRITABLE), 0);
	assert_int_equal(frame_get_type(&ft, a, 1, FRAME_TYPE_L2), -VMM_EBUSY);
	assert_int_equal(frame_put_type(&ft, a, FRAME_TYPE_WRITABLE), 0);
	assert_int_equal(frame_get(&ft, a)->type, FRAME_TYPE_NONE);
	assert_int_equal(frame_put_type(&ft, a, FRAME_TYPE_WRITABLE), -VMM_EINVAL);
	/* A page table: cannot be mapped writable. */
	assert_int_equal(frame_get_type(&ft, a, 1, FRAME_TYPE_L2), 0);
	assert_int_equal(frame_get_type(&ft, a, 1, FRAME_TYPE_WRITABLE), -VMM_EBUSY);
	assert_int_equal(frame_get(&ft, a)->u.use.type_count, 1);
	/* Count saturation: 65535 is the last accepted count, the 65536th use is refused. */
	frame_get(&ft, a)->u.use.type_count = FRAME_COUNT_MAX - 1;
	assert_int_equal(frame_get_type(&ft, a, 1, FRAME_TYPE_L2), 0);
	assert_int_equal(frame_get(&ft, a)->u.use.type_count, 65535);
	assert_int_equal(frame_get_type(&ft, a, 1, FRAME_TYPE_L2), -VMM_ENOSPC);
	assert_int_equal(frame_get(&ft, a)->u.use.type_count, 65535);
	assert_int_equal(frame_get(&ft, a)->type, FRAME_TYPE_L2);
	frame_get(&ft, a)->u.use.refcount = FRAME_COUNT_MAX - 1;
	assert_int_equal(frame_get_ref(&ft, a, 1), 0);
	assert_int_equal(frame_get(&ft, a)->u.use.refcount, 65535);
	assert_int_equal(frame_get_ref(&ft, a, 1), -VMM_ENOSPC);
	assert_int_equal(frame_get(&ft, a)->u.use.refcount, 65535);
	/* The counts do not spill into each other. */
	assert_int_equal(frame_get(&ft, a)->u.use.type_count, 65535);
	assert_int_equal(frame_put_ref(&ft, a), 0);
	assert_int_equal(frame_get(&ft, a)->u.use.refcount, 65534);
}

/*
 * Reference model: who owns each frame (0 = free, FRAME_OWNER_NONE outside
 * the RAM ranges), checked after every step of random allocations and frees.
 */
struct model {
	struct frame_table *t;
	uint16_t *owner;              /* per table index */
	uint32_t range[2][2];         /* RAM ranges [lo, hi) as table indices */
	unsigned int nranges;
};

static void check_blocks(const struct model *m);

static void check_model(const struct model *m)
{
	uint32_t i, free_count = 0, listed = 0, o, r;

	for (r = 0; r < m->nranges; r++) {
		for (i = m->range[r][0]; i < m->range[r][1]; i++) {
			uint16_t want = m->owner[i] ? m->owner[i] : FRAME_OWNER_FREE;

			assert_int_equal(frame_get(m->t, m->t->base_mfn + i)->owner, want);
			free_count += m->owner[i] == 0;
		}
	}
	assert_int_equal(m->t->nr_free, free_count);
	/* The free lists hold exactly the free frames, in aligned, unmergeable runs. */
	for (o = 0; o <= FRAME_MAX_ORDER; o++) {
		uint32_t idx;

		for (idx = frame_free_first(m->t, o); idx != FRAME_NONE; idx = frame_free_next(m->t, idx)) {
			uint32_t mfn = m->t->base_mfn + idx;

			assert_true(idx < m->t->nr);
			assert_int_equal(mfn & ((1u << o) - 1), 0);
			if (o < FRAME_MAX_ORDER)
				assert_int_equal(frame_get(m->t, mfn)->free_order, o);
			else /* a whole chunk: listed in the directory */
				assert_true(m->t->dir[(mfn - m->t->dir_base) >> FRAME_CHUNK_SHIFT].listed);
			for (i = 0; i < (1u << o); i++)
				assert_int_equal(m->owner[idx + i], 0);
			if (o < FRAME_MAX_ORDER) {
				uint32_t buddy = (mfn ^ (1u << o)) - m->t->base_mfn;

				assert_false(buddy < m->t->nr && frame_get(m->t, m->t->base_mfn + buddy)->owner == FRAME_OWNER_FREE &&
					     frame_get(m->t, m->t->base_mfn + buddy)->free_order == o);
			}
			listed += 1u << o;
		}
	}
	assert_int_equal(listed, free_count);
	if (m->t->blocks)
		check_blocks(m);
}

/* Does any aligned all-free run of `order` exist in the model? */
static int model_fits(const struct model *m, uint32_t order)
{
	uint32_t r, s, i, n = 1u << order;

	for (r = 0; r < m->nranges; r++) {
		for (s = (m->range[r][0] + n - 1) & ~(n - 1); s + n <= m->range[r][1]; s += n) {
			int fits = 1;

			for (i = 0; i < n && fits; i++)
				fits = m->owner[s + i] == 0;
			if (fits)
				return 1;
		}
	}
	return 0;
}

static void run_model(struct model *m, uint32_t steps, uint32_t max_order)
{
	struct { uint32_t mfn, order; } live[1024];
	uint32_t nlive = 0, step, r, i;

	for (i = 0; i < m->t->nr; i++)
		m->owner[i] = FRAME_OWNER_NONE;
	for (r = 0; r < m->nranges; r++) {
		for (i = m->range[r][0]; i < m->range[r][1]; i++)
			m->owner[i] = 0;
		assert_int_equal(frame_add_ram(m->t, m->t->base_mfn + m->range[r][0],
					       m->range[r][1] - m->range[r][0]), 0);
	}
	for (step = 0; step < steps; step++) {
		if (nlive < 1024 && (nlive == 0 || rand() % 2)) {
			uint32_t order = (uint32_t)rand() % (max_order + 1), mfn;
			uint16_t owner = (uint16_t)(1 + rand() % 3);
			int rc = frame_alloc(m->t, order, owner, &mfn);

			assert_int_equal(rc, model_fits(m, order) ? 0 : -VMM_ENOMEM);
			if (rc == 0) {
				for (i = 0; i < (1u << order); i++) {
					assert_int_equal(m->owner[mfn - m->t->base_mfn + i], 0);
					m->owner[mfn - m->t->base_mfn + i] = owner;
				}
				live[nlive].mfn = mfn;
				live[nlive++].order = order;
			}
		} else {
			uint32_t k = (uint32_t)rand() % nlive;

			assert_int_equal(frame_free(m->t, live[k].mfn, live[k].order), 0);
			for (i = 0; i < (1u << live[k].order); i++)
				m->owner[live[k].mfn - m->t->base_mfn + i] = 0;
			live[k] = live[--nlive];
		}
		check_model(m);
	}
}

static void test_random_against_model(void **state)
{
	static uint16_t owner[NR];
	struct model m = { .t = &ft, .owner = owner, .range = { { 5, 1005 } }, .nranges = 1 };

	(void)state;
	srand(9);
	run_model(&m, 20000, 4);
}

/*
 * The largest table (2^20-1 frames): free-list links are 20-bit indices
 * packed into the entry, so runs beyond index 65535 -- and the last frame,
 * next to the "none" value -- must link and unlink like any other. RAM
 * around the 16-bit boundary and at the very end of the table.
 */
static void test_links_beyond_16_bits(void **state)
{
	struct frame_table big;
	struct frame *fr = malloc(sizeof(*fr) * FRAME_TABLE_MAX_NR);
	struct frame_chunk *bigdir = malloc(sizeof(*bigdir) * FRAME_DIR_LEN(0, FRAME_TABLE_MAX_NR));
	uint16_t *owner = malloc(sizeof(*owner) * FRAME_TABLE_MAX_NR);
	struct model m = {
		.t = &big, .owner = owner,
		.range = { { 0xFF00u, 0x10100u }, { FRAME_TABLE_MAX_NR - 0x300u, FRAME_TABLE_MAX_NR } },
		.nranges = 2,
	};
	uint32_t mfn;

	(void)state;
	assert_non_null(fr);
	assert_non_null(owner);
	/* 2^20-1 frames: accepted; 2^20 (index 2^20-1 would read as "none"): refused. */
	assert_int_equal(frame_table_init(&big, bigdir, fr, 0, FRAME_TABLE_MAX_NR + 1, scrub_none), -VMM_EINVAL);
	assert_int_equal(frame_table_init(&big, bigdir, fr, 0, FRAME_TABLE_MAX_NR, scrub_none), 0);
	srand(11);
	run_model(&m, 3000, 3);
	/* The very last frame (index 2^20-2) alone: a head of order 0 with no neighbours. */
	assert_int_equal(frame_table_init(&big, bigdir, fr, 0, FRAME_TABLE_MAX_NR, scrub_none), 0);
	assert_int_equal(frame_add_ram(&big, FRAME_TABLE_MAX_NR - 1, 1), 0);
	assert_int_equal(frame_add_ram(&big, 0x12345, 1), 0);
	assert_int_equal(frame_free_first(&big, 0), 0x12345);
	assert_int_equal(frame_free_next(&big, 0x12345), FRAME_TABLE_MAX_NR - 1);
	assert_int_equal(frame_free_next(&big, FRAME_TABLE_MAX_NR - 1), FRAME_NONE);
	assert_int_equal(frame_alloc(&big, 0, 1, &mfn), 0);
	assert_int_equal(mfn, 0x12345);
	assert_int_equal(frame_free_first(&big, 0), FRAME_TABLE_MAX_NR - 1);
	assert_int_equal(frame_alloc(&big, 0, 1, &mfn), 0);
	assert_int_equal(mfn, FRAME_TABLE_MAX_NR - 1);
	assert_int_equal(frame_free_first(&big, 0), FRAME_NONE);
	assert_int_equal(frame_alloc(&big, 0, 1, &mfn), -VMM_ENOMEM);
	/* Allocated frames read as untyped with zero counts whatever the links held. */
	assert_int_equal(frame_get(&big, mfn)->type, FRAME_TYPE_NONE);
	assert_int_equal(frame_get(&big, mfn)->u.use.type_count, 0);
	assert_int_equal(frame_get(&big, mfn)->u.use.refcount, 0);
	assert_int_equal(frame_free(&big, mfn, 0), 0);
	assert_int_equal(frame_free(&big, 0x12345, 0), 0);
	assert_int_equal(frame_free_first(&big, 0), 0x12345);
	assert_int_equal(frame_free_first(&big, 1), FRAME_NONE);
	free(fr);
	free(bigdir);
	free(owner);
}

/*
 * Sparse tables (frame_table_init() without entries): a chunk gets a block
 * of entries from the block hooks when it gets its first owner and gives it
 * back when it is one free run again.
 */
#define POOL 64
static struct frame *pool[POOL];      /* blocks the hooks may lend */
static uint32_t pool_out;             /* blocks lent now */
static uint32_t gets, puts_own, puts_lent, last_whole;
static int hooks_self;                /* 1: a chunk being split keeps its block itself */
static int hooks_fail;                /* 1: no block to be had */
static struct frame own_blocks[8][FRAME_CHUNK_FRAMES]; /* stand-ins for chunks' own frames */

static int hooks_get(struct frame_table *t, uint32_t chunk_mfn, int whole, struct frame **block)
{
	uint32_t i;

	gets++;
	last_whole = (uint32_t)whole;
	assert_int_equal(chunk_mfn % FRAME_CHUNK_FRAMES, 0);
	if (hooks_fail)
		return -VMM_ENOMEM;
	if (hooks_self && !whole) {
		*block = own_blocks[((chunk_mfn - t->dir_base) >> FRAME_CHUNK_SHIFT) % 8];
		return 1;
	}
	for (i = 0; i < POOL; i++)
		if (pool[i] == NULL) {
			pool[i] = malloc(FRAME_CHUNK_BYTES);
			assert_non_null(pool[i]);
			*block = pool[i];
			pool_out++;
			return 0;
		}
	return -VMM_ENOMEM;
}

static void hooks_put(struct frame_table *t, struct frame *block, int own)
{
	uint32_t i;

	(void)t;
	if (own) {
		puts_own++;
		return;
	}
	for (i = 0; i < POOL; i++)
		if (pool[i] == block) {
			free(pool[i]);
			pool[i] = NULL;
			pool_out--;
			puts_lent++;
			return;
		}
	fail_msg("put of a block never lent");
}

static const struct frame_block_ops hooks = { .get = hooks_get, .put = hooks_put };

static void hooks_reset(void)
{
	uint32_t i;

	for (i = 0; i < POOL; i++) {
		free(pool[i]);
		pool[i] = NULL;
	}
	pool_out = gets = puts_own = puts_lent = last_whole = 0;
	hooks_self = hooks_fail = 0;
}

static void sparse_init(struct frame_table *t, struct frame_chunk *d, uint32_t base, uint32_t nr)
{
	hooks_reset();
	assert_int_equal(frame_table_init(t, d, NULL, base, nr, scrub_none), 0);
	t->blocks = &hooks;
}

static uint32_t chunks_listed(const struct frame_table *t)
{
	uint32_t n = 0, idx;

	for (idx = frame_free_first(t, FRAME_MAX_ORDER); idx != FRAME_NONE; idx = frame_free_next(t, idx))
		n++;
	return n;
}

/* Sparse tables whose RAM ranges cover whole chunks, blocks all lent: a chunk has a block iff
 * it is in the RAM and not wholly free, and every block lent is such a chunk's. */
static void check_blocks(const struct model *m)
{
	const struct frame_table *t = m->t;
	uint32_t k, i, r, with = 0;

	for (k = 0; k < t->dir_nr; k++) {
		uint32_t first = k * FRAME_CHUNK_FRAMES + t->dir_base - t->base_mfn; /* a table index */
		int in_ram = 0, used = 0;

		for (r = 0; r < m->nranges; r++)
			in_ram |= first >= m->range[r][0] && first < m->range[r][1];
		for (i = 0; in_ram && i < FRAME_CHUNK_FRAMES; i++)
			used |= m->owner[first + i] != 0;
		assert_int_equal(frame_chunk_has_block(t, t->base_mfn + first), used);
		with += (uint32_t)used;
	}
	assert_int_equal(pool_out, with);
}

/* A chunk goes from free (no block) to split (its own block) and back, then whole to one owner
 * (a lent block) and back. */
static void test_sparse_chunk_free_split_and_back(void **state)
{
	static struct frame_chunk d[4];
	struct frame_table t;
	uint32_t a, b, i;

	(void)state;
	sparse_init(&t, d, BASE, NR);
	assert_int_equal(frame_add_ram(&t, BASE, NR), 0);
	assert_int_equal(gets, 0); /* whole free chunks need no block */
	assert_int_equal(chunks_listed(&t), 4);
	assert_false(frame_chunk_has_block(&t, BASE));
	assert_int_equal(frame_get(&t, BASE)->owner, FRAME_OWNER_FREE);
	assert_int_equal(frame_get(&t, BASE + NR - 1)->owner, FRAME_OWNER_FREE);
	assert_int_equal(t.nr_free, NR);
	/* split: the chunk keeps its entries in its own first two frames */
	hooks_self = 1;
	assert_int_equal(frame_alloc(&t, 0, 1, &a), 0);
	assert_int_equal(gets, 1);
	assert_int_equal(last_whole, 0);
	assert_true(frame_chunk_has_block(&t, a));
	b = a & ~(FRAME_CHUNK_FRAMES - 1);
	assert_int_equal(frame_get(&t, b)->owner, FRAME_OWNER_HYP);
	assert_int_equal(frame_get(&t, b + 1)->owner, FRAME_OWNER_HYP);
	assert_int_equal(frame_get(&t, a)->owner, 1);
	assert_true(a >= b + 2 && a < b + FRAME_CHUNK_FRAMES);
	assert_int_equal(t.nr_free, NR - 3);
	assert_int_equal(chunks_listed(&t), 3);
	/* the block's frames cannot be freed by anyone else's mistake: they are the hypervisor's */
	assert_int_equal(frame_get_ref(&t, b, 1), -VMM_EINVAL);
	/* a second frame of the same chunk: no new block */
	assert_int_equal(frame_alloc(&t, 3, 2, &i), 0);
	assert_int_equal(i & ~(FRAME_CHUNK_FRAMES - 1), b);
	assert_int_equal(gets, 1);
	assert_int_equal(frame_free(&t, i, 3), 0);
	assert_int_equal(puts_own, 0);
	/* the last frame back: the chunk is one free run again, without a block */
	assert_int_equal(frame_free(&t, a, 0), 0);
	assert_int_equal(puts_own, 1);
	assert_false(frame_chunk_has_block(&t, b));
	assert_int_equal(frame_get(&t, b)->owner, FRAME_OWNER_FREE);
	assert_int_equal(t.nr_free, NR);
	assert_int_equal(chunks_listed(&t), 4);
	for (i = 0; i < FRAME_MAX_ORDER; i++)
		assert_int_equal(frame_free_first(&t, i), FRAME_NONE);
	/* a whole chunk to one owner: its block is lent, given back with the chunk */
	assert_int_equal(frame_alloc(&t, FRAME_MAX_ORDER, 3, &a), 0);
	assert_int_equal(last_whole, 1);
	assert_int_equal(pool_out, 1);
	for (i = 0; i < FRAME_CHUNK_FRAMES; i++)
		assert_int_equal(frame_get(&t, a + i)->owner, 3);
	assert_int_equal(frame_get_ref(&t, a + 5, 3), 0);
	assert_int_equal(frame_free(&t, a, FRAME_MAX_ORDER), -VMM_EBUSY); /* nothing changed */
	assert_int_equal(pool_out, 1);
	assert_int_equal(frame_put_ref(&t, a + 5), 0);
	assert_int_equal(frame_free(&t, a, FRAME_MAX_ORDER), 0);
	assert_int_equal(pool_out, 0);
	assert_int_equal(puts_lent, 1);
	assert_false(frame_chunk_has_block(&t, a));
	/* split with a lent block (a chunk the hypervisor cannot reach): freed piecewise, the
	 * last piece back merges the chunk and returns the block */
	hooks_self = 0;
	assert_int_equal(frame_alloc(&t, 2, 4, &a), 0);
	assert_int_equal(last_whole, 0);
	assert_int_equal(frame_alloc(&t, 0, 4, &b), 0);
	assert_int_equal(pool_out, 1);
	assert_int_equal(frame_free(&t, a, 2), 0);
	assert_int_equal(pool_out, 1);
	assert_int_equal(frame_free(&t, b, 0), 0);
	assert_int_equal(pool_out, 0);
	assert_int_equal(t.nr_free, NR);
	hooks_reset();
}

/* No block to be had: the allocation is refused and nothing changes; the hooks may be asked
 * again later. A dense table never asks. */
static void test_sparse_no_block_refused(void **state)
{
	static struct frame_chunk d[4];
	struct frame_table t;
	uint32_t a, first;

	(void)state;
	sparse_init(&t, d, BASE, NR);
	assert_int_equal(frame_add_ram(&t, BASE, NR), 0);
	first = frame_free_first(&t, FRAME_MAX_ORDER);
	hooks_fail = 1;
	assert_int_equal(frame_alloc(&t, 0, 1, &a), -VMM_ENOMEM);
	assert_int_equal(frame_alloc(&t, FRAME_MAX_ORDER, 1, &a), -VMM_ENOMEM);
	assert_int_equal(t.nr_free, NR);
	assert_int_equal(chunks_listed(&t), 4);
	assert_int_equal(frame_free_first(&t, FRAME_MAX_ORDER), first);
	assert_false(frame_chunk_has_block(&t, BASE + first));
	hooks_fail = 0;
	assert_int_equal(frame_alloc(&t, 0, 1, &a), 0);
	assert_int_equal(pool_out, 1);
	/* without hooks (a sparse table before they are set): refused the same way */
	sparse_init(&t, d, BASE, NR);
	t.blocks = NULL;
	assert_int_equal(frame_add_ram(&t, BASE, NR), 0);
	assert_int_equal(frame_alloc(&t, 0, 1, &a), -VMM_ENOMEM);
	/* ... and RAM that covers a chunk in part needs a block at once */
	sparse_init(&t, d, BASE, NR);
	hooks_fail = 1;
	assert_int_equal(frame_add_ram(&t, BASE + 1, FRAME_CHUNK_FRAMES - 1), -VMM_EINVAL);
	assert_int_equal(t.nr_free, 0);
	assert_int_equal(frame_mark_owned(&t, BASE, 1, FRAME_OWNER_HYP), -VMM_EINVAL);
	hooks_fail = 0;
	assert_int_equal(frame_add_ram(&t, BASE + 1, FRAME_CHUNK_FRAMES - 1), 0);
	assert_int_equal(last_whole, 1);
	assert_int_equal(frame_get(&t, BASE)->owner, FRAME_OWNER_NONE);
	assert_int_equal(frame_mark_owned(&t, BASE, 1, FRAME_OWNER_HYP), 0);
	assert_int_equal(pool_out, 1); /* the same block */
	hooks_reset();
}

/*
 * Directory boundaries: a table whose first and last chunks it covers in
 * part (their frames outside it read unmanaged in the block, not free),
 * frame_chunk_attach()'s checks, and the lookup at the last frame of one
 * chunk and the first of the next.
 */
static void test_sparse_directory_boundaries(void **state)
{
	static struct frame_chunk d[4];
	static struct frame blk[2][FRAME_CHUNK_FRAMES];
	struct frame_table t;
	uint32_t base = BASE + FRAME_CHUNK_FRAMES - 3, nr = FRAME_CHUNK_FRAMES + 6, a;

	(void)state;
	assert_int_equal(FRAME_DIR_LEN(base, nr), 3);
	assert_int_equal(FRAME_DIR_LEN(BASE, FRAME_CHUNK_FRAMES), 1);
	assert_int_equal(FRAME_DIR_LEN(BASE, FRAME_CHUNK_FRAMES + 1), 2);
	assert_int_equal(FRAME_DIR_LEN(BASE + FRAME_CHUNK_FRAMES - 1, 2), 2);
	sparse_init(&t, d, base, nr);
	assert_int_equal(t.dir_base, BASE);
	assert_int_equal(t.dir_nr, 3);
	/* attach: a covered frame's chunk, once, an aligned block */
	assert_int_equal(frame_chunk_attach(&t, base - 1, blk[0]), -VMM_EINVAL); /* not covered */
	assert_int_equal(frame_chunk_attach(&t, base, NULL), -VMM_EINVAL);
	assert_int_equal(frame_chunk_attach(&t, base, (struct frame *)((uint8_t *)blk[0] + 4)), -VMM_EINVAL);
	assert_int_equal(frame_chunk_attach(&t, base, blk[0]), 0);
	assert_int_equal(frame_chunk_attach(&t, base + 2, blk[1]), -VMM_EINVAL); /* has one */
	assert_int_equal(frame_chunk_attach(&t, base + nr - 1, blk[1]), 0);
	assert_int_equal(frame_get(&t, base)->owner, FRAME_OWNER_NONE);
	assert_int_equal(frame_add_ram(&t, base, nr), 0);
	assert_int_equal(gets, 0);
	/* the whole middle chunk is one free run without a block */
	assert_false(frame_chunk_has_block(&t, BASE + FRAME_CHUNK_FRAMES));
	assert_int_equal(chunks_listed(&t), 1);
	assert_int_equal(frame_get(&t, base)->owner, FRAME_OWNER_FREE);
	assert_int_equal(frame_get(&t, base + 2)->owner, FRAME_OWNER_FREE);
	assert_int_equal(frame_get(&t, base + 3)->owner, FRAME_OWNER_FREE);
	assert_int_equal(frame_get(&t, base + nr - 1)->owner, FRAME_OWNER_FREE);
	assert_null(frame_get(&t, base + nr));
	assert_null(frame_get(&t, base - 1));
	assert_int_equal(frame_entry(&t, base - 1)->owner, FRAME_OWNER_NONE); /* in the block */
	assert_int_equal(blk[0][0].owner, FRAME_OWNER_NONE);
	assert_int_equal(blk[1][FRAME_CHUNK_FRAMES - 1].owner, FRAME_OWNER_NONE);
	/* the hot paths' lookup: NULL for a chunk without a block, the entry otherwise */
	assert_null(frame_entry_owned(t.dir, FRAME_CHUNK_FRAMES));
	assert_ptr_equal(frame_entry_owned(t.dir, FRAME_CHUNK_FRAMES - 1), &blk[0][FRAME_CHUNK_FRAMES - 1]);
	assert_ptr_equal(frame_entry_owned(t.dir, 2 * FRAME_CHUNK_FRAMES), &blk[1][0]);
	/* the edge chunks' frames are small runs: the two edge chunks never merge whole */
	assert_int_equal(t.nr_free, nr);
	assert_int_equal(frame_alloc(&t, 1, 1, &a), 0);
	assert_true(a == base + 1 || a >= BASE + 2 * FRAME_CHUNK_FRAMES);
	assert_int_equal(frame_free(&t, a, 1), 0);
	assert_int_equal(frame_get(&t, a)->free_order != FRAME_NOT_HEAD, 1);
	assert_int_equal(puts_lent + puts_own, 0); /* attached blocks stay */
	hooks_reset();
}

/*
 * 2 GiB of RAM (2^19 frames) from 0x80000000 with a hole: the directory
 * (512 entries) is all there is until frames get owners; random
 * allocations of every order checked against the model, and after every
 * step: blocks lent = chunks neither wholly free nor outside the RAM.
 */
static void test_sparse_2gib_random(void **state)
{
	static struct frame_chunk d[FRAME_DIR_LEN(0x80000u, 0x80000u)];
	struct frame_table t;
	uint32_t nr = 0x80000u;
	uint16_t *owner = malloc(sizeof(*owner) * nr);
	struct model m = {
		.t = &t, .owner = owner,
		.range = { { 0, 5 * FRAME_CHUNK_FRAMES }, { nr - 4 * FRAME_CHUNK_FRAMES, nr } },
		.nranges = 2,
	};
	uint32_t a;

	(void)state;
	assert_non_null(owner);
	assert_int_equal(sizeof(d) / sizeof(d[0]), 512);
	sparse_init(&t, d, 0x80000u, nr);
	srand(13);
	run_model(&m, 3000, FRAME_MAX_ORDER);
	assert_true(gets > 0);
	/* the hole reads unmanaged, without a block */
	assert_false(frame_chunk_has_block(&t, 0x80000u + 100 * FRAME_CHUNK_FRAMES));
	assert_int_equal(frame_get(&t, 0x80000u + 100 * FRAME_CHUNK_FRAMES)->owner, FRAME_OWNER_NONE);
	assert_int_equal(frame_alloc(&t, 0, FRAME_OWNER_NONE, &a), -VMM_EINVAL);
	free(owner);
	hooks_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_init_bounds, setup),
		cmocka_unit_test_setup(test_add_ram_bounds, setup),
		cmocka_unit_test_setup(test_alloc_alignment_and_bounds, setup),
		cmocka_unit_test_setup(test_l1_runs_after_fragmentation, setup),
		cmocka_unit_test_setup(test_free_refused, setup),
		cmocka_unit_test_setup(test_scrub_on_every_owner_change, setup),
		cmocka_unit_test_setup(test_ownership, setup),
		cmocka_unit_test_setup(test_type_state_machine, setup),
		cmocka_unit_test_setup(test_random_against_model, setup),
		cmocka_unit_test(test_links_beyond_16_bits),
		cmocka_unit_test(test_sparse_chunk_free_split_and_back),
		cmocka_unit_test(test_sparse_no_block_refused),
		cmocka_unit_test(test_sparse_directory_boundaries),
		cmocka_unit_test(test_sparse_2gib_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
