/*
 * Boot-time memory: zones over several banks cut at the linear window,
 * frame tables carved after the image and owned by the hypervisor, the
 * boot loader's MiB unmanaged, the rest free; allocation policy (hypervisor
 * data from the window, domain memory outside it first); the
 * machine-to-physical table; scrubbing through temporary mappings.
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
#include "vmm/abi.h"

#define MIB (1u << 20)
#define MFN(phys) ((uint32_t)(phys) >> 12)

/* Three banks inside the fake RAM, with holes; the window covers 16 MiB of bank 0. */
static const struct vmm_ram_bank banks[] = {
	{ .base = FAKE_RAM_BASE, .size = 24 * MIB },
	{ .base = FAKE_RAM_BASE + 32 * MIB, .size = 8 * MIB },
	{ .base = FAKE_RAM_BASE + 48 * MIB, .size = 16 * MIB },
};
static struct arch_hv_layout lay;
static char why[128];

static int boot(void **state)
{
	(void)state;
	fake_reset();
	memset(&fake_mmu, 0, sizeof(fake_mmu));
	fake_window_size = 16 * MIB;
	arch_hv_layout(&lay);
	return mm_init(banks, 3, &lay, why, sizeof(why));
}

/* A chunk's block of frame entries (8 KiB). */
#define BLOCK FRAME_CHUNK_BYTES

/* Carved at boot: a block per chunk that is neither wholly free nor wholly unmanaged, and
 * per 4 MiB chunk of each zone a frame-table directory entry (block, list link) and an m2p
 * directory entry (pointer, frame, count). */
static uint32_t table_bytes(uint32_t blocks, uint32_t chunks)
{
	uint32_t dir = chunks * (uint32_t)(sizeof(struct frame_chunk) + (sizeof(uint32_t *) == 4 ? 12 : 16));

	return (blocks * BLOCK + dir + 4095) & ~4095u;
}

static void test_zones_cover_banks_and_cut_at_window(void **state)
{
	struct mm_usage u;
	uint32_t ram_frames = (24 + 8 + 16) * 256;

	(void)state;
	mm_usage(&u);
	assert_int_equal(u.nr_zones, 4); /* bank 0: window + above; banks 1, 2 */
	assert_int_equal(u.ram_bytes, 48 * MIB);
	/* zones of 16, 8, 8 and 16 MiB, all 4 MiB aligned: 12 chunks; the only chunk with a block
	 * at boot is the window's first (the boot loader's MiB, the image, free frames) */
	assert_int_equal(sizeof(struct frame), 8);
	assert_int_equal(u.table_bytes, table_bytes(1, 12));
	assert_int_equal(u.image_bytes, FAKE_IMAGE_SIZE);
	/* everything but the boot loader's MiB, the image and the tables is free */
	assert_int_equal(mm_free_frames(), ram_frames - 256 - MFN(FAKE_IMAGE_SIZE) - MFN(u.table_bytes));
	/* holes and the RAM outside the banks are not covered */
	assert_null(mm_table(MFN(FAKE_RAM_BASE + 24 * MIB)));
	assert_null(mm_table(MFN(FAKE_RAM_BASE + 32 * MIB) - 1));
	assert_non_null(mm_table(MFN(FAKE_RAM_BASE + 32 * MIB)));
	assert_non_null(mm_table(MFN(FAKE_RAM_BASE + 40 * MIB) - 1));
	assert_null(mm_table(MFN(FAKE_RAM_BASE + 40 * MIB)));
	assert_null(mm_frame(MFN(FAKE_RAM_BASE) - 1));
	/* linear: only the window */
	assert_true(mm_frame_linear(MFN(FAKE_RAM_BASE + 16 * MIB) - 1));
	assert_false(mm_frame_linear(MFN(FAKE_RAM_BASE + 16 * MIB)));
	assert_false(mm_frame_linear(MFN(FAKE_RAM_BASE + 48 * MIB)));
}

