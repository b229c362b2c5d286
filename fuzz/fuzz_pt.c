/*
 * libFuzzer harness over the guest page-table paths: sequences of
 * mmu_update, update_va_mapping, mmuext_op and multicall calls (through
 * the same entry points the dispatcher uses) against the fake frame memory
 * of test/unit/pt_fake.h. After every call the reference model recomputes
 * every frame's reference and type counts from the pinned tables and must
 * match the frame table; no pinned table may map a foreign frame or a
 * page-table frame writable; a refused single update must change nothing;
 * no dropped mapping may stay unflushed; and after unpinning everything
 * every count must be back to 0. Any violation aborts (a libFuzzer crash).
 *
 * Input: records of 9 bytes (op, a: u32 LE, b: u32 LE), decoded below;
 * frame numbers, entry addresses and descriptors are folded so that most
 * records are well-formed requests that reach the ownership and type
 * checks, not only the range tests. fuzz/seeds/ holds hand-made sequences
 * (fuzz/make_seeds.py) that pin, map, switch and unpin.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TABLE_FRAMES 64u  /* tables live in the domain's first frames */
#define PTF_RESET_BYTES (TABLE_FRAMES * 4096u)

#include "log.h"
#include "pt_fake.h"
#include "pt_hcall.h"

/* No console here: refusals are counted, not printed. */
long vmm_vreject(uint32_t domid, uint32_t *logged, long err, const char *fmt, va_list ap)
{
	(void)domid;
	(void)fmt;
	(void)ap;
	++*logged;
	return err;
}

long vmm_reject(uint32_t domid, uint32_t *logged, long err, const char *fmt, ...)
{
	(void)domid;
	(void)fmt;
	++*logged;
	return err;
}

#define REQ_AT  PTF_GVA
#define DONE_AT (PTF_GVA + 0x3000u)
#define MC_AT   (PTF_GVA + 0x2000u)

static void die(const char *what)
{
	fprintf(stderr, "fuzz_pt: invariant broken: %s\n", what);
	abort();
}

static void check(void)
{
	const char *err = ptf_model_check();

	if (err)
		die(err);
	if (ptf_hw.bad_access)
		die("table access outside the frame table");
}

/* A frame to map: bits 31:29 choose foreign/outside/any of the domain's/a table frame. */
static uint32_t fold_frame(uint32_t x)
{
	switch (x >> 29) {
	case 0:
		return PTF_BASE + PTF_DOM_NR + (x % (PTF_NR - PTF_DOM_NR + 2)) - 1; /* edges, others, hypervisor */
	case 1:
		return PTF_BASE - 2 + (x & 1u) * (PTF_NR + 3);                    /* outside */
	case 2:
		return PTF_BASE + (x % PTF_DOM_NR);
	default:
		return PTF_BASE + (x % TABLE_FRAMES);
	}
}

/* A frame that may become a table: bits 31:28 = 0: a foreign one (never the domain's
 * frames past TABLE_FRAMES, whose memory the reset does not clear); else x % TABLE_FRAMES. */
static uint32_t fold_table(uint32_t x)
{
	if ((x >> 28) == 0)
		return PTF_BASE + PTF_DOM_NR + (x % (PTF_NR - PTF_DOM_NR + 1));
	return PTF_BASE + (x % TABLE_FRAMES);
}

/*
 * A descriptor: mostly a well-formed one, sometimes with one bit flipped or
 * raw. Bits 2:0 choose the form, bit 3 read/write, bit 4 XN, the rest the frame.
 */
static uint32_t fold_value(uint32_t v)
{
	uint32_t rw = v & 8u, frame = fold_frame((v >> 5) | (v & 0xE0000000u));

	switch (v & 7u) {
	case 0:
		return 0;
	case 1:
	case 2:
		return (frame << 12) | VMM_PTE_L2_SMALL | VMM_PTE_SMALL_NORMAL | VMM_PTE_SMALL_NG |
		       (rw ? VMM_PTE_SMALL_RW : VMM_PTE_SMALL_RO) | ((v & 16u) ? VMM_PTE_SMALL_XN : 0);
	case 3:
		return (((PTF_BASE >> 8) + ((v >> 8) & 3u)) << 20) | VMM_PTE_L1_SECTION | VMM_PTE_SECT_NORMAL |
		       VMM_PTE_SECT_NG | (rw ? VMM_PTE_SECT_RW : VMM_PTE_SECT_RO) | ((v & 16u) ? VMM_PTE_SECT_XN : 0);
	case 4:
	case 5:
		return (fold_table((v >> 7) | (v & 0xF0000000u)) << 12) | (((v >> 5) & 3u) << 10) | VMM_PTE_L1_TABLE;
	case 6:
		return ((frame << 12) | VMM_PTE_L2_SMALL | VMM_PTE_SMALL_NORMAL | VMM_PTE_SMALL_NG) ^
		       (1u << ((v >> 8) & 31u));
	default:
		return v;
	}
}

/* An entry address: a table frame (bits 31:28 and 27:12), mostly one of its first 16 entries. */
static uint32_t fold_entry(uint32_t x)
{
	uint32_t frame = fold_table((x & 0xF0000000u) | ((x >> 12) & 0xFFFFu));

	return (frame << 12) | ((x & 0x800u) ? (x & 0xFFFu) : (x & 0x3Fu));
}

static void model_ext(const struct vmm_mmuext_op *op)
{
	uint32_t i = op->arg1 - PTF_BASE;

	if (i >= PTF_NR)
		return;
	switch (op->cmd) {
	case VMM_MMUEXT_PIN_L1_TABLE:
		ptf_model.l1[i] = true;
		break;
	case VMM_MMUEXT_PIN_L2_TABLE:
		ptf_model.l2[i] = true;
		break;
	case VMM_MMUEXT_UNPIN_TABLE:
		ptf_model.l1[i] = ptf_model.l2[i] = false;
		break;
	default:
		break;
	}
}

