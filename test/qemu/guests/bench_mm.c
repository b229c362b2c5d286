/*
 * Benchmark guest: the page-table hypercalls (issue 9), PMU cycle counter
 * under -icount shift=0 (instruction counts). Needs VMM_DOMCFG_PMU_USER and
 * 2 MiB of memory, 1 MiB aligned in machine memory (its second MiB is
 * unmapped and used for an L2 table and the pages mapped).
 *
 *   update_va_mapping of one page, trap to return: an empty L2 entry of the
 *   current address space set to a read/write small page, no flush asked
 *   (the minimum of 64 runs, minus the counter read itself);
 *   mmu_update of a batch of 64 entries (fault -> read-only page), the
 *   whole call and per entry.
 *
 * Prints "bench: <name> = <n> instructions" lines read by scripts/bench.sh.
 */
#include "probe_lib.h"
#include "vmm/mmu.h"

#define ROUNDS  64
#define BATCH   64
#define TEST_VA 0x40000000u
#define SMALL(mfn, ap) (((mfn) << 12) | VMM_PTE_L2_SMALL | VMM_PTE_SMALL_NORMAL | VMM_PTE_SMALL_NG | (ap))

void probe_main(const struct vmm_start_info *si);

static struct vmm_mmu_update reqs[BATCH];
static struct vmm_mmuext_op ext;
static uint32_t l1, l2, page;
static const uint32_t *p2m;

static uint32_t measure_empty(void)
{
	uint32_t t0, t1;

	__asm__ volatile("mrc p15, 0, %0, c9, c13, 0\n\t"
			 "mrc p15, 0, %1, c9, c13, 0"
			 : "=&r"(t0), "=&r"(t1));
	return t1 - t0;
}

/* One update_va_mapping(TEST_VA, page rw, 0) between the counter reads; then unmapped again. */
static uint32_t measure_uvm(void)
{
	register uint32_t r0 __asm__("r0") = TEST_VA;
	register uint32_t r1 __asm__("r1") = SMALL(page, VMM_PTE_SMALL_RW);
	register uint32_t r2 __asm__("r2") = VMM_UVMF_NONE;
	register uint32_t r7 __asm__("r7") = VMM_HC_update_va_mapping;
	uint32_t t0, t1;

	__asm__ volatile("mrc p15, 0, %0, c9, c13, 0\n\t"
			 "svc #0x82\n\t"
			 "mrc p15, 0, %1, c9, c13, 0"
			 : "=&r"(t0), "=&r"(t1), "+r"(r0)
			 : "r"(r1), "r"(r2), "r"(r7)
			 : "r3", "memory");
	if (r0 != 0)
		probe_puts("FAIL update_va_mapping refused\n");
	if (HYPERVISOR_update_va_mapping(TEST_VA, 0, VMM_UVMF_INVLPG) != 0)
		probe_puts("FAIL unmap refused\n");
	return t1 - t0;
}

/* One mmu_update of BATCH entries (fault -> read-only page); then cleared again. */
static uint32_t measure_batch(void)
{
	uint32_t t0, t1, i;
	long rc;

	for (i = 0; i < BATCH; i++) {
		reqs[i].ptr = (l2 << 12) + 4 * (i + 8);
		reqs[i].val = SMALL(p2m[300 + i], VMM_PTE_SMALL_RO);
	}
	t0 = probe_ccnt();
	rc = HYPERVISOR_mmu_update(reqs, BATCH, 0, VMM_DOMID_SELF);
	t1 = probe_ccnt();
	if (rc != 0)
		probe_puts("FAIL mmu_update batch refused\n");
	for (i = 0; i < BATCH; i++)
		reqs[i].val = 0;
	if (HYPERVISOR_mmu_update(reqs, BATCH, 0, VMM_DOMID_SELF) != 0)
		probe_puts("FAIL mmu_update clear refused\n");
	return t1 - t0;
}

static uint32_t min_of(uint32_t (*fn)(void), int rounds)
{
	uint32_t best = 0xffffffffu, v;
	int i;

	for (i = 0; i < rounds; i++) {
		v = fn();
		if (v < best)
			best = v;
	}
	return best;
}

void probe_main(const struct vmm_start_info *si)
{
	uint32_t empty, uvm, batch;

	l1 = si->pt_base_mfn;
	p2m = (const uint32_t *)si->p2m_list;
	l2 = p2m[256];
	page = p2m[257];
	reqs[0].ptr = (l1 << 12) + 4 * ((VMM_GUEST_BASE >> 20) + 1);
	reqs[0].val = 0;
	reqs[1].ptr = (l1 << 12) + 4 * (TEST_VA >> 20);
	reqs[1].val = (l2 << 12) | VMM_PTE_L1_TABLE;
	ext.cmd = VMM_MMUEXT_PIN_L2_TABLE;
	ext.arg1 = l2;
	if (HYPERVISOR_mmu_update(reqs, 1, 0, VMM_DOMID_SELF) != 0 ||
	    HYPERVISOR_mmuext_op(&ext, 1, 0, VMM_DOMID_SELF) != 0 ||
	    HYPERVISOR_mmu_update(&reqs[1], 1, 0, VMM_DOMID_SELF) != 0) {
		probe_puts("FAIL bench setup refused\n");
		probe_shutdown(VMM_SHUTDOWN_crash);
	}
	empty = min_of(measure_empty, ROUNDS);
	uvm = min_of(measure_uvm, ROUNDS);
	batch = min_of(measure_batch, 8);
	probe_puts("bench: update_va_mapping of one page = ");
	probe_putd((long)(uvm - empty));
	probe_puts(" instructions\n");
	probe_puts("bench: mmu_update batch of 64 = ");
	probe_putd((long)(batch - empty));
	probe_puts(" instructions\n");
	probe_puts("bench: mmu_update per entry (batch of 64) = ");
	probe_putd((long)((batch - empty) / BATCH));
	probe_puts(" instructions\n");
	probe_shutdown(VMM_SHUTDOWN_poweroff);
}