static void test_owners_after_boot(void **state)
{
	struct mm_usage u;
	uint32_t img = MFN(lay.image_base), end;

	(void)state;
	mm_usage(&u);
	end = MFN(lay.image_end + u.table_bytes);
	assert_int_equal(mm_frame(img - 1)->owner, FRAME_OWNER_NONE);   /* boot loader's */
	assert_int_equal(mm_frame(MFN(FAKE_RAM_BASE))->owner, FRAME_OWNER_NONE);
	assert_int_equal(mm_frame(img)->owner, FRAME_OWNER_HYP);        /* image */
	assert_int_equal(mm_frame(end - 1)->owner, FRAME_OWNER_HYP);    /* last table frame */
	assert_int_equal(mm_frame(end)->owner, FRAME_OWNER_FREE);
	assert_int_equal(mm_frame(MFN(FAKE_RAM_BASE + 16 * MIB))->owner, FRAME_OWNER_FREE);
	assert_int_equal(mm_frame(MFN(FAKE_RAM_BASE + 63 * MIB))->owner, FRAME_OWNER_FREE);
	assert_int_equal(mm_m2p(end), MM_PFN_NONE);
	assert_int_equal(mm_m2p(MFN(FAKE_RAM_BASE + 24 * MIB)), MM_PFN_NONE); /* hole */
}

static void test_tables_must_fit_in_window(void **state)
{
	struct mm_usage u;

	(void)state;
	/* a window that ends inside the first chunk: the zone above it starts inside that
	 * chunk too, so it needs a block at boot as well (two in all) */
	lay.window_size = 2 * MIB;
	assert_int_equal(mm_init(banks, 3, &lay, why, sizeof(why)), 0);
	mm_usage(&u);
	assert_int_equal(u.nr_zones, 4);
	assert_int_equal(u.table_bytes, table_bytes(2, 1 + 6 + 2 + 4));
	/* last fitting: window ends right after the tables */
	lay.window_size = lay.image_end + u.table_bytes - lay.window_base;
	assert_int_equal(mm_init(banks, 3, &lay, why, sizeof(why)), 0);
	lay.window_size -= 4096;
	assert_int_equal(mm_init(banks, 3, &lay, why, sizeof(why)), -VMM_ENOMEM);
	assert_non_null(strstr(why, "frame tables"));
	/* one frame more than the tables: that frame is free, the last of its zone */
	lay.window_size += 2 * 4096;
	assert_int_equal(mm_init(banks, 3, &lay, why, sizeof(why)), 0);
	assert_int_equal(mm_frame(MFN(lay.window_base + lay.window_size) - 1)->owner, FRAME_OWNER_FREE);
	assert_int_equal(mm_frame(MFN(lay.window_base + lay.window_size) - 2)->owner, FRAME_OWNER_HYP);
}

