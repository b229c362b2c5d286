/*
 * Machine memory at boot and after: the RAM banks the board describes,
 * split into zones, each with its frame table (frametable.h) and its part of
 * the machine-to-physical table.
 *
 * Zones: each bank is cut at the edges of the hypervisor's linear window, so
 * a zone is either wholly inside the window (the hypervisor reaches its
 * frames directly) or wholly outside (reached through arch_map_frame()'s
 * temporary mappings). Hypervisor data and page tables come from window
 * zones (MM_LINEAR); domain memory prefers the other zones, so that the
 * window stays free for the hypervisor.
 *
 * The frame tables' directories (8 bytes per 4 MiB), the blocks of entries
 * (8 KiB per 4 MiB chunk, frametable.h) of the chunks in use at boot, and
 * the machine-to-physical table's directory (12 bytes per 4 MiB) are sized
 * from the actual RAM and carved from the RAM right after the hypervisor
 * image, not reserved in the image. Other chunks get their blocks from the
 * allocator while their frames have owners (block_get() in mm.c).
 * The machine-to-physical entries themselves live in one-page chunks (1024
 * frames each) taken from the linear window while a domain holds a frame
 * in that chunk's 4 MiB (mm_free() of the last one gives the page back):
 * frames only the hypervisor uses cost no entry. The image and the carved tables are owned by
 * FRAME_OWNER_HYP; the boot loader's first MiB of the window (below the
 * image) stays unmanaged; everything else goes to the allocator.
 *
 * Every change of ownership goes through mm_alloc()/mm_free(), which keep
 * the machine-to-physical table right: a frame not owned by a domain, or not
 * yet given a pseudo-physical number, maps to MM_PFN_NONE.
 */
#ifndef VMM_CORE_MM_H
#define VMM_CORE_MM_H

#include <stddef.h>
#include <stdint.h>

#include "arch.h"
#include "frametable.h"
#include "vmm/port.h"

#define MM_ZONES_MAX (VMM_MAX_RAM_BANKS + 2)  /* the window bank splits in up to three */
#define MM_PFN_NONE  0xFFFFFFFFu
#define MM_PAGE_SHIFT 12u

/* mm_alloc() flags. */
#define MM_LINEAR 0x1u  /* only from the linear window (memory the hypervisor keeps using) */
#define MM_OUTSIDE 0x2u /* only from outside the window (no fallback) */

/* What the hypervisor itself takes, for the boot log and docs/performance.md. */
struct mm_usage {
	uint32_t image_bytes;   /* loaded image: code, data, .bss, boot stack, master table */
	uint32_t table_bytes;   /* frame-table directories and blocks, m2p directory and chunks (carved at boot and taken since) */
	uint32_t hyp_bytes;     /* frames taken since boot by FRAME_OWNER_HYP */
	uint32_t released_bytes; /* image pages given back after boot (mm_release_boot()) */
	uint32_t ram_bytes;     /* RAM in all banks */
	uint32_t free_bytes;    /* in the allocator now */
	unsigned int nr_zones;
};

/*
 * Builds the zones over `nr` checked banks (ram_banks_check()) for the
 * hypervisor at `lay`. 0, or -VMM_ENOMEM with a reason in why[0..len) if
 * the tables do not fit in the linear window after the image.
 */
int mm_init(const struct vmm_ram_bank *ram, unsigned int nr, const struct arch_hv_layout *lay,
	    char *why, size_t len);

/*
 * Takes 2^order scrubbed, naturally aligned frames for `owner` (see
 * frame_alloc()); their machine-to-physical entries read MM_PFN_NONE.
 * Without flags: outside the window first, then inside. 0 with *mfn set,
 * -VMM_EINVAL (bad order/owner/flags) or -VMM_ENOMEM: no free run, or (for
 * a domain) the run's m2p chunk does not exist yet and the window has no
 * free frame for it, or (for a domain) the run would come from the window
 * while frames are free outside it and would leave the window fewer free
 * frames than mm_window_reserve() keeps for the hypervisor (nothing taken
 * either way).
 */
int mm_alloc(uint32_t order, uint16_t owner, uint32_t flags, uint32_t *mfn);

/* Gives a run back (see frame_free()) and forgets its pseudo-physical numbers. */
int mm_free(uint32_t mfn, uint32_t order);

/* The frame table covering mfn, or NULL if mfn is in no bank. */
struct frame_table *mm_table(uint32_t mfn);

/* The frame's entry, or NULL if mfn is in no bank. */
struct frame *mm_frame(uint32_t mfn);

/* Machine-to-physical: set when a domain's pfn gets frame mfn; read.
 * Only frames handed to a domain by mm_alloc() keep a pfn: for any other
 * frame mm_m2p_set() is ignored and mm_m2p() reads MM_PFN_NONE. The first
 * pfn of a 4 MiB chunk takes the chunk's m2p page from the linear window:
 * -VMM_ENOMEM (nothing set) if none is free, else 0. */
int mm_m2p_set(uint32_t mfn, uint32_t pfn);
uint32_t mm_m2p(uint32_t mfn);

/* True if the hypervisor reaches frame mfn without a temporary mapping. */
int mm_frame_linear(uint32_t mfn);

uint32_t mm_free_frames(void);
void mm_usage(struct mm_usage *u);

/*
 * Static partitioning when RAM lies outside the linear window: the
 * hypervisor frames a live domain may still need (event-channel buckets,
 * grant state, m2p pages, frame-table blocks) can only come from the
 * window, so the window keeps that many free frames from the domains' own
 * allocations (see mm_alloc()). domain.c reserves a domain's share with its
 * promise and gives it back at its death.
 */
uint32_t mm_window_free_frames(void);
uint32_t mm_window_reserved(void);
void mm_window_reserve(uint32_t frames);
void mm_window_unreserve(uint32_t frames);

/*
 * Gives the image's guest-payload pages (arch_hv_layout(): whole pages
 * inside the image) to the allocator, once, when no domain will be built
 * any more; they are scrubbed when handed out. Returns the bytes given back
 * (0 on later calls, or if the layout's payload range is not inside the image).
 */
uint32_t mm_release_payloads(void);

/*
 * The next frame owned by `owner`, zone by zone, from *cursor (0: the
 * start); *cursor moves past it. MM_PFN_NONE once there is none. For work
 * done a step at a time (a dead domain's teardown): the cursor outlives
 * changes of the frames, and a frame freed or given away is not visited.
 */
uint32_t mm_owned_next(uint16_t owner, uint32_t *cursor);

/* Scrubs one frame (the frame tables' scrub hook; public for tests). */
void mm_scrub(uint32_t mfn);

#endif /* VMM_CORE_MM_H */
