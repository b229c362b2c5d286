/* Helpers shared by the secure/rich example guests (see guest_lib.h). */
#include "guest_lib.h"

#include <string.h>

#include <vmm/hypercall.h>

uint32_t sr_mfn_of(const struct vmm_start_info *si, const void *p)
{
	const uint32_t *p2m = (const uint32_t *)si->p2m_list;

	return p2m[((uint32_t)(uintptr_t)p - VMM_GUEST_BASE) >> 12];
}

long sr_gnttab_setup(const struct vmm_start_info *si, void *table)
{
	static struct vmm_gnttab_setup_table op;
	static uint32_t frame;
	long rc;

	memset(table, 0, 4096);
	frame = sr_mfn_of(si, table);
	op.dom = VMM_DOMID_SELF;
	op.nr_frames = 1;
	op.frame_list = (uint32_t)(uintptr_t)&frame;
	rc = HYPERVISOR_grant_table_op(VMM_GNTTABOP_setup_table, &op, 1);
	return rc ? rc : op.status;
}

void sr_grant(void *table, uint32_t ref, uint32_t frame, uint16_t grantee, int readonly)
{
	volatile struct vmm_grant_entry *e = (volatile struct vmm_grant_entry *)table + ref;

	/* frame and grantee first: the grant is valid only once flags say so */
	e->frame = frame;
	e->domid = grantee;
	__sync_synchronize();
	e->flags = (uint16_t)(VMM_GTF_permit_access | (readonly ? VMM_GTF_readonly : 0));
}

long sr_l2_at(const struct vmm_start_info *si, uint32_t va)
{
	static struct vmm_mmu_update req;
	static struct vmm_mmuext_op op;
	const uint32_t *p2m = (const uint32_t *)si->p2m_list;
	uint32_t last_mib = si->nr_pages / 256u - 1u;
	uint32_t l2 = p2m[last_mib * 256u];
	uint32_t l1 = si->pt_base_mfn << 12;
	long rc;

	/* the last MiB is mapped by one section (the builder found an aligned run) */
	req.ptr = l1 + 4u * ((VMM_GUEST_BASE >> 20) + last_mib);
	req.val = 0;
	rc = HYPERVISOR_mmu_update(&req, 1, 0, VMM_DOMID_SELF);
	if (rc)
		return rc;
	op.cmd = VMM_MMUEXT_PIN_L2_TABLE;
	op.arg1 = l2;
	op.arg2 = 0;
	rc = HYPERVISOR_mmuext_op(&op, 1, 0, VMM_DOMID_SELF);
	if (rc)
		return rc;
	req.ptr = l1 + 4u * (va >> 20);
	req.val = (l2 << 12) | VMM_PTE_L1_TABLE;
	return HYPERVISOR_mmu_update(&req, 1, 0, VMM_DOMID_SELF);
}

long sr_map(uint32_t dom, uint32_t ref, uint32_t va, int readonly, uint32_t *handle)
{
	static struct vmm_gnttab_map_grant_ref op;
	long rc;

	memset(&op, 0, sizeof(op));
	op.host_addr = va;
	op.flags = VMM_GNTMAP_host_map | (readonly ? VMM_GNTMAP_readonly : 0);
	op.ref = ref;
	op.dom = (uint16_t)dom;
	rc = HYPERVISOR_grant_table_op(VMM_GNTTABOP_map_grant_ref, &op, 1);
	if (rc)
		return rc;
	if (handle)
		*handle = op.handle;
	return op.status;
}

long sr_unmap(uint32_t va, uint32_t handle)
{
	static struct vmm_gnttab_unmap_grant_ref op;
	long rc;

	op.host_addr = va;
	op.handle = handle;
	op.status = 0;
	rc = HYPERVISOR_grant_table_op(VMM_GNTTABOP_unmap_grant_ref, &op, 1);
	return rc ? rc : op.status;
}

long sr_copy_in(uint32_t dom, uint32_t ref, uint32_t offset, void *dst, uint32_t len)
{
	static struct vmm_gnttab_copy op;
	long rc;

	memset(&op, 0, sizeof(op));
	op.source.u = ref;
	op.source.domid = (uint16_t)dom;
	op.source.offset = (uint16_t)offset;
	op.dest.u = (uint32_t)(uintptr_t)dst;
	op.dest.domid = VMM_DOMID_SELF;
	op.len = (uint16_t)len;
	op.flags = VMM_GNTCOPY_source_gref;
	rc = HYPERVISOR_grant_table_op(VMM_GNTTABOP_copy, &op, 1);
	return rc ? rc : op.status;
}

void sr_hex(const uint8_t *p, unsigned int n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	unsigned int i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}
