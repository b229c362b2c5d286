/*
 * Validated guest page tables (see pt_table.h for the invariants).
 *
 * Every change follows one order: check the new value, take its counts
 * (undoing the part taken if one fails), write it, then drop the old
 * value's counts. Taking before dropping keeps a frame's counts above zero
 * when an entry is rewritten with the same frame, and leaves nothing to
 * undo after the write.
 */
#include "pt_table.h"

#include <stddef.h>

#include "cold.h"
#include "vmm/abi.h"
#include "vmm/mmu.h"

/* The small-page form the fast path takes (APX and XN free): see pt_check_l2e. */
#define FAST_SMALL_MASK (~(PT_SMALL_ADDR | PT_SMALL_APX | PT_SMALL_XN))
#define FAST_SMALL_FORM (PT_L2_SMALL | PT_SMALL_MEM_WBWA | (3u << PT_SMALL_AP_SHIFT) | PT_SMALL_NG)

/* First word of a frame (little-endian: owner, type, free_order) for pt_fast.owner_word. */
#define FAST_WORD(owner, type) ((uint32_t)(owner) | (uint32_t)(type) << 16 | (uint32_t)FRAME_NOT_HEAD << 24)

static void fast_limit(struct pt_space *s)
{
	s->fast.limit = s->fast.l1 ? s->hv_first : 0;
}

/*
 * The zone the fast path looks frames up in: ft_hint's. The assembly finds
 * a frame's index from the zone's first chunk with (val >> 1) - zone_bias
 * (dir_base below 2^20: always, 32-bit machine addresses), its chunk's
 * directory entry, then the entry (frame_entry()). Frames between dir_base
 * and base_mfn are in no RAM of the zone: their entries read unmanaged.
 */
static void fast_zone(struct pt_space *s, struct frame_table *ft)
{
	s->ft_hint = ft;
	s->fast.dir = ft ? ft->dir : NULL;
	s->fast.zone_bias = ft ? (ft->dir_base << 11) | (FAST_SMALL_FORM >> 1) : 0;
	s->fast.zone_nr = ft && ((uintptr_t)ft->dir & 7u) == 0 && ft->nr <= FRAME_TABLE_MAX_NR ?
				  ft->base_mfn + ft->nr - ft->dir_base : 0;
}

/* mfn's entry in ft_hint's zone's chunks for the fast paths, as the assembly finds
 * it (frame_entry_owned(), spelled out so that the compiler tests the chunk, not the
 * pointer); false if it is not there or its chunk has no block (no owner). */
static inline bool fast_frame(const struct pt_fast *fp, uint32_t mfn, struct frame **f)
{
	uint32_t rel = mfn - (fp->zone_bias >> 11);
	uintptr_t neg;

	if (rel >= fp->zone_nr)
		return false;
	neg = fp->dir[rel >> FRAME_CHUNK_SHIFT].neg;
	*f = (struct frame *)((uintptr_t)rel * 8u - neg);
	return neg != 0;
}

void pt_space_init(struct pt_space *s, pt_table_fn table, const struct pt_ops *ops, void *ctx,
		   const uint32_t *hv_l1, uint32_t hv_first, uint16_t owner)
{
	s->table = table;
	fast_zone(s, NULL);
	s->fast.owner_word = FAST_WORD(owner, FRAME_TYPE_WRITABLE);
	s->fast.l1 = NULL;
	s->fast.lin_bias = PT_L1_TABLE;
	s->fast.lin_va = NULL;
	s->fast.lin_words = 0;
	s->fast.ones = 0xFFFFFFFFu;
	s->ops = ops;
	s->ctx = ctx;
	s->hv_l1 = hv_l1;
	s->hv_first = hv_first;
	s->owner = owner;
	s->flush_pending = false;
	s->base_mfn = PT_NO_BASE;
	s->base_hv = NULL;
	s->lin_phys = 0;
	s->lin_size = 0;
	s->lin_va = NULL;
	s->why = NULL;
	s->why_index = 0;
	s->domid = owner;
	s->log_budget = 0;
	s->rejections_logged = &s->log_budget;
	s->max_sections = PT_L1_ENTRIES;
	fast_limit(s);
}

