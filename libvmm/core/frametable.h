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
 * The directory (and, for a dense table, the entries) is supplied by the
 * caller; a sparse table takes a block of entries per chunk in use
 * (struct frame_block_ops), so nothing here is sized at compile time. The
 * module is pure C and does no locking: the hypervisor is single-core and
 * runs it with interrupts masked.
 */
#ifndef VMM_CORE_FRAMETABLE_H
#define VMM_CORE_FRAMETABLE_H

#include <stddef.h>
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
 * One machine frame: 8 bytes (0.2% of the RAM in use: see the chunks
 * below). An owned frame keeps its type and two 16-bit counts. A free frame
 * needs neither: on the head of a free run below FRAME_MAX_ORDER the same
 * bytes hold the run's doubly linked list links, as 20-bit frame indices
 * (low 16 bits in u.list, high 4 bits each in list_hi), so no memory
 * beyond the table is needed for the allocator.
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

/*
 * Entries are kept per chunk: the 2^FRAME_MAX_ORDER frames (4 MiB) of the
 * allocator's largest run, aligned on the machine frame number. A chunk
 * whose frames all read alike -- wholly free (one order-10 run) or wholly
 * unmanaged -- needs no entries: its directory entry says which. Any other
 * chunk has a block of 1024 entries (8 KiB), so the table costs memory in
 * proportion to the RAM in use, not to the RAM there is.
 */
#define FRAME_CHUNK_SHIFT FRAME_MAX_ORDER
#define FRAME_CHUNK_FRAMES (1u << FRAME_CHUNK_SHIFT)
#define FRAME_CHUNK_BYTES (FRAME_CHUNK_FRAMES * 8u) /* one block: two frames */

/*
 * One chunk's directory entry (8 bytes on the target: pt_fast.S reads the
 * first word at index k << 3). `neg` is k * FRAME_CHUNK_BYTES minus the
 * block's address (k: the chunk's index in the directory), so that the
 * entry of frame mfn is at (mfn - dir_base) * 8 - neg: one load and one
 * subtraction; 0 when the chunk has no block. The assembly's subtraction
 * borrows exactly when there is a block (any block lies above the 8 MiB
 * a directory spans), which is how it refuses a chunk without one.
 */
struct frame_chunk {
	uintptr_t neg;          /* k * FRAME_CHUNK_BYTES - block address, or 0: no block */
	uint32_t next : 21;     /* listed: the next order-10 run's index, or CHUNK_LINK_NONE */
	uint32_t listed : 1;    /* a free order-10 run, on free_head[FRAME_MAX_ORDER] */
	uint32_t lent : 1;      /* its block came from elsewhere (block_ops->get() returned 0) */
	uint32_t own : 1;       /* its block is its own first two frames (get() returned 1) */
};

/* Directory entries a table over [base_mfn, base_mfn + nr) needs (nr >= 1). */
#define FRAME_DIR_LEN(base_mfn, nr) \
	(((((base_mfn) + (nr)-1u) >> FRAME_CHUNK_SHIFT) - ((base_mfn) >> FRAME_CHUNK_SHIFT)) + 1u)

struct frame_table;

/*
 * Where a sparse table (frame_table_init() without `frames`) gets a block
 * when a chunk without one gets an owner.
 *   get: 8 KiB the hypervisor reaches directly, 8-byte aligned, for the
 *        chunk at chunk_mfn. `whole`: the chunk goes to one owner as one
 *        run (its own frames cannot hold the block). Returns 1 if the block
 *        is the chunk's own first two frames (they become FRAME_OWNER_HYP
 *        until every other frame of the chunk is free again), 0 if it lies
 *        elsewhere, negative if there is none. get() may allocate from any
 *        table, this one included.
 *   put: the chunk is one free run again and gives its block back: `own`,
 *        its own two frames, already free again (for the caller's
 *        accounting); else a block get() lent, for the caller to free.
 */
struct frame_block_ops {
	int (*get)(struct frame_table *ft, uint32_t chunk_mfn, int whole, struct frame **block);
	void (*put)(struct frame_table *ft, struct frame *block, int own);
};

