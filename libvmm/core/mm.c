/*
 * Machine memory zones, frame tables and the machine-to-physical table
 * (see mm.h).
 */
#include "mm.h"

#include <stdbool.h>
#include <string.h>

#include "format.h"
#include "vmm/abi.h"

#define PAGE_SIZE (1u << MM_PAGE_SHIFT)

/*
 * The machine-to-physical table is kept in chunks of one page: 1024 pfns,
 * for the machine frames [k * 1024, (k + 1) * 1024). A chunk exists only
 * while a domain holds a frame with a pfn in it (mm_m2p_set() takes it for
 * the first pfn, mm_free() gives it back with the chunk's last domain
 * frame), so RAM that only the hypervisor uses, or only the domains' page
 * tables and structures outside their pfns (the builder's L1 tables in the
 * linear window), or nobody, costs a directory entry per 4 MiB instead
 * of 4 bytes per frame; at most one page per 4 MiB of RAM, the size of a
 * flat table.
 */
#define M2P_CHUNK_SHIFT 10u
#define M2P_CHUNK_ENTRIES (1u << M2P_CHUNK_SHIFT)

struct m2p_chunk {
	uint32_t *pfn;      /* the page of pfns, or NULL (all MM_PFN_NONE) */
	uint32_t mfn;       /* that page's frame */
	uint32_t users;     /* frames of the chunk's 4 MiB that domains hold */
};

struct mm_zone {
	struct frame_table ft;
	struct m2p_chunk *m2p; /* per chunk of the zone */
	uint32_t chunk0;    /* chunk of the zone's first frame (base_mfn >> M2P_CHUNK_SHIFT) */
	bool linear;        /* inside the hypervisor's linear window */
};

static struct mm_zone zones[MM_ZONES_MAX];
static uint32_t win_base;  /* the linear window: physical base ... */
static uint8_t *win_hv;    /* ... and its hypervisor address */
static unsigned int nr_zones;
static struct mm_usage usage;
static uint32_t payload_base, payload_end;  /* mm_release_payloads(), 0 when done */
/* Window frames the live domains' promises keep for the hypervisor (mm_window_reserve()). */
static uint32_t window_reserved;

void mm_scrub(uint32_t mfn)
{
	void *p = arch_map_frame(mfn);

	/* Frames in the window need no slot. Others: every user maps, copies and
	 * unmaps at once, except one shared-info page per domain (at most
	 * VMM_MAX_DOMAINS slots held), so with 256 slots one is always free. */
	if (p) {
		memset(p, 0, PAGE_SIZE);
		arch_unmap_frame(p);
	}
}

static struct mm_zone *zone_of(uint32_t mfn)
{
	unsigned int i;

	for (i = 0; i < nr_zones; i++)
		if (mfn >= zones[i].ft.base_mfn && mfn - zones[i].ft.base_mfn < zones[i].ft.nr)
			return &zones[i];
	return NULL;
}

struct frame_table *mm_table(uint32_t mfn)
{
	struct mm_zone *z = zone_of(mfn);

	return z ? &z->ft : NULL;
}

struct frame *mm_frame(uint32_t mfn)
{
	struct frame_table *ft = mm_table(mfn);

	return ft ? frame_get(ft, mfn) : NULL;
}

/* The zone whose frame table is ft. */
static struct mm_zone *zone_of_table(const struct frame_table *ft)
{
	return (struct mm_zone *)(void *)((uint8_t *)(uintptr_t)ft - offsetof(struct mm_zone, ft));
}

/*
 * A chunk's block of frame entries (frametable.h): a chunk of the window
 * being split keeps its entries in its own first two frames; any other
 * chunk (a whole 4 MiB run handed to a domain, or a chunk outside the
 * window) borrows two frames of the window, given back when the chunk is
 * wholly free again.
 */
static int block_get(struct frame_table *ft, uint32_t chunk_mfn, int whole, struct frame **block)
{
	uint32_t mfn = chunk_mfn;

	if (whole || !zone_of_table(ft)->linear) {
		unsigned int i;

		for (i = 0; i < nr_zones; i++)
			if (zones[i].linear && frame_alloc(&zones[i].ft, 1, FRAME_OWNER_HYP, &mfn) == 0)
				break;
		if (i == nr_zones)
			return -VMM_ENOMEM;
	}
	*block = arch_phys_to_hv(mfn << MM_PAGE_SHIFT);
	usage.table_bytes += FRAME_CHUNK_BYTES;
	return mfn == chunk_mfn;
}