VMM_COLD void pt_limit_sections(struct pt_space *s, uint32_t max)
{
	s->max_sections = max;
}

static int fail(struct pt_space *s, int err, const char *why)
{
	s->why = why;
	return err;
}

/*
 * The frame table covering mfn (any zone), or NULL. The last table found is
 * tried first: one compare on the hot path instead of a search over zones.
 */
static inline struct frame_table *ft_of(struct pt_space *s, uint32_t mfn)
{
	struct frame_table *ft = s->ft_hint;

	if (ft && mfn - ft->base_mfn < ft->nr)
		return ft;
	ft = s->table(mfn);
	if (ft)
		fast_zone(s, ft);
	return ft;
}

struct frame *pt_frame_lookup(struct pt_space *s, uint32_t mfn)
{
	struct frame_table *ft = ft_of(s, mfn);

	return ft ? frame_entry(ft, mfn) : NULL;
}

/*
 * The ownership rule, in one place: the frame's entry if the domain may
 * use mfn in its tables, else NULL (not covered by any table included).
 * Granted frames (grant tables, later) are to be accepted here.
 */
static struct frame *own_frame(struct pt_space *s, uint32_t mfn)
{
	struct frame_table *ft = ft_of(s, mfn);

	return ft && frame_owned_by(ft, mfn, s->owner) ? frame_get(ft, mfn) : NULL;
}

static inline bool frame_is_pinned_l1(const struct frame *f)
{
	return f->type == FRAME_TYPE_L1 && f->u.use.type_count != 0;
}

static inline bool frame_is_pinned_l2(const struct frame *f)
{
	return f->type == FRAME_TYPE_L2 && f->u.use.type_count != 0;
}

/* Drops what frames_get() took for frames [mfn, mfn + n). */
static void frames_put(struct pt_space *s, uint32_t mfn, uint32_t n, bool writable)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		if (writable)
			frame_put_type(ft_of(s, mfn + i), mfn + i, FRAME_TYPE_WRITABLE);
		frame_put_ref(ft_of(s, mfn + i), mfn + i);
	}
}

/* A reference on each of n frames, and a writable type use if writable. */
static int frames_get(struct pt_space *s, uint32_t mfn, uint32_t n, bool writable)
{
	uint32_t i;
	int err;

	for (i = 0; i < n; i++)
		if (!own_frame(s, mfn + i))
			return fail(s, -VMM_EPERM, "maps a frame the domain does not own");
	for (i = 0; i < n; i++) {
		if (writable) {
			err = frame_get_type(ft_of(s, mfn + i), mfn + i, s->owner, FRAME_TYPE_WRITABLE);
			if (err) {
				frames_put(s, mfn, i, writable);
				return fail(s, err, err == -VMM_EBUSY ? "writable mapping of a page-table frame"
								    : "type count overflow");
			}
		}
		err = frame_get_ref(ft_of(s, mfn + i), mfn + i, s->owner);
		if (err) {
			if (writable)
				frame_put_type(ft_of(s, mfn + i), mfn + i, FRAME_TYPE_WRITABLE);
			frames_put(s, mfn, i, writable);
			return fail(s, err, "reference count overflow");
		}
	}
	return 0;
}

/* Takes the counts an accepted entry holds. */
static int entry_get(struct pt_space *s, const struct pt_entry_info *e)
{
	struct frame *f;
	int err;

	switch (e->kind) {
	case PT_KIND_FAULT:
		return 0;
	case PT_KIND_SECTION:
	case PT_KIND_PAGE:
		return frames_get(s, e->mfn, e->nr, e->writable);
	case PT_KIND_TABLE:
		f = own_frame(s, e->mfn);
		if (!f)
			return fail(s, -VMM_EPERM, "L2 table in a frame the domain does not own");
		if (!frame_is_pinned_l2(f))
			return fail(s, -VMM_EINVAL, "L2 table not pinned");
		err = frame_get_type(ft_of(s, e->mfn), e->mfn, s->owner, FRAME_TYPE_L2);
		return err ? fail(s, err, "L2 type count overflow") : 0;
	default:
		return fail(s, -VMM_EINVAL, "bad entry kind");
	}
}