static void test_linear_allocations_stay_in_window(void **state)
{
	static uint32_t taken[4096];
	uint32_t mfn, n = 0, last = 0, pair = 0;

	(void)state;
	while (mm_alloc(0, FRAME_OWNER_HYP, MM_LINEAR, &mfn) == 0) {
		assert_true(mm_frame_linear(mfn));
		assert_true(n < 4096);
		taken[n++] = mfn;
	}
	/* a frame and an aligned pair of frames the domain's first frame outside will need */
	for (uint32_t i = 0; i < n; i++)
		if ((taken[i] & 1u) == 0 && i + 1 < n && taken[i + 1] == taken[i] + 1)
			pair = taken[i];
	last = taken[n - 1] == pair + 1 ? taken[0] : taken[n - 1];
	assert_true(pair != 0 && last != pair && last != pair + 1);
	assert_true(n > 0);
	/* the window is used up, the other zones are still free */
	assert_int_equal(mm_alloc(0, FRAME_OWNER_HYP, MM_LINEAR, &mfn), -VMM_ENOMEM);
	assert_int_equal(mm_free_frames(), (8 + 8 + 16) * 256);
	/* ...but a domain frame there needs its chunk's block of entries (two frames) from the
	 * window, and its first pfn the chunk's m2p page (one): refused, nothing taken */
	assert_int_equal(mm_alloc(0, 3, 0, &mfn), -VMM_ENOMEM);
	assert_int_equal(mm_free_frames(), (8 + 8 + 16) * 256);
	/* one window frame free: a domain frame can be that one (its chunk has its block),
	 * but its pfn then finds no frame for the chunk's m2p page: refused, nothing set */
	assert_int_equal(mm_free(last, 0), 0);
	assert_int_equal(mm_alloc(0, 3, 0, &mfn), 0);
	assert_int_equal(mfn, last);
	assert_int_equal(mm_m2p_set(mfn, 5), -VMM_ENOMEM);
	assert_int_equal(mm_m2p(mfn), MM_PFN_NONE);
	assert_int_equal(mm_free(mfn, 0), 0);
	assert_int_equal(mm_free_frames(), (8 + 8 + 16) * 256 + 1);
	/* three window frames free again: the block takes two, the domain frame comes from
	 * outside and its first pfn's m2p page takes the third */
	assert_int_equal(mm_free(pair, 0), 0);
	assert_int_equal(mm_free(pair + 1, 0), 0);
	assert_int_equal(mm_alloc(0, 3, 0, &mfn), 0);
	assert_false(mm_frame_linear(mfn));
	assert_int_equal(mm_m2p_set(mfn, 5), 0);
	assert_int_equal(mm_m2p(mfn), 5);
	assert_int_equal(mm_frame(last)->owner, FRAME_OWNER_HYP);
	assert_int_equal(mm_frame(pair)->owner, FRAME_OWNER_HYP);
	assert_int_equal(mm_frame(pair + 1)->owner, FRAME_OWNER_HYP);
	assert_int_equal(mm_free_frames(), (8 + 8 + 16) * 256 - 1);
	/* given back: the chunk is one free run again and returns its block */
	assert_int_equal(mm_free(mfn, 0), 0);
	assert_int_equal(mm_frame(pair)->owner, FRAME_OWNER_FREE);
	assert_int_equal(mm_frame(last)->owner, FRAME_OWNER_FREE);
	assert_int_equal(mm_free_frames(), (8 + 8 + 16) * 256 + 3);
}

static void test_domain_allocations_prefer_outside_window(void **state)
{
	uint32_t mfn, outside = (8 + 8 + 16) * 256, i;

	(void)state;
	for (i = 0; i < outside; i++) {
		assert_int_equal(mm_alloc(0, 5, 0, &mfn), 0);
		assert_false(mm_frame_linear(mfn));
	}
	/* then the window */
	assert_int_equal(mm_alloc(0, 5, 0, &mfn), 0);
	assert_true(mm_frame_linear(mfn));
	assert_int_equal(mm_alloc(0, 5, 4, &mfn), -VMM_EINVAL); /* unknown flag */
	assert_int_equal(mm_alloc(0, 5, MM_LINEAR | MM_OUTSIDE, &mfn), -VMM_EINVAL);
	assert_int_equal(mm_alloc(0, 5, MM_OUTSIDE, &mfn), -VMM_ENOMEM); /* outside is used up */
	assert_int_equal(mm_alloc(FRAME_MAX_ORDER + 1, 5, 0, &mfn), -VMM_EINVAL);
}

/*
 * mm_owned_next(): every frame of an owner once, zone by zone (the window
 * zone, then the banks after it), whatever other owners hold in between; a
 * frame freed before the cursor reaches it is not visited; the end is
 * MM_PFN_NONE, again and again.
 */
