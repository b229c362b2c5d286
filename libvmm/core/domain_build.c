/*
 * Domain memory and initial page tables (see domain_build.h).
 */
#include "domain_build.h"

#include <stdbool.h>
#include <string.h>

#include "arch.h"
#include "domain.h"
#include "format.h"
#include "mm.h"
#include "p2m.h"
#include "pt_check.h"
#include "pt_ops.h"
#include "time.h"
#include "vmm/abi.h"

#define PAGE_SIZE        (1u << MM_PAGE_SHIFT)
#define PAGES_PER_MIB    256u
#define GUEST_FIRST_MIB  (VMM_GUEST_BASE >> 20)
#define L1_GUEST_ENTRIES (0xE0000000u >> 20)  /* below the hypervisor's half */

static bool pfn_range_valid(const struct domain *d, uint32_t pfn, uint32_t order)
{
	return order <= FRAME_MAX_ORDER && (pfn & ((1u << order) - 1)) == 0 && pfn < d->max_pages &&
	       (1u << order) <= d->max_pages - pfn;
}

static bool pfn_range_unpopulated(const struct domain *d, uint32_t pfn, uint32_t order)
{
	uint32_t i;

	for (i = 0; i < (1u << order); i++)
		if (p2m_lookup(&d->p2m, pfn + i) != MM_PFN_NONE)
			return false;
	return true;
}

static bool reservation_allows(const struct domain *d, uint32_t order)
{
	return (1u << order) <= d->max_pages - d->tot_pages;
}

uint32_t domain_boot_pages(const struct domain *d)
{
	return d->init_pages != 0 && d->init_pages < d->max_pages ? d->init_pages : d->max_pages;
}

uint32_t domain_pfn_to_mfn(const struct domain *d, uint32_t pfn)
{
	if (d->p2m.dir == NULL || pfn >= d->max_pages)
		return MM_PFN_NONE;
	return p2m_lookup(&d->p2m, pfn);
}

static int domain_take_run(struct domain *d, uint32_t pfn, uint32_t order, uint32_t flags)
{
	uint32_t mfn, i;
	int rc;

	if (d->p2m.dir == NULL || !pfn_range_valid(d, pfn, order))
		return -VMM_EINVAL;
	if (!pfn_range_unpopulated(d, pfn, order))
		return -VMM_EBUSY;
	if (!reservation_allows(d, order))
		return -VMM_ENOMEM;
	/* The p2m leaf first (part of a block: the domain's promise kept it),
	 * so that nothing below can fail half-way through the p2m. */
	rc = p2m_prepare(&d->p2m, pfn, 1u << order);
	if (rc != 0)
		return rc;
	rc = mm_alloc(order, (uint16_t)d->id, flags, &mfn);
	if (rc != 0) {
		p2m_settle(&d->p2m, pfn, 1u << order);
		return rc;
	}
	for (i = 0; i < (1u << order); i++) {
		/* Only the first can fail: the run lies in one 4 MiB chunk, whose m2p page it takes. */
		rc = mm_m2p_set(mfn + i, pfn + i);
		if (rc != 0) {
			mm_free(mfn, order);
			p2m_settle(&d->p2m, pfn, 1u << order);
			return rc;
		}
	}
	p2m_set(&d->p2m, pfn, 1u << order, mfn); /* prepared: cannot fail */
	d->tot_pages += 1u << order;
	return 0;
}

int domain_mem_take(struct domain *d, uint32_t pfn, uint32_t order)
{
	return domain_take_run(d, pfn, order, 0);
}

/*
 * Backs one run at pfn: the largest aligned run outside the window, else
 * inside it (the window is the hypervisor's; it gives only what the rest of
 * RAM cannot), halving the run until something is found. *order: in, the
 * largest run wanted; out, the run taken.
 */
static int domain_take_best(struct domain *d, uint32_t pfn, uint32_t *order)
{
	static const uint32_t passes[] = { MM_OUTSIDE, MM_LINEAR };
	unsigned int p;
	uint32_t o;

	for (p = 0; p < sizeof(passes) / sizeof(passes[0]); p++) {
		for (o = *order + 1; o-- > 0;) {
			int rc = domain_take_run(d, pfn, o, passes[p]);

			if (rc == 0) {
				*order = o;
				return 0;
			}
			if (rc != -VMM_ENOMEM || !reservation_allows(d, 0))
				return rc;
		}
	}
	return -VMM_ENOMEM;
}