/* Drops them again. Anything that mapped a frame may sit in the TLB. */
static void entry_put(struct pt_space *s, const struct pt_entry_info *e)
{
	switch (e->kind) {
	case PT_KIND_SECTION:
	case PT_KIND_PAGE:
		frames_put(s, e->mfn, e->nr, e->writable);
		s->flush_pending = true;
		break;
	case PT_KIND_TABLE:
		frame_put_type(ft_of(s, e->mfn), e->mfn, FRAME_TYPE_L2);
		s->flush_pending = true;
		break;
	case PT_KIND_FAULT:
	default:
		break;
	}
}

static int entry_check(struct pt_space *s, unsigned level, uint32_t val, struct pt_entry_info *e)
{
	return level == 1 ? pt_check_l1e(val, e, &s->why) : pt_check_l2e(val, e, &s->why);
}

/* Checks val and takes its counts. */
static int entry_acquire(struct pt_space *s, unsigned level, uint32_t val, struct pt_entry_info *e)
{
	int err = entry_check(s, level, val, e);

	return err ? err : entry_get(s, e);
}

/*
 * A grant mapping (pt_grant_map): an L2 small page of a frame the domain
 * does not own. Only pt_grant_map writes one and only pt_grant_unmap removes
 * it; its counts belong to the grant-table code, never to this module.
 */
static bool entry_is_grant(struct pt_space *s, unsigned level, uint32_t val)
{
	struct pt_entry_info e;
	const char *why;

	return level == 2 && pt_check_l2e(val, &e, &why) == 0 && e.kind == PT_KIND_PAGE &&
	       !own_frame(s, e.mfn);
}

/* Drops the counts of a value that is in a pinned table (so was accepted). */
static void entry_release(struct pt_space *s, unsigned level, uint32_t val)
{
	struct pt_entry_info e;

	if (entry_is_grant(s, level, val))
		return;
	if (entry_check(s, level, val, &e) == 0)
		entry_put(s, &e);
}

/* Releases entries [0, n) of the table at maddr. */
static void table_release(struct pt_space *s, unsigned level, uint32_t maddr, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		entry_release(s, level, s->ops->read(s->ctx, maddr + 4 * i));
}

/* Checks and takes entries [0, n) of the table at maddr; all or nothing. */
static int table_acquire(struct pt_space *s, unsigned level, uint32_t maddr, uint32_t n)
{
	struct pt_entry_info e;
	uint32_t i;

	for (i = 0; i < n; i++) {
		int err = entry_acquire(s, level, s->ops->read(s->ctx, maddr + 4 * i), &e);
		if (err) {
			table_release(s, level, maddr, i);
			s->why_index = i;
			return err;
		}
	}
	return 0;
}

/* Takes a table type use of frames [mfn, mfn + n); all or nothing. */
static int frames_type(struct pt_space *s, uint32_t mfn, uint32_t n, enum frame_type type)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		int err = frame_get_type(ft_of(s, mfn + i), mfn + i, s->owner, type);
		if (err) {
			while (i--)
				frame_put_type(ft_of(s, mfn + i), mfn + i, type);
			return fail(s, err, "frame is mapped writable or used otherwise");
		}
	}
	return 0;
}

static void frames_untype(struct pt_space *s, uint32_t mfn, uint32_t n, enum frame_type type)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		frame_put_type(ft_of(s, mfn + i), mfn + i, type);
}

static inline uint32_t *lin_ptr(const struct pt_space *s, uint32_t maddr);

