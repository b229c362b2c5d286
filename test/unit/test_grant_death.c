/*
 * Grants when a domain dies, on real domains (domain_create, the grant
 * hypercall, pt_table, the allocator, domain_kill): every frame goes back
 * to the allocator, exactly, once nothing maps it any more; a frame another
 * domain maps stays, with its data, until that domain unmaps it; the grant
 * state itself is a frame taken at first use and freed at death.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "test_domain.h"

#include "grant_glue.h"
#include "pt_table.h"
#include "vmm/grant_table.h"
#include "vmm/mmu.h"

#define MAP_VA   0x40000000u                  /* grantee's own L2 covers this MiB */
#define OP_VA    (VMM_GUEST_BASE + 0x9000u)   /* where the op structures sit in guest memory */
#define LIST_VA  (VMM_GUEST_BASE + 0xA000u)
#define TABLE_PFN 16u
#define DATA_PFN  20u

static struct domain *bystander;

static int group_setup(void **state)
{
	(void)state;
	test_core_boot();
	bystander = test_domain_create_bare("bystander", 0, 0);
	return bystander ? 0 : -1;
}

/* A 2 MiB domain (its second MiB is what a grantee turns into its own L2). */
static struct domain *mk(const char *name)
{
	static struct vmm_domain_config cfgs[8];
	static unsigned int n;
	struct vmm_domain_config *c = &cfgs[n++ % 8];
	struct domain *d;

	memset(c, 0, sizeof(*c));
	c->name = name;
	c->image = test_elf;
	c->image_end = test_elf + sizeof(test_elf);
	c->mem_size = 2u << 20;
	d = domain_create(c);
	assert_non_null(d);
	schedule_wake(d);
	current = bystander; /* the dying domains are never the running one: reaped at once */
	return d;
}

static uint32_t mfn_of(const struct domain *d, uint32_t pfn)
{
	return domain_pfn_to_mfn(d, pfn);
}

/* The grantee's L2 at MAP_VA: its second MiB unmapped, that MiB's first frame pinned as L2. */
static void l2_setup(struct domain *d)
{
	uint32_t l1 = d->l1_mfn << 12, l2 = mfn_of(d, 256);

	assert_int_equal(pt_update(&d->pt, l1 + 4u * ((VMM_GUEST_BASE >> 20) + 1u), 0), 0);
	assert_int_equal(pt_pin_l2(&d->pt, l2), 0);
	assert_int_equal(pt_update(&d->pt, l1 + 4u * (MAP_VA >> 20), (l2 << 12) | VMM_PTE_L1_TABLE), 0);
	pt_flush_pending(&d->pt);
}

/* The granter's table on its pfn TABLE_PFN, entry ref granting pfn DATA_PFN to grantee. */
static void grant_setup(struct domain *g, uint32_t ref, uint16_t grantee, uint16_t flags)
{
	struct vmm_gnttab_setup_table *op = test_guest_ptr(g, OP_VA);
	struct vmm_grant_entry *e = test_guest_ptr(g, VMM_GUEST_BASE + TABLE_PFN * 4096u);

	*(uint32_t *)test_guest_ptr(g, LIST_VA) = mfn_of(g, TABLE_PFN);
	memset(op, 0, sizeof(*op));
	op->dom = VMM_DOMID_SELF;
	op->nr_frames = 1;
	op->frame_list = LIST_VA;
	assert_int_equal(grant_table_op(g, VMM_GNTTABOP_setup_table, OP_VA, 1), 0);
	assert_int_equal(op->status, 0);
	e[ref].frame = mfn_of(g, DATA_PFN);
	e[ref].domid = grantee;
	e[ref].flags = flags;
}

static int map(struct domain *d, uint16_t granter, uint32_t ref, uint32_t va, uint32_t *handle)
{
	struct vmm_gnttab_map_grant_ref *op = test_guest_ptr(d, OP_VA);

	memset(op, 0, sizeof(*op));
	op->host_addr = va;
	op->flags = VMM_GNTMAP_host_map;
	op->ref = ref;
	op->dom = granter;
	assert_int_equal(grant_table_op(d, VMM_GNTTABOP_map_grant_ref, OP_VA, 1), 0);
	*handle = op->handle;
	return op->status;
}

