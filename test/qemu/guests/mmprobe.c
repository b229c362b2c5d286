/*
 * Guest page tables from a hostile guest (issue 9), and a victim.
 *
 * "victim" prints a fixed sequence of lines, yielding between them; the
 * test checks it is complete and unchanged.
 *
 * "mm": first the positive path -- unmap its second MiB (one L1 section),
 * pin a frame of it as an L2 table, hook it into the L1 at VA 0x40000000,
 * map another frame there with update_va_mapping, write and read it through
 * two mappings, unmap, unhook, unpin -- then the refusals, each with its
 * documented code (printed as "ok <what>" / "FAIL <what>"): a hypervisor
 * frame, every frame of 32 MiB around its own (the other domain's among
 * them), its own tables writable, VAs in the hypervisor region, bogus
 * descriptor types, unpinning tables in use, and hypercalls whose results
 * the hypervisor would store into its pinned L2 (a grant copy of a forged
 * entry, an event_channel_op result): refused, the table unchanged. It
 * keeps running and says so.
 *
 * Needs at least 2 MiB, 1 MiB aligned in machine memory (a section per MiB).
 */
#include "probe_lib.h"
#include "vmm/event_channel.h"
#include "vmm/grant_table.h"
#include "vmm/mmu.h"

void probe_main(const struct vmm_start_info *si);

#define MIB           0x100000u
#define TEST_VA       0x40000000u  /* user region: L1 entry 0x400 */
#define L1_ENTRY(i)   ((pt_l1 << 12) + 4u * (i))
#define SMALL(mfn, ap) (((mfn) << 12) | VMM_PTE_L2_SMALL | VMM_PTE_SMALL_NORMAL | VMM_PTE_SMALL_NG | (ap))

static uint32_t pt_l1;           /* first frame of the current L1 */
static const uint32_t *p2m;
static uint32_t nr_pages;

static long mmu_update1(uint32_t ptr, uint32_t val)
{
	static struct vmm_mmu_update req;

	req.ptr = ptr;
	req.val = val;
	return HYPERVISOR_mmu_update(&req, 1, 0, VMM_DOMID_SELF);
}

static long mmuext1(uint32_t cmd, uint32_t arg1)
{
	static struct vmm_mmuext_op op;

	op.cmd = cmd;
	op.arg1 = arg1;
	op.arg2 = 0;
	return HYPERVISOR_mmuext_op(&op, 1, 0, VMM_DOMID_SELF);
}

static int own_frame(uint32_t mfn)
{
	uint32_t i;

	for (i = 0; i < nr_pages; i++)
		if (p2m[i] == mfn)
			return 1;
	return mfn - pt_l1 < 4;
}

static void victim(void)
{
	int i;

	for (i = 0; i < 8; i++) {
		probe_puts("victim: line ");
		probe_putd(i);
		probe_puts("\n");
		HYPERVISOR_sched_op(VMM_SCHEDOP_yield, 0);
	}
	probe_puts("victim: done\n");
}

/* Frames of 32 MiB around the domain's first one, not its own, mapped with `ap`: the refused count. */
static uint32_t map_foreign(uint32_t l2, uint32_t ap, uint32_t *accepted)
{
	uint32_t mfn, first = p2m[0] > 4096u ? p2m[0] - 4096u : 0, refused = 0;

	*accepted = 0;
	for (mfn = first; mfn < p2m[0] + 4096u; mfn++) {
		if (own_frame(mfn) || mfn == l2)
			continue;
		if (HYPERVISOR_update_va_mapping(TEST_VA + 0x3000u, SMALL(mfn, ap), 0) == -VMM_EPERM)
			refused++;
		else
			(*accepted)++;
	}
	return refused;
}

/*
 * update_va_mapping's assembly fast path (arch/armv7/pt_fast.S, the
 * read/write map of an empty entry) and each of its fall-backs: a check
 * that lets too much through shows as a wrong answer or wrong counts here
 * (a frame mapped writable cannot be pinned as a table), whichever path
 * decides. Uses the frames p2m[258] and p2m[259] (unmapped second MiB) and
 * the L2 hooked at TEST_VA (entries 0x10-0x13).
 */