/* Section entries (bit 1 set: sections and the refused PXN form) among the
 * guest entries of the L1 at maddr, but the one at index `skip`. */
static VMM_COLD uint32_t l1_sections(struct pt_space *s, uint32_t maddr, uint32_t skip)
{
	uint32_t i, n = 0;

	for (i = 0; i < s->hv_first; i++) {
		const uint32_t *lin = lin_ptr(s, maddr + 4 * i);

		if (i != skip)
			n += ((lin ? *lin : s->ops->read(s->ctx, maddr + 4 * i)) >> 1) & 1u;
	}
	return n;
}

VMM_COLD int pt_pin_l1(struct pt_space *s, uint32_t mfn)
{
	uint32_t i, maddr = mfn << 12;
	int err;

	s->why_index = 0;
	if (mfn % PT_L1_FRAMES != 0)
		return fail(s, -VMM_EINVAL, "L1 table not 16 KiB aligned");
	for (i = 0; i < PT_L1_FRAMES; i++)
		if (!own_frame(s, mfn + i))
			return fail(s, -VMM_EPERM, "L1 table in a frame the domain does not own");
	if (frame_is_pinned_l1(frame_get(ft_of(s, mfn), mfn)))
		return fail(s, -VMM_EEXIST, "L1 table already pinned");
	if (l1_sections(s, maddr, PT_L1_ENTRIES) > s->max_sections)
		return fail(s, -VMM_E2BIG, "L1 table holds more sections than the domain's limit");
	err = frames_type(s, mfn, PT_L1_FRAMES, FRAME_TYPE_L1);
	if (err)
		return err;
	err = table_acquire(s, 1, maddr, s->hv_first);
	if (err) {
		frames_untype(s, mfn, PT_L1_FRAMES, FRAME_TYPE_L1);
		return err;
	}
	/* Only now that nothing can fail: the domain field, then the hypervisor's half. */
	for (i = 0; i < s->hv_first; i++) {
		uint32_t val = s->ops->read(s->ctx, maddr + 4 * i);
		uint32_t store = pt_l1e_store(val, pt_arm_domain_of(i));

		if (store != val)
			s->ops->write(s->ctx, maddr + 4 * i, store);
	}
	for (i = s->hv_first; i < PT_L1_ENTRIES; i++)
		s->ops->write(s->ctx, maddr + 4 * i, s->hv_l1[i - s->hv_first]);
	for (i = 0; i < PT_L1_FRAMES; i++) /* what the walker reads is what was checked */
		s->ops->sync_table(s->ctx, maddr + (i << 12), 1u << 12);
	return 0;
}

VMM_COLD int pt_pin_l2(struct pt_space *s, uint32_t mfn)
{
	struct frame *f = own_frame(s, mfn);
	int err;

	s->why_index = 0;
	if (!f)
		return fail(s, -VMM_EPERM, "L2 table in a frame the domain does not own");
	if (frame_is_pinned_l2(f))
		return fail(s, -VMM_EEXIST, "L2 table already pinned");
	err = frames_type(s, mfn, 1, FRAME_TYPE_L2);
	if (err)
		return err;
	err = table_acquire(s, 2, mfn << 12, PT_L2_ENTRIES * PT_L2_PER_FRAME);
	if (err) {
		frames_untype(s, mfn, 1, FRAME_TYPE_L2);
		return err;
	}
	s->ops->sync_table(s->ctx, mfn << 12, 1u << 12); /* what the walker reads is what was checked */
	return 0;
}

/* True if one of the 1024 entries of L2 frame mfn is a grant mapping. */
static bool l2_holds_grant(struct pt_space *s, uint32_t mfn)
{
	uint32_t i;

	for (i = 0; i < PT_L2_ENTRIES * PT_L2_PER_FRAME; i++)
		if (entry_is_grant(s, 2, s->ops->read(s->ctx, (mfn << 12) + 4 * i)))
			return true;
	return false;
}