struct frame_table {
	struct frame_chunk *dir;   /* per chunk from dir_base on */
	uint32_t dir_base;         /* base_mfn rounded down to a chunk */
	uint32_t dir_nr;           /* directory entries: FRAME_DIR_LEN(base_mfn, nr) */
	uint32_t base_mfn;         /* first machine frame covered */
	uint32_t nr;               /* frames covered (RAM and holes) */
	uint32_t nr_free;          /* frames in the allocator */
	uint32_t free_head[FRAME_MAX_ORDER + 1]; /* per order: first free run, or FRAME_NONE */
	frame_scrub_fn scrub;      /* called for every frame handed to a new owner */
	const struct frame_block_ops *blocks; /* sparse tables only (NULL: every chunk has a block) */
};

/*
 * Sets up `ft` over machine frames [base_mfn, base_mfn + nr) with the
 * caller's directory `dir` (FRAME_DIR_LEN(base_mfn, nr) entries). With
 * `frames` the table is dense: every chunk's block is part of that array,
 * which starts at the first frame of base_mfn's chunk (frames[i] is machine
 * frame dir_base + i, base_mfn - dir_base + nr entries: the entries below
 * base_mfn read unmanaged, as in a sparse table's blocks). Without it (NULL)
 * the table is sparse: no chunk has a block; give blocks with
 * frame_chunk_attach() or set ft->blocks before RAM is added. Every frame
 * starts unmanaged (FRAME_OWNER_NONE); give RAM to the allocator with
 * frame_add_ram(). -VMM_EINVAL if nr is 0 or above FRAME_TABLE_MAX_NR, dir
 * or scrub is NULL, or the range passes the 4 GiB end.
 */
int frame_table_init(struct frame_table *ft, struct frame_chunk *dir, struct frame *frames,
		     uint32_t base_mfn, uint32_t nr, frame_scrub_fn scrub);

/*
 * Gives the chunk holding mfn (covered, without a block, unmanaged) the
 * block `block` (FRAME_CHUNK_BYTES, 8-byte aligned, kept for good): every
 * entry reads unmanaged. -VMM_EINVAL otherwise.
 */
int frame_chunk_attach(struct frame_table *ft, uint32_t mfn, struct frame *block);

/* True if the chunk holding mfn (covered) has a block. */
int frame_chunk_has_block(const struct frame_table *ft, uint32_t mfn);

/* What a frame of a chunk without a block reads as (read only). */
struct frame *frame_uniform(const struct frame_table *ft, uint32_t mfn);

/*
 * Frame mfn's entry; mfn must be covered (base_mfn <= mfn < base_mfn + nr).
 * O(1): the chunk's directory entry, then the block. A chunk without a
 * block answers with a shared read-only entry (free or unmanaged).
 */
static inline struct frame *frame_entry(const struct frame_table *ft, uint32_t mfn)
{
	uint32_t rel = mfn - ft->dir_base;
	uintptr_t neg = ft->dir[rel >> FRAME_CHUNK_SHIFT].neg;

	if (neg == 0)
		return frame_uniform(ft, mfn);
	return (struct frame *)((uintptr_t)rel * 8u - neg);
}

/*
 * The hot paths' lookup: the entry of frame dir_base + rel (rel below
 * base_mfn - dir_base + nr: frames of the zone's chunks, those outside the
 * zone read unmanaged), or NULL if its chunk has no block (the frame is
 * free or unmanaged: owned by nobody).
 */
static inline struct frame *frame_entry_owned(const struct frame_chunk *dir, uint32_t rel)
{
	uintptr_t neg = dir[rel >> FRAME_CHUNK_SHIFT].neg;

	return neg ? (struct frame *)((uintptr_t)rel * 8u - neg) : NULL;
}

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
 * FRAME_NONE), and the one after index idx (order-10 runs are listed in
 * the directory, smaller ones in their head's entry). */
uint32_t frame_free_first(const struct frame_table *ft, uint32_t order);
uint32_t frame_free_next(const struct frame_table *ft, uint32_t idx);

/* The frame's entry, or NULL if the table does not cover mfn (see frame_entry()). */
static inline struct frame *frame_get(struct frame_table *ft, uint32_t mfn)
{
	return mfn - ft->base_mfn < ft->nr ? frame_entry(ft, mfn) : NULL;
}

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
