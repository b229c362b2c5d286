/*
 * struct pt_ops for real domains (see pt_ops.h).
 */
#include "pt_ops.h"

#include "arch.h"
#include "cold.h"
#include "domain.h"
#include "guest_access.h"
#include "mm.h"
#include "mm_hcall.h"
#include "vmm/mmu.h"

#define PAGE_MASK 0xFFFu

/*
 * The only place the page-table code names the hardware address spaces of
 * a domain: one ASID per address space (L1 table) from the domain's ASID
 * cache (core/asid.h), loaded by arch_mmu_domain_set() when the domain runs.
 */
static void space_flush(const struct domain *d)
{
	arch_mmu_flush_spaces(&d->asids);
}

static void space_flush_va(const struct domain *d, uint32_t va)
{
	arch_mmu_flush_va(d->slot, va);
}

/*
 * A table that was an address space before keeps its ASID: every change to
 * a pinned table that dropped a mapping flushed all the domain's ASIDs
 * (space_flush) before the guest ran again, so its TLB entries are current.
 */
static void space_load(struct domain *d, uint32_t l1)
{
	arch_mmu_domain_set(d->slot, l1, asid_cache_get(&d->asids, l1 >> 12));
}

static void space_forget(struct domain *d, uint32_t l1)
{
	asid_cache_forget(&d->asids, l1 >> 12);
}

static uint32_t ops_read(void *ctx, uint32_t maddr)
{
	uint32_t *p = arch_map_frame(maddr >> 12), v = 0;

	(void)ctx;
	/* Tables are the domain's frames; a slot is always free (mm.c's rule). */
	if (p) {
		v = p[(maddr & PAGE_MASK) >> 2];
		arch_unmap_frame(p);
	}
	return v;
}

static void ops_write(void *ctx, uint32_t maddr, uint32_t val)
{
	uint32_t *p = arch_map_frame(maddr >> 12);

	(void)ctx;
	if (p) {
		p[(maddr & PAGE_MASK) >> 2] = val;
		arch_pt_entry_sync(&p[(maddr & PAGE_MASK) >> 2]);
		arch_unmap_frame(p);
	}
}

static void ops_sync_entry(void *ctx, const uint32_t *hv)
{
	(void)ctx;
	arch_pt_entry_sync(hv);
}

static void ops_sync_table(void *ctx, uint32_t maddr, uint32_t len)
{
	uint8_t *p = arch_map_frame(maddr >> 12);

	(void)ctx;
	if (p) {
		arch_pt_table_sync(p + (maddr & PAGE_MASK), len);
		arch_unmap_frame(p);
	}
}

static void ops_flush_all(void *ctx)
{
	space_flush(ctx);
}

static void ops_flush_va(void *ctx, uint32_t va)
{
	space_flush_va(ctx, va);
}

static void ops_sync_icache(void *ctx, uint32_t maddr, uint32_t len)
{
	uint8_t *p = arch_map_frame(maddr >> 12);

	(void)ctx;
	if (p) {
		arch_sync_icache(p + (maddr & PAGE_MASK), len);
		arch_unmap_frame(p);
	}
}

static void ops_set_base(void *ctx, uint32_t l1)
{
	space_load(ctx, l1);
}

static void ops_forget_base(void *ctx, uint32_t l1)
{
	space_forget(ctx, l1);
}

static int ops_copy_from(void *ctx, void *dst, uint32_t va, uint32_t len)
{
	return guest_copy_from(ctx, dst, va, len);
}

static int ops_copy_to(void *ctx, uint32_t va, const void *src, uint32_t len)
{
	return guest_copy_to(ctx, va, src, len);
}

static bool ops_over_budget(void *ctx)
{
	(void)ctx;
	return mm_batch_over_budget();
}

const struct pt_ops pt_domain_ops = {
	.read = ops_read,
	.write = ops_write,
	.flush_all = ops_flush_all,
	.flush_va = ops_flush_va,
	.sync_icache = ops_sync_icache,
	.sync_entry = ops_sync_entry,
	.sync_table = ops_sync_table,
	.set_base = ops_set_base,
	.forget_base = ops_forget_base,
	.copy_from = ops_copy_from,
	.copy_to = ops_copy_to,
	.over_budget = ops_over_budget,
};

VMM_COLD void pt_domain_init(struct domain *d, uint32_t l1_mfn)
{
	struct arch_hv_layout lay;

	pt_space_init(&d->pt, mm_table, &pt_domain_ops, d, arch_mmu_hyp_entries(),
		      VMM_HYPERVISOR_VA_BASE >> 20, (uint16_t)d->id);
	arch_hv_layout(&lay);
	pt_space_linear(&d->pt, lay.window_base, lay.window_size, arch_phys_to_hv(lay.window_base));
	pt_base_adopt(&d->pt, l1_mfn);
	d->pt.domid = d->id;
	d->pt.rejections_logged = &d->rejections_logged;
	pt_limit_sections(&d->pt, VMM_L1_SECTION_LIMIT(d->max_pages));
}