static void test_owned_next_visits_each_owned_frame(void **state)
{
	uint32_t mine[6], seen[6], cursor = 0, mfn, other, n = 0, i;

	(void)state;
	assert_int_equal(mm_owned_next(7, &cursor), MM_PFN_NONE); /* nothing owned yet */
	assert_int_equal(mm_owned_next(7, &cursor), MM_PFN_NONE);
	for (i = 0; i < 6; i++) {
		assert_int_equal(mm_alloc(0, 7, i < 3 ? MM_LINEAR : MM_OUTSIDE, &mine[i]), 0);
		assert_int_equal(mm_alloc(0, 8, i < 3 ? MM_LINEAR : MM_OUTSIDE, &other), 0);
	}
	cursor = 0;
	while (n < 6 && (mfn = mm_owned_next(7, &cursor)) != MM_PFN_NONE) {
		seen[n++] = mfn;
		if (n == 1)
			assert_int_equal(mm_free(mine[5], 0), 0); /* not reached yet: never visited */
	}
	assert_int_equal(mm_owned_next(7, &cursor), MM_PFN_NONE);
	assert_int_equal(mm_owned_next(7, &cursor), MM_PFN_NONE);
	assert_int_equal(n, 5);
	for (i = 0; i < 5; i++) {
		uint32_t j, found = 0;

		for (j = 0; j < 5; j++)
			found += seen[j] == mine[i];
		assert_int_equal(found, 1);
	}
	/* the window's frames (zone 0) before the others */
	assert_true(mm_frame_linear(seen[0]) && mm_frame_linear(seen[2]) && !mm_frame_linear(seen[3]));
}

static void test_m2p_follows_ownership(void **state)
{
	uint32_t mfn;

	(void)state;
	assert_int_equal(mm_alloc(2, 7, 0, &mfn), 0);
	assert_int_equal(mm_m2p(mfn), MM_PFN_NONE);
	mm_m2p_set(mfn, 40);
	mm_m2p_set(mfn + 3, 43);
	assert_int_equal(mm_m2p(mfn), 40);
	assert_int_equal(mm_m2p(mfn + 3), 43);
	assert_int_equal(mm_free(mfn, 2), 0);
	assert_int_equal(mm_m2p(mfn), MM_PFN_NONE);
	assert_int_equal(mm_m2p(mfn + 3), MM_PFN_NONE);
	/* a refused free leaves m2p alone */
	assert_int_equal(mm_alloc(0, 7, 0, &mfn), 0);
	mm_m2p_set(mfn, 9);
	assert_int_equal(frame_get_ref(mm_table(mfn), mfn, 7), 0);
	assert_int_equal(mm_free(mfn, 0), -VMM_EBUSY);
	assert_int_equal(mm_m2p(mfn), 9);
	assert_int_equal(mm_free(MFN(FAKE_RAM_BASE + 24 * MIB), 0), -VMM_EINVAL); /* hole */
	mm_m2p_set(MFN(FAKE_RAM_BASE + 24 * MIB), 1); /* ignored, no crash */
}

/* m2p chunks: taken for a domain's first pfn in 4 MiB (not for its frames without one, the
 * builder's page tables), counted as tables, never for the hypervisor. (Outside the window,
 * a chunk's first owner also costs its block of entries.) */
