/*
 * Machine frame table and buddy allocator (see frametable.h).
 *
 * Free runs are doubly linked through their head frame's entry (per order),
 * so a buddy can be unlinked in O(1) when two runs merge; the links are
 * 20-bit indices packed into bytes a free frame does not use (frametable.h). A run's alignment
 * is on the machine frame number, so the buddy of run `mfn` of order o is
 * mfn ^ 2^o whatever the table's base.
 *
 * Runs of the largest order (a whole chunk) are listed in the directory
 * instead (singly linked: such a run is never some other run's buddy, so
 * it only ever leaves the list from its head), which is what lets a free
 * chunk do without its block. A chunk gets a block when it gets its first
 * owner (frame_alloc(), frame_mark_owned(), or part of it added as RAM)
 * and gives a lent block back when its frames merge into one free run.
 */
#include "frametable.h"

#include <stddef.h>

#include "vmm/abi.h"

/* True if [mfn, mfn + count) lies inside the table (count >= 1). */
static int frame_range_covered(const struct frame_table *ft, uint32_t mfn, uint32_t count)
{
	return mfn >= ft->base_mfn && count <= ft->nr && mfn - ft->base_mfn <= ft->nr - count;
}

/* A free-list link as stored in an entry: 20 bits, all ones for none. */
#define LINK_NONE FRAME_TABLE_MAX_NR
/* A directory link: 21 bits. */
#define CHUNK_LINK_NONE 0x1FFFFFu

static uint32_t link_pack(uint32_t idx)
{
	return idx == FRAME_NONE ? LINK_NONE : idx;
}

static uint32_t link_unpack(uint32_t link)
{
	return link == LINK_NONE ? FRAME_NONE : link;
}

/* What every frame of a chunk without a block reads as. */
static const struct frame uniform_free = {
	.owner = FRAME_OWNER_FREE, .type = FRAME_TYPE_NONE, .free_order = FRAME_NOT_HEAD,
};
static const struct frame uniform_none = {
	.owner = FRAME_OWNER_NONE, .type = FRAME_TYPE_NONE, .free_order = FRAME_NOT_HEAD,
};

static struct frame_chunk *chunk_of(const struct frame_table *ft, uint32_t mfn)
{
	return &ft->dir[(mfn - ft->dir_base) >> FRAME_CHUNK_SHIFT];
}

struct frame *frame_uniform(const struct frame_table *ft, uint32_t mfn)
{
	/* read only: callers write only entries of frames they checked are owned */
	return (struct frame *)(uintptr_t)(chunk_of(ft, mfn)->listed ? &uniform_free : &uniform_none);
}

int frame_chunk_has_block(const struct frame_table *ft, uint32_t mfn)
{
	return chunk_of(ft, mfn)->neg != 0;
}

/* The entry of table index idx. */
static struct frame *ent(const struct frame_table *ft, uint32_t idx)
{
	return frame_entry(ft, ft->base_mfn + idx);
}

/* Machine frame of the first frame of chunk c. */
static uint32_t chunk_mfn(const struct frame_table *ft, const struct frame_chunk *c)
{
	return ft->dir_base + ((uint32_t)(c - ft->dir) << FRAME_CHUNK_SHIFT);
}

/* Points chunk c at `block` (its first entry). */
static void chunk_set_block(struct frame_table *ft, struct frame_chunk *c, struct frame *block)
{
	c->neg = (uintptr_t)(c - ft->dir) * FRAME_CHUNK_BYTES - (uintptr_t)block;
}

/* Fills chunk c's new block: every entry reads as `like`. */
static void chunk_fill(const struct frame_table *ft, struct frame_chunk *c, const struct frame *like)
{
	struct frame *b = frame_entry(ft, chunk_mfn(ft, c));
	uint32_t i;

	for (i = 0; i < FRAME_CHUNK_FRAMES; i++)
		b[i] = *like;
}

static uint32_t run_next(const struct frame *f)
{
	return link_unpack(f->u.list.next | (uint32_t)(f->list_hi & 0xFu) << 16);
}

static uint32_t run_prev(const struct frame *f)
{
	return link_unpack(f->u.list.prev | (uint32_t)(f->list_hi >> 4) << 16);
}

static void run_set_next(struct frame *f, uint32_t idx)
{
	uint32_t l = link_pack(idx);

	f->u.list.next = (uint16_t)l;
	f->list_hi = (uint8_t)((f->list_hi & 0xF0u) | (l >> 16));
}