/* Largest run that starts at pfn, fits the rest and is aligned to its size. */
static uint32_t populate_order(uint32_t pfn, uint32_t left)
{
	uint32_t order = 0;

	while (order < FRAME_MAX_ORDER && (pfn & (1u << order)) == 0 && (2u << order) <= left)
		order++;
	return order;
}

/* The boot pfns, in the largest runs the allocator still has (smaller when it has none). */
static int domain_populate(struct domain *d)
{
	uint32_t pfn = 0, boot = domain_boot_pages(d);

	while (pfn < boot) {
		uint32_t order = populate_order(pfn, boot - pfn);
		int rc = domain_take_best(d, pfn, &order);

		if (rc != 0)
			return rc;
		pfn += 1u << order;
	}
	return 0;
}

/* ----------------------------------------------------------- tables */

struct table_builder {
	struct domain *d;
	uint32_t *l1;          /* hypervisor address of the L1 table */
	uint32_t l2_mfn;       /* frame the next L2 table goes in, or MM_PFN_NONE */
	uint32_t l2_used;      /* L2 tables already in it */
};

/* True if pfns [pfn, pfn + 256) are one 1 MiB aligned machine run. */
static bool mib_is_section(const struct domain *d, uint32_t pfn)
{
	uint32_t i, mfn = p2m_lookup(&d->p2m, pfn);

	if (domain_boot_pages(d) - pfn < PAGES_PER_MIB || (mfn & (PAGES_PER_MIB - 1)) != 0)
		return false;
	for (i = 1; i < PAGES_PER_MIB; i++)
		if (p2m_lookup(&d->p2m, pfn + i) != mfn + i)
			return false;
	return true;
}

/* A writable mapping of a data frame: one type use and one reference. */
static int map_data_frame(struct domain *d, uint32_t mfn)
{
	struct frame_table *ft = mm_table(mfn);
	int rc = frame_get_type(ft, mfn, (uint16_t)d->id, FRAME_TYPE_WRITABLE);

	if (rc == 0) {
		rc = frame_get_ref(ft, mfn, (uint16_t)d->id);
		if (rc != 0)
			frame_put_type(ft, mfn, FRAME_TYPE_WRITABLE);
	}
	return rc;
}

static void unmap_data_frame(uint32_t mfn)
{
	struct frame_table *ft = mm_table(mfn);

	frame_put_ref(ft, mfn);
	frame_put_type(ft, mfn, FRAME_TYPE_WRITABLE);
}

/* An L1 entry with the ARM domain of its index (vmm/mmu.h), as pt_table stores guest entries. */
static uint32_t l1_entry(uint32_t index, uint32_t val)
{
	return pt_l1e_store(val, pt_arm_domain_of(index));
}

static int build_section(struct table_builder *tb, uint32_t mib)
{
	struct domain *d = tb->d;
	uint32_t pfn = mib * PAGES_PER_MIB, mfn = p2m_lookup(&d->p2m, pfn), i;

	for (i = 0; i < PAGES_PER_MIB; i++) {
		int rc = map_data_frame(d, mfn + i);
		if (rc != 0) {
			while (i--)
				unmap_data_frame(mfn + i);
			return rc;
		}
	}
	tb->l1[GUEST_FIRST_MIB + mib] = l1_entry(GUEST_FIRST_MIB + mib, (mfn << MM_PAGE_SHIFT) | DB_SECT_GUEST_RAM);
	return 0;
}

/*
 * Room for one more L2 table: the current frame's next quarter, or a new
 * frame, typed L2 once for its pin. Each L1 entry pointing into the frame
 * adds one more L2 use (the accounting pt_table.h keeps for guest tables).
 */
static int l2_slot(struct table_builder *tb, uint32_t *phys)
{
	struct domain *d = tb->d;
	uint32_t mfn;
	int rc;

	if (tb->l2_mfn == MM_PFN_NONE || tb->l2_used == PAGE_SIZE / DB_L2_BYTES) {
		rc = mm_alloc(0, (uint16_t)d->id, MM_LINEAR, &mfn);
		if (rc != 0)
			return rc;
		d->nr_pt_frames++;
		tb->l2_mfn = mfn;
		tb->l2_used = 0;
		frame_get_type(mm_table(mfn), mfn, (uint16_t)d->id, FRAME_TYPE_L2); /* the pin */
		/* The whole frame, not only the quarters filled below: the guest
		 * may point an L1 entry at any quarter of a pinned L2 frame, and
		 * the walker must see the scrub's zeros there, not the frame's
		 * older contents (cores whose walks skip the L1 data cache). */
		arch_pt_table_sync(arch_phys_to_hv(mfn << MM_PAGE_SHIFT), PAGE_SIZE);
	}
	rc = frame_get_type(mm_table(tb->l2_mfn), tb->l2_mfn, (uint16_t)d->id, FRAME_TYPE_L2);
	if (rc != 0)
		return rc;
	*phys = (tb->l2_mfn << MM_PAGE_SHIFT) + tb->l2_used * DB_L2_BYTES;
	tb->l2_used++;
	return 0;
}

