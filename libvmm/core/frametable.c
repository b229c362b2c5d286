/*
 * Machine frame table and buddy allocator (see frametable.h).
 *
 * Free runs are doubly linked through their head frame's entry (per order),
 * so a buddy can be unlinked in O(1) when two runs merge; the links are
 * 20-bit indices packed into bytes a free frame does not use (frametable.h). A run's alignment
 * is on the machine frame number, so the buddy of run `mfn` of order o is
 * mfn ^ 2^o whatever the table's base.
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

static uint32_t link_pack(uint32_t idx)
{
	return idx == FRAME_NONE ? LINK_NONE : idx;
}

static uint32_t link_unpack(uint32_t link)
{
	return link == LINK_NONE ? FRAME_NONE : link;
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

static void run_link(struct frame_table *ft, uint32_t idx, uint32_t order)
{
	struct frame *f = &ft->frames[idx];
	uint32_t head = ft->free_head[order];

	f->free_order = (uint8_t)order;
	run_set_prev(f, FRAME_NONE);
	run_set_next(f, head);
	if (head != FRAME_NONE)
		run_set_prev(&ft->frames[head], idx);
	ft->free_head[order] = idx;
}

static void run_unlink(struct frame_table *ft, uint32_t idx)
{
	struct frame *f = &ft->frames[idx];
	uint32_t next = run_next(f), prev = run_prev(f);

	if (prev != FRAME_NONE)
		run_set_next(&ft->frames[prev], next);
	else
		ft->free_head[f->free_order] = next;
	if (next != FRAME_NONE)
		run_set_prev(&ft->frames[next], prev);
	f->free_order = FRAME_NOT_HEAD;
}

uint32_t frame_free_first(const struct frame_table *ft, uint32_t order)
{
	return order <= FRAME_MAX_ORDER ? ft->free_head[order] : FRAME_NONE;
}

uint32_t frame_free_next(const struct frame_table *ft, uint32_t idx)
{
	return run_next(&ft->frames[idx]);
}

/* True if the run of `order` at mfn is a free run head of exactly that order. */
static int run_is_free_head(const struct frame_table *ft, uint32_t mfn, uint32_t order)
{
	const struct frame *f;

	if (!frame_range_covered(ft, mfn, 1u << order))
		return 0;
	f = &ft->frames[mfn - ft->base_mfn];
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

int frame_table_init(struct frame_table *ft, struct frame *frames, uint32_t base_mfn,
		     uint32_t nr, frame_scrub_fn scrub)
{
	uint32_t i;

	if (ft == NULL || frames == NULL || scrub == NULL || nr == 0 || nr > FRAME_TABLE_MAX_NR ||
	    base_mfn > 0xFFFFFu || nr - 1 > 0xFFFFFu - base_mfn)
		return -VMM_EINVAL;
	ft->frames = frames;
	ft->base_mfn = base_mfn;
	ft->nr = nr;
	ft->nr_free = 0;
	ft->scrub = scrub;
	for (i = 0; i <= FRAME_MAX_ORDER; i++)
		ft->free_head[i] = FRAME_NONE;
	for (i = 0; i < nr; i++) {
		frames[i].owner = FRAME_OWNER_NONE;
		frames[i].type = FRAME_TYPE_NONE;
		frames[i].free_order = FRAME_NOT_HEAD;
		frames[i].u.use.type_count = 0;
		frames[i].u.use.refcount = 0;
	}
	return 0;
}

/* Largest order a run starting at mfn may have with `count` frames left. */
static uint32_t run_order_at(uint32_t mfn, uint32_t count)
{
	uint32_t order = 0;

	while (order < FRAME_MAX_ORDER && (mfn & (1u << order)) == 0 && (2u << order) <= count)
		order++;
	return order;
}

int frame_add_ram(struct frame_table *ft, uint32_t mfn, uint32_t count)
{
	uint32_t i;

	if (count == 0 || !frame_range_covered(ft, mfn, count))
		return -VMM_EINVAL;
	for (i = 0; i < count; i++)
		if (ft->frames[mfn - ft->base_mfn + i].owner != FRAME_OWNER_NONE)
			return -VMM_EINVAL;
	for (i = 0; i < count; i++)
		ft->frames[mfn - ft->base_mfn + i].owner = FRAME_OWNER_FREE;
	ft->nr_free += count;
	while (count) {
		uint32_t order = run_order_at(mfn, count);

		run_insert(ft, mfn, order);
		mfn += 1u << order;
		count -= 1u << order;
	}
	return 0;
}

/* True if every frame of [mfn, mfn + count) is covered and unmanaged. */
static int frame_range_unmanaged(const struct frame_table *ft, uint32_t mfn, uint32_t count)
{
	uint32_t i;

	if (count == 0 || !frame_range_covered(ft, mfn, count))
		return 0;
	for (i = 0; i < count; i++)
		if (ft->frames[mfn - ft->base_mfn + i].owner != FRAME_OWNER_NONE)
			return 0;
	return 1;
}

int frame_mark_owned(struct frame_table *ft, uint32_t mfn, uint32_t count, uint16_t owner)
{
	uint32_t i;

	if (owner == FRAME_OWNER_FREE || owner == FRAME_OWNER_NONE || !frame_range_unmanaged(ft, mfn, count))
		return -VMM_EINVAL;
	for (i = 0; i < count; i++)
		ft->frames[mfn - ft->base_mfn + i].owner = owner;
	return 0;
}

int frame_alloc(struct frame_table *ft, uint32_t order, uint16_t owner, uint32_t *mfn)
{
	uint32_t o, idx, i;

	if (order > FRAME_MAX_ORDER || owner == FRAME_OWNER_FREE || owner == FRAME_OWNER_NONE)
		return -VMM_EINVAL;
	for (o = order; o <= FRAME_MAX_ORDER && ft->free_head[o] == FRAME_NONE; o++)
		;
	if (o > FRAME_MAX_ORDER)
		return -VMM_ENOMEM;
	idx = ft->free_head[o];
	run_unlink(ft, idx);
	while (o > order) {
		o--;
		run_link(ft, idx + (1u << o), o);
	}
	for (i = 0; i < (1u << order); i++) {
		struct frame *f = &ft->frames[idx + i];

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

int frame_free(struct frame_table *ft, uint32_t mfn, uint32_t order)
{
	uint32_t i, idx;
	uint16_t owner;

	if (order > FRAME_MAX_ORDER || (mfn & ((1u << order) - 1)) != 0 ||
	    !frame_range_covered(ft, mfn, 1u << order))
		return -VMM_EINVAL;
	idx = mfn - ft->base_mfn;
	owner = ft->frames[idx].owner;
	if (owner == FRAME_OWNER_FREE || owner == FRAME_OWNER_NONE)
		return -VMM_EINVAL;
	for (i = 0; i < (1u << order); i++) {
		const struct frame *f = &ft->frames[idx + i];

		if (f->owner != owner)
			return -VMM_EINVAL;
		if (f->u.use.type_count != 0 || f->u.use.refcount != 0)
			return -VMM_EBUSY;
	}
	for (i = 0; i < (1u << order); i++) {
		ft->frames[idx + i].owner = FRAME_OWNER_FREE;
		ft->frames[idx + i].type = FRAME_TYPE_NONE;
		ft->frames[idx + i].free_order = FRAME_NOT_HEAD;
	}
	ft->nr_free += 1u << order;
	run_insert(ft, mfn, order);
	return 0;
}

struct frame *frame_get(struct frame_table *ft, uint32_t mfn)
{
	if (!frame_range_covered(ft, mfn, 1))
		return NULL;
	return &ft->frames[mfn - ft->base_mfn];
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