static void run_set_prev(struct frame *f, uint32_t idx)
{
	uint32_t l = link_pack(idx);

	f->u.list.prev = (uint16_t)l;
	f->list_hi = (uint8_t)((f->list_hi & 0x0Fu) | (l >> 16) << 4);
}

/* Gives a lent block back: chunk c is one free run again (listed). */
static void chunk_release(struct frame_table *ft, struct frame_chunk *c)
{
	struct frame *block;

	if (!c->lent || c->neg == 0 || ft->blocks == NULL)
		return;
	block = frame_entry(ft, chunk_mfn(ft, c));
	c->neg = 0;
	c->lent = 0;
	ft->blocks->put(ft, block, 0); /* last: put() may free into this table */
}

/* Lists a whole free chunk at order 10 (and gives its lent block back). */
static void chunk_link(struct frame_table *ft, uint32_t idx)
{
	struct frame_chunk *c = chunk_of(ft, ft->base_mfn + idx);
	uint32_t head = ft->free_head[FRAME_MAX_ORDER];

	c->next = head == FRAME_NONE ? CHUNK_LINK_NONE : head;
	c->listed = 1;
	ft->free_head[FRAME_MAX_ORDER] = idx;
	chunk_release(ft, c);
}

static void run_link(struct frame_table *ft, uint32_t idx, uint32_t order)
{
	uint32_t head = ft->free_head[order];
	struct frame *f;

	if (order == FRAME_MAX_ORDER) {
		chunk_link(ft, idx);
		return;
	}
	f = ent(ft, idx);
	f->free_order = (uint8_t)order;
	run_set_prev(f, FRAME_NONE);
	run_set_next(f, head);
	if (head != FRAME_NONE)
		run_set_prev(ent(ft, head), idx);
	ft->free_head[order] = idx;
}

/* Unlinks a free run head of an order below FRAME_MAX_ORDER. */
static void run_unlink(struct frame_table *ft, uint32_t idx)
{
	struct frame *f = ent(ft, idx);
	uint32_t next = run_next(f), prev = run_prev(f);

	if (prev != FRAME_NONE)
		run_set_next(ent(ft, prev), next);
	else
		ft->free_head[f->free_order] = next;
	if (next != FRAME_NONE)
		run_set_prev(ent(ft, next), prev);
	f->free_order = FRAME_NOT_HEAD;
}

/* Takes the first order-10 run off its list. */
static struct frame_chunk *chunk_pop(struct frame_table *ft)
{
	struct frame_chunk *c = chunk_of(ft, ft->base_mfn + ft->free_head[FRAME_MAX_ORDER]);

	ft->free_head[FRAME_MAX_ORDER] = c->next == CHUNK_LINK_NONE ? FRAME_NONE : c->next;
	c->listed = 0;
	return c;
}

/* Puts chunk c back at the head of the order-10 list (nothing else changed). */
static void chunk_push(struct frame_table *ft, struct frame_chunk *c)
{
	uint32_t head = ft->free_head[FRAME_MAX_ORDER];

	c->next = head == FRAME_NONE ? CHUNK_LINK_NONE : head;
	c->listed = 1;
	ft->free_head[FRAME_MAX_ORDER] = chunk_mfn(ft, c) - ft->base_mfn;
}

uint32_t frame_free_first(const struct frame_table *ft, uint32_t order)
{
	return order <= FRAME_MAX_ORDER ? ft->free_head[order] : FRAME_NONE;
}

uint32_t frame_free_next(const struct frame_table *ft, uint32_t idx)
{
	const struct frame_chunk *c = chunk_of(ft, ft->base_mfn + idx);

	if (c->listed && chunk_mfn(ft, c) == ft->base_mfn + idx)
		return c->next == CHUNK_LINK_NONE ? FRAME_NONE : c->next;
	return run_next(ent(ft, idx));
}

/* True if the run of `order` (below FRAME_MAX_ORDER) at mfn is a free run head of exactly that order. */
static int run_is_free_head(const struct frame_table *ft, uint32_t mfn, uint32_t order)
{
	const struct frame *f;

	if (!frame_range_covered(ft, mfn, 1u << order))
		return 0;
	f = frame_entry(ft, mfn);
	return f->owner == FRAME_OWNER_FREE && f->free_order == order;
}

/* Puts the already-free frames [mfn, mfn + 2^order) on a list, merging buddies. */
static void run_insert(struct frame_table *ft, uint32_t mfn, uint32_t order)
{
	while (order < FRAME_MAX_ORDER) {
		uint32_t buddy = mfn ^ (1u << order);

		if (!run_is_free_head(ft, buddy, order))
			break;
		run_unlink(ft, buddy - ft->base_mfn);
		mfn &= ~(1u << order);
		order++;
	}
	run_link(ft, mfn - ft->base_mfn, order);
}

