/*
 * memory_op in a real image (hypercall 12). Roles by command line:
 *   "probe": a domain booted with 1 of 4 MiB (mem_initial) asks for its
 *            reservation, grows and shrinks it, and checks every refusal
 *            (a page it still maps, the shared-info page, bad counts,
 *            pointers, pfns and domain ids): it keeps running after each;
 *   "quit":  shuts down at once (its memory must go back to the allocator);
 *   "crash": touches memory past its end and is crashed for it (same).
 * Prints "ok ..." / "FAIL ..." lines; the QEMU test greps them and checks
 * that the free memory after the last domain is what it was before the first.
 */
#include "probe_lib.h"

void probe_main(const struct vmm_start_info *si);

static struct vmm_memory_reservation res;
static uint32_t list[4];

static long reservation(uint32_t cmd, uint32_t pfn, uint32_t n, uint32_t order)
{
	res.extent_start = (uint32_t)(uintptr_t)list;
	res.nr_extents = n;
	res.extent_order = order;
	res.mem_flags = 0;
	res.domid = VMM_DOMID_SELF;
	res.nr_done = 0xdead;
	list[0] = pfn;
	return HYPERVISOR_memory_op(cmd, (uint32_t)(uintptr_t)&res);
}

static void probe_reservation(const struct vmm_start_info *si)
{
	const uint32_t boot = si->nr_pages;
	uint32_t mfn;

	probe_expect("boot pages", boot, 256);
	probe_expect("current reservation", HYPERVISOR_memory_op(VMM_MEMOP_current_reservation, VMM_DOMID_SELF), 256);
	probe_expect("maximum reservation", HYPERVISOR_memory_op(VMM_MEMOP_maximum_reservation, VMM_DOMID_SELF), 1024);
	probe_expect("maximum reservation by own id", HYPERVISOR_memory_op(VMM_MEMOP_maximum_reservation, si->domid),
		     1024);
	probe_expect("another domain's reservation, unprivileged",
		     HYPERVISOR_memory_op(VMM_MEMOP_current_reservation, si->domid + 1), -VMM_EPERM);
	probe_expect("unknown memory_op command", HYPERVISOR_memory_op(2, 0), -VMM_EINVAL);

	/* grow by one page: its machine frame comes back in the list */
	probe_expect("populate pfn 256", reservation(VMM_MEMOP_populate_physmap, boot, 1, 0), 1);
	mfn = list[0];
	probe_expect("populate reports one extent done", res.nr_done, 1);
	probe_expect("populate returns a machine frame", mfn != 0 && mfn != boot, 1);
	probe_expect("current reservation after populate",
		     HYPERVISOR_memory_op(VMM_MEMOP_current_reservation, VMM_DOMID_SELF), 257);
	probe_expect("populate a backed pfn", reservation(VMM_MEMOP_populate_physmap, boot, 1, 0), -VMM_EEXIST);
	probe_expect("populate pfn 1023 (the last)", reservation(VMM_MEMOP_increase_reservation, 1023, 1, 0), 1);
	probe_expect("populate pfn 1024 (past the maximum)", reservation(VMM_MEMOP_populate_physmap, 1024, 1, 0),
		     -VMM_EINVAL);
	probe_expect("populate 1025 extents", reservation(VMM_MEMOP_populate_physmap, 300, 1025, 0), -VMM_E2BIG);
	probe_expect("populate 2^32-1 extents", reservation(VMM_MEMOP_populate_physmap, 300, 0xFFFFFFFFu, 0),
		     -VMM_E2BIG);
	probe_expect("populate order 9", reservation(VMM_MEMOP_populate_physmap, 512, 1, 9), -VMM_EINVAL);
	probe_expect("memory_op argument in hypervisor memory",
		     HYPERVISOR_memory_op(VMM_MEMOP_populate_physmap, 0xE0100000u), -VMM_EFAULT);
	probe_expect("memory_op argument in an unbacked page",
		     HYPERVISOR_memory_op(VMM_MEMOP_populate_physmap, VMM_GUEST_BASE + 300 * 4096), -VMM_EFAULT);
	res.domid = si->domid + 1;
	probe_expect("populate for another domain", HYPERVISOR_memory_op(VMM_MEMOP_populate_physmap,
									  (uint32_t)(uintptr_t)&res), -VMM_EPERM);

	/* give back: refused while mapped (our own code page), for shared info, unbacked */
	probe_expect("decrease a page still mapped (own code)",
		     reservation(VMM_MEMOP_decrease_reservation, (uint32_t)((uintptr_t)&probe_main - VMM_GUEST_BASE) >> 12, 1, 0),
		     -VMM_EBUSY);
	probe_expect("still running after the refusal", HYPERVISOR_xen_version(VMM_XENVER_version, 0), VMM_ABI_VERSION);
	probe_expect("decrease the shared-info page", reservation(VMM_MEMOP_decrease_reservation, 0, 1, 0), -VMM_EBUSY);
	probe_expect("decrease an unbacked pfn", reservation(VMM_MEMOP_decrease_reservation, 400, 1, 0), -VMM_EINVAL);
	probe_expect("decrease pfn 256 (populated, unmapped)", reservation(VMM_MEMOP_decrease_reservation, boot, 1, 0), 1);
	probe_expect("decrease pfn 1023", reservation(VMM_MEMOP_decrease_reservation, 1023, 1, 0), 1);
	probe_expect("current reservation back to boot",
		     HYPERVISOR_memory_op(VMM_MEMOP_current_reservation, VMM_DOMID_SELF), 256);

	/* a 1 MiB extent: one aligned machine run */
	probe_expect("populate a 1 MiB extent", reservation(VMM_MEMOP_populate_physmap, 512, 1, 8), 1);
	probe_expect("the run is 1 MiB aligned", list[0] & 255, 0);
	probe_expect("decrease the 1 MiB extent", reservation(VMM_MEMOP_decrease_reservation, 512, 1, 8), 1);
	probe_expect("current reservation at the end",
		     HYPERVISOR_memory_op(VMM_MEMOP_current_reservation, VMM_DOMID_SELF), 256);
}

void probe_main(const struct vmm_start_info *si)
{
	int i;

	if (probe_cmdline_has(si->cmd_line, "quit"))
		probe_shutdown(VMM_SHUTDOWN_poweroff);
	if (probe_cmdline_has(si->cmd_line, "crash")) {
		probe_puts("memop guest: touching memory past my end\n");
		probe_putx(*(volatile uint32_t *)(VMM_GUEST_BASE + si->nr_pages * 4096u));
		probe_puts("memop guest: FAIL survived\n");
	}
	/* let the others die first: their memory comes back while we run */
	for (i = 0; i < 20; i++)
		HYPERVISOR_sched_op(VMM_SCHEDOP_yield, 0);
	probe_puts("memop guest: start\n");
	probe_reservation(si);
	probe_puts(probe_failures ? "memop guest: FAILED\n" : "memop guest: all checks passed\n");
	probe_shutdown(probe_failures ? VMM_SHUTDOWN_crash : VMM_SHUTDOWN_poweroff);
}
