/*
 * Fake machine memory, frame table and pt_ops for the page-table tests and
 * the fuzz harness, plus an independent reference model of the accounting.
 * Header-only: include once per program.
 *
 * Layout (PTF_NR frames from machine frame PTF_BASE):
 *   frames [0, PTF_DOM_NR)            owned by PTF_DOM (the guest under test)
 *   frames [PTF_DOM_NR, PTF_OTHER_END) owned by PTF_OTHER (another domain)
 *   frames [PTF_OTHER_END, PTF_NR)     owned by the hypervisor
 * Guest memory for hypercall arguments is a separate buffer at PTF_GVA.
 */
#ifndef VMM_TEST_PT_FAKE_H
#define VMM_TEST_PT_FAKE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frametable.h"
#include "pt_check.h"
#include "pt_table.h"
#include "vmm/abi.h"
#include "vmm/mmu.h"

#define PTF_BASE      0x40000u
#define PTF_NR        1024u
#define PTF_DOM_NR    512u   /* two sections' worth */
#define PTF_OTHER_END 768u
#define PTF_DOM       1u
#define PTF_OTHER     2u
#define PTF_HV_FIRST  (VMM_HYPERVISOR_VA_BASE >> 20)
#define PTF_ARM_DOMAIN VMM_ARM_DOMAIN_GUEST_USER /* L1 entries below 0xC00 */
#define PTF_GVA       0x10000u
#ifndef PTF_RESET_BYTES
#define PTF_RESET_BYTES sizeof(ptf_mem) /* memory ptf_reset() clears; the rest must stay 0 */
#endif
#define PTF_GSIZE     0x4000u

static struct frame ptf_frames[PTF_NR];
static struct frame_chunk ptf_dir[FRAME_DIR_LEN(PTF_BASE, PTF_NR)];
static struct frame_table ptf_ft;
static uint8_t ptf_mem[PTF_NR * 4096u];
static uint8_t ptf_guest[PTF_GSIZE];
static uint32_t ptf_hv_l1[PT_L1_ENTRIES - PTF_HV_FIRST];
static struct pt_space ptf_s;

static struct {
	unsigned int reads, writes, flush_all, flush_va, set_base, forget_base, syncs, entry_syncs;
	uint32_t sync_bytes, last_sync;
	uint32_t table_sync_bytes, last_table_sync; /* sync_table: bytes, last maddr */
	uint32_t last_va, base, forgotten;
	bool bad_access;        /* an op touched memory outside the frame table */
} ptf_hw;

/* The one frame table of the fake layout (pt_space's per-frame lookup). */
static inline struct frame_table *ptf_frame_table(uint32_t mfn)
{
	return mfn - PTF_BASE < PTF_NR ? &ptf_ft : NULL;
}

static inline void ptf_scrub(uint32_t mfn)
{
	(void)mfn;
}

static inline uint8_t *ptf_at(uint32_t maddr)
{
	uint32_t mfn = maddr >> 12;

	if (mfn < PTF_BASE || mfn >= PTF_BASE + PTF_NR || maddr % 4) {
		ptf_hw.bad_access = true;
		return NULL;
	}
	return &ptf_mem[maddr - (PTF_BASE << 12)];
}

static inline uint32_t ptf_read(void *ctx, uint32_t maddr)
{
	uint8_t *p = ptf_at(maddr);
	uint32_t v = 0;

	(void)ctx;
	ptf_hw.reads++;
	if (p)
		memcpy(&v, p, 4);
	return v;
}

static inline void ptf_write(void *ctx, uint32_t maddr, uint32_t val)
{
	uint8_t *p = ptf_at(maddr);

	(void)ctx;
	ptf_hw.writes++;
	if (p)
		memcpy(p, &val, 4);
}

static inline void ptf_flush_all(void *ctx)
{
	(void)ctx;
	ptf_hw.flush_all++;
}

static inline void ptf_flush_va(void *ctx, uint32_t va)
{
	(void)ctx;
	ptf_hw.flush_va++;
	ptf_hw.last_va = va;
}

static inline void ptf_sync_icache(void *ctx, uint32_t maddr, uint32_t len)
{
	(void)ctx;
	if ((maddr & 0xFFFu) + len > 0x1000u)
		ptf_hw.bad_access = true; /* must stay within one frame */
	ptf_hw.syncs++;
	ptf_hw.sync_bytes += len;
	ptf_hw.last_sync = maddr;
}

static inline void ptf_sync_entry(void *ctx, const uint32_t *hv)
{
	(void)ctx;
	if ((const uint8_t *)hv < ptf_mem || (const uint8_t *)hv >= ptf_mem + sizeof(ptf_mem))
		ptf_hw.bad_access = true;
	ptf_hw.entry_syncs++;
}

static inline void ptf_sync_table(void *ctx, uint32_t maddr, uint32_t len)
{
	(void)ctx;
	if ((maddr & 0xFFFu) + len > 4096u)
		ptf_hw.bad_access = true; /* must stay within one frame */
	(void)ptf_at(maddr);
	ptf_hw.table_sync_bytes += len;
	ptf_hw.last_table_sync = maddr;
}

