/*
 * Validated guest page tables: pinning, entry updates and the exact
 * reference/type accounting behind them (issue 9).
 *
 * State lives in the frame table (frametable.h); this module keeps these
 * invariants for every frame f of the domain:
 *   refcount(f)   = number of present section/small-page entries, in the
 *                   domain's pinned tables, that map f;
 *   type WRITABLE count = the same, counting only read/write entries;
 *   type L1       : f is one of the four frames of a pinned L1 (count 1);
 *   type L2 count = 1 (the pin) + number of L1 entries, in pinned L1s,
 *                   pointing at one of the four 1 KiB tables in f.
 * So a frame used as a page table is never mapped writable, and a frame
 * mapped writable never becomes a table; an L2 can be unpinned only when no
 * L1 entry points into it; and unpinning everything returns every count to 0.
 *
 * Table memory and the TLB are reached through struct pt_ops, so the same
 * code runs on the target (linear map, cache cleaning for the walker,
 * ASID-tagged flushes) and in host tests against fake frame memory.
 * Single-core, called with interrupts masked, like the frame table.
 */
#ifndef VMM_CORE_PT_TABLE_H
#define VMM_CORE_PT_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "frametable.h"
#include "pt_check.h"

struct pt_ops {
	/* Reads the 32-bit table entry at machine address maddr (a frame of the domain). */
	uint32_t (*read)(void *ctx, uint32_t maddr);
	/* Writes it; the table walker sees the new value when this returns
	 * (the target cleans the line to the point of unification if the core needs it). */
	void (*write)(void *ctx, uint32_t maddr, uint32_t val);
	/* Discards every TLB entry of the domain's address spaces on this core. */
	void (*flush_all)(void *ctx);
	/* Discards the current address space's TLB entry for va. */
	void (*flush_va)(void *ctx, uint32_t va);
	/* Makes instruction fetches see [maddr, maddr + len) (within one frame of the
	 * domain): D-cache clean to the point of unification, I-cache and branch
	 * predictor invalidation. */
	void (*sync_icache)(void *ctx, uint32_t maddr, uint32_t len);
	/* The hypervisor stored an entry at its linear address hv (pt_space_linear()'s
	 * window): make it visible to the table walker, as write does. */
	void (*sync_entry)(void *ctx, const uint32_t *hv);
	/* The checks just accepted the table(s) in [maddr, maddr + len) (one
	 * frame of the domain), reading them through the cache: make the walker
	 * see exactly what was checked (the target cleans the range to the point
	 * of unification where walks do not look in the L1 data cache, as on the
	 * Cortex-A8; without it the walker could read older, unchecked entries
	 * from the next level, which the guest can plant there). */
	void (*sync_table)(void *ctx, uint32_t maddr, uint32_t len);
	/* Makes the pinned L1 at machine address l1 the domain's translation table. */
	void (*set_base)(void *ctx, uint32_t l1);
	/* Optional (may be NULL): the L1 at machine address l1 was unpinned and is no
	 * longer an address space (the target retires its ASID). */
	void (*forget_base)(void *ctx, uint32_t l1);
	/* Copies from/to the calling domain's memory at guest address va: 0 or -VMM_EFAULT. */
	int (*copy_from)(void *ctx, void *dst, uint32_t va, uint32_t len);
	int (*copy_to)(void *ctx, uint32_t va, const void *src, uint32_t len);
	/* Optional (may be NULL: never): true once the batch hypercall in progress
	 * has used its hypervisor time (VMM_BATCH_BUDGET_NS): mmuext_op and
	 * multicall stop before their next element with -VMM_EAGAIN. */
	bool (*over_budget)(void *ctx);
};

/* base_mfn when the domain has no L1 of its own yet. */
#define PT_NO_BASE 0xFFFFFFFFu

/*
 * The frame table covering machine frame mfn, or NULL if no table does
 * (mm_table() on the target, where every RAM zone has its own table).
 */
typedef struct frame_table *(*pt_table_fn)(uint32_t mfn);

/*
 * What update_va_mapping's fast path reads, kept in one block so that the
 * assembly version (arch/armv7/pt_fast.S) loads it with a single LDM into
 * r3-r12: the order of the fields is that of the registers, do not change
 * it without the assembly (its offset in struct domain is checked at build
 * time). Every field is derived from the state below by pt_table.c
 * (pt_space_init, pt_space_linear, pt_base_adopt and each change of ft_hint).
 */
