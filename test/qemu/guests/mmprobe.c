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

void probe_main(const struct vmm_start_info *si)
{
	uint32_t l2, page, hv_mfn, mfn, first, refused = 0, accepted = 0, hv_entry;
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

	/* ---- refusals */
	probe_expect("map a hypervisor frame", HYPERVISOR_update_va_mapping(TEST_VA + 0x3000u,
		     SMALL(hv_mfn, VMM_PTE_SMALL_RO), 0), -VMM_EPERM);
	probe_expect("section over hypervisor frames", mmu_update1(L1_ENTRY(0x401),
		     (hv_entry & 0xFFF00000u) | VMM_PTE_L1_SECTION | VMM_PTE_SECT_NORMAL | VMM_PTE_SECT_RO | VMM_PTE_SECT_NG),
		     -VMM_EPERM);
	first = p2m[0] > 4096u ? p2m[0] - 4096u : 0;
	for (mfn = first; mfn < p2m[0] + 4096u; mfn++) {
		long rc;

		if (own_frame(mfn) || mfn == l2)
			continue;
		rc = HYPERVISOR_update_va_mapping(TEST_VA + 0x3000u, SMALL(mfn, VMM_PTE_SMALL_RO), 0);
		if (rc == -VMM_EPERM)
			refused++;
		else
			accepted++;
	}
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
	probe_puts(probe_failures ? "mm guest: FAILED\n" : "mm guest: all checks passed\n");
	probe_shutdown(probe_failures ? VMM_SHUTDOWN_crash : VMM_SHUTDOWN_poweroff);
}