/*
 * Freeing a lent block can make its own chunk one free run, which gives that
 * chunk's lent block back, and so on: the blocks go on a list (linked through
 * their own first word: they are ours until freed) that the outermost call
 * empties, so the hypervisor stack holds one level whatever the chain.
 */
static struct frame *puts_pending;
static bool putting;

static void block_put(struct frame_table *ft, struct frame *block, int own)
{
	(void)ft;
	if (own) {
		usage.table_bytes -= FRAME_CHUNK_BYTES;
		return;
	}
	*(struct frame **)(void *)block = puts_pending;
	puts_pending = block;
	if (putting)
		return;
	putting = true;
	while (puts_pending) {
		struct frame *b = puts_pending;
		uint32_t mfn = (win_base + (uint32_t)((uint8_t *)b - win_hv)) >> MM_PAGE_SHIFT;
		struct mm_zone *z = zone_of(mfn);

		puts_pending = *(struct frame **)(void *)b;
		if (z && frame_free(&z->ft, mfn, 1) == 0)
			usage.table_bytes -= FRAME_CHUNK_BYTES;
	}
	putting = false;
}

static const struct frame_block_ops block_ops = { .get = block_get, .put = block_put };

int mm_frame_linear(uint32_t mfn)
{
	const struct mm_zone *z = zone_of(mfn);

	return z != NULL && z->linear;
}

/* The m2p chunk holding mfn's entry in zone z, or NULL if it has none yet. */
static struct m2p_chunk *m2p_dir(const struct mm_zone *z, uint32_t mfn)
{
	return &z->m2p[(mfn >> M2P_CHUNK_SHIFT) - z->chunk0];
}

static uint32_t *m2p_chunk(const struct mm_zone *z, uint32_t mfn)
{
	return m2p_dir(z, mfn)->pfn;
}

/* Number of chunks a zone spans. */
static uint32_t zone_chunks(const struct mm_zone *z)
{
	return ((z->ft.base_mfn + z->ft.nr - 1) >> M2P_CHUNK_SHIFT) - (z->ft.base_mfn >> M2P_CHUNK_SHIFT) + 1;
}

static int m2p_chunk_take(struct mm_zone *z, uint32_t mfn);

int mm_m2p_set(uint32_t mfn, uint32_t pfn)
{
	struct mm_zone *z = zone_of(mfn);
	uint32_t *chunk;

	if (!z)
		return 0; /* a hole */
	chunk = m2p_chunk(z, mfn);
	if (!chunk) {
		/* No page: every entry reads MM_PFN_NONE already; only a domain's frame takes
		 * one (a free or a hypervisor frame keeps no pfn: ignored). */
		if (pfn == MM_PFN_NONE || frame_get(&z->ft, mfn)->owner >= FRAME_OWNER_NONE)
			return 0;
		if (m2p_chunk_take(z, mfn) != 0)
			return -VMM_ENOMEM;
		chunk = m2p_chunk(z, mfn);
	}
	chunk[mfn & (M2P_CHUNK_ENTRIES - 1)] = pfn;
	return 0;
}

uint32_t mm_m2p(uint32_t mfn)
{
	const struct mm_zone *z = zone_of(mfn);
	const uint32_t *chunk = z ? m2p_chunk(z, mfn) : NULL;

	return chunk ? chunk[mfn & (M2P_CHUNK_ENTRIES - 1)] : MM_PFN_NONE;
}

/* Marks [mfn, mfn + n) (inside one chunk) as having no pfn, if the chunk exists. */
static void m2p_clear(const struct mm_zone *z, uint32_t mfn, uint32_t n)
{
	uint32_t *chunk = m2p_chunk(z, mfn);

	if (chunk)
		for (uint32_t i = 0; i < n; i++)
			chunk[(mfn + i) & (M2P_CHUNK_ENTRIES - 1)] = MM_PFN_NONE;
}