static inline void ptf_set_base(void *ctx, uint32_t l1)
{
	(void)ctx;
	ptf_hw.set_base++;
	ptf_hw.base = l1;
}

static inline void ptf_forget_base(void *ctx, uint32_t l1)
{
	(void)ctx;
	ptf_hw.forget_base++;
	ptf_hw.forgotten = l1;
}

static inline bool ptf_guest_range(uint32_t va, uint32_t len)
{
	return va >= PTF_GVA && len <= PTF_GSIZE && va - PTF_GVA <= PTF_GSIZE - len;
}

static inline int ptf_copy_from(void *ctx, void *dst, uint32_t va, uint32_t len)
{
	(void)ctx;
	if (!ptf_guest_range(va, len))
		return -VMM_EFAULT;
	memcpy(dst, &ptf_guest[va - PTF_GVA], len);
	return 0;
}

static inline int ptf_copy_to(void *ctx, uint32_t va, const void *src, uint32_t len)
{
	(void)ctx;
	if (!ptf_guest_range(va, len))
		return -VMM_EFAULT;
	memcpy(&ptf_guest[va - PTF_GVA], src, len);
	return 0;
}

static const struct pt_ops ptf_ops = {
	.read = ptf_read,
	.write = ptf_write,
	.flush_all = ptf_flush_all,
	.flush_va = ptf_flush_va,
	.set_base = ptf_set_base,
	.forget_base = ptf_forget_base,
	.sync_icache = ptf_sync_icache,
	.sync_entry = ptf_sync_entry,
	.sync_table = ptf_sync_table,
	.copy_from = ptf_copy_from,
	.copy_to = ptf_copy_to,
};

/* Fresh frame table, zeroed memory, owners as in the layout above. */
static inline void ptf_reset(void)
{
	uint32_t i;

	memset(&ptf_hw, 0, sizeof(ptf_hw));
	memset(ptf_mem, 0, PTF_RESET_BYTES);
	memset(ptf_guest, 0, sizeof(ptf_guest));
	frame_table_init(&ptf_ft, ptf_dir, ptf_frames, PTF_BASE, PTF_NR, ptf_scrub);
	for (i = 0; i < PTF_NR; i++)
		ptf_frames[i].owner = i < PTF_DOM_NR ? PTF_DOM : i < PTF_OTHER_END ? PTF_OTHER : FRAME_OWNER_HYP;
	for (i = 0; i < PT_L1_ENTRIES - PTF_HV_FIRST; i++)
		ptf_hv_l1[i] = ((PTF_HV_FIRST + i) << 20) | 0x412u; /* PL1-only sections */
	pt_space_init(&ptf_s, ptf_frame_table, &ptf_ops, NULL, ptf_hv_l1, PTF_HV_FIRST, PTF_DOM);
#ifndef PTF_NO_LINEAR
	/* The whole fake memory is "linear": update_va_mapping's fast path runs. */
	pt_space_linear(&ptf_s, PTF_BASE << 12, PTF_NR * 4096u, ptf_mem);
#endif
}

static inline uint32_t ptf_mfn(uint32_t i)
{
	return PTF_BASE + i;
}

static inline uint32_t ptf_get(uint32_t maddr)
{
	return ptf_read(NULL, maddr);
}

static inline void ptf_put(uint32_t maddr, uint32_t val)
{
	ptf_write(NULL, maddr, val);
}

/* Accepted descriptors. */
static inline uint32_t ptf_small(uint32_t mfn, bool rw)
{
	return (mfn << 12) | VMM_PTE_L2_SMALL | VMM_PTE_SMALL_NORMAL | VMM_PTE_SMALL_NG |
	       (rw ? VMM_PTE_SMALL_RW : VMM_PTE_SMALL_RO);
}

static inline uint32_t ptf_section(uint32_t mfn, bool rw)
{
	return ((mfn >> 8) << 20) | VMM_PTE_L1_SECTION | VMM_PTE_SECT_NORMAL | VMM_PTE_SECT_NG |
	       (rw ? VMM_PTE_SECT_RW : VMM_PTE_SECT_RO);
}

static inline uint32_t ptf_table(uint32_t mfn, uint32_t sub)
{
	return (mfn << 12) | (sub << 10) | VMM_PTE_L1_TABLE;
}

/* ---------------------------------------------------------------------------
 * Reference model: the pinned tables as the test saw them succeed, and the
 * counts they imply, recomputed from the table memory after every step.
 */
struct ptf_model {
	bool l1[PTF_NR];   /* pinned L1 starting at frame i */
	bool l2[PTF_NR];   /* pinned L2 frame */
};

static struct ptf_model ptf_model;

struct ptf_expect {
	uint32_t ref, wr, l2uses;
	bool in_l1;
};

static struct ptf_expect ptf_exp[PTF_NR];