static void fast_path_checks(uint32_t l2, uint32_t hv_mfn)
{
	static struct vmm_multicall_entry mc;
	uint32_t a = p2m[258], b = p2m[259], accepted;
	volatile uint32_t *va_a = (volatile uint32_t *)(TEST_VA + 0x10000u);
	volatile uint32_t *va_a2 = (volatile uint32_t *)(TEST_VA + 0x11000u);
	volatile uint32_t *va_b = (volatile uint32_t *)(TEST_VA + 0x12000u);
	volatile uint32_t *va_m = (volatile uint32_t *)(TEST_VA + 0x13000u);

	/* taken: untyped frame, no flush; the same frame again (typed writable), INVLPG; XN */
	probe_expect("fast: map read/write, no flush", HYPERVISOR_update_va_mapping(TEST_VA + 0x10000u,
		     SMALL(a, VMM_PTE_SMALL_RW), VMM_UVMF_NONE), 0);
	va_a[3] = 0xa11ce000u;
	probe_expect("fast: the walker sees the new entry", (long)(va_a[3] == 0xa11ce000u), 1);
	probe_expect("fast: a second writable mapping, INVLPG", HYPERVISOR_update_va_mapping(TEST_VA + 0x11000u,
		     SMALL(a, VMM_PTE_SMALL_RW), VMM_UVMF_INVLPG), 0);
	probe_expect("fast: both mappings show one frame", (long)(va_a2[3] == 0xa11ce000u), 1);
	probe_expect("fast: XN page", HYPERVISOR_update_va_mapping(TEST_VA + 0x12000u,
		     SMALL(b, VMM_PTE_SMALL_RW) | VMM_PTE_SMALL_XN, VMM_UVMF_NONE), 0);
	va_b[3] = 0xb0b0b0b0u;
	probe_expect("fast: writable frame cannot be pinned", mmuext1(VMM_MMUEXT_PIN_L2_TABLE, a), -VMM_EBUSY);
	/* fall-backs: a present entry is replaced by the general path, counts moved */
	probe_expect("fall-back: over a present entry", HYPERVISOR_update_va_mapping(TEST_VA + 0x10000u,
		     SMALL(b, VMM_PTE_SMALL_RW), VMM_UVMF_INVLPG), 0);
	probe_expect("fall-back: the entry shows the new frame", (long)(va_a[3] == 0xb0b0b0b0u), 1);
	probe_expect("fast: still mapped once", mmuext1(VMM_MMUEXT_PIN_L2_TABLE, a), -VMM_EBUSY);
	probe_expect("unmap the second mapping", HYPERVISOR_update_va_mapping(TEST_VA + 0x11000u, 0,
		     VMM_UVMF_INVLPG), 0);
	probe_expect("fast: counts back to 0 (pin as L2)", mmuext1(VMM_MMUEXT_PIN_L2_TABLE, a), 0);
	probe_expect("fast: table frame read/write refused", HYPERVISOR_update_va_mapping(TEST_VA + 0x11000u,
		     SMALL(a, VMM_PTE_SMALL_RW), VMM_UVMF_NONE), -VMM_EBUSY);
	probe_expect("unpin it again", mmuext1(VMM_MMUEXT_UNPIN_TABLE, a), 0);
	/* flags: TLB_FLUSH taken by the general path, 3 refused */
	probe_expect("fall-back: flags 3 refused", HYPERVISOR_update_va_mapping(TEST_VA + 0x13000u,
		     SMALL(a, VMM_PTE_SMALL_RW), 3), -VMM_EINVAL);
	probe_expect("fall-back: flags TLB_FLUSH", HYPERVISOR_update_va_mapping(TEST_VA + 0x13000u,
		     SMALL(a, VMM_PTE_SMALL_RW), VMM_UVMF_TLB_FLUSH), 0);
	probe_expect("fall-back: TLB_FLUSH mapping works", (long)(va_m[3] == 0xa11ce000u), 1);
	probe_expect("unmap it", HYPERVISOR_update_va_mapping(TEST_VA + 0x13000u, 0, VMM_UVMF_INVLPG), 0);
	/* addresses: no L2 at the L1 entry (fault, section), the hypervisor's region */
	probe_expect("fall-back: L1 entry empty", HYPERVISOR_update_va_mapping(TEST_VA + MIB,
		     SMALL(a, VMM_PTE_SMALL_RW), 0), -VMM_EINVAL);
	probe_expect("fall-back: L1 entry a section", HYPERVISOR_update_va_mapping(VMM_GUEST_BASE + 0x1000u,
		     SMALL(a, VMM_PTE_SMALL_RW), 0), -VMM_EINVAL);
	probe_expect("fall-back: first hypervisor MiB", HYPERVISOR_update_va_mapping(VMM_HYPERVISOR_VA_BASE,
		     SMALL(a, VMM_PTE_SMALL_RW), 0), -VMM_EPERM);
	probe_expect("fall-back: last hypervisor page", HYPERVISOR_update_va_mapping(0xFFFFF000u,
		     SMALL(a, VMM_PTE_SMALL_RW), 0), -VMM_EPERM);
	/* frames: not the domain's (hypervisor, the other domain, free, past RAM), tables, forms */
	probe_expect("fall-back: hypervisor frame read/write", HYPERVISOR_update_va_mapping(TEST_VA + 0x3000u,
		     SMALL(hv_mfn, VMM_PTE_SMALL_RW), 0), -VMM_EPERM);
	probe_expect("fall-back: frame 0 read/write", HYPERVISOR_update_va_mapping(TEST_VA + 0x3000u,
		     SMALL(0u, VMM_PTE_SMALL_RW), 0), -VMM_EPERM);
	probe_expect("fall-back: last frame read/write", HYPERVISOR_update_va_mapping(TEST_VA + 0x3000u,
		     SMALL(0xFFFFFu, VMM_PTE_SMALL_RW), 0), -VMM_EPERM);
	probe_expect("fall-back: every frame not the domain's refused read/write",
		     (long)(map_foreign(l2, VMM_PTE_SMALL_RW, &accepted) > 7000u && accepted == 0), 1);
	probe_expect("fall-back: own L1 read/write", HYPERVISOR_update_va_mapping(TEST_VA + 0x3000u,
		     SMALL(pt_l1 + 2, VMM_PTE_SMALL_RW), 0), -VMM_EBUSY);
	probe_expect("fall-back: shareable", HYPERVISOR_update_va_mapping(TEST_VA + 0x3000u,
		     SMALL(a, VMM_PTE_SMALL_RW) | 0x400u, 0), -VMM_EINVAL);
	probe_expect("fall-back: PL1-only access", HYPERVISOR_update_va_mapping(TEST_VA + 0x3000u,
		     (SMALL(a, 0) | 0x10u), 0), -VMM_EINVAL);
	probe_expect("fall-back: global", HYPERVISOR_update_va_mapping(TEST_VA + 0x3000u,
		     SMALL(a, VMM_PTE_SMALL_RW) & ~VMM_PTE_SMALL_NG, 0), -VMM_EINVAL);
	probe_expect("fall-back: large page", HYPERVISOR_update_va_mapping(TEST_VA + 0x3000u,
		     (SMALL(a, VMM_PTE_SMALL_RW) & ~VMM_PTE_L2_SMALL) | 1u, 0), -VMM_EINVAL);
	probe_expect("fall-back: read-only (C fast path)", HYPERVISOR_update_va_mapping(TEST_VA + 0x13000u,
		     SMALL(a, VMM_PTE_SMALL_RO), 0), 0);
	probe_expect("read-only mapping reads", (long)(va_m[3] == 0xa11ce000u), 1);
	probe_expect("unmap it", HYPERVISOR_update_va_mapping(TEST_VA + 0x13000u, 0, VMM_UVMF_INVLPG), 0);
	/* from multicall (called from C, another stack depth) */
	mc.op = VMM_HC_update_va_mapping;
	mc.args[0] = TEST_VA + 0x13000u;
	mc.args[1] = SMALL(a, VMM_PTE_SMALL_RW);
	mc.args[2] = VMM_UVMF_INVLPG;
	probe_expect("fast: from multicall", HYPERVISOR_multicall(&mc, 1), 0);
	probe_expect("fast: multicall result", (long)mc.result, 0);
	probe_expect("fast: multicall mapping works", (long)(va_m[3] == 0xa11ce000u), 1);
	/* back to nothing */
	probe_expect("unmap it", HYPERVISOR_update_va_mapping(TEST_VA + 0x13000u, 0, VMM_UVMF_INVLPG), 0);
	probe_expect("unmap b", HYPERVISOR_update_va_mapping(TEST_VA + 0x10000u, 0, VMM_UVMF_INVLPG), 0);
	probe_expect("unmap b (XN)", HYPERVISOR_update_va_mapping(TEST_VA + 0x12000u, 0, VMM_UVMF_INVLPG), 0);
	probe_expect("fast: counts of b back to 0 (pin as L2)", mmuext1(VMM_MMUEXT_PIN_L2_TABLE, b), 0);
	probe_expect("unpin b", mmuext1(VMM_MMUEXT_UNPIN_TABLE, b), 0);
}