/* Adds zone [base, end) (physical, page aligned) if it is not empty. */
static void zone_plan(uint64_t base, uint64_t end, bool linear)
{
	if (end <= base)
		return;
	zones[nr_zones].ft.base_mfn = (uint32_t)(base >> MM_PAGE_SHIFT);
	zones[nr_zones].ft.nr = (uint32_t)((end - base) >> MM_PAGE_SHIFT);
	zones[nr_zones].chunk0 = zones[nr_zones].ft.base_mfn >> M2P_CHUNK_SHIFT;
	zones[nr_zones].linear = linear;
	nr_zones++;
}

static uint64_t max64(uint64_t a, uint64_t b) { return a > b ? a : b; }
static uint64_t min64(uint64_t a, uint64_t b) { return a < b ? a : b; }

/* Cuts every bank at the window's edges: below, inside, above. */
static void zones_plan(const struct vmm_ram_bank *ram, unsigned int nr, const struct arch_hv_layout *lay)
{
	uint64_t wb = lay->window_base, we = (uint64_t)lay->window_base + lay->window_size;
	unsigned int i;

	nr_zones = 0;
	for (i = 0; i < nr && i < VMM_MAX_RAM_BANKS; i++) {
		uint64_t b = ram[i].base, e = (uint64_t)ram[i].base + ram[i].size;

		zone_plan(max64(b, wb), min64(e, we), true);
		zone_plan(b, min64(e, wb), false);
		zone_plan(max64(b, we), e, false);
	}
}

static uint32_t zones_frames(void)
{
	uint32_t i, n = 0;

	for (i = 0; i < nr_zones; i++)
		n += zones[i].ft.nr;
	return n;
}

/* Directory bytes mm_init() carves: every zone's frame-table and m2p chunk directories. */
static uint32_t zones_dir_bytes(void)
{
	uint32_t i, n = 0;

	for (i = 0; i < nr_zones; i++)
		n += FRAME_DIR_LEN(zones[i].ft.base_mfn, zones[i].ft.nr) * (uint32_t)sizeof(struct frame_chunk) +
		     zone_chunks(&zones[i]) * (uint32_t)sizeof(struct m2p_chunk);
	return n;
}

/*
 * Where zone_populate() puts the hypervisor's frames [hyp_first, hyp_end)
 * in zone z: *lo, *hi (empty if the zone does not hold them). Below lo,
 * unmanaged; from hi on, free.
 */
static void zone_hyp_range(const struct mm_zone *z, uint32_t hyp_first, uint32_t hyp_end, uint32_t *lo, uint32_t *hi)
{
	uint32_t first = z->ft.base_mfn, end = z->ft.base_mfn + z->ft.nr;

	*lo = hyp_first > first ? hyp_first : first;
	*hi = hyp_end < end ? hyp_end : end;
	if (*lo >= *hi)
		*lo = *hi = first; /* nothing unmanaged, nothing the hypervisor's */
}

/* True if chunk c (its first frame) of zone z needs a block once populated: neither
 * wholly unmanaged (the boot loader's, below the image) nor one whole free run. */
static bool chunk_needs_block(const struct mm_zone *z, uint32_t c, uint32_t hyp_first, uint32_t hyp_end)
{
	uint32_t first = z->ft.base_mfn, end = z->ft.base_mfn + z->ft.nr, lo, hi;
	uint32_t ce = c + FRAME_CHUNK_FRAMES;

	zone_hyp_range(z, hyp_first, hyp_end, &lo, &hi);
	if ((ce < end ? ce : end) <= lo)
		return false;
	return !(c >= first && ce <= end && c >= hi);
}

/* Blocks every zone needs at boot with the hypervisor's frames [hyp_first, hyp_end). */
static uint32_t zones_boot_blocks(uint32_t hyp_first, uint32_t hyp_end)
{
	uint32_t i, c, n = 0;

	for (i = 0; i < nr_zones; i++)
		for (c = zones[i].ft.base_mfn & ~(FRAME_CHUNK_FRAMES - 1); c < zones[i].ft.base_mfn + zones[i].ft.nr;
		     c += FRAME_CHUNK_FRAMES)
			n += chunk_needs_block(&zones[i], c, hyp_first, hyp_end);
	return n;
}