static void test_m2p_chunks(void **state)
{
	struct mm_usage u0, u;
	uint32_t a, b, h, t0;

	(void)state;
	mm_usage(&u0);
	assert_int_equal(mm_alloc(0, FRAME_OWNER_HYP, 0, &h), 0);
	mm_m2p_set(h, 5); /* a hypervisor frame keeps no pfn */
	assert_int_equal(mm_m2p(h), MM_PFN_NONE);
	mm_usage(&u);
	assert_false(mm_frame_linear(h));
	t0 = u0.table_bytes + BLOCK; /* h's chunk (outside the window): its block, no m2p chunk */
	assert_int_equal(u.table_bytes, t0);
	assert_int_equal(mm_alloc(0, 7, MM_OUTSIDE, &a), 0);
	assert_int_equal(a >> 10, h >> 10);
	mm_usage(&u);
	assert_int_equal(u.table_bytes, t0); /* no pfn yet: no page */
	assert_int_equal(mm_m2p_set(a, MM_PFN_NONE), 0);
	mm_usage(&u);
	assert_int_equal(u.table_bytes, t0);
	assert_int_equal(mm_m2p_set(a, 3), 0); /* the first pfn takes it */
	mm_usage(&u);
	assert_int_equal(u.table_bytes, t0 + 4096);
	assert_int_equal(u.hyp_bytes, u0.hyp_bytes + 4096); /* h only */
	/* a second frame in the same 4 MiB: no new chunk */
	assert_int_equal(mm_alloc(0, 7, MM_OUTSIDE, &b), 0);
	assert_int_equal(b >> 10, a >> 10);
	mm_usage(&u);
	assert_int_equal(u.table_bytes, t0 + 4096);
	/* first and last entry of a chunk, and its neighbours untouched */
	mm_m2p_set(a & ~1023u, 1);
	mm_m2p_set(a | 1023u, 2);
	assert_int_equal(mm_m2p(a & ~1023u), 1);
	assert_int_equal(mm_m2p(a | 1023u), 2);
	assert_int_equal(mm_m2p((a | 1023u) + 1), MM_PFN_NONE);
	/* freed: no stale pfn; the chunk stays while a holds a frame in it */
	mm_m2p_set(b, 77);
	assert_int_equal(mm_free(b, 0), 0);
	assert_int_equal(mm_m2p(b), MM_PFN_NONE);
	mm_usage(&u);
	assert_int_equal(u.table_bytes, t0 + 4096);
	assert_int_equal(mm_m2p(a & ~1023u), 1);
	/* the last domain frame of the chunk gives its page back, the last frame its block:
	 * everything as before */
	assert_int_equal(mm_free(a, 0), 0);
	assert_int_equal(mm_free(h, 0), 0);
	mm_usage(&u);
	assert_int_equal(u.table_bytes, u0.table_bytes);
	assert_int_equal(u.free_bytes, u0.free_bytes);
	assert_int_equal(mm_m2p(a & ~1023u), MM_PFN_NONE);
	/* a refused free (still referenced) keeps the chunk */
	assert_int_equal(mm_alloc(2, 7, MM_OUTSIDE, &a), 0);
	assert_int_equal(mm_m2p_set(a, 0), 0);
	assert_int_equal(frame_get_ref(mm_table(a + 1), a + 1, 7), 0);
	assert_int_equal(mm_free(a, 2), -VMM_EBUSY);
	mm_usage(&u);
	assert_int_equal(u.table_bytes, t0 + 4096);
}

static void test_scrub_through_temporary_mapping(void **state)
{
	uint32_t mfn;
	uint8_t *p;

	(void)state;
	/* dirty all of bank 2 (outside the window), then take a frame there */
	memset(fake_phys_ptr(FAKE_RAM_BASE + 48 * MIB), 0xa5, 16 * MIB);
	memset(fake_phys_ptr(FAKE_RAM_BASE + 32 * MIB), 0xa5, 8 * MIB);
	memset(fake_phys_ptr(FAKE_RAM_BASE + 16 * MIB), 0xa5, 8 * MIB);
	assert_int_equal(mm_alloc(3, 4, 0, &mfn), 0);
	assert_false(mm_frame_linear(mfn));
	p = fake_phys_ptr(mfn << 12);
	for (uint32_t i = 0; i < 8 * 4096; i++)
		assert_int_equal(p[i], 0);
	assert_int_equal(fake_mmu.temp_maps, 8);
	assert_int_equal(arch_temp_maps_in_use(), 0);
	/* hypervisor tables in the window are reached directly */
	assert_int_equal(mm_alloc(0, FRAME_OWNER_HYP, MM_LINEAR, &mfn), 0);
	assert_int_equal(fake_mmu.temp_maps, 8);
}

static void test_usage_counts_hypervisor_frames(void **state)
{
	struct mm_usage u;
	uint32_t a, b;

	(void)state;
	assert_int_equal(mm_alloc(2, FRAME_OWNER_HYP, MM_LINEAR, &a), 0);
	assert_int_equal(mm_alloc(0, 3, MM_LINEAR, &b), 0);
	mm_usage(&u);
	assert_int_equal(u.hyp_bytes, 16384);
	assert_int_equal(mm_free(a, 2), 0);
	mm_usage(&u);
	assert_int_equal(u.hyp_bytes, 0);
}