VMM_COLD int pt_unpin(struct pt_space *s, uint32_t mfn)
{
	struct frame *f = own_frame(s, mfn);

	s->why_index = 0;
	if (!f)
		return fail(s, -VMM_EPERM, "unpin of a frame the domain does not own");
	if (frame_is_pinned_l1(f)) {
		if (mfn % PT_L1_FRAMES != 0)
			return fail(s, -VMM_EINVAL, "unpin: not the first frame of the L1 table");
		if (mfn == s->base_mfn)
			return fail(s, -VMM_EBUSY, "unpin of the current L1 table");
		table_release(s, 1, mfn << 12, s->hv_first);
		frames_untype(s, mfn, PT_L1_FRAMES, FRAME_TYPE_L1);
		if (s->ops->forget_base)
			s->ops->forget_base(s->ctx, mfn << 12);
		s->flush_pending = true;
		return 0;
	}
	if (frame_is_pinned_l2(f)) {
		if (f->u.use.type_count != 1)
			return fail(s, -VMM_EBUSY, "unpin of an L2 table that L1 entries point at");
		if (l2_holds_grant(s, mfn))
			return fail(s, -VMM_EBUSY, "unpin of an L2 table holding a grant mapping");
		table_release(s, 2, mfn << 12, PT_L2_ENTRIES * PT_L2_PER_FRAME);
		frames_untype(s, mfn, 1, FRAME_TYPE_L2);
		s->flush_pending = true;
		return 0;
	}
	return fail(s, -VMM_EINVAL, "unpin of a frame that is not a pinned table");
}

void pt_space_linear(struct pt_space *s, uint32_t phys, uint32_t size, uint8_t *va)
{
	s->lin_phys = phys;
	s->lin_size = size;
	s->lin_va = va;
	/* A window not word aligned is never used by the fast path. */
	s->fast.lin_bias = phys + PT_L1_TABLE;
	s->fast.lin_va = va;
	s->fast.lin_words = (phys | size) & 3u ? 0 : size / 4;
}

/* Linear address of machine address maddr, or NULL outside the window. */
static inline uint32_t *lin_ptr(const struct pt_space *s, uint32_t maddr)
{
	uint32_t off = maddr - s->lin_phys;

	return off < s->lin_size ? (uint32_t *)(void *)(s->lin_va + off) : NULL;
}

void pt_base_adopt(struct pt_space *s, uint32_t mfn)
{
	s->base_mfn = mfn;
	s->base_hv = lin_ptr(s, mfn << 12);
	s->fast.l1 = s->base_hv;
	fast_limit(s);
}

int pt_set_base(struct pt_space *s, uint32_t mfn)
{
	struct frame *f = own_frame(s, mfn);

	if (!f)
		return fail(s, -VMM_EPERM, "new base in a frame the domain does not own");
	if (!frame_is_pinned_l1(f) || mfn % PT_L1_FRAMES != 0)
		return fail(s, -VMM_EINVAL, "new base is not a pinned L1 table");
	s->ops->set_base(s->ctx, mfn << 12);
	pt_base_adopt(s, mfn);
	return 0;
}

/* L1 index of the entry at maddr in a pinned L1 (maddr's frame is one of its four). */
static inline uint32_t l1_index(uint32_t maddr)
{
	return (((maddr >> 12) % PT_L1_FRAMES) << 10) | ((maddr & 0xFFFu) >> 2);
}

