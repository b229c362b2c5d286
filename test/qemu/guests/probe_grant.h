/*
 * Grant and page-table helpers shared by the test guests that map grants
 * (grant_death.c, bench_grant.c): one-entry grant_table_op calls and the
 * guest's own L2 table to map them into. Test code, not a guest library:
 * each call returns the hypercall's error or the operation's status.
 */
#ifndef PROBE_GRANT_H
#define PROBE_GRANT_H

#include <stdint.h>

#include "vmm/grant_table.h"
#include "vmm/guest_info.h"
#include "vmm/hypercall.h"
#include "vmm/mmu.h"

static inline long probe_gnttab(uint32_t cmd, void *op, uint32_t n)
{
	return vmm_hypercall5(VMM_HC_grant_table_op, cmd, (uint32_t)op, n, 0, 0);
}

/* Maps domain dom's grant ref at va (read-write); *handle is the mapping's handle. */
static inline long probe_grant_map(uint32_t dom, uint32_t ref, uint32_t va, uint32_t *handle)
{
	static struct vmm_gnttab_map_grant_ref op;
	long rc;

	op.host_addr = va;
	op.flags = VMM_GNTMAP_host_map;
	op.ref = ref;
	op.dom = (uint16_t)dom;
	rc = probe_gnttab(VMM_GNTTABOP_map_grant_ref, &op, 1);
	*handle = op.handle;
	return rc ? rc : op.status;
}

static inline long probe_grant_unmap(uint32_t va, uint32_t handle)
{
	static struct vmm_gnttab_unmap_grant_ref op;
	long rc;

	op.host_addr = va;
	op.handle = handle;
	rc = probe_gnttab(VMM_GNTTABOP_unmap_grant_ref, &op, 1);
	return rc ? rc : op.status;
}

/*
 * Gives the guest an empty L2 table at the MiB of map_va: the last MiB of its
 * memory is unmapped, that MiB's first frame pinned as an L2 and hooked into
 * the L1 at map_va (the layout the secure/rich example uses).
 */
static inline long probe_l2_setup(const struct vmm_start_info *si, const uint32_t *p2m, uint32_t map_va)
{
	static struct vmm_mmu_update req;
	static struct vmm_mmuext_op op;
	uint32_t last = si->nr_pages / 256u - 1u, l2 = p2m[last * 256u], l1 = si->pt_base_mfn << 12;
	long rc;

	req.ptr = l1 + 4u * ((VMM_GUEST_BASE >> 20) + last);
	req.val = 0;
	rc = HYPERVISOR_mmu_update(&req, 1, 0, VMM_DOMID_SELF);
	op.cmd = VMM_MMUEXT_PIN_L2_TABLE;
	op.arg1 = l2;
	rc = rc ? rc : HYPERVISOR_mmuext_op(&op, 1, 0, VMM_DOMID_SELF);
	req.ptr = l1 + 4u * (map_va >> 20);
	req.val = (l2 << 12) | VMM_PTE_L1_TABLE;
	return rc ? rc : HYPERVISOR_mmu_update(&req, 1, 0, VMM_DOMID_SELF);
}

#endif