struct pt_fast {
	uint32_t limit;        /* hv_first if the current L1 is in the linear window, else 0 */
	uint32_t owner_word;   /* first word of a frame of the domain typed writable:
				* owner | FRAME_TYPE_WRITABLE << 16 | FRAME_NOT_HEAD << 24 */
	const uint32_t *l1;    /* base_hv (read only below limit) */
	uint32_t lin_bias;     /* lin_phys + PT_L1_TABLE: an L1 table entry minus this is
				* the window offset of its L2, 0 in the low two bits */
	uint8_t *lin_va;       /* the linear window */
	uint32_t lin_words;    /* lin_size / 4 (0: no window) */
	const struct frame_chunk *dir; /* chunk directory of ft_hint's zone ... */
	uint32_t zone_bias;    /* ... (dir_base << 11) | (the fast read/write form >> 1) ... */
	uint32_t zone_nr;      /* ... frames from dir_base to the zone's end (0: no zone, or one
				* the fast path cannot use) */
	uint32_t ones;         /* 0xFFFFFFFF: the +1 per halfword of USUB16 */
};

/* One domain's page-table state. */
struct pt_space {
	struct pt_fast fast;       /* first: the assembly reaches it at the smallest offset */
	pt_table_fn table;         /* machine frames of every zone */
	struct frame_table *ft_hint; /* table of the last frame looked up (NULL: none yet):
				      * consecutive frames of a section or a table usually
				      * share it, so the lookup runs once per zone change */
	const struct pt_ops *ops;
	void *ctx;                 /* passed to every op */
	const uint32_t *hv_l1;     /* the hypervisor's L1 entries from index hv_first on,
				    * copied into every pinned L1 */
	uint32_t hv_first;         /* first L1 index (VA >> 20) the hypervisor keeps */
	uint16_t owner;            /* frame owner id of the domain */
	bool flush_pending;        /* a mapping was dropped: flush before the guest runs */
	uint32_t base_mfn;         /* first frame of the current L1, or PT_NO_BASE */
	uint32_t *base_hv;         /* the current L1 at its linear address, or NULL */
	uint32_t lin_phys, lin_size; /* machine memory the hypervisor reaches linearly ... */
	uint8_t *lin_va;           /* ... at lin_va (size 0: none; only the slow path then) */
	const char *why;           /* reason of the last refusal (static string) */
	uint32_t why_index;        /* entry index it concerns (pin), else 0 */
	uint32_t domid;            /* for log lines */
	uint32_t *rejections_logged; /* rate-limit counter of its log lines (log.h): &log_budget
				      * after init; point it at the domain's own counter */
	uint32_t log_budget;
	uint32_t max_sections;     /* section entries one L1 may hold (pt_limit_sections()) */
};

/* Sets up `s` (no base, nothing pending). */
void pt_space_init(struct pt_space *s, pt_table_fn table, const struct pt_ops *ops, void *ctx,
		   const uint32_t *hv_l1, uint32_t hv_first, uint16_t owner);

/*
 * At most `max` section entries in any one L1 table of the space, checked at
 * its pin and on every L1 update that adds a section (-VMM_E2BIG). A section
 * takes counts on 256 frames, so without a bound one pin or unpin of an L1
 * aliasing a MiB 3584 times holds the CPU for ~917k frame updates; with it,
 * for about as long as mapping the domain's own memory takes. No limit until
 * set (pt_space_init()).
 */
void pt_limit_sections(struct pt_space *s, uint32_t max);

/*
 * mfn's frame entry (any zone), or NULL if no frame table covers it,
 * looked up through s's zone hint as the page-table code does (the hint
 * moves to mfn's zone): for hot paths elsewhere (guest_access.c).
 * s initialised (pt_space_init()).
 */
struct frame *pt_frame_lookup(struct pt_space *s, uint32_t mfn);

/*
 * Pins the L1 table in frames [mfn, mfn + 4): mfn % 4 != 0: -VMM_EINVAL;
 * a frame not the domain's (or not in the frame table): -VMM_EPERM; already pinned:
 * -VMM_EEXIST; a frame mapped writable or typed otherwise: -VMM_EBUSY; an
 * entry below hv_first refused (pt_check_l1e, ownership, types): its error.
 * All or nothing: on error no count changed and the table is untouched. On
 * success the guest entries get the ARM domain of their index
 * (pt_arm_domain_of()) and entries
 * hv_first..4095 the hypervisor's entries.
 */
int pt_pin_l1(struct pt_space *s, uint32_t mfn);

/* Pins the frame mfn as four L2 tables (all 1024 entries checked); errors as pt_pin_l1. */
int pt_pin_l2(struct pt_space *s, uint32_t mfn);

/*
 * Unpins a pinned L1 (its first frame) or L2 frame and drops every count
 * its entries held. -VMM_EPERM: not the domain's frame; -VMM_EINVAL: not a
 * pinned table (or not an L1's first frame); -VMM_EBUSY: the current L1, or
 * an L2 that L1 entries still point into.
 */
int pt_unpin(struct pt_space *s, uint32_t mfn);

/*
 * Machine memory [phys, phys + size) is at hypervisor address va (the linear
 * window): update_va_mapping's fast path reaches tables there directly.
 */