/* Pages of MiB `mib` the domain has at boot (the last MiB may be partial). */
static uint32_t pages_in_mib(const struct domain *d, uint32_t mib)
{
	uint32_t left = domain_boot_pages(d) - mib * PAGES_PER_MIB;

	return left < PAGES_PER_MIB ? left : PAGES_PER_MIB;
}

static int build_l2(struct table_builder *tb, uint32_t mib)
{
	struct domain *d = tb->d;
	uint32_t pfn = mib * PAGES_PER_MIB, phys, i, n;
	uint32_t *l2;
	int rc;

	rc = l2_slot(tb, &phys);
	if (rc != 0)
		return rc;
	/* Set before the entries so that teardown finds the table on any failure. */
	tb->l1[GUEST_FIRST_MIB + mib] = l1_entry(GUEST_FIRST_MIB + mib, phys | DB_L1_COARSE);
	l2 = arch_phys_to_hv(phys);
	n = pages_in_mib(d, mib);
	for (i = 0; i < n; i++) {
		uint32_t mfn = p2m_lookup(&d->p2m, pfn + i);

		rc = map_data_frame(d, mfn);
		if (rc != 0)
			return rc;
		l2[i] = (mfn << MM_PAGE_SHIFT) | DB_L2_GUEST_RAM;
	}
	arch_clean_dcache(l2, DB_L2_BYTES);
	return 0;
}

static int build_tables(struct domain *d)
{
	struct table_builder tb = { .d = d, .l2_mfn = MM_PFN_NONE };
	uint32_t mib, i, nr_mib = (domain_boot_pages(d) + PAGES_PER_MIB - 1) / PAGES_PER_MIB;
	int rc;

	rc = mm_alloc(FRAME_L1_ORDER, (uint16_t)d->id, MM_LINEAR, &d->l1_mfn);
	if (rc != 0) {
		d->l1_mfn = MM_PFN_NONE;
		return rc;
	}
	d->nr_pt_frames += 1u << FRAME_L1_ORDER;
	for (i = 0; i < (1u << FRAME_L1_ORDER); i++)
		frame_get_type(mm_table(d->l1_mfn + i), d->l1_mfn + i, (uint16_t)d->id, FRAME_TYPE_L1);
	tb.l1 = arch_phys_to_hv(d->l1_mfn << MM_PAGE_SHIFT);
	/* Scrubbed by the allocator: the guest half is empty already. */
	arch_mmu_l1_copy_hyp(tb.l1);
	for (mib = 0; mib < nr_mib; mib++) {
		if (mib_is_section(d, mib * PAGES_PER_MIB))
			rc = build_section(&tb, mib);
		else
			rc = build_l2(&tb, mib);
		if (rc != 0)
			return rc;
	}
	arch_clean_dcache(tb.l1, DB_L1_ENTRIES * sizeof(uint32_t));
	return arch_mmu_domain_set(d->slot, d->l1_mfn << MM_PAGE_SHIFT, asid_cache_get(&d->asids, d->l1_mfn));
}

/* ----------------------------------------------------------- teardown */

static void teardown_l2(struct domain *d, uint32_t entry)
{
	uint32_t phys = entry & ~(DB_L2_BYTES - 1), l2_mfn = phys >> MM_PAGE_SHIFT, i;
	uint32_t *l2 = arch_phys_to_hv(phys);
	struct frame_table *ft = mm_table(l2_mfn);
	const struct frame *f;

	for (i = 0; i < DB_L2_ENTRIES; i++) {
		if (l2[i] & DB_L2_SMALL)
			unmap_data_frame(l2[i] >> MM_PAGE_SHIFT);
		l2[i] = 0;
	}
	frame_put_type(ft, l2_mfn, FRAME_TYPE_L2);
	f = frame_get(ft, l2_mfn);
	/* Only the pin left: no other L1 entry points into the frame. */
	if (f->u.use.type_count == 1) {
		frame_put_type(ft, l2_mfn, FRAME_TYPE_L2);
		if (mm_free(l2_mfn, 0) == 0)
			d->nr_pt_frames--;
	}
}