int pt_update(struct pt_space *s, uint32_t maddr, uint32_t val)
{
	struct pt_entry_info e;
	struct frame *f;
	unsigned level;
	uint32_t old, store;
	int err;

	s->why_index = 0;
	if (maddr % 4 != 0)
		return fail(s, -VMM_EINVAL, "entry address not 4-byte aligned");
	f = own_frame(s, maddr >> 12);
	if (!f)
		return fail(s, -VMM_EPERM, "entry in a frame the domain does not own");
	if (frame_is_pinned_l1(f)) {
		if (l1_index(maddr) >= s->hv_first)
			return fail(s, -VMM_EPERM, "L1 entry in the hypervisor's region");
		level = 1;
	} else if (frame_is_pinned_l2(f)) {
		level = 2;
	} else {
		return fail(s, -VMM_EINVAL, "entry is not in a pinned table");
	}
	if (entry_is_grant(s, level, s->ops->read(s->ctx, maddr)))
		return fail(s, -VMM_EPERM, "entry is a grant mapping: only unmap_grant_ref removes it");
	if (level == 1 && (val & PT_TYPE_MASK) == PT_L1_SECTION &&
	    l1_sections(s, maddr & ~(PT_L1_FRAMES * 4096u - 1), l1_index(maddr)) >= s->max_sections)
		return fail(s, -VMM_E2BIG, "one section more than the domain's limit in this L1 table");
	err = entry_acquire(s, level, val, &e);
	if (err)
		return err;
	store = level == 1 ? pt_l1e_store(val, pt_arm_domain_of(l1_index(maddr))) : val;
	old = s->ops->read(s->ctx, maddr);
	s->ops->write(s->ctx, maddr, store);
	entry_release(s, level, old);
	return 0;
}

int pt_update_va(struct pt_space *s, uint32_t va, uint32_t val)
{
	uint32_t l1e;

	s->why_index = 0;
	if ((va >> 20) >= s->hv_first)
		return fail(s, -VMM_EPERM, "address in the hypervisor's region");
	if (s->base_mfn == PT_NO_BASE)
		return fail(s, -VMM_EINVAL, "no current L1 table");
	l1e = s->ops->read(s->ctx, (s->base_mfn << 12) + (va >> 20) * 4);
	if ((l1e & PT_TYPE_MASK) != PT_L1_TABLE)
		return fail(s, -VMM_EINVAL, "no L2 table maps the address");
	return pt_update(s, (l1e & PT_TABLE_ADDR) + ((va >> 12) & 0xFFu) * 4, val);
}

/* Machine address of the L2 entry for va in the current L1 (errors as pt_update_va). */
static int va_l2_entry(struct pt_space *s, uint32_t va, uint32_t *maddr)
{
	uint32_t l1e;

	if ((va >> 20) >= s->hv_first)
		return fail(s, -VMM_EPERM, "address in the hypervisor's region");
	if (s->base_mfn == PT_NO_BASE)
		return fail(s, -VMM_EINVAL, "no current L1 table");
	l1e = s->ops->read(s->ctx, (s->base_mfn << 12) + (va >> 20) * 4);
	if ((l1e & PT_TYPE_MASK) != PT_L1_TABLE)
		return fail(s, -VMM_EINVAL, "no L2 table maps the address");
	*maddr = (l1e & PT_TABLE_ADDR) + ((va >> 12) & 0xFFu) * 4;
	return 0;
}

int pt_grant_map(struct pt_space *s, uint32_t va, uint32_t mfn, bool readonly, uint32_t *pte)
{
	uint32_t maddr, val;
	struct pt_entry_info e;
	int err;

	s->why_index = 0;
	err = va_l2_entry(s, va, &maddr);
	if (err)
		return err;
	if (s->ops->read(s->ctx, maddr) & PT_TYPE_MASK)
		return fail(s, -VMM_EBUSY, "grant mapping over a present entry");
	if (own_frame(s, mfn))
		return fail(s, -VMM_EINVAL, "grant mapping of the domain's own frame");
	/* data only: never executable, always the checked memory type */
	val = (mfn << 12) | VMM_PTE_L2_SMALL | VMM_PTE_SMALL_NORMAL | VMM_PTE_SMALL_NG | VMM_PTE_SMALL_XN |
	      (readonly ? VMM_PTE_SMALL_RO : VMM_PTE_SMALL_RW);
	err = pt_check_l2e(val, &e, &s->why);
	if (err)
		return err;
	/* a fault entry was there: no TLB entry to drop */
	s->ops->write(s->ctx, maddr, val);
	*pte = maddr;
	return 0;
}