int frame_table_init(struct frame_table *ft, struct frame_chunk *dir, struct frame *frames,
		     uint32_t base_mfn, uint32_t nr, frame_scrub_fn scrub)
{
	uint32_t i;

	if (ft == NULL || dir == NULL || scrub == NULL || nr == 0 || nr > FRAME_TABLE_MAX_NR ||
	    base_mfn > 0xFFFFFu || nr - 1 > 0xFFFFFu - base_mfn)
		return -VMM_EINVAL;
	ft->dir = dir;
	ft->dir_base = base_mfn & ~(FRAME_CHUNK_FRAMES - 1);
	ft->dir_nr = FRAME_DIR_LEN(base_mfn, nr);
	ft->base_mfn = base_mfn;
	ft->nr = nr;
	ft->nr_free = 0;
	ft->scrub = scrub;
	ft->blocks = NULL;
	for (i = 0; i <= FRAME_MAX_ORDER; i++)
		ft->free_head[i] = FRAME_NONE;
	for (i = 0; i < ft->dir_nr; i++) {
		dir[i].neg = 0;
		dir[i].next = CHUNK_LINK_NONE;
		dir[i].listed = 0;
		dir[i].lent = 0;
		dir[i].own = 0;
		/* dense: chunk i's block is the part of `frames` from its first frame on */
		if (frames)
			chunk_set_block(ft, &dir[i], frames + i * FRAME_CHUNK_FRAMES);
	}
	for (i = 0; frames && i < base_mfn - ft->dir_base + nr; i++)
		frames[i] = uniform_none;
	return 0;
}

int frame_chunk_attach(struct frame_table *ft, uint32_t mfn, struct frame *block)
{
	struct frame_chunk *c;

	if (block == NULL || ((uintptr_t)block & 7u) != 0 || !frame_range_covered(ft, mfn, 1))
		return -VMM_EINVAL;
	c = chunk_of(ft, mfn);
	if (c->neg != 0 || c->listed)
		return -VMM_EINVAL;
	chunk_set_block(ft, c, block);
	if (c->neg == 0)
		return -VMM_EINVAL; /* not reached: a block lies above the 8 MiB a directory spans */
	chunk_fill(ft, c, &uniform_none);
	return 0;
}

/*
 * Gives chunk c (taken off the lists, or unmanaged) a block from
 * ft->blocks: 1 if it is the chunk's own first frames (the caller lays out
 * the rest), 0 if lent, -VMM_ENOMEM if there is none. Every entry then reads
 * as `like`.
 */
static int chunk_take_block(struct frame_table *ft, struct frame_chunk *c, int whole, const struct frame *like)
{
	struct frame *block;
	int rc;

	if (ft->blocks == NULL)
		return -VMM_ENOMEM;
	rc = ft->blocks->get(ft, chunk_mfn(ft, c), whole, &block);
	if (rc < 0 || block == NULL || ((uintptr_t)block & 7u) != 0)
		return -VMM_ENOMEM;
	chunk_set_block(ft, c, block);
	c->lent = rc == 0;
	c->own = rc == 1;
	chunk_fill(ft, c, like);
	return rc;
}

/* Largest order a run starting at mfn may have with `count` frames left. */
static uint32_t run_order_at(uint32_t mfn, uint32_t count)
{
	uint32_t order = 0;

	while (order < FRAME_MAX_ORDER && (mfn & (1u << order)) == 0 && (2u << order) <= count)
		order++;
	return order;
}

/*
 * True if every frame of [mfn, mfn + count) is covered and unmanaged; then
 * every chunk the range covers only in part has a block (taken if needed:
 * an unmanaged chunk keeps reading unmanaged). False if one is refused, or
 * no block could be had (blocks taken stay: they read alike).
 */
static int frame_range_prepare(struct frame_table *ft, uint32_t mfn, uint32_t count, int whole_ok)
{
	uint32_t i;

	if (count == 0 || !frame_range_covered(ft, mfn, count))
		return 0;
	for (i = 0; i < count; i++)
		if (frame_entry(ft, mfn + i)->owner != FRAME_OWNER_NONE)
			return 0;
	for (i = 0; i < count;) {
		struct frame_chunk *c = chunk_of(ft, mfn + i);
		uint32_t first = chunk_mfn(ft, c), n = first + FRAME_CHUNK_FRAMES - (mfn + i);

		if (n > count - i)
			n = count - i;
		if (c->neg == 0 && !(whole_ok && n == FRAME_CHUNK_FRAMES) &&
		    chunk_take_block(ft, c, 1, &uniform_none) < 0)
			return 0;
		i += n;
	}
	return 1;
}

