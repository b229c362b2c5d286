/*
 * Machine frame table and buddy allocator (issue 9, layer 1 core).
 *
 * Every 4 KiB machine frame of the RAM the board describes has one entry:
 * its owner (free, hypervisor, or a domain id), its type (none, writable,
 * L1 table, L2 table) with a type count, and a reference count. Free frames
 * are kept in power-of-two, naturally aligned runs (a buddy allocator), so
 * that the 16 KiB aligned, contiguous runs an L1 table needs (order 2) stay
 * available as long as small frames are given back.
 *
 * The table memory is supplied by the caller (sized by the RAM the board
 * has), so nothing here is sized at compile time. The module is pure C and
 * does no locking: the hypervisor is single-core and runs it with
 * interrupts masked. It is not yet wired into the domain builder; mm.c still
 * hands out the boot-time domain blocks.
 */
#ifndef VMM_CORE_FRAMETABLE_H
#define VMM_CORE_FRAMETABLE_H

#include <stdint.h>

/* Owners other than a domain id (domain ids are below 0x7FF0). */
#define FRAME_OWNER_FREE 0xFFFFu /* in the allocator */
#define FRAME_OWNER_HYP  0xFFFEu /* hypervisor memory taken from the allocator */
#define FRAME_OWNER_NONE 0xFFFDu /* not managed: a hole, or the hypervisor image */

/* Largest run the allocator keeps: 2^10 frames = 4 MiB. */
#define FRAME_MAX_ORDER 10u

/* Order of an L1 table run: four contiguous frames, 16 KiB aligned. */
#define FRAME_L1_ORDER 2u

/* Frame types: what the frame is used as right now (type count > 0). */
enum frame_type {
	FRAME_TYPE_NONE = 0,     /* no typed use; type count is 0 */
	FRAME_TYPE_WRITABLE = 1, /* mapped writable by its owner */
	FRAME_TYPE_L1 = 2,       /* part of a pinned/in-use L1 table */
	FRAME_TYPE_L2 = 3,       /* holds in-use L2 tables */
};

/* Marks a frame that is not the head of a free run. */
#define FRAME_NOT_HEAD 0xFFu
/* End of a free list / no frame. */
#define FRAME_NONE 0xFFFFFFFFu

/* Largest count a frame keeps (type count, reference count): 2^16-1. */
#define FRAME_COUNT_MAX 0xFFFFu

/*
 * Most frames one table covers: 2^20-1, so that a frame's index fits the
 * 20-bit free-list links below (2^20-1 itself means "none"). RAM is at
 * most 2 GiB (2^19 frames), split into zones smaller still.
 */
#define FRAME_TABLE_MAX_NR 0xFFFFFu

/*
 * One machine frame: 8 bytes (0.2% of RAM). An owned frame keeps its
 * type and two 16-bit counts. A free frame needs neither: on the head of
 * a free run the same bytes hold the run's doubly linked list links, as
 * 20-bit frame indices (low 16 bits in u.list, high 4 bits each in
 * list_hi), so no memory beyond the table is needed for the allocator.
 */
struct frame {
	uint16_t owner;      /* FRAME_OWNER_* or a domain id */
	union {
		uint8_t type;    /* enum frame_type; FRAME_TYPE_NONE while free */
		uint8_t list_hi; /* free run head: next (bits 0-3), prev (4-7) index bits 16-19 */
	};
	uint8_t free_order;  /* free run head: its order; FRAME_NOT_HEAD otherwise */
	union {
		struct {
			uint16_t type_count; /* uses as `type` (0 = untyped), up to FRAME_COUNT_MAX */
			uint16_t refcount;   /* mappings and other references, up to FRAME_COUNT_MAX */
		} use;               /* valid while owner != FRAME_OWNER_FREE */
		struct {
			uint16_t next;       /* next free run head's index, bits 0-15 */
			uint16_t prev;       /* previous one's */
		} list;              /* valid on a free run head */
	} u;
};
_Static_assert(sizeof(struct frame) == 8, "struct frame is 8 bytes");

/* Clears one frame before it changes owner (the port maps it if needed). */
typedef void (*frame_scrub_fn)(uint32_t mfn);

struct frame_table {
	struct frame *frames;      /* nr entries, frames[i] is machine frame base_mfn + i */
	uint32_t base_mfn;         /* first machine frame covered */
	uint32_t nr;               /* frames covered (RAM and holes) */
	uint32_t nr_free;          /* frames in the allocator */
	uint32_t free_head[FRAME_MAX_ORDER + 1]; /* per order: first free run, or FRAME_NONE */
	frame_scrub_fn scrub;      /* called for every frame handed to a new owner */
};