int pt_grant_unmap(struct pt_space *s, uint32_t pte, uint32_t mfn)
{
	struct frame *f = own_frame(s, pte >> 12);
	struct pt_entry_info e;
	uint32_t val;

	s->why_index = 0;
	if (pte % 4 != 0 || !f || !frame_is_pinned_l2(f))
		return fail(s, -VMM_EINVAL, "grant unmap: entry is not in a pinned L2 of the domain");
	val = s->ops->read(s->ctx, pte);
	if (!entry_is_grant(s, 2, val) || pt_check_l2e(val, &e, &s->why) != 0 || e.mfn != mfn)
		return fail(s, -VMM_EINVAL, "grant unmap: entry does not hold that grant mapping");
	s->ops->write(s->ctx, pte, 0);
	s->flush_pending = true;
	return 0;
}

/*
 * The fast paths' part on the new value: val a small page of the fast form
 * of a frame in ft_hint's zone that the domain owns and whose counts allow
 * one more use (read/write: typed writable, or untyped with type count 0).
 * Takes the counts and returns true; false with nothing changed otherwise.
 */
static inline __attribute__((always_inline)) bool fast_take(struct pt_space *s, uint32_t val)
{
	const struct pt_fast *fp = &s->fast;
	struct frame *f;
	uint32_t tc, ref;

	if ((val & FAST_SMALL_MASK) != FAST_SMALL_FORM)
		return false;
	/* The frame, in the zone of the last lookup only (the general path moves the hint);
	 * a chunk without a block reads free or unmanaged: refused below, as the assembly
	 * refuses it when its subtraction does not borrow. */
	if (!fast_frame(fp, val >> 12, &f))
		return false;
	tc = f->u.use.type_count;
	ref = f->u.use.refcount;
	if (f->owner != (uint16_t)fp->owner_word || ref == FRAME_COUNT_MAX)
		return false;
	if ((val & PT_SMALL_APX) == 0) {
		/* as the assembly: an owned frame's free_order is FRAME_NOT_HEAD; typed writable
		 * already, or untyped (the type of a frame with type count 0) */
		if (f->free_order != FRAME_NOT_HEAD || tc == FRAME_COUNT_MAX ||
		    !(f->type == FRAME_TYPE_WRITABLE || (tc == 0 && f->type == FRAME_TYPE_NONE)))
			return false;
		f->type = FRAME_TYPE_WRITABLE;
		f->u.use.type_count = (uint16_t)(tc + 1);
	}
	f->u.use.refcount = (uint16_t)(ref + 1);
	return true;
}

/* The linear address of the table entry at machine address maddr (4-byte aligned), or NULL. */
static inline uint32_t *fast_entry(const struct pt_fast *fp, uint32_t maddr)
{
	uint32_t off = maddr - (fp->lin_bias - PT_L1_TABLE);

	return off / 4 < fp->lin_words ? (uint32_t *)(void *)(fp->lin_va + off) : NULL;
}

/*
 * The C reference of arch/armv7/pt_fast.S, which does the read/write case
 * with the same checks on the same pt_fast block (read-only pages come
 * here from its fall-back). Any change to the checks goes to both.
 */
bool pt_update_va_fast(struct pt_space *s, uint32_t va, uint32_t val, uint32_t flags)
{
	const struct pt_fast *fp = &s->fast;
	uint32_t *l2e, l1e;

	/* No call before the store: the common case stays a leaf up to the walker sync. */
	if (flags > VMM_UVMF_INVLPG || (va >> 20) >= fp->limit)
		return false;
	l1e = fp->l1[va >> 20];
	/* A table entry of the current (pinned) L1 points into a pinned L2 of the domain. */
	if ((l1e & PT_TYPE_MASK) != PT_L1_TABLE)
		return false;
	l2e = fast_entry(fp, (l1e & PT_TABLE_ADDR) + ((va >> 10) & 0x3FCu));
	if (!l2e || (*l2e & PT_TYPE_MASK) != PT_L2_FAULT || !fast_take(s, val))
		return false;
	*l2e = val;
	s->ops->sync_entry(s->ctx, l2e);
	/* The old entry mapped nothing: no flush is owed, only the one asked for. */
	if (flags == VMM_UVMF_INVLPG)
		s->ops->flush_va(s->ctx, va);
	return true;
}