int frame_add_ram(struct frame_table *ft, uint32_t mfn, uint32_t count)
{
	uint32_t i;

	if (!frame_range_prepare(ft, mfn, count, 1))
		return -VMM_EINVAL;
	for (i = 0; i < count; i++)
		if (frame_chunk_has_block(ft, mfn + i))
			frame_entry(ft, mfn + i)->owner = FRAME_OWNER_FREE;
	ft->nr_free += count;
	while (count) {
		uint32_t order = run_order_at(mfn, count);

		run_insert(ft, mfn, order);
		mfn += 1u << order;
		count -= 1u << order;
	}
	return 0;
}

int frame_mark_owned(struct frame_table *ft, uint32_t mfn, uint32_t count, uint16_t owner)
{
	uint32_t i;

	if (owner == FRAME_OWNER_FREE || owner == FRAME_OWNER_NONE || !frame_range_prepare(ft, mfn, count, 0))
		return -VMM_EINVAL;
	for (i = 0; i < count; i++)
		frame_entry(ft, mfn + i)->owner = owner;
	return 0;
}

/*
 * A free order-10 run, taken off its list, with a block: 0 with *idx set;
 * -VMM_ENOMEM if no run is free or no block could be had (nothing changed);
 * 1 if the block came from the run itself: what is left of it is on the
 * lists again, the caller looks again.
 */
static int chunk_take(struct frame_table *ft, uint32_t order, uint32_t *idx)
{
	struct frame_chunk *c;
	uint32_t o;
	int rc;

	if (ft->free_head[FRAME_MAX_ORDER] == FRAME_NONE)
		return -VMM_ENOMEM;
	*idx = ft->free_head[FRAME_MAX_ORDER];
	c = chunk_pop(ft);
	if (c->neg != 0)
		return 0;
	/* off the list first: get() may allocate from this very table */
	rc = chunk_take_block(ft, c, order == FRAME_MAX_ORDER, &uniform_free);
	if (rc < 0) {
		chunk_push(ft, c);
		return -VMM_ENOMEM;
	}
	if (rc == 0)
		return 0;
	/* the block is the run's first two frames: the hypervisor's; the rest, free again */
	ent(ft, *idx)->owner = FRAME_OWNER_HYP;
	ent(ft, *idx + 1)->owner = FRAME_OWNER_HYP;
	ft->nr_free -= 2;
	for (o = 1; o < FRAME_MAX_ORDER; o++)
		run_link(ft, *idx + (1u << o), o);
	return 1;
}

int frame_alloc(struct frame_table *ft, uint32_t order, uint16_t owner, uint32_t *mfn)
{
	uint32_t o, idx, i;
	int rc;

	if (order > FRAME_MAX_ORDER || owner == FRAME_OWNER_FREE || owner == FRAME_OWNER_NONE)
		return -VMM_EINVAL;
	do {
		for (o = order; o < FRAME_MAX_ORDER && ft->free_head[o] == FRAME_NONE; o++)
			;
		if (o < FRAME_MAX_ORDER) {
			idx = ft->free_head[o];
			run_unlink(ft, idx);
			rc = 0;
		} else {
			rc = chunk_take(ft, order, &idx);
			if (rc < 0)
				return rc;
		}
	} while (rc == 1);
	while (o > order) {
		o--;
		run_link(ft, idx + (1u << o), o);
	}
	for (i = 0; i < (1u << order); i++) {
		struct frame *f = ent(ft, idx + i);

		ft->scrub(ft->base_mfn + idx + i);
		f->owner = owner;
		f->type = FRAME_TYPE_NONE;
		f->free_order = FRAME_NOT_HEAD;
		f->u.use.type_count = 0;
		f->u.use.refcount = 0;
	}
	ft->nr_free -= 1u << order;
	*mfn = ft->base_mfn + idx;
	return 0;
}

/*
 * A chunk whose block is its own first two frames, every other frame of it
 * free (merged, that is runs of order 1 to 9 at offsets 2, 4, ... 512):
 * the block goes, the chunk is one free run again.
 */