/*
 * Sets up `ft` over machine frames [base_mfn, base_mfn + nr) using the
 * caller's `frames` array (nr entries). Every frame starts unmanaged
 * (FRAME_OWNER_NONE); give RAM to the allocator with frame_add_ram(). -VMM_EINVAL if nr
 * is 0 or above FRAME_TABLE_MAX_NR, frames or scrub is NULL, or the range
 * passes the 4 GiB end.
 */
int frame_table_init(struct frame_table *ft, struct frame *frames, uint32_t base_mfn,
		     uint32_t nr, frame_scrub_fn scrub);

/*
 * Hands frames [mfn, mfn + count) to the allocator: at boot, one call per
 * RAM bank minus the hypervisor's own memory. Every frame must be covered
 * by the table and still unmanaged: -VMM_EINVAL otherwise
 * (nothing changed).
 */
int frame_add_ram(struct frame_table *ft, uint32_t mfn, uint32_t count);

/*
 * Gives unmanaged frames [mfn, mfn + count) to `owner` without passing them
 * through the allocator: at boot, for the hypervisor image and the tables
 * carved after it (FRAME_OWNER_HYP). They are never scrubbed (they hold the
 * running hypervisor). Same checks as frame_add_ram(), plus -VMM_EINVAL for
 * owner FRAME_OWNER_FREE or FRAME_OWNER_NONE.
 */
int frame_mark_owned(struct frame_table *ft, uint32_t mfn, uint32_t count, uint16_t owner);

/*
 * Takes a free run of 2^order frames aligned to 2^order frames, scrubs
 * every frame and gives it to `owner` (type none, counts 0). 0 with *mfn
 * set; -VMM_EINVAL for order > FRAME_MAX_ORDER or owner FRAME_OWNER_FREE or
 * FRAME_OWNER_NONE;
 * -VMM_ENOMEM if no run is free.
 */
int frame_alloc(struct frame_table *ft, uint32_t order, uint16_t owner, uint32_t *mfn);

/*
 * Gives the run [mfn, mfn + 2^order) back to the allocator and merges it
 * with its free buddies. The run must be aligned, covered, have one owner
 * (not free, not unmanaged) and no frame may be typed or referenced: -VMM_EINVAL for a bad
 * run, -VMM_EBUSY if a frame is still in use (nothing changed either way).
 */
int frame_free(struct frame_table *ft, uint32_t mfn, uint32_t order);

/* Free run heads of `order`, for checks: the first (a table index, or
 * FRAME_NONE), and the one after index idx. */
uint32_t frame_free_first(const struct frame_table *ft, uint32_t order);
uint32_t frame_free_next(const struct frame_table *ft, uint32_t idx);

/* The frame's entry, or NULL if the table does not cover mfn. */
struct frame *frame_get(struct frame_table *ft, uint32_t mfn);

/* True if mfn is covered and owned by `owner` (a domain or FRAME_OWNER_HYP). */
int frame_owned_by(struct frame_table *ft, uint32_t mfn, uint16_t owner);

/*
 * Takes a typed use of a frame owned by `owner`. First use sets the type;
 * later uses must ask for the same type. This is the rule that keeps page
 * tables and writable mappings apart: a frame typed L1/L2 cannot be typed
 * writable and the other way round until its type count drops to 0.
 * -VMM_EINVAL: bad type, not covered or not owned by `owner`; -VMM_EBUSY:
 * typed otherwise; -VMM_ENOSPC: the type count is at FRAME_COUNT_MAX
 * (65535 uses is the most; the 65536th is refused, nothing changed).
 */
int frame_get_type(struct frame_table *ft, uint32_t mfn, uint16_t owner, enum frame_type type);

/* Drops a typed use. -VMM_EINVAL if the frame is not typed `type`. */
int frame_put_type(struct frame_table *ft, uint32_t mfn, enum frame_type type);

/*
 * Takes a reference (a mapping) of a frame owned by `owner`. -VMM_EINVAL if
 * not covered or not owned; -VMM_ENOSPC if the count is at FRAME_COUNT_MAX
 * (65535 references is the most; the 65536th is refused, nothing changed).
 */
int frame_get_ref(struct frame_table *ft, uint32_t mfn, uint16_t owner);

/* Drops a reference. -VMM_EINVAL if none is held or the frame is free. */
int frame_put_ref(struct frame_table *ft, uint32_t mfn);

#endif /* VMM_CORE_FRAMETABLE_H */