static void test_release_payloads_gives_their_pages_back(void **state)
{
	struct mm_usage u;
	uint32_t before = mm_free_frames(), pay = FAKE_RAM_BASE + FAKE_IMAGE_OFFSET + FAKE_PAYLOAD_OFFSET;

	(void)state;
	assert_int_equal(mm_release_payloads(), FAKE_PAYLOAD_SIZE);
	assert_int_equal(mm_free_frames(), before + FAKE_PAYLOAD_SIZE / 4096);
	assert_int_equal(mm_frame(MFN(pay))->owner, FRAME_OWNER_FREE);
	assert_int_equal(mm_frame(MFN(pay + FAKE_PAYLOAD_SIZE) - 1)->owner, FRAME_OWNER_FREE);
	assert_int_equal(mm_frame(MFN(pay) - 1)->owner, FRAME_OWNER_HYP);
	assert_int_equal(mm_frame(MFN(pay + FAKE_PAYLOAD_SIZE))->owner, FRAME_OWNER_HYP);
	mm_usage(&u);
	assert_int_equal(u.image_bytes, FAKE_IMAGE_SIZE - FAKE_PAYLOAD_SIZE);
	assert_int_equal(u.released_bytes, FAKE_PAYLOAD_SIZE);
	assert_int_equal(mm_release_payloads(), 0); /* once */
	assert_int_equal(mm_free_frames(), before + FAKE_PAYLOAD_SIZE / 4096);
}

static void test_payloads_outside_image_are_not_released(void **state)
{
	uint32_t before;

	(void)state;
	lay.payload_end = lay.image_end + 4096; /* one page past the image: refused */
	assert_int_equal(mm_init(banks, 3, &lay, why, sizeof(why)), 0);
	before = mm_free_frames();
	assert_int_equal(mm_release_payloads(), 0);
	assert_int_equal(mm_free_frames(), before);
	lay.payload_end = lay.image_end; /* last accepted */
	lay.payload_base = lay.image_base - 4096; /* but starting before the image */
	assert_int_equal(mm_init(banks, 3, &lay, why, sizeof(why)), 0);
	assert_int_equal(mm_release_payloads(), 0);
	lay.payload_base = lay.image_end - 4096;
	assert_int_equal(mm_init(banks, 3, &lay, why, sizeof(why)), 0);
	assert_int_equal(mm_release_payloads(), 4096);
}

/*
 * 2 GiB in four banks (the most the port layer allows), the window in the
 * first: what is carved at boot is the directories and the one block of the
 * image's chunk, not 8 bytes per frame (4 MiB); the chunks of the banks read
 * free without a block; a hypervisor frame in the window costs nothing more
 * (its chunk keeps its block in its own frames).
 */
static void test_two_gib_in_four_banks(void **state)
{
	static const struct vmm_ram_bank big[] = {
		{ .base = FAKE_RAM_BASE, .size = 64 * MIB },
		{ .base = FAKE_RAM_BASE + 128 * MIB, .size = 448 * MIB },
		{ .base = FAKE_RAM_BASE + 640 * MIB, .size = 512 * MIB },
		{ .base = FAKE_RAM_BASE + 1280 * MIB, .size = 1024 * MIB },
	};
	struct mm_usage u, u2;
	uint32_t mfn;

	(void)state;
	assert_int_equal(mm_init(big, 4, &lay, why, sizeof(why)), 0);
	mm_usage(&u);
	assert_int_equal(u.ram_bytes >> 20, 2048);
	assert_int_equal(u.nr_zones, 5); /* bank 0: the window and above it */
	assert_int_equal(u.table_bytes, table_bytes(1, 512));
	assert_true(u.table_bytes < 32 * 1024);
	assert_int_equal(mm_free_frames(), 2048 * 256 - 256 - MFN(FAKE_IMAGE_SIZE) - MFN(u.table_bytes));
	assert_int_equal(mm_frame(MFN(FAKE_RAM_BASE + 2304 * MIB) - 1)->owner, FRAME_OWNER_FREE);
	assert_null(mm_frame(MFN(FAKE_RAM_BASE + 2304 * MIB)));
	assert_null(mm_frame(MFN(FAKE_RAM_BASE + 128 * MIB) - 1)); /* hole */
	assert_int_equal(mm_frame(MFN(FAKE_RAM_BASE + 128 * MIB))->owner, FRAME_OWNER_FREE);
	assert_false(frame_chunk_has_block(mm_table(MFN(FAKE_RAM_BASE + 1280 * MIB)), MFN(FAKE_RAM_BASE + 1280 * MIB)));
	assert_int_equal(mm_alloc(0, FRAME_OWNER_HYP, MM_LINEAR, &mfn), 0);
	mm_usage(&u2);
	assert_int_equal(u2.table_bytes, u.table_bytes); /* from the image's chunk */
	assert_int_equal(mm_free(mfn, 0), 0);
}