/* Model's own decoding: only what the accounting needs. */
static inline void ptf_model_map(uint32_t first, uint32_t n, bool rw, const char **err)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		uint32_t mfn = first + i;

		if (mfn < PTF_BASE || mfn >= PTF_BASE + PTF_DOM_NR) {
			*err = "a pinned table maps a frame the domain does not own";
			return;
		}
		ptf_exp[mfn - PTF_BASE].ref++;
		if (rw)
			ptf_exp[mfn - PTF_BASE].wr++;
	}
}

static inline void ptf_model_l1e(uint32_t v, const char **err)
{
	switch (v & 3u) {
	case 1: {
		uint32_t mfn = v >> 12;

		if (mfn < PTF_BASE || mfn >= PTF_BASE + PTF_NR || !ptf_model.l2[mfn - PTF_BASE]) {
			*err = "L1 entry points at an unpinned L2";
			return;
		}
		ptf_exp[mfn - PTF_BASE].l2uses++;
		break;
	}
	case 2:
		ptf_model_map((v >> 20) << 8, 256, ((v >> 10) & 3u) == 3u && !(v & (1u << 15)), err);
		break;
	case 3:
		*err = "PXN section in a pinned table";
		break;
	default:
		break;
	}
}

static inline void ptf_model_l2e(uint32_t v, const char **err)
{
	if ((v & 3u) == 1u)
		*err = "large page in a pinned table";
	else if (v & 2u)
		ptf_model_map(v >> 12, 1, ((v >> 4) & 3u) == 3u && !(v & (1u << 9)), err);
}

/*
 * Recomputes every count the pinned tables imply and compares with the
 * frame table. NULL if all match, else what is wrong.
 */
static inline const char *ptf_model_check(void)
{
	const char *err = NULL;
	uint32_t i, j;

	memset(ptf_exp, 0, sizeof(ptf_exp));
	for (i = 0; i < PTF_NR; i++) {
		if (ptf_model.l1[i]) {
			for (j = 0; j < PT_L1_FRAMES; j++)
				ptf_exp[i + j].in_l1 = true;
			for (j = 0; j < PTF_HV_FIRST; j++)
				ptf_model_l1e(ptf_get(((PTF_BASE + i) << 12) + 4 * j), &err);
			for (j = PTF_HV_FIRST; j < PT_L1_ENTRIES; j++)
				if (ptf_get(((PTF_BASE + i) << 12) + 4 * j) != ptf_hv_l1[j - PTF_HV_FIRST])
					return "hypervisor entries not copied into a pinned L1";
		}
		if (ptf_model.l2[i])
			for (j = 0; j < PT_L2_ENTRIES * PT_L2_PER_FRAME; j++)
				ptf_model_l2e(ptf_get(((PTF_BASE + i) << 12) + 4 * j), &err);
		if (err)
			return err;
	}
	for (i = 0; i < PTF_NR; i++) {
		const struct frame *f = &ptf_frames[i];
		const struct ptf_expect *e = &ptf_exp[i];
		uint32_t type = FRAME_TYPE_NONE, count = 0;

		if (e->in_l1 && ptf_model.l2[i])
			return "frame both L1 and L2";
		if (e->in_l1) {
			type = FRAME_TYPE_L1;
			count = 1;
		} else if (ptf_model.l2[i]) {
			type = FRAME_TYPE_L2;
			count = 1 + e->l2uses;
		} else if (e->wr) {
			type = FRAME_TYPE_WRITABLE;
			count = e->wr;
		}
		if ((e->in_l1 || ptf_model.l2[i]) && e->wr)
			return "page-table frame mapped writable";
		if (f->u.use.refcount != e->ref)
			return "refcount differs from the model";
		if (f->u.use.type_count != count)
			return "type count differs from the model";
		if (count && f->type != type)
			return "type differs from the model";
		if (!count && f->type != FRAME_TYPE_NONE)
			return "untyped frame keeps a type";
	}
	return NULL;
}

/* True if no frame has a count left. */
static inline bool ptf_all_zero(void)
{
	uint32_t i;

	for (i = 0; i < PTF_NR; i++)
		if (ptf_frames[i].u.use.refcount || ptf_frames[i].u.use.type_count ||
		    ptf_frames[i].type != FRAME_TYPE_NONE)
			return false;
	return true;
}

/* Unpins everything the model holds (L1s first); false if one is refused. */
static inline bool ptf_unpin_all(void)
{
	uint32_t i;

	ptf_s.base_mfn = PT_NO_BASE;
	for (i = 0; i < PTF_NR; i++)
		if (ptf_model.l1[i]) {
			if (pt_unpin(&ptf_s, ptf_mfn(i)) != 0)
				return false;
			ptf_model.l1[i] = false;
		}
	for (i = 0; i < PTF_NR; i++)
		if (ptf_model.l2[i]) {
			if (pt_unpin(&ptf_s, ptf_mfn(i)) != 0)
				return false;
			ptf_model.l2[i] = false;
		}
	return true;
}

#endif /* VMM_TEST_PT_FAKE_H */
