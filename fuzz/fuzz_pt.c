/*
 * libFuzzer harness over the guest page-table paths: sequences of
 * mmu_update, update_va_mapping, mmuext_op and multicall calls (through
 * the same entry points the dispatcher uses) against the fake frame memory
 * of test/unit/pt_fake.h. After every call the reference model recomputes
 * every frame's reference and type counts from the pinned tables and must
 * match the frame table; no pinned table may map a foreign frame or a
 * page-table frame writable; a refused single update must change nothing;
 * and after unpinning everything every count must be back to 0. Any
 * violation aborts (a libFuzzer crash).
 *
 * Input: records of 9 bytes (op, a: u32, b: u32); frame numbers and
 * addresses are folded around the fake memory so that most inputs reach
 * the checks, not only the range tests.
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

/* A frame near the tables, sometimes foreign or outside the table. */
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

/* A descriptor: the fuzzer's bits with the address part folded to a frame. */
static uint32_t fold_value(uint32_t v)
{
	switch (v & 3u) {
	case 2: /* section or small page: which one depends on the level */
		if (v & 0x80000000u)
			return (((fold_frame(v >> 3) >> 8) << 20) | (v & 0xFFFFFu));
		return (fold_frame(v >> 3) << 12) | (v & 0xFFFu);
	case 1:
		return (fold_frame(v >> 4) << 12) | (v & 0xFFFu);
	default:
		return v;
	}
}

/* A frame that may become a table: one of the first TABLE_FRAMES, or a foreign one. */
static uint32_t fold_table(uint32_t x)
{
	if ((x >> 28) == 0) /* another domain's, the hypervisor's, or one past the table */
		return PTF_BASE + PTF_DOM_NR + (x % (PTF_NR - PTF_DOM_NR + 1));
	return PTF_BASE + (x % TABLE_FRAMES);
}

static uint32_t fold_entry(uint32_t x)
{
	return (fold_table(x >> 12) << 12) | (x & 0xFFFu);
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

static long run_mmu_update(const uint8_t *d, size_t n, uint32_t a, uint32_t b)
{
	uint32_t count = a % 5, i;
	long r;

	for (i = 0; i < count && 8 * (i + 1) <= n; i++) {
		uint32_t x, y;
		struct vmm_mmu_update req;

		memcpy(&x, d + 8 * i, 4);
		memcpy(&y, d + 8 * i + 4, 4);
		req.ptr = fold_entry(x) & ~(i == 0 && (b & 1u) ? 0u : 3u);
		req.val = fold_value(y);
		memcpy(&ptf_guest[i * sizeof(req)], &req, sizeof(req));
	}
	r = pt_mmu_update(&ptf_s, REQ_AT, i, (b & 2u) ? 0 : DONE_AT, VMM_DOMID_SELF);
	if (r == 0 && !(b & 2u) && get_done() != i)
		die("mmu_update done count");
	return r;
}

static long run_mmuext(uint32_t a, uint32_t b)
{
	struct vmm_mmuext_op op[2];
	uint32_t i, done;
	long r;

	op[0].cmd = a % 9;
	op[0].arg1 = (op[0].cmd == VMM_MMUEXT_INVLPG_LOCAL) ? b : fold_table(b);
	op[0].arg2 = (a & 0x100u) ? 1 : 0;
	op[1].cmd = (a >> 12) % 9;
	op[1].arg1 = fold_table(b >> 7);
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t snap[TABLE_FRAMES * 4096];
	static struct frame snap_frames[PTF_NR];

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
			r = run_mmu_update(data, size, a, b);
			/* A refused single request changes nothing. */
			if (r != 0 && a % 5 == 1 &&
			    (memcmp(snap, ptf_mem, sizeof(snap)) || memcmp(snap_frames, ptf_frames, sizeof(snap_frames))))
				die("refused mmu_update changed state");
			break;
		case 2:
			r = pt_update_va_mapping(&ptf_s, (a & 0x00FFFFFFu) | ((op & 0x80u) ? a : 0u), fold_value(b), op >> 6 & 3u);
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
			break;
		}
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
