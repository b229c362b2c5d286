/*
 * Grants when a domain dies (issue 11, docs/abi.md "Grant tables"). Three
 * domains run this guest:
 *   dom1 ("granter") grants dom0 a page full of a pattern, waits until
 *        dom0 maps it (the entry's in-use flag), and powers off while the
 *        page is mapped;
 *   dom2 ("holder") maps a page dom0 grants it and powers off without
 *        unmapping it;
 *   dom0 keeps running: it reads dom1's page after dom1 died (the frame
 *        stays until unmapped), unmaps it (the hypervisor frees the frame),
 *        and sees its own grant's in-use flag cleared once dom2 died.
 * The test's --post check (check-mem-returned.sh) proves no frame was lost.
 */
#include "probe_grant.h"
#include "probe_lib.h"
#include "vmm/grant_table.h"

void probe_main(const struct vmm_start_info *si);

#define REF       1u
#define MAP_VA    0x40000000u
#define PATTERN   0x6e617267u
#define DOM0      0u
#define GRANTER   1u
#define HOLDER    2u

static uint8_t table[4096] __attribute__((aligned(4096)));
static uint32_t page[1024] __attribute__((aligned(4096)));
static const uint32_t *p2m;

static uint32_t mfn_of(const void *p)
{
	return p2m[((uint32_t)p - VMM_GUEST_BASE) >> 12];
}

static void yield(void)
{
	HYPERVISOR_sched_op(VMM_SCHEDOP_yield, 0);
}

static long setup_table(void)
{
	static struct vmm_gnttab_setup_table setup;
	static uint32_t frame;

	frame = mfn_of(table);
	setup.dom = VMM_DOMID_SELF;
	setup.nr_frames = 1;
	setup.frame_list = (uint32_t)&frame;
	return probe_gnttab(VMM_GNTTABOP_setup_table, &setup, 1) ? -1 : setup.status;
}

static volatile struct vmm_grant_entry *grant(uint32_t grantee)
{
	volatile struct vmm_grant_entry *e = (volatile struct vmm_grant_entry *)table + REF;

	e->frame = mfn_of(page);
	e->domid = (uint16_t)grantee;
	__sync_synchronize();
	e->flags = VMM_GTF_permit_access;
	return e;
}

/* Maps dom's grant REF at MAP_VA once dom published it (0 or the last error). */
static long map_when_granted(uint32_t dom, uint32_t *handle)
{
	long rc = -1;
	int i;

	for (i = 0; i < 1000 && rc != 0; i++) {
		rc = probe_grant_map(dom, REF, MAP_VA, handle);
		if (rc)
			yield();
	}
	return rc;
}

static void granter(void)
{
	volatile struct vmm_grant_entry *e;
	unsigned int i;

	for (i = 0; i < 1024; i++)
		page[i] = PATTERN + i;
	probe_expect("granter: setup_table", setup_table(), 0);
	e = grant(DOM0);
	while (!(e->flags & VMM_GTF_reading))
		yield();
	probe_puts("granter: dom0 maps my page, powering off\n");
	probe_shutdown(VMM_SHUTDOWN_poweroff);
}

static void holder(const struct vmm_start_info *si)
{
	uint32_t handle;

	probe_expect("holder: own L2", probe_l2_setup(si, p2m, MAP_VA), 0);
	probe_expect("holder: map dom0's page", map_when_granted(DOM0, &handle), 0);
	probe_expect("holder: dom0's data", *(volatile uint32_t *)MAP_VA, PATTERN);
	probe_puts("holder: powering off with dom0's page mapped\n");
	probe_shutdown(VMM_SHUTDOWN_poweroff);
}

void probe_main(const struct vmm_start_info *si)
{
	volatile struct vmm_grant_entry *e;
	volatile uint32_t *m = (volatile uint32_t *)MAP_VA;
	uint32_t handle, h2, i, bad = 0;
	long rc = 0;

	p2m = (const uint32_t *)si->p2m_list;
	if (probe_cmdline_has(si->cmd_line, "granter"))
		granter();
	if (probe_cmdline_has(si->cmd_line, "holder"))
		holder(si);

	probe_expect("own L2", probe_l2_setup(si, p2m, MAP_VA), 0);
	probe_expect("setup_table", setup_table(), 0);
	page[0] = PATTERN;
	e = grant(HOLDER);
	/* 1. the granter dies while its page is mapped here */
	probe_expect("map dom1's page", map_when_granted(GRANTER, &handle), 0);
	for (i = 0; i < 1000; i++) { /* dom1 gone: its grants are no more (-ESRCH) */
		rc = probe_grant_map(GRANTER, REF, MAP_VA + 0x1000u, &h2);
		if (rc == -VMM_ESRCH)
			break;
		if (rc == 0)
			probe_grant_unmap(MAP_VA + 0x1000u, h2);
		yield();
	}
	probe_expect("dom1 died", rc, -VMM_ESRCH);
	for (i = 0; i < 1024; i++)
		bad += m[i] != PATTERN + i;
	probe_expect("dom1's page still readable after its death, data intact", (long)bad, 0);
	probe_expect("unmap dom1's page (frees it)", probe_grant_unmap(MAP_VA, handle), 0);
	/* 2. the holder dies with this domain's page mapped (it says so): the in-use flags go */
	for (i = 0; i < 1000; i++) {
		rc = probe_grant_map(HOLDER, REF, MAP_VA, &h2);
		if (rc == -VMM_ESRCH)
			break;
		yield();
	}
	probe_expect("dom2 died", rc, -VMM_ESRCH);
	probe_expect("in-use flags cleared after dom2 died", e->flags, VMM_GTF_permit_access);
	probe_puts(probe_failures ? "grant_death: FAIL\n" : "grant_death: all checks passed\n");
	probe_shutdown(probe_failures ? VMM_SHUTDOWN_crash : VMM_SHUTDOWN_poweroff);
}