/* Frames [first, end) of a zone: reserved ones to the hypervisor, the rest to the allocator. */
static int zone_populate(struct mm_zone *z, uint32_t hyp_first, uint32_t hyp_end)
{
	uint32_t first = z->ft.base_mfn, end = z->ft.base_mfn + z->ft.nr, lo, hi;
	int rc = 0;

	zone_hyp_range(z, hyp_first, hyp_end, &lo, &hi);
	if (lo >= hi)
		return frame_add_ram(&z->ft, first, z->ft.nr);
	/* Below the image in the window: the boot loader's, left unmanaged. */
	if (hi < end)
		rc = frame_add_ram(&z->ft, hi, end - hi);
	if (rc == 0)
		rc = frame_mark_owned(&z->ft, lo, hi - lo, FRAME_OWNER_HYP);
	return rc;
}

static bool payload_inside_image(const struct arch_hv_layout *lay)
{
	return lay->payload_base >= lay->image_base && lay->payload_base <= lay->payload_end &&
	       lay->payload_end <= lay->image_end;
}

int mm_init(const struct vmm_ram_bank *ram, unsigned int nr, const struct arch_hv_layout *lay,
	    char *why, size_t len)
{
	uint32_t total, bytes, carve, i, c, nblocks = 0, hyp_first = lay->image_base >> MM_PAGE_SHIFT;
	uint8_t *p, *block;

	memset(&usage, 0, sizeof(usage));
	zones_plan(ram, nr, lay);
	total = zones_frames();
	carve = lay->image_end;
	/* The blocks of the chunks that are neither free nor unmanaged once the
	 * image and what is carved here are the hypervisor's: as many as the
	 * carve's own end needs (it only grows, so this settles at once). */
	for (;;) {
		bytes = (nblocks * FRAME_CHUNK_BYTES + zones_dir_bytes() + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
		uint32_t need = zones_boot_blocks(hyp_first, (carve + bytes) >> MM_PAGE_SHIFT);

		if (need <= nblocks)
			break;
		nblocks = need;
	}
	if ((carve & (PAGE_SIZE - 1)) != 0 || (uint64_t)carve + bytes > (uint64_t)lay->window_base + lay->window_size) {
		vmm_snprintf(why, len, "frame tables (%u KiB for %u MiB of RAM) do not fit in the RAM window",
			     (unsigned)(bytes >> 10), (unsigned)(total >> 8));
		return -VMM_ENOMEM;
	}
	win_base = lay->window_base;
	win_hv = arch_phys_to_hv(lay->window_base);
	block = arch_phys_to_hv(carve);
	p = block + nblocks * FRAME_CHUNK_BYTES;
	for (i = 0; i < nr_zones; i++) {
		struct mm_zone *z = &zones[i];
		struct frame_chunk *dir = (struct frame_chunk *)(void *)p;
		int rc;

		p += FRAME_DIR_LEN(z->ft.base_mfn, z->ft.nr) * sizeof(struct frame_chunk);
		z->m2p = (struct m2p_chunk *)(void *)p;
		p += zone_chunks(z) * sizeof(struct m2p_chunk);
		memset(z->m2p, 0, zone_chunks(z) * sizeof(struct m2p_chunk));
		rc = frame_table_init(&z->ft, dir, NULL, z->ft.base_mfn, z->ft.nr, mm_scrub);
		for (c = z->ft.dir_base; rc == 0 && c < z->ft.base_mfn + z->ft.nr; c += FRAME_CHUNK_FRAMES) {
			if (!chunk_needs_block(z, c, hyp_first, (carve + bytes) >> MM_PAGE_SHIFT))
				continue;
			rc = frame_chunk_attach(&z->ft, c > z->ft.base_mfn ? c : z->ft.base_mfn, (struct frame *)(void *)block);
			block += FRAME_CHUNK_BYTES;
		}
		z->ft.blocks = &block_ops;
		if (rc == 0)
			rc = zone_populate(z, hyp_first, (carve + bytes) >> MM_PAGE_SHIFT);
		if (rc != 0) {
			vmm_snprintf(why, len, "RAM zone %u refused by the frame table (%d)", (unsigned)i, rc);
			return rc;
		}
	}
	usage.image_bytes = lay->image_end - lay->image_base;
	payload_base = payload_end = 0;
	if (payload_inside_image(lay)) {
		payload_base = lay->payload_base;
		payload_end = lay->payload_end;
	}
	usage.table_bytes += bytes; /* blocks given since (none, normally) are counted already */
	usage.ram_bytes = total << MM_PAGE_SHIFT;
	usage.nr_zones = nr_zones;
	return 0;
}

/*
 * Gives zone z the m2p chunk covering mfn: a hypervisor page from the
 * linear window (the hypervisor reads and writes it directly), all
 * MM_PFN_NONE. -VMM_ENOMEM if the window has no free frame.
 */
static int m2p_chunk_take(struct mm_zone *z, uint32_t mfn)
{
	struct m2p_chunk *c = m2p_dir(z, mfn);
	uint32_t page, i;

	for (i = 0; i < nr_zones; i++)
		if (zones[i].linear && frame_alloc(&zones[i].ft, 0, FRAME_OWNER_HYP, &page) == 0)
			break;
	if (i == nr_zones)
		return -VMM_ENOMEM;
	c->pfn = arch_phys_to_hv(page << MM_PAGE_SHIFT);
	c->mfn = page;
	memset(c->pfn, 0xFF, PAGE_SIZE); /* MM_PFN_NONE */
	usage.table_bytes += PAGE_SIZE;
	return 0;
}

/* A domain gave back n frames of mfn's chunk: the last one takes the chunk's page with it. */
static void m2p_chunk_put(struct mm_zone *z, uint32_t mfn, uint32_t n)
{
	struct m2p_chunk *c = m2p_dir(z, mfn);
	struct mm_zone *pz;

	if (c->users < n)
		return; /* not reached: every domain frame was counted in zone_alloc() */
	c->users -= n;
	if (c->users != 0 || c->pfn == NULL)
		return;
	pz = zone_of(c->mfn);
	if (pz && frame_free(&pz->ft, c->mfn, 0) == 0) {
		c->pfn = NULL;
		usage.table_bytes -= PAGE_SIZE;
	}
}

static int zone_alloc(struct mm_zone *z, uint32_t order, uint16_t owner, uint32_t *mfn)
{
	int rc = frame_alloc(&z->ft, order, owner, mfn);

	if (rc != 0)
		return rc;
	/* A domain's frames are counted in their chunk (a run never spans two), whose
	 * m2p page comes with the first pfn (mm_m2p_set()). */
	m2p_clear(z, *mfn, 1u << order);
	if (owner == FRAME_OWNER_HYP)
		usage.hyp_bytes += PAGE_SIZE << order;
	else
		m2p_dir(z, *mfn)->users += 1u << order;
	return 0;
}

/* One pass over the zones that are (or are not) linear. */
static int alloc_pass(uint32_t order, uint16_t owner, bool linear, uint32_t *mfn)
{
	unsigned int i;
	int rc = -VMM_ENOMEM;

	for (i = 0; i < nr_zones; i++) {
		if (zones[i].linear != linear)
			continue;
		rc = zone_alloc(&zones[i], order, owner, mfn);
		if (rc != -VMM_ENOMEM)
			return rc;
	}
	return rc;
}

/* Free frames in the zones that are (or are not) linear. */
static uint32_t free_frames_in(bool linear)
{
	uint32_t i, n = 0;

	for (i = 0; i < nr_zones; i++)
		if (zones[i].linear == linear)
			n += zones[i].ft.nr_free;
	return n;
}

uint32_t mm_window_free_frames(void)
{
	return free_frames_in(true);
}

/*
 * A domain's run of 2^order frames may come from the window only if the
 * window keeps the frames reserved for the hypervisor's later needs, or if
 * nothing at all is free outside it: then every free frame is in the window
 * and the promises (core/domain.c) already cover the domain's own share.
 * The hypervisor's own frames always may.
 */
static bool window_allows(uint32_t order, uint16_t owner)
{
	uint32_t free;

	if (owner == FRAME_OWNER_HYP || free_frames_in(false) == 0)
		return true;
	free = mm_window_free_frames();
	return free >= (1u << order) && free - (1u << order) >= window_reserved;
}

static int alloc_window(uint32_t order, uint16_t owner, uint32_t *mfn)
{
	if (!window_allows(order, owner))
		return -VMM_ENOMEM;
	return alloc_pass(order, owner, true, mfn);
}

int mm_alloc(uint32_t order, uint16_t owner, uint32_t flags, uint32_t *mfn)
{
	int rc;

	switch (flags) {
	case MM_LINEAR:
		return alloc_window(order, owner, mfn);
	case MM_OUTSIDE:
		return alloc_pass(order, owner, false, mfn);
	case 0:
		break;
	default:
		return -VMM_EINVAL;
	}
	rc = alloc_pass(order, owner, false, mfn);
	if (rc == -VMM_ENOMEM)
		rc = alloc_window(order, owner, mfn);
	return rc;
}

uint32_t mm_window_reserved(void)
{
	return window_reserved;
}

void mm_window_reserve(uint32_t frames)
{
	window_reserved += frames;
}

void mm_window_unreserve(uint32_t frames)
{
	window_reserved -= frames < window_reserved ? frames : window_reserved;
}

int mm_free(uint32_t mfn, uint32_t order)
{
	struct mm_zone *z = zone_of(mfn);
	uint16_t owner;
	int rc;

	if (!z || order > FRAME_MAX_ORDER)
		return -VMM_EINVAL;
	owner = frame_get(&z->ft, mfn)->owner;
	rc = frame_free(&z->ft, mfn, order);
	if (rc != 0)
		return rc;
	m2p_clear(z, mfn, 1u << order);
	if (owner == FRAME_OWNER_HYP)
		usage.hyp_bytes -= PAGE_SIZE << order;
	else
		m2p_chunk_put(z, mfn, 1u << order);
	return 0;
}

uint32_t mm_release_payloads(void)
{
	uint32_t mfn = (payload_base + PAGE_SIZE - 1) >> MM_PAGE_SHIFT, last = payload_end >> MM_PAGE_SHIFT, n = 0;

	for (; mfn < last; mfn++) {
		struct mm_zone *z = zone_of(mfn);

		if (z && frame_get(&z->ft, mfn)->owner == FRAME_OWNER_HYP &&
		    frame_free(&z->ft, mfn, 0) == 0)
			n++;
	}
	payload_base = payload_end = 0; /* once */
	usage.image_bytes -= n << MM_PAGE_SHIFT;
	usage.released_bytes += n << MM_PAGE_SHIFT;
	return n << MM_PAGE_SHIFT;
}

uint32_t mm_free_frames(void)
{
	uint32_t i, n = 0;

	for (i = 0; i < nr_zones; i++)
		n += zones[i].ft.nr_free;
	return n;
}

void mm_usage(struct mm_usage *u)
{
	*u = usage;
	u->free_bytes = mm_free_frames() << MM_PAGE_SHIFT;
}

/* mm_owned_next()'s cursor: the zone in the top bits, the frame's index in it below. */
#define OWNED_ZONE_SHIFT 20u

uint32_t mm_owned_next(uint16_t owner, uint32_t *cursor)
{
	unsigned int z = *cursor >> OWNED_ZONE_SHIFT;
	uint32_t i = *cursor & ((1u << OWNED_ZONE_SHIFT) - 1);

	for (; z < nr_zones; z++, i = 0)
		for (; i < zones[z].ft.nr; i++) {
			uint32_t mfn = zones[z].ft.base_mfn + i;

			if (!frame_chunk_has_block(&zones[z].ft, mfn)) {
				i = (mfn | (FRAME_CHUNK_FRAMES - 1)) - zones[z].ft.base_mfn; /* its last frame */
			} else if (frame_get(&zones[z].ft, mfn)->owner == owner) {
				*cursor = (z << OWNED_ZONE_SHIFT) + i + 1;
				return mfn;
			}
		}
	*cursor = (uint32_t)nr_zones << OWNED_ZONE_SHIFT;
	return MM_PFN_NONE;
}

