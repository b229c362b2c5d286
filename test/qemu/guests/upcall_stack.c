/*
 * The upcall frame push against hostile stacks (command line "stack=..."):
 *   good      an upcall on the guest's own stack: the handler runs with the
 *             interrupted frame at sp and returns through restore_trap_frame;
 *   hv        sp in the hypervisor's memory (PL1-only pages);
 *   unmapped  sp in a VA the domain's tables do not map.
 * The hypervisor stores the frame with the domain's own rights (unprivileged
 * stores), so the last two must crash the domain with a [VMM] line and
 * touch nothing; prints "FAIL" if the domain survives.
 */
#include "probe_lib.h"

void probe_main(const struct vmm_start_info *si);

static volatile struct vmm_shared_info *const shared =
	(volatile struct vmm_shared_info *)VMM_GUEST_SHARED_INFO;
static volatile uint32_t upcalls;

/* Entered with r0 = sp = the pushed frame, events masked. */
static void __attribute__((used)) upcall_handler(struct vmm_trap_frame *frame)
{
	upcalls++;
	shared->vcpu_info.evtchn_upcall_pending = 0;
	HYPERVISOR_restore_trap_frame(frame); /* back to the interrupted code */
	probe_puts("upcall stack: FAIL restore_trap_frame returned\n");
	probe_shutdown(VMM_SHUTDOWN_crash);
}

/* Raises an upcall and makes a hypercall with sp = `sp`: the hypervisor
 * pushes the frame there on the way back. */
static long hypercall_on_stack(uint32_t sp)
{
	register uint32_t r0 __asm__("r0") = VMM_XENVER_version;
	register uint32_t r1 __asm__("r1") = sp;
	register uint32_t r7 __asm__("r7") = VMM_HC_xen_version;

	shared->vcpu_info.evtchn_upcall_mask = 0;
	shared->vcpu_info.evtchn_upcall_pending = 1;
	__asm__ volatile("mov r2, sp\n\t"
			 "mov sp, r1\n\t"
			 "svc #0x82\n\t"
			 "mov sp, r2"
			 : "+r"(r0), "+r"(r1) : "r"(r7) : "r2", "r3", "r12", "lr", "memory");
	return (long)r0;
}

void probe_main(const struct vmm_start_info *si)
{
	const char *kind = probe_cmdline_find(si->cmd_line, "stack=");
	uint32_t sp;

	probe_expect("set_callbacks", HYPERVISOR_set_callbacks((void (*)(void))upcall_handler, 0), 0);
	if (!kind || kind[0] == 'g') {
		uint32_t here;

		__asm__ volatile("mov %0, sp" : "=r"(here));
		probe_expect("upcall on the own stack", hypercall_on_stack(here), VMM_ABI_VERSION);
		probe_expect("handler ran once", (long)upcalls, 1);
		probe_puts(probe_failures ? "upcall stack: FAILED\n" : "upcall stack: good stack ok\n");
		probe_shutdown(probe_failures ? VMM_SHUTDOWN_crash : VMM_SHUTDOWN_poweroff);
	}
	sp = kind[0] == 'h' ? VMM_HYPERVISOR_VA_BASE + 0x100u : 0x10000000u;
	probe_puts("upcall stack: pushing onto a hostile stack\n");
	hypercall_on_stack(sp);
	probe_puts("upcall stack: FAIL survived the hostile stack\n");
	probe_shutdown(VMM_SHUTDOWN_crash);
}