static void chunk_reclaim(struct frame_table *ft, uint32_t mfn)
{
	struct frame_chunk *c = chunk_of(ft, mfn);
	uint32_t first = chunk_mfn(ft, c), o;
	struct frame *block;

	if (!c->own)
		return;
	for (o = 1; o < FRAME_MAX_ORDER; o++)
		if (!run_is_free_head(ft, first + (1u << o), o))
			return;
	for (o = 1; o < FRAME_MAX_ORDER; o++)
		run_unlink(ft, first + (1u << o) - ft->base_mfn);
	block = frame_entry(ft, first);
	c->neg = 0;
	c->own = 0;
	ft->nr_free += 2;
	run_link(ft, first - ft->base_mfn, FRAME_MAX_ORDER);
	ft->blocks->put(ft, block, 1);
}

int frame_free(struct frame_table *ft, uint32_t mfn, uint32_t order)
{
	uint32_t i;
	uint16_t owner;

	if (order > FRAME_MAX_ORDER || (mfn & ((1u << order) - 1)) != 0 ||
	    !frame_range_covered(ft, mfn, 1u << order))
		return -VMM_EINVAL;
	/* an aligned run lies in one chunk: a chunk without a block has no owner */
	owner = frame_entry(ft, mfn)->owner;
	if (owner == FRAME_OWNER_FREE || owner == FRAME_OWNER_NONE)
		return -VMM_EINVAL;
	for (i = 0; i < (1u << order); i++) {
		const struct frame *f = frame_entry(ft, mfn + i);

		if (f->owner != owner)
			return -VMM_EINVAL;
		if (f->u.use.type_count != 0 || f->u.use.refcount != 0)
			return -VMM_EBUSY;
	}
	for (i = 0; i < (1u << order); i++) {
		struct frame *f = frame_entry(ft, mfn + i);

		f->owner = FRAME_OWNER_FREE;
		f->type = FRAME_TYPE_NONE;
		f->free_order = FRAME_NOT_HEAD;
	}
	ft->nr_free += 1u << order;
	run_insert(ft, mfn, order);
	chunk_reclaim(ft, mfn);
	return 0;
}

int frame_owned_by(struct frame_table *ft, uint32_t mfn, uint16_t owner)
{
	const struct frame *f = frame_get(ft, mfn);

	return f != NULL && owner != FRAME_OWNER_FREE && owner != FRAME_OWNER_NONE && f->owner == owner;
}

/* Valid types for a typed use. */
static int frame_type_valid(enum frame_type type)
{
	switch (type) {
	case FRAME_TYPE_WRITABLE:
	case FRAME_TYPE_L1:
	case FRAME_TYPE_L2:
		return 1;
	case FRAME_TYPE_NONE:
	default:
		return 0;
	}
}

int frame_get_type(struct frame_table *ft, uint32_t mfn, uint16_t owner, enum frame_type type)
{
	struct frame *f;

	if (!frame_type_valid(type) || !frame_owned_by(ft, mfn, owner))
		return -VMM_EINVAL;
	f = frame_get(ft, mfn);
	if (f->u.use.type_count == 0) {
		f->type = (uint8_t)type;
		f->u.use.type_count = 1;
		return 0;
	}
	if (f->type != type)
		return -VMM_EBUSY;
	if (f->u.use.type_count == FRAME_COUNT_MAX)
		return -VMM_ENOSPC;
	f->u.use.type_count++;
	return 0;
}

int frame_put_type(struct frame_table *ft, uint32_t mfn, enum frame_type type)
{
	struct frame *f = frame_get(ft, mfn);

	if (f == NULL || !frame_type_valid(type) || f->owner == FRAME_OWNER_FREE ||
	    f->owner == FRAME_OWNER_NONE || f->type != type || f->u.use.type_count == 0)
		return -VMM_EINVAL;
	if (--f->u.use.type_count == 0)
		f->type = FRAME_TYPE_NONE;
	return 0;
}

int frame_get_ref(struct frame_table *ft, uint32_t mfn, uint16_t owner)
{
	struct frame *f;

	if (!frame_owned_by(ft, mfn, owner))
		return -VMM_EINVAL;
	f = frame_get(ft, mfn);
	if (f->u.use.refcount == FRAME_COUNT_MAX)
		return -VMM_ENOSPC;
	f->u.use.refcount++;
	return 0;
}

int frame_put_ref(struct frame_table *ft, uint32_t mfn)
{
	struct frame *f = frame_get(ft, mfn);

	if (f == NULL || f->owner == FRAME_OWNER_FREE || f->owner == FRAME_OWNER_NONE ||
	    f->u.use.refcount == 0)
		return -VMM_EINVAL;
	f->u.use.refcount--;
	return 0;
}