void probe_main(const struct vmm_start_info *si)
{
	uint32_t l2, page, hv_mfn, refused, accepted, hv_entry;
	volatile uint32_t *va = (volatile uint32_t *)TEST_VA;
	volatile uint32_t *va_ro = (volatile uint32_t *)(TEST_VA + 0x1000u);
	/* L1 frames 1 (entries 0x400..0x7FF) and 3 (0xC00..0xFFF), read-only. */
	volatile uint32_t *l1_ro1 = (volatile uint32_t *)(TEST_VA + 0x2000u);
	volatile uint32_t *l1_ro3 = (volatile uint32_t *)(TEST_VA + 0x4000u);
	uint32_t sect = ((VMM_GUEST_BASE >> 20) + 1);  /* L1 entry of the second MiB */
	uint32_t sect_val;

	if (probe_cmdline_has(si->cmd_line, "victim")) {
		victim();
		probe_shutdown(VMM_SHUTDOWN_poweroff);
	}
	probe_puts("mm guest: start\n");
	pt_l1 = si->pt_base_mfn;
	p2m = (const uint32_t *)si->p2m_list;
	nr_pages = si->nr_pages;
	l2 = p2m[256];      /* frames of the second MiB, unmapped first */
	page = p2m[257];

	/* ---- positive path */
	sect_val = (p2m[256] << 12) | VMM_PTE_L1_SECTION | VMM_PTE_SECT_NORMAL | VMM_PTE_SECT_RW | VMM_PTE_SECT_NG;
	probe_expect("pin L2 in a frame still mapped writable", mmuext1(VMM_MMUEXT_PIN_L2_TABLE, l2), -VMM_EBUSY);
	probe_expect("unmap the second MiB", mmu_update1(L1_ENTRY(sect), 0), 0);
	probe_expect("pin L2", mmuext1(VMM_MMUEXT_PIN_L2_TABLE, l2), 0);
	probe_expect("hook L2 at 0x40000000", mmu_update1(L1_ENTRY(TEST_VA >> 20), (l2 << 12) | VMM_PTE_L1_TABLE), 0);
	probe_expect("map a fresh page", HYPERVISOR_update_va_mapping(TEST_VA, SMALL(page, VMM_PTE_SMALL_RW),
								       VMM_UVMF_INVLPG), 0);
	probe_expect("map it again read-only", HYPERVISOR_update_va_mapping(TEST_VA + 0x1000u,
		     SMALL(page, VMM_PTE_SMALL_RO), VMM_UVMF_INVLPG), 0);
	probe_expect("fresh page reads zero", (long)va[5], 0);
	va[5] = 0x5a5aa5a5u;
	probe_expect("write/read through the new mapping", (long)(va[5] == 0x5a5aa5a5u), 1);
	probe_expect("the read-only alias sees it", (long)(va_ro[5] == 0x5a5aa5a5u), 1);
	probe_expect("map own L1 read-only", HYPERVISOR_update_va_mapping(TEST_VA + 0x2000u,
		     SMALL(pt_l1 + 1, VMM_PTE_SMALL_RO), VMM_UVMF_INVLPG), 0);
	probe_expect("map own L1 read-only (hypervisor part)", HYPERVISOR_update_va_mapping(TEST_VA + 0x4000u,
		     SMALL(pt_l1 + 3, VMM_PTE_SMALL_RO), VMM_UVMF_INVLPG), 0);
	probe_expect("own L1 shows the hooked L2 with the user ARM domain",
		     (long)(l1_ro1[(TEST_VA >> 20) - 0x400] ==
			    ((l2 << 12) | VMM_PTE_L1_TABLE | (VMM_ARM_DOMAIN_GUEST_USER << 5))), 1);
	hv_entry = l1_ro3[(VMM_HYPERVISOR_VA_BASE >> 20) - 0xC00]; /* the hypervisor's window, a section */
	probe_expect("hypervisor window entry is a section", (long)(hv_entry & 3u), 2);
	hv_mfn = ((hv_entry & 0xFFF00000u) >> 12) + 256u + 1u; /* inside the hypervisor image */

	fast_path_checks(l2, hv_mfn);

	/* ---- refusals */
	probe_expect("map a hypervisor frame", HYPERVISOR_update_va_mapping(TEST_VA + 0x3000u,
		     SMALL(hv_mfn, VMM_PTE_SMALL_RO), 0), -VMM_EPERM);
	probe_expect("section over hypervisor frames", mmu_update1(L1_ENTRY(0x401),
		     (hv_entry & 0xFFF00000u) | VMM_PTE_L1_SECTION | VMM_PTE_SECT_NORMAL | VMM_PTE_SECT_RO | VMM_PTE_SECT_NG),
		     -VMM_EPERM);
	refused = map_foreign(l2, VMM_PTE_SMALL_RO, &accepted);
	probe_expect("every frame not the domain's refused (32 MiB around it)", (long)accepted, 0);
	probe_expect("frames tried", (long)(refused > 7000u), 1);
	probe_expect("own L1 writable", HYPERVISOR_update_va_mapping(TEST_VA + 0x3000u,
		     SMALL(pt_l1, VMM_PTE_SMALL_RW), 0), -VMM_EBUSY);
	probe_expect("own L2 writable", HYPERVISOR_update_va_mapping(TEST_VA + 0x3000u,
		     SMALL(l2, VMM_PTE_SMALL_RW), 0), -VMM_EBUSY);
	probe_expect("pin a frame mapped writable as L1", mmuext1(VMM_MMUEXT_PIN_L1_TABLE, p2m[0]), -VMM_EBUSY);
	probe_expect("update_va_mapping in the hypervisor region",
		     HYPERVISOR_update_va_mapping(VMM_HYPERVISOR_VA_BASE, SMALL(page, VMM_PTE_SMALL_RO), 0), -VMM_EPERM);
	probe_expect("mmu_update of a hypervisor L1 entry",
		     mmu_update1(L1_ENTRY(VMM_HYPERVISOR_VA_BASE >> 20), 0), -VMM_EPERM);
	probe_expect("large page descriptor", HYPERVISOR_update_va_mapping(TEST_VA + 0x3000u,
		     (page << 12) | 1u | VMM_PTE_SMALL_NG, 0), -VMM_EINVAL);
	probe_expect("PXN section descriptor", mmu_update1(L1_ENTRY(0x401), sect_val | 3u), -VMM_EINVAL);
	probe_expect("supersection", mmu_update1(L1_ENTRY(0x401), sect_val | (1u << 18)), -VMM_EINVAL);
	probe_expect("device memory type", HYPERVISOR_update_va_mapping(TEST_VA + 0x3000u,
		     (page << 12) | VMM_PTE_L2_SMALL | VMM_PTE_SMALL_NG | VMM_PTE_SMALL_RW | 4u, 0), -VMM_EINVAL);
	probe_expect("global entry", HYPERVISOR_update_va_mapping(TEST_VA + 0x3000u,
		     (page << 12) | VMM_PTE_L2_SMALL | VMM_PTE_SMALL_NORMAL | VMM_PTE_SMALL_RW, 0), -VMM_EINVAL);
	/* The hypervisor never writes into a page table for the guest: a grant
	 * copy (local to local) of a forged entry mapping a hypervisor frame
	 * read/write into the pinned L2 (its pseudo-physical address: the
	 * second MiB), and an event_channel_op whose result would land there. */
	{
		static struct vmm_gnttab_copy cp;
		static uint32_t forged;
		uint32_t l2_va = VMM_GUEST_BASE + MIB; /* pfn 256: the L2 frame */
		volatile uint32_t *l2_ro = (volatile uint32_t *)(TEST_VA + 0x6000u);

		forged = SMALL(hv_mfn, VMM_PTE_SMALL_RW);
		cp.source.u = (uint32_t)&forged;
		cp.source.domid = VMM_DOMID_SELF;
		cp.dest.u = l2_va + 4u * 8u; /* the entry of TEST_VA + 0x8000 */
		cp.dest.domid = VMM_DOMID_SELF;
		cp.len = 4;
		probe_expect("grant copy into own L2 (call)", HYPERVISOR_grant_table_op(VMM_GNTTABOP_copy, &cp, 1), 0);
		probe_expect("grant copy into own L2", cp.status, -VMM_EFAULT);
		probe_expect("event_channel_op result into own L2",
			     HYPERVISOR_event_channel_op(VMM_EVTCHNOP_bind_ipi, (void *)(l2_va + 4u * 9u)), -VMM_EFAULT);
		probe_expect("map own L2 read-only", HYPERVISOR_update_va_mapping(TEST_VA + 0x6000u,
			     SMALL(l2, VMM_PTE_SMALL_RO), VMM_UVMF_INVLPG), 0);
		probe_expect("own L2 unchanged by the refused calls", (long)(l2_ro[8] | l2_ro[9]), 0);
		probe_expect("unmap own L2", HYPERVISOR_update_va_mapping(TEST_VA + 0x6000u, 0, VMM_UVMF_INVLPG), 0);
	}
	probe_expect("unpin the current L1", mmuext1(VMM_MMUEXT_UNPIN_TABLE, pt_l1), -VMM_EBUSY);
	probe_expect("unpin an L2 in use", mmuext1(VMM_MMUEXT_UNPIN_TABLE, l2), -VMM_EBUSY);
	probe_expect("unknown mmuext command", mmuext1(99, 0), -VMM_EINVAL);

	/* ---- back to nothing: unmap, unhook, unpin */
	probe_expect("unmap the page", HYPERVISOR_update_va_mapping(TEST_VA, 0, VMM_UVMF_INVLPG), 0);
	probe_expect("unmap the alias", HYPERVISOR_update_va_mapping(TEST_VA + 0x1000u, 0, VMM_UVMF_INVLPG), 0);
	probe_expect("unmap own L1", HYPERVISOR_update_va_mapping(TEST_VA + 0x2000u, 0, VMM_UVMF_INVLPG), 0);
	probe_expect("unmap own L1 (2)", HYPERVISOR_update_va_mapping(TEST_VA + 0x4000u, 0, VMM_UVMF_INVLPG), 0);
	probe_expect("unhook L2", mmu_update1(L1_ENTRY(TEST_VA >> 20), 0), 0);
	probe_expect("unpin L2", mmuext1(VMM_MMUEXT_UNPIN_TABLE, l2), 0);
	probe_expect("second MiB mapped again", mmu_update1(L1_ENTRY(sect), sect_val), 0);
	probe_expect("the page kept its data", (long)(*(volatile uint32_t *)(VMM_GUEST_BASE + MIB + 0x1000u + 20u)),
		     0x5a5aa5a5);
	/* ---- aliasing sections: the L1 may hold VMM_L1_SECTION_LIMIT(512) = 20
	 * (the builder's one or two among them), the next one is refused */
	{
		uint32_t k, alias = (p2m[256] << 12) | VMM_PTE_L1_SECTION | VMM_PTE_SECT_NORMAL |
				    VMM_PTE_SECT_RO | VMM_PTE_SECT_NG;
		long rc = 0;

		for (k = 0; k < 64 && rc == 0; k++)
			rc = mmu_update1(L1_ENTRY(0x500 + k), alias);
		k--; /* the refused one */
		probe_expect("sections past the limit refused", rc, -VMM_E2BIG);
		probe_expect("sections accepted before (20 less the builder's 1 or 2)",
			     (long)(k >= 18 && k <= 19 && nr_pages == 512), 1);
		probe_expect("the refused entry stays empty", mmu_update1(L1_ENTRY(0x500 + k), 0), 0);
		while (k--)
			probe_expect("alias removed", mmu_update1(L1_ENTRY(0x500 + k), 0), 0);
		probe_expect("room again", mmu_update1(L1_ENTRY(0x500), alias), 0);
		probe_expect("and removed", mmu_update1(L1_ENTRY(0x500), 0), 0);
	}
	probe_puts(probe_failures ? "mm guest: FAILED\n" : "mm guest: all checks passed\n");
	probe_shutdown(probe_failures ? VMM_SHUTDOWN_crash : VMM_SHUTDOWN_poweroff);
}
