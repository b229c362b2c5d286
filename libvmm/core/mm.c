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

struct mm_zone {
	struct frame_table ft;
	uint32_t *m2p;      /* per frame of the zone: pfn in its owner, or MM_PFN_NONE */
	bool linear;        /* inside the hypervisor's linear window */
};

static struct mm_zone zones[MM_ZONES_MAX];
static unsigned int nr_zones;
static struct mm_usage usage;
static uint32_t payload_base, payload_end;  /* mm_release_payloads(), 0 when done */

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

int mm_frame_linear(uint32_t mfn)
{
	const struct mm_zone *z = zone_of(mfn);

	return z != NULL && z->linear;
}

void mm_m2p_set(uint32_t mfn, uint32_t pfn)
{
	struct mm_zone *z = zone_of(mfn);

	if (z)
		z->m2p[mfn - z->ft.base_mfn] = pfn;
}

uint32_t mm_m2p(uint32_t mfn)
{
	const struct mm_zone *z = zone_of(mfn);

	return z ? z->m2p[mfn - z->ft.base_mfn] : MM_PFN_NONE;
}

/* Adds zone [base, end) (physical, page aligned) if it is not empty. */
static void zone_plan(uint64_t base, uint64_t end, bool linear)
{
	if (end <= base)
		return;
	zones[nr_zones].ft.base_mfn = (uint32_t)(base >> MM_PAGE_SHIFT);
	zones[nr_zones].ft.nr = (uint32_t)((end - base) >> MM_PAGE_SHIFT);
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

/* Frames [first, end) of a zone: reserved ones to the hypervisor, the rest to the allocator. */
static int zone_populate(struct mm_zone *z, uint32_t hyp_first, uint32_t hyp_end)
{
	uint32_t first = z->ft.base_mfn, end = z->ft.base_mfn + z->ft.nr;
	uint32_t lo = hyp_first > first ? hyp_first : first;
	uint32_t hi = hyp_end < end ? hyp_end : end;
	int rc = 0;

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
	uint32_t total, bytes, carve, i, j;
	uint8_t *p;

	memset(&usage, 0, sizeof(usage));
	zones_plan(ram, nr, lay);
	total = zones_frames();
	bytes = total * (uint32_t)(sizeof(struct frame) + sizeof(uint32_t));
	bytes = (bytes + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	carve = lay->image_end;
	if ((uint64_t)carve + bytes > (uint64_t)lay->window_base + lay->window_size) {
		vmm_snprintf(why, len, "frame tables (%u KiB for %u MiB of RAM) do not fit in the RAM window",
			     (unsigned)(bytes >> 10), (unsigned)(total >> 8));
		return -VMM_ENOMEM;
	}
	p = arch_phys_to_hv(carve);
	for (i = 0; i < nr_zones; i++) {
		struct mm_zone *z = &zones[i];
		struct frame *frames = (struct frame *)(void *)p;
		int rc;

		p += z->ft.nr * sizeof(struct frame);
		z->m2p = (uint32_t *)(void *)p;
		p += z->ft.nr * sizeof(uint32_t);
		for (j = 0; j < z->ft.nr; j++)
			z->m2p[j] = MM_PFN_NONE;
		rc = frame_table_init(&z->ft, frames, z->ft.base_mfn, z->ft.nr, mm_scrub);
		if (rc == 0)
			rc = zone_populate(z, lay->image_base >> MM_PAGE_SHIFT, (carve + bytes) >> MM_PAGE_SHIFT);
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
	usage.table_bytes = bytes;
	usage.ram_bytes = total << MM_PAGE_SHIFT;
	usage.nr_zones = nr_zones;
	return 0;
}

static int zone_alloc(struct mm_zone *z, uint32_t order, uint16_t owner, uint32_t *mfn)
{
	uint32_t i;
	int rc = frame_alloc(&z->ft, order, owner, mfn);

	if (rc != 0)
		return rc;
	for (i = 0; i < (1u << order); i++)
		z->m2p[*mfn - z->ft.base_mfn + i] = MM_PFN_NONE;
	if (owner == FRAME_OWNER_HYP)
		usage.hyp_bytes += PAGE_SIZE << order;
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

int mm_alloc(uint32_t order, uint16_t owner, uint32_t flags, uint32_t *mfn)
{
	int rc;

	switch (flags) {
	case MM_LINEAR:
		return alloc_pass(order, owner, true, mfn);
	case MM_OUTSIDE:
		return alloc_pass(order, owner, false, mfn);
	case 0:
		break;
	default:
		return -VMM_EINVAL;
	}
	rc = alloc_pass(order, owner, false, mfn);
	if (rc == -VMM_ENOMEM)
		rc = alloc_pass(order, owner, true, mfn);
	return rc;
}

int mm_free(uint32_t mfn, uint32_t order)
{
	struct mm_zone *z = zone_of(mfn);
	uint16_t owner;
	uint32_t i;
	int rc;

	if (!z || order > FRAME_MAX_ORDER)
		return -VMM_EINVAL;
	owner = z->ft.frames[mfn - z->ft.base_mfn].owner;
	rc = frame_free(&z->ft, mfn, order);
	if (rc != 0)
		return rc;
	for (i = 0; i < (1u << order); i++)
		z->m2p[mfn - z->ft.base_mfn + i] = MM_PFN_NONE;
	if (owner == FRAME_OWNER_HYP)
		usage.hyp_bytes -= PAGE_SIZE << order;
	return 0;
}

uint32_t mm_release_payloads(void)
{
	uint32_t mfn = (payload_base + PAGE_SIZE - 1) >> MM_PAGE_SHIFT, last = payload_end >> MM_PAGE_SHIFT, n = 0;

	for (; mfn < last; mfn++) {
		struct mm_zone *z = zone_of(mfn);

		if (z && z->ft.frames[mfn - z->ft.base_mfn].owner == FRAME_OWNER_HYP &&
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

void mm_for_each_owned(uint16_t owner, void (*fn)(uint32_t mfn, void *arg), void *arg)
{
	unsigned int z;
	uint32_t i;

	for (z = 0; z < nr_zones; z++)
		for (i = 0; i < zones[z].ft.nr; i++)
			if (zones[z].ft.frames[i].owner == owner)
				fn(zones[z].ft.base_mfn + i, arg);
}