bool pt_update_fast(struct pt_space *s, uint32_t maddr, uint32_t val)
{
	const struct pt_fast *fp = &s->fast;
	struct frame *t;
	uint32_t *l2e;

	/* The entry: in a pinned L2 frame of the domain (in the zone), in the window, empty. */
	if (maddr % 4 != 0 || !fast_frame(fp, maddr >> 12, &t))
		return false;
	if (t->owner != (uint16_t)fp->owner_word || t->type != FRAME_TYPE_L2 || t->u.use.type_count == 0)
		return false;
	l2e = fast_entry(fp, maddr);
	if (!l2e || (*l2e & PT_TYPE_MASK) != PT_L2_FAULT || !fast_take(s, val))
		return false;
	*l2e = val;
	s->ops->sync_entry(s->ctx, l2e);
	return true;
}

void pt_flush_va(struct pt_space *s, uint32_t va)
{
	s->ops->flush_va(s->ctx, va);
}

/* Machine address va translates to in the current L1 (which must exist); false if unmapped. */
static bool va_to_maddr(struct pt_space *s, uint32_t va, uint32_t *maddr)
{
	uint32_t l1e = s->ops->read(s->ctx, (s->base_mfn << 12) + (va >> 20) * 4), l2e;

	switch (l1e & PT_TYPE_MASK) {
	case PT_L1_SECTION:
		*maddr = (l1e & PT_SECT_ADDR) | (va & ~PT_SECT_ADDR);
		break;
	case PT_L1_TABLE:
		l2e = s->ops->read(s->ctx, (l1e & PT_TABLE_ADDR) + ((va >> 12) & 0xFFu) * 4);
		if (!(l2e & PT_L2_SMALL))
			return false;
		*maddr = (l2e & PT_SMALL_ADDR) | (va & ~PT_SMALL_ADDR);
		break;
	default:
		return false;
	}
	/* Pinned tables only map the domain's frames; checked again all the same. */
	return own_frame(s, *maddr >> 12) != NULL;
}

VMM_COLD int pt_sync_icache(struct pt_space *s, uint32_t va, uint32_t len)
{
	uint32_t maddr, at, left, chunk;
	int pass;

	s->why_index = 0;
	if (len == 0)
		return fail(s, -VMM_EINVAL, "empty range");
	if (len > VMM_SYNC_ICACHE_MAX)
		return fail(s, -VMM_E2BIG, "range above VMM_SYNC_ICACHE_MAX");
	if ((uint64_t)va + len > (uint64_t)s->hv_first << 20)
		return fail(s, -VMM_EPERM, "range reaches the hypervisor's region");
	if (s->base_mfn == PT_NO_BASE)
		return fail(s, -VMM_EINVAL, "no current L1 table");
	/* Pass 0 checks every page, pass 1 does the maintenance: a refusal does nothing. */
	for (pass = 0; pass < 2; pass++)
		for (at = va, left = len; left; at += chunk, left -= chunk) {
			chunk = 0x1000u - (at & 0xFFFu);
			if (chunk > left)
				chunk = left;
			if (!va_to_maddr(s, at, &maddr))
				return fail(s, -VMM_EFAULT, "page not mapped");
			if (pass)
				s->ops->sync_icache(s->ctx, maddr, chunk);
		}
	return 0;
}

void pt_flush_pending(struct pt_space *s)
{
	if (!s->flush_pending)
		return;
	s->flush_pending = false;
	s->ops->flush_all(s->ctx);
}
