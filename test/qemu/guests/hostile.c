/*
 * A hostile guest: calls every implemented hypercall with bad arguments and
 * checks the documented error codes, then (depending on its command line)
 * attacks the hypervisor's memory and must be crashed for it.
 * Prints "ok ..." / "FAIL ..." lines; the QEMU test greps them.
 */
#include "probe_lib.h"

void probe_main(const struct vmm_start_info *si);

static void probe_bad_hypercalls(void)
{
	static char buf[64];
	uint32_t mem_end = VMM_GUEST_BASE + ((const struct vmm_start_info *)VMM_GUEST_START_INFO)->nr_pages * 4096u;

	probe_expect("unknown hypercall 99", vmm_hypercall2(99, 0, 0), -VMM_ENOSYS);
	probe_expect("unknown hypercall 0xffffffff", vmm_hypercall2(0xffffffffu, 0, 0), -VMM_ENOSYS);
	probe_expect("reserved hypercall vm_assist", vmm_hypercall2(VMM_HC_vm_assist, 0, 0), -VMM_ENOSYS);
	probe_expect("mmu_update for another domain", HYPERVISOR_mmu_update(0, 0, 0, 0), -VMM_EPERM);
	probe_expect("xen_version", HYPERVISOR_xen_version(VMM_XENVER_version, 0), VMM_ABI_VERSION);
	probe_expect("xen_version bad cmd", HYPERVISOR_xen_version(77, 0), -VMM_EINVAL);
	probe_expect("xen_version extraversion into hypervisor",
		     HYPERVISOR_xen_version(VMM_XENVER_extraversion, (void *)0xE0100000u), -VMM_EFAULT);
	probe_expect("console write from hypervisor memory",
		     HYPERVISOR_console_io(VMM_CONSOLEIO_write, 16, (char *)0xE0100000u), -VMM_EFAULT);
	probe_expect("console write across the end of memory",
		     HYPERVISOR_console_io(VMM_CONSOLEIO_write, 64, (char *)(mem_end - 8)), -VMM_EFAULT);
	probe_expect("console write wrapping 2^32",
		     HYPERVISOR_console_io(VMM_CONSOLEIO_write, 0x7fffffff, (char *)0xC0009000u), -VMM_E2BIG);
	probe_expect("console write NULL", HYPERVISOR_console_io(VMM_CONSOLEIO_write, 4, 0), -VMM_EFAULT);
	probe_expect("console bad cmd", HYPERVISOR_console_io(9, 4, buf), -VMM_EINVAL);
	probe_expect("sched_op bad cmd", HYPERVISOR_sched_op(42, 0), -VMM_EINVAL);
	probe_expect("sched_op shutdown bad reason", HYPERVISOR_sched_op(VMM_SCHEDOP_shutdown, 99), -VMM_EINVAL);
	probe_expect("set_callbacks into hypervisor",
		     HYPERVISOR_set_callbacks((void (*)(void))0xE0100000u, 0), -VMM_EFAULT);
	probe_expect("restore_trap_frame from hypervisor",
		     HYPERVISOR_restore_trap_frame((struct vmm_trap_frame *)0xE0100000u), -VMM_EFAULT);
	probe_expect("set_foreground_domain unprivileged", HYPERVISOR_set_foreground_domain(0), -VMM_EPERM);
	probe_expect("yield", HYPERVISOR_sched_op(VMM_SCHEDOP_yield, 0), 0);
}

/*
 * Writes "svc #0x82; bx lr" as Thumb code at `addr` and calls it with
 * xen_version(0): the hypercall must work from Thumb state too, also when the
 * svc is the first instruction of the domain's memory (the fast path's
 * ARM-state instruction fetch at lr-4 then faults and must be fixed up).
 */
static long thumb_xen_version_at(uint32_t addr)
{
	volatile uint16_t *code = (volatile uint16_t *)addr;
	register uint32_t r0 __asm__("r0") = VMM_XENVER_version;
	register uint32_t r7 __asm__("r7") = VMM_HC_xen_version;
	uint16_t saved0 = code[0], saved1 = code[1];

	code[0] = 0xdf82; /* svc #0x82 */
	code[1] = 0x4770; /* bx lr */
	__asm__ volatile("blx %2" : "+r"(r0) : "r"(r7), "r"(addr | 1u) : "r1", "r2", "r3", "r12", "lr", "memory");
	code[0] = saved0;
	code[1] = saved1;
	return (long)r0;
}

static uint32_t thumb_scratch[4];

/* `svc #0` (a guest system call, not a hypercall) must not be taken as one. */
static long svc_zero(void)
{
	register uint32_t r0 __asm__("r0") = VMM_XENVER_version;
	register uint32_t r7 __asm__("r7") = VMM_HC_xen_version;

	__asm__ volatile("svc #0" : "+r"(r0) : "r"(r7) : "memory");
	return (long)r0;
}

/* A conditional `svcne #0x82` that executes is a hypercall (slow path). */
static long svc_conditional(void)
{
	register uint32_t r0 __asm__("r0") = VMM_XENVER_version;
	register uint32_t r7 __asm__("r7") = VMM_HC_xen_version;

	__asm__ volatile("cmp r7, #0\n\tsvcne #0x82" : "+r"(r0) : "r"(r7) : "cc", "memory");
	return (long)r0;
}

void probe_main(const struct vmm_start_info *si)
{
	probe_puts("hostile guest: start\n");
	probe_bad_hypercalls();
	probe_expect("svc #0 is not a hypercall", svc_zero(), -VMM_ENOSYS);
	probe_expect("conditional svc #0x82", svc_conditional(), VMM_ABI_VERSION);
	probe_expect("thumb svc", thumb_xen_version_at((uint32_t)&thumb_scratch[1]), VMM_ABI_VERSION);
	probe_expect("thumb svc at the first byte of memory", thumb_xen_version_at(VMM_GUEST_BASE),
		     VMM_ABI_VERSION);
	probe_puts(probe_failures ? "hostile guest: FAILED\n" : "hostile guest: all checks passed\n");
	if (probe_cmdline_has(si->cmd_line, "attack")) {
		probe_puts("hostile guest: reading hypervisor memory\n");
		probe_putx(*(volatile uint32_t *)0xE0100000u);
		probe_puts("hostile guest: FAIL survived the attack\n");
	}
	probe_shutdown(probe_failures ? VMM_SHUTDOWN_crash : VMM_SHUTDOWN_poweroff);
}
