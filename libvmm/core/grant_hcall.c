/*
 * grant_table_op(cmd, uop, count): reads each structure from the caller's
 * memory, runs it, writes it back with its status (include/vmm/grant_table.h).
 */
#include "grant_table.h"

#include "vmm/abi.h"

#define OPS gnttab_env_ops
#define CTX gnttab_env_ctx

union gnttab_any_op {
	struct vmm_gnttab_setup_table setup;
	struct vmm_gnttab_query_size query;
	struct vmm_gnttab_map_grant_ref map;
	struct vmm_gnttab_unmap_grant_ref unmap;
	struct vmm_gnttab_copy copy;
};

/* Size of one structure of cmd, 0 for an unknown cmd. */
static uint32_t op_size(uint32_t cmd)
{
	switch (cmd) {
	case VMM_GNTTABOP_setup_table:
		return sizeof(struct vmm_gnttab_setup_table);
	case VMM_GNTTABOP_query_size:
		return sizeof(struct vmm_gnttab_query_size);
	case VMM_GNTTABOP_map_grant_ref:
		return sizeof(struct vmm_gnttab_map_grant_ref);
	case VMM_GNTTABOP_unmap_grant_ref:
		return sizeof(struct vmm_gnttab_unmap_grant_ref);
	case VMM_GNTTABOP_copy:
		return sizeof(struct vmm_gnttab_copy);
	default:
		return 0;
	}
}

/* Runs one structure and stores its status in it. */
static void op_run(struct gnttab *gt, uint32_t cmd, union gnttab_any_op *u)
{
	switch (cmd) {
	case VMM_GNTTABOP_setup_table:
		u->setup.status = gnttab_setup_table(gt, &u->setup);
		break;
	case VMM_GNTTABOP_query_size:
		u->query.status = gnttab_query_size(gt, &u->query);
		break;
	case VMM_GNTTABOP_map_grant_ref:
		u->map.status = gnttab_map(gt, &u->map);
		break;
	case VMM_GNTTABOP_unmap_grant_ref:
		u->unmap.status = gnttab_unmap(gt, &u->unmap);
		break;
	case VMM_GNTTABOP_copy:
	default: /* op_size() let only the five commands through */
		u->copy.status = gnttab_copy(gt, &u->copy);
		break;
	}
}

long gnttab_op(struct gnttab *gt, uint32_t cmd, uint32_t uop, uint32_t count)
{
	uint32_t size = op_size(cmd);
	union gnttab_any_op u;
	uint32_t i;

	if (!size)
		return gnttab_fail(gt, -VMM_EINVAL, "grant_table_op: unknown command %u", (unsigned)cmd);
	if (count > VMM_GNTTAB_BATCH_MAX)
		return gnttab_fail(gt, -VMM_E2BIG, "grant_table_op: batch of %u (max %u)", (unsigned)count,
				   VMM_GNTTAB_BATCH_MAX);
	for (i = 0; i < count; i++) {
		/* count <= 32 and size <= 24: the offset cannot overflow; uop + offset may wrap and is refused */
		uint32_t at = uop + i * size;

		/* Writing the bytes back unchanged first proves the result can be stored:
		 * a mapping is never made whose handle the guest could not receive. */
		if (at < uop || OPS->copy_from(CTX, gt->domid, &u, at, size) ||
		    OPS->copy_to(CTX, gt->domid, at, &u, size))
			return gnttab_fail(gt, -VMM_EFAULT, "grant_table_op: op %u at 0x%08x outside domain memory",
					   (unsigned)i, (unsigned)at);
		op_run(gt, cmd, &u);
		OPS->copy_to(CTX, gt->domid, at, &u, size); /* checked above */
	}
	return 0;
}