void pt_space_linear(struct pt_space *s, uint32_t phys, uint32_t size, uint8_t *va);

/* Records the pinned L1 at mfn as current without loading it (the builder already did). */
void pt_base_adopt(struct pt_space *s, uint32_t mfn);

/*
 * update_va_mapping's common case in a few dozen instructions: va's L1
 * entry in the current L1 points at an L2 table in the linear window, the
 * L2 entry is a fault entry, val is a small page of the plain accepted form
 * (normal WBWA memory, nG, read/write or read-only, XN either way) of a
 * frame the domain owns in the zone of the last frame looked up, whose counts allow one more use
 * (a read/write page: a frame typed writable, or untyped with type count 0).
 * Returns true if it did the update (and the INVLPG flush asked for); false
 * with nothing changed otherwise, for the general path to decide. Any
 * update it does is one pt_update_va() accepts with the same result.
 * Reads only s->fast (and s->ops): the C reference of the target's
 * assembly (arch/armv7/pt_fast.S), which does the read/write case.
 */
bool pt_update_va_fast(struct pt_space *s, uint32_t va, uint32_t val, uint32_t flags);

/*
 * mmu_update's common case per request: the entry at maddr is in an L2
 * frame the domain owns and has pinned (in ft_hint's zone), lies in the
 * linear window and is empty, and val passes as for pt_update_va_fast().
 * True if it did the update (nothing to flush: the entry mapped nothing);
 * false with nothing changed otherwise. Any update it does is one
 * pt_update() accepts with the same result.
 */
bool pt_update_fast(struct pt_space *s, uint32_t maddr, uint32_t val);

/* Drops va's TLB entry in the current address space (the assembly fast path's INVLPG). */
void pt_flush_va(struct pt_space *s, uint32_t va);

/* Makes the pinned L1 at mfn current (errors as pt_unpin's first two). */
int pt_set_base(struct pt_space *s, uint32_t mfn);

/*
 * Writes `val` into the entry at machine address maddr (4-byte aligned)
 * of a pinned table: the new entry's counts are taken before the old
 * entry's are dropped. -VMM_EINVAL: misaligned, not in a pinned table, or
 * val refused by pt_check; -VMM_EPERM: not the domain's frame, an L1 entry
 * at or above hv_first, or val maps a frame the domain does not own;
 * -VMM_EBUSY: a writable mapping of a table frame; -VMM_ENOSPC: a count
 * would overflow. Nothing changes on error.
 */
int pt_update(struct pt_space *s, uint32_t maddr, uint32_t val);

/*
 * Writes `val` into the L2 entry for va in the current L1 (pt_update's
 * rules). -VMM_EPERM: va in the hypervisor's region; -VMM_EINVAL: no current
 * L1 or va's L1 entry is not a page-table descriptor.
 */
int pt_update_va(struct pt_space *s, uint32_t va, uint32_t val);

/*
 * Cache maintenance for code the guest wrote at [va, va + len) in the
 * current address space: len 0 -VMM_EINVAL, above VMM_SYNC_ICACHE_MAX
 * -VMM_E2BIG; reaching the hypervisor's region -VMM_EPERM; no current L1
 * -VMM_EINVAL; a page not mapped -VMM_EFAULT (checked for every page
 * before any maintenance is done).
 */
int pt_sync_icache(struct pt_space *s, uint32_t va, uint32_t len);

/*
 * Grant mappings (grant_table.c is the only caller): the one path by which
 * an entry may map a frame the domain does not own. pt_grant_map writes a
 * small-page entry for foreign frame mfn (normal memory, nG, XN, read-only
 * or read/write) at va of the current address space and returns the
 * entry's machine address in *pte; it takes no counts (the grant code holds
 * them). The entry must be empty (-VMM_EBUSY); va's L1 entry must point at
 * an L2 table (-VMM_EINVAL; no current L1 -VMM_EINVAL, va in the
 * hypervisor's region -VMM_EPERM); mfn must not be the domain's own
 * (-VMM_EINVAL). While such an entry exists, pt_update refuses to replace it
 * (-VMM_EPERM) and pt_unpin refuses its L2 (-VMM_EBUSY); unpinning never
 * drops counts for it. pt_grant_unmap clears the entry at *pte if it holds
 * that grant mapping of mfn (-VMM_EINVAL otherwise) and leaves a TLB flush
 * pending.
 */
int pt_grant_map(struct pt_space *s, uint32_t va, uint32_t mfn, bool readonly, uint32_t *pte);
int pt_grant_unmap(struct pt_space *s, uint32_t pte, uint32_t mfn);

/* Flushes the domain's TLB if a mapping was dropped since the last call. */
void pt_flush_pending(struct pt_space *s);

#endif /* VMM_CORE_PT_TABLE_H */