static int unmap(struct domain *d, uint32_t va, uint32_t handle)
{
	struct vmm_gnttab_unmap_grant_ref *op = test_guest_ptr(d, OP_VA);

	memset(op, 0, sizeof(*op));
	op->host_addr = va;
	op->handle = handle;
	assert_int_equal(grant_table_op(d, VMM_GNTTABOP_unmap_grant_ref, OP_VA, 1), 0);
	return op->status;
}

/* The grantee dies holding a mapping: the granter's frame and flags are as before the map. */
static void test_grantee_dies_holding_a_mapping(void **state)
{
	uint32_t free0 = mm_free_frames(), states0 = grant_state_frames(), h, data;
	struct domain *g, *e;
	struct vmm_grant_entry *ent;

	(void)state;
	g = mk("granter");
	e = mk("grantee");
	l2_setup(e);
	grant_setup(g, 3, (uint16_t)e->id, VMM_GTF_permit_access);
	ent = test_guest_ptr(g, VMM_GUEST_BASE + TABLE_PFN * 4096u);
	data = mfn_of(g, DATA_PFN);
	assert_int_equal(map(e, (uint16_t)g->id, 3, MAP_VA + 0x5000u, &h), 0);
	assert_int_equal(grant_state_frames(), states0 + 2);
	assert_int_equal(mm_frame(data)->u.use.refcount, 2); /* its own mapping and the grant */
	assert_true(ent[3].flags & VMM_GTF_writing);
	domain_kill(e, VMM_SHUTDOWN_poweroff);
	assert_int_equal(mm_frame(data)->u.use.refcount, 1);
	assert_int_equal(mm_frame(data)->u.use.type_count, 1);
	assert_int_equal(ent[3].flags, VMM_GTF_permit_access); /* in-use flags dropped */
	assert_int_equal(grant_state_frames(), states0 + 1);
	domain_kill(g, VMM_SHUTDOWN_poweroff);
	assert_int_equal(grant_state_frames(), states0);
	assert_int_equal(mm_free_frames(), free0);
}

/* The granter dies while its frame is mapped: the grantee keeps it (and its data) until it unmaps. */
static void test_granter_dies_while_its_frame_is_mapped(void **state)
{
	uint32_t free0 = mm_free_frames(), states0 = grant_state_frames(), h, data;
	struct domain *g, *e;
	uint16_t gid;

	(void)state;
	g = mk("granter2");
	e = mk("grantee2");
	l2_setup(e);
	grant_setup(g, 7, (uint16_t)e->id, VMM_GTF_permit_access | VMM_GTF_readonly);
	data = mfn_of(g, DATA_PFN);
	*(uint32_t *)fake_phys_ptr(data << 12) = 0x5ec7e7u;
	assert_int_equal(map(e, (uint16_t)g->id, 7, MAP_VA + 0x5000u, &h), -VMM_EPERM); /* read-only grant */
	{
		struct vmm_gnttab_map_grant_ref *op = test_guest_ptr(e, OP_VA);

		memset(op, 0, sizeof(*op));
		op->host_addr = MAP_VA + 0x5000u;
		op->flags = VMM_GNTMAP_host_map | VMM_GNTMAP_readonly;
		op->ref = 7;
		op->dom = (uint16_t)g->id;
		assert_int_equal(grant_table_op(e, VMM_GNTTABOP_map_grant_ref, OP_VA, 1), 0);
		assert_int_equal(op->status, 0);
		h = op->handle;
	}
	gid = (uint16_t)g->id;
	domain_kill(g, VMM_SHUTDOWN_poweroff);
	/* the mapped frame stays the dead granter's (not free, no one else's), with its data */
	assert_int_equal(mm_frame(data)->owner, gid);
	assert_int_equal(mm_frame(data)->u.use.refcount, 1);
	assert_int_equal(*(uint32_t *)fake_phys_ptr(data << 12), 0x5ec7e7u);
	assert_int_equal(grant_state_frames(), states0 + 1);
	/* nothing new from a dead granter */
	{
		uint32_t h2;

		assert_int_equal(map(e, gid, 7, MAP_VA + 0x6000u, &h2), -VMM_ESRCH);
	}
	/* the last unmap frees it; then the grantee's death leaves nothing */
	assert_int_equal(unmap(e, MAP_VA + 0x5000u, h), 0);
	assert_int_equal(mm_frame(data)->owner, FRAME_OWNER_FREE);
	domain_kill(e, VMM_SHUTDOWN_poweroff);
	assert_int_equal(grant_state_frames(), states0);
	assert_int_equal(mm_free_frames(), free0);
}