static void teardown_tables(struct domain *d)
{
	uint32_t *l1, e, i;

	if (d->l1_mfn == MM_PFN_NONE)
		return;
	l1 = arch_phys_to_hv(d->l1_mfn << MM_PAGE_SHIFT);
	for (e = 0; e < L1_GUEST_ENTRIES; e++) {
		uint32_t entry = l1[e];

		l1[e] = 0;
		if ((entry & 3u) == DB_L1_SECTION)
			for (i = 0; i < PAGES_PER_MIB; i++)
				unmap_data_frame(((entry & DB_SECT_BASE_MASK) >> MM_PAGE_SHIFT) + i);
		else if ((entry & 3u) == DB_L1_COARSE)
			teardown_l2(d, entry);
	}
	for (i = 0; i < (1u << FRAME_L1_ORDER); i++)
		frame_put_type(mm_table(d->l1_mfn + i), d->l1_mfn + i, FRAME_TYPE_L1);
	if (mm_free(d->l1_mfn, FRAME_L1_ORDER) == 0)
		d->nr_pt_frames -= 1u << FRAME_L1_ORDER;
	d->l1_mfn = MM_PFN_NONE;
}

/* ----------------------------------------------------------- teardown of a live space */

static bool frame_pinned(uint32_t mfn, enum frame_type type)
{
	const struct frame *f = mm_frame(mfn);

	return f && f->type == type && f->u.use.type_count != 0;
}

static void unpin_l1(struct domain *d, uint32_t mfn)
{
	if (mfn % 4 == 0 && frame_pinned(mfn, FRAME_TYPE_L1))
		pt_unpin(&d->pt, mfn);
}

static void unpin_l2(struct domain *d, uint32_t mfn)
{
	if (frame_pinned(mfn, FRAME_TYPE_L2))
		pt_unpin(&d->pt, mfn);
}

/* Frames the domain owns that are no pfn: the builder's tables, wherever the guest moved them. */
static void free_table_frame(struct domain *d, uint32_t mfn)
{
	if (mm_m2p(mfn) == MM_PFN_NONE && mm_free(mfn, 0) == 0 && d->nr_pt_frames)
		d->nr_pt_frames--;
}

/*
 * The steps of a teardown (d->teardown_phase). Once the guest ran, its
 * tables are whatever it made of them (pinned tables in its own frames, the
 * builder's unpinned or moved): unpin every L1 (so no L1 entry holds an L2
 * any more), then every L2, through pt_table, so every count drops to 0;
 * then free the table frames, then the data frames as pfns. A domain that
 * never got that far (half-built) has only the builder's tables.
 */
enum teardown_phase {
	TEARDOWN_START,
	TEARDOWN_UNPIN_L1,     /* d->teardown_cursor: mm_owned_next()'s */
	TEARDOWN_UNPIN_L2,
	TEARDOWN_TABLE_FRAMES,
	TEARDOWN_DATA,         /* d->teardown_cursor: the next pfn */
	TEARDOWN_DONE,
};

static bool teardown_over(uint64_t deadline)
{
	return deadline != UINT64_MAX && time_now() >= deadline;
}

/* One pass of fn over the frames d owns, from the cursor; false if the deadline stopped it. */
static bool teardown_owned(struct domain *d, void (*fn)(struct domain *d, uint32_t mfn), uint64_t deadline)
{
	uint32_t mfn;

	while ((mfn = mm_owned_next((uint16_t)d->id, &d->teardown_cursor)) != MM_PFN_NONE) {
		fn(d, mfn);
		if (teardown_over(deadline))
			return false;
	}
	d->teardown_cursor = 0;
	return true;
}

/* The data frames, pfn by pfn from the cursor, then the p2m's leaves and
 * directory; false if the deadline stopped it. */
static bool teardown_data(struct domain *d, uint64_t deadline)
{
	uint32_t pfn;

	if (d->p2m.dir == NULL)
		return true;
	/* The cursor keeps a later step off the frames already freed; their
	 * entries go a whole block at a time (below). */
	while ((pfn = d->teardown_cursor) < d->max_pages) {
		uint32_t mfn = p2m_lookup(&d->p2m, pfn), first = pfn & ~(P2M_BLOCK_PAGES - 1);
		const struct frame *f = mfn != MM_PFN_NONE ? mm_frame(mfn) : NULL;
		/* Still d's: a frame freed between two steps (a grantee's last
		 * mapping of it gone, glue_orphan_put()) may belong to anyone now. */
		bool freed = f && f->owner == (uint16_t)d->id && mm_free(mfn, 0) == 0;

		d->teardown_cursor++;
		if (freed)
			d->tot_pages--;
		/* A block done: its entries cleared at once (the whole block: no
		 * leaf needed), so none of them names a freed frame any more. */
		if ((d->teardown_cursor & (P2M_BLOCK_PAGES - 1)) == 0 || d->teardown_cursor == d->max_pages)
			p2m_set(&d->p2m, first, d->teardown_cursor - first, MM_PFN_NONE);
		if (freed && teardown_over(deadline))
			return false;
	}
	p2m_destroy(&d->p2m);
	return true;
}

