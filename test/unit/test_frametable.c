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
	assert_int_equal(frame_table_init(&ft, frames, BASE, NR, scrub_record), 0);
	return 0;
}

static void test_init_bounds(void **state)
{
	(void)state;
	assert_int_equal(frame_table_init(&ft, frames, BASE, 0, scrub_record), -VMM_EINVAL);
	assert_int_equal(frame_table_init(&ft, NULL, BASE, NR, scrub_record), -VMM_EINVAL);
	assert_int_equal(frame_table_init(&ft, frames, BASE, NR, NULL), -VMM_EINVAL);
	/* Last frame of the 4 GiB space: accepted; one more: refused. */
	assert_int_equal(frame_table_init(&ft, frames, 0xFFFFFu - NR + 1, NR, scrub_record), 0);
	assert_int_equal(frame_table_init(&ft, frames, 0xFFFFFu - NR + 2, NR, scrub_record), -VMM_EINVAL);
	assert_int_equal(frame_table_init(&ft, frames, 0x100000u, 1, scrub_record), -VMM_EINVAL);
	assert_int_equal(frame_table_init(&ft, frames, 0xFFFFFu, 1, scrub_record), 0);
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

static void check_model(const struct model *m)
{
	uint32_t i, free_count = 0, listed = 0, o, r;

	for (r = 0; r < m->nranges; r++) {
		for (i = m->range[r][0]; i < m->range[r][1]; i++) {
			uint16_t want = m->owner[i] ? m->owner[i] : FRAME_OWNER_FREE;

			assert_int_equal(m->t->frames[i].owner, want);
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
			assert_int_equal(m->t->frames[idx].free_order, o);
			for (i = 0; i < (1u << o); i++)
				assert_int_equal(m->owner[idx + i], 0);
			if (o < FRAME_MAX_ORDER) {
				uint32_t buddy = (mfn ^ (1u << o)) - m->t->base_mfn;

				assert_false(buddy < m->t->nr && m->t->frames[buddy].owner == FRAME_OWNER_FREE &&
					     m->t->frames[buddy].free_order == o);
			}
			listed += 1u << o;
		}
	}
	assert_int_equal(listed, free_count);
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
	assert_int_equal(frame_table_init(&big, fr, 0, FRAME_TABLE_MAX_NR + 1, scrub_none), -VMM_EINVAL);
	assert_int_equal(frame_table_init(&big, fr, 0, FRAME_TABLE_MAX_NR, scrub_none), 0);
	srand(11);
	run_model(&m, 3000, 3);
	/* The very last frame (index 2^20-2) alone: a head of order 0 with no neighbours. */
	assert_int_equal(frame_table_init(&big, fr, 0, FRAME_TABLE_MAX_NR, scrub_none), 0);
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
	free(owner);
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