/* The granter dies, then the grantee dies still holding the mapping: the frame goes with it. */
static void test_both_die_without_unmapping(void **state)
{
	uint32_t free0 = mm_free_frames(), h, data;
	struct domain *g, *e;

	(void)state;
	g = mk("granter3");
	e = mk("grantee3");
	l2_setup(e);
	grant_setup(g, 1, (uint16_t)e->id, VMM_GTF_permit_access);
	data = mfn_of(g, DATA_PFN);
	assert_int_equal(map(e, (uint16_t)g->id, 1, MAP_VA, &h), 0);
	domain_kill(g, VMM_SHUTDOWN_crash);
	assert_int_not_equal(mm_frame(data)->owner, FRAME_OWNER_FREE);
	domain_kill(e, VMM_SHUTDOWN_poweroff);
	assert_int_equal(mm_frame(data)->owner, FRAME_OWNER_FREE);
	assert_int_equal(mm_free_frames(), free0);
}

/* A domain that never used grants has no grant state frame. */
static void test_no_state_without_grants(void **state)
{
	uint32_t free0 = mm_free_frames(), states0 = grant_state_frames();
	struct domain *d;

	(void)state;
	d = mk("plain");
	assert_int_equal(grant_state_frames(), states0);
	domain_kill(d, VMM_SHUTDOWN_poweroff);
	assert_int_equal(mm_free_frames(), free0);
}

/* No free frame for a domain's first grant state: -ENOMEM, nothing taken; it works once one is free. */
static void test_state_frame_unavailable(void **state)
{
	static uint32_t held[65536];
	uint32_t n = 0, free0, i;
	struct domain *d;
	struct vmm_gnttab_query_size *op;

	(void)state;
	d = mk("starved");
	op = test_guest_ptr(d, OP_VA);
	while (n < 65536 && mm_alloc(0, FRAME_OWNER_HYP, MM_LINEAR, &held[n]) == 0)
		n++;
	free0 = mm_free_frames();
	memset(op, 0, sizeof(*op));
	op->dom = VMM_DOMID_SELF;
	assert_int_equal(grant_table_op(d, VMM_GNTTABOP_query_size, OP_VA, 1), -VMM_ENOMEM);
	assert_int_equal(mm_free_frames(), free0);
	assert_int_equal(grant_state_frames(), 0);
	mm_free(held[--n], 0); /* the last one free: enough */
	assert_int_equal(grant_table_op(d, VMM_GNTTABOP_query_size, OP_VA, 1), 0);
	assert_int_equal(op->max_nr_frames, VMM_GNTTAB_MAX_FRAMES);
	assert_int_equal(grant_state_frames(), 1);
	for (i = 0; i < n; i++)
		mm_free(held[i], 0);
	domain_kill(d, VMM_SHUTDOWN_poweroff);
	assert_int_equal(grant_state_frames(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grantee_dies_holding_a_mapping),
		cmocka_unit_test(test_granter_dies_while_its_frame_is_mapped),
		cmocka_unit_test(test_both_die_without_unmapping),
		cmocka_unit_test(test_no_state_without_grants),
		cmocka_unit_test(test_state_frame_unavailable),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