bool domain_mem_teardown_step(struct domain *d, uint64_t deadline)
{
	switch (d->teardown_phase) {
	case TEARDOWN_START:
		if (d->shared) {
			unmap_data_frame(p2m_lookup(&d->p2m, 0)); /* the hold domain_mem_build() took */
			arch_unmap_frame(d->shared);
			d->shared = NULL;
		}
		d->teardown_cursor = 0;
		if (!d->pt.ops) {
			teardown_tables(d); /* only the builder's: bounded by the boot memory */
			d->teardown_phase = TEARDOWN_DATA;
			return domain_mem_teardown_step(d, deadline);
		}
		d->pt.base_mfn = PT_NO_BASE;
		d->teardown_phase = TEARDOWN_UNPIN_L1;
		/* fall through */
	case TEARDOWN_UNPIN_L1:
		if (!teardown_owned(d, unpin_l1, deadline))
			return false;
		d->teardown_phase = TEARDOWN_UNPIN_L2;
		/* fall through */
	case TEARDOWN_UNPIN_L2:
		if (!teardown_owned(d, unpin_l2, deadline))
			return false;
		pt_flush_pending(&d->pt);
		d->teardown_phase = TEARDOWN_TABLE_FRAMES;
		/* fall through */
	case TEARDOWN_TABLE_FRAMES:
		if (!teardown_owned(d, free_table_frame, deadline))
			return false;
		d->l1_mfn = MM_PFN_NONE;
		d->pt.ops = NULL;
		d->teardown_phase = TEARDOWN_DATA;
		/* fall through */
	case TEARDOWN_DATA:
		if (!teardown_data(d, deadline))
			return false;
		d->teardown_phase = TEARDOWN_DONE;
		/* fall through */
	default:
		return true;
	}
}

void domain_mem_teardown(struct domain *d)
{
	while (!domain_mem_teardown_step(d, UINT64_MAX))
		;
}

/* ----------------------------------------------------------- build */

static int build_fail(struct domain *d, int rc, char *why, size_t len, const char *what)
{
	vmm_snprintf(why, len, "%s (%d)", what, rc);
	domain_mem_teardown(d);
	return rc;
}

int domain_mem_build(struct domain *d, uint32_t mem_size, char *why, size_t len)
{
	int rc;

	d->max_pages = mem_size >> MM_PAGE_SHIFT;
	d->tot_pages = 0;
	d->nr_pt_frames = 0;
	d->l1_mfn = MM_PFN_NONE;
	d->shared = NULL;
	d->pt.ops = NULL;
	d->teardown_phase = TEARDOWN_START;
	d->teardown_cursor = 0;
	rc = p2m_init(&d->p2m, d->max_pages);
	if (rc != 0)
		return build_fail(d, rc, why, len, "no hypervisor memory for the p2m directory");
	rc = domain_populate(d);
	if (rc != 0)
		return build_fail(d, rc, why, len, "not enough free RAM");
	rc = build_tables(d);
	if (rc != 0)
		return build_fail(d, rc, why, len, "no memory for page tables");
	/* From here on the tables are the guest's, changed only through pt_table. */
	pt_domain_init(d, d->l1_mfn);
	/*
	 * The hypervisor writes the shared-info frame (pending bits, time) for
	 * the domain's whole life: it holds a writable type use and a reference
	 * of its own, so the guest can never pin the frame as a page table
	 * (event bits it sets itself would become unchecked entries) nor give it
	 * back, whatever it does with its own mappings of pfn 0.
	 */
	rc = map_data_frame(d, p2m_lookup(&d->p2m, 0));
	if (rc != 0)
		return build_fail(d, rc, why, len, "shared info frame cannot be held");
	d->shared = arch_map_frame(p2m_lookup(&d->p2m, 0));
	if (d->shared == NULL) {
		unmap_data_frame(p2m_lookup(&d->p2m, 0));
		return build_fail(d, -VMM_ENOMEM, why, len, "no mapping slot for shared info");
	}
	return 0;
}