/*
 * A chain of lent blocks: a domain's whole 4 MiB of the window (B, its block
 * lent by the image's chunk) gives back two frames, which become the block
 * lent to a chunk outside the window (A). Freeing A's frame gives A's block
 * back, which makes B one free run, which gives B's block back: everything
 * as before, whatever the order (block_put() runs the chain as a list).
 */
static void test_chain_of_lent_blocks(void **state)
{
	struct mm_usage u0, u;
	uint32_t b, a, o;

	(void)state;
	mm_usage(&u0);
	assert_int_equal(mm_alloc(FRAME_MAX_ORDER, 5, MM_LINEAR, &b), 0);
	assert_true(mm_frame_linear(b));
	mm_usage(&u);
	assert_int_equal(u.table_bytes, u0.table_bytes + BLOCK); /* B's block (no pfn: no m2p chunk) */
	assert_int_equal(mm_m2p_set(b, 0), 0);
	mm_usage(&u);
	assert_int_equal(u.table_bytes, u0.table_bytes + BLOCK + 4096); /* and its m2p chunk */
	assert_int_equal(mm_free(b, 1), 0);
	assert_int_equal(mm_alloc(0, 5, MM_OUTSIDE, &a), 0);
	assert_int_equal(mm_frame(b)->owner, FRAME_OWNER_HYP); /* A's block */
	assert_int_equal(mm_frame(b + 1)->owner, FRAME_OWNER_HYP);
	for (o = 1; o < FRAME_MAX_ORDER; o++)
		assert_int_equal(mm_free(b + (1u << o), o), 0);
	assert_int_equal(mm_frame(b + 2)->owner, FRAME_OWNER_FREE);
	assert_true(frame_chunk_has_block(mm_table(b), b));
	assert_int_equal(mm_free(a, 0), 0);
	assert_false(frame_chunk_has_block(mm_table(b), b));
	assert_false(frame_chunk_has_block(mm_table(a), a));
	mm_usage(&u);
	assert_int_equal(u.table_bytes, u0.table_bytes);
	assert_int_equal(u.free_bytes, u0.free_bytes);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_zones_cover_banks_and_cut_at_window, boot),
		cmocka_unit_test_setup(test_owners_after_boot, boot),
		cmocka_unit_test_setup(test_owned_next_visits_each_owned_frame, boot),
		cmocka_unit_test_setup(test_tables_must_fit_in_window, boot),
		cmocka_unit_test_setup(test_linear_allocations_stay_in_window, boot),
		cmocka_unit_test_setup(test_domain_allocations_prefer_outside_window, boot),
		cmocka_unit_test_setup(test_m2p_follows_ownership, boot),
		cmocka_unit_test_setup(test_m2p_chunks, boot),
		cmocka_unit_test_setup(test_scrub_through_temporary_mapping, boot),
		cmocka_unit_test_setup(test_usage_counts_hypervisor_frames, boot),
		cmocka_unit_test_setup(test_release_payloads_gives_their_pages_back, boot),
		cmocka_unit_test_setup(test_payloads_outside_image_are_not_released, boot),
		cmocka_unit_test_setup(test_two_gib_in_four_banks, boot),
		cmocka_unit_test_setup(test_chain_of_lent_blocks, boot),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