static uint32_t get_done(void)
{
	uint32_t v;

	memcpy(&v, &ptf_guest[DONE_AT - PTF_GVA], 4);
	return v;
}

/* One request (two with op bit 3); b bit 31 keeps the first ptr's command bits; op bit 4: no done pointer. */
static long run_mmu_update(uint8_t op, uint32_t a, uint32_t b)
{
	struct vmm_mmu_update req[2] = {
		{fold_entry(a), fold_value(b)},
		{fold_entry(a + 4) & ~3u, fold_value(b ^ 0x5A5A5A5Au)},
	};
	uint32_t count = 1 + ((op >> 3) & 1u);
	long r;

	if (!(b & 0x80000000u))
		req[0].ptr &= ~3u;
	memcpy(ptf_guest, req, sizeof(req));
	r = pt_mmu_update(&ptf_s, REQ_AT, count, (op & 0x10u) ? 0 : DONE_AT, VMM_DOMID_SELF);
	if (r == 0 && !(op & 0x10u) && get_done() != count)
		die("mmu_update done count");
	return r;
}

/* a % 9: the command; a bit 8: arg2 != 0; a bit 20: a second op ((a >> 12) % 9 on b >> 7). */
static long run_mmuext(uint32_t a, uint32_t b)
{
	struct vmm_mmuext_op op[2];
	uint32_t i, done;
	long r;

	op[0].cmd = a % 9;
	op[0].arg1 = (op[0].cmd == VMM_MMUEXT_INVLPG_LOCAL) ? b : fold_table(b);
	op[0].arg2 = (a & 0x100u) ? 1 : 0;
	op[1].cmd = (a >> 12) % 9;
	op[1].arg1 = fold_table(b >> 7 | (b & 0xF0000000u));
	op[1].arg2 = 0;
	memcpy(ptf_guest, op, sizeof(op));
	r = pt_mmuext_op(&ptf_s, REQ_AT, 1 + ((a >> 20) & 1u), DONE_AT, VMM_DOMID_SELF);
	done = get_done();
	for (i = 0; i < done && i < 2; i++)
		model_ext(&op[i]);
	return r;
}

static long dispatch(void *arg, uint32_t op, const uint32_t args[4])
{
	struct pt_space *s = arg;

	switch (op) {
	case VMM_HC_mmu_update:
		return pt_mmu_update(s, args[0], args[1], args[2], args[3]);
	case VMM_HC_update_va_mapping:
		return pt_update_va_mapping(s, args[0], args[1], args[2]);
	default:
		return 0;
	}
}

static void run_multicall(uint32_t a, uint32_t b)
{
	struct vmm_multicall_entry e[2] = {
		{VMM_HC_update_va_mapping, 0, {a & 0x00FFF000u, fold_value(b), 0, 0}},
		{(a & 1u) ? VMM_HC_multicall : VMM_HC_update_va_mapping, 0,
		 {(a << 12) & 0x00FFF000u, fold_value(b ^ a), (a >> 30), 0}},
	};

	memcpy(&ptf_guest[MC_AT - PTF_GVA], e, sizeof(e));
	if (pt_multicall(&ptf_s, MC_AT, 2, dispatch, &ptf_s) != 0)
		die("multicall over valid memory failed");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* op % 6: 0-1 mmu_update, 2 update_va_mapping (flags op >> 6), 3-4 mmuext_op, 5 multicall. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t snap[TABLE_FRAMES * 4096];
	static struct frame snap_frames[PTF_NR];
	static int trace = -1;

	if (trace < 0)
		trace = getenv("FUZZ_PT_TRACE") != NULL; /* prints every call's result */
	ptf_reset();
	memset(&ptf_model, 0, sizeof(ptf_model));
	while (size >= 9) {
		uint32_t a, b, base = ptf_s.base_mfn;
		uint8_t op = data[0];
		long r;

		memcpy(&a, data + 1, 4);
		memcpy(&b, data + 5, 4);
		data += 9;
		size -= 9;
		memcpy(snap, ptf_mem, sizeof(snap));
		memcpy(snap_frames, ptf_frames, sizeof(snap_frames));
		switch (op % 6) {
		case 0:
		case 1:
			r = run_mmu_update(op, a, b);
			/* A refused single request changes nothing. */
			if (r != 0 && !(op & 8u) &&
			    (memcmp(snap, ptf_mem, sizeof(snap)) || memcmp(snap_frames, ptf_frames, sizeof(snap_frames))))
				die("refused mmu_update changed state");
			break;
		case 2:
			r = pt_update_va_mapping(&ptf_s, a & 0x00FFFFFFu, fold_value(b), op >> 6);
			if (r != 0 && (memcmp(snap, ptf_mem, sizeof(snap)) ||
				       memcmp(snap_frames, ptf_frames, sizeof(snap_frames)) || base != ptf_s.base_mfn))
				die("refused update_va_mapping changed state");
			break;
		case 3:
		case 4:
			r = run_mmuext(a, b);
			break;
		default:
			run_multicall(a, b);
			r = 0;
			break;
		}
		if (trace)
			fprintf(stderr, "fuzz_pt: op %u a 0x%08x b 0x%08x -> %ld\n", op % 6u, (unsigned)a, (unsigned)b, r);
		if (ptf_s.flush_pending)
			die("a dropped mapping was not flushed before returning");
		check();
	}
	if (!ptf_unpin_all())
		die("unpin of a pinned table refused");
	check();
	if (!ptf_all_zero())
		die("counts left after unpinning everything");
	return 0;
}
