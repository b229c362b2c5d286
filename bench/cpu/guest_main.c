/*
 * libvmm guest harness: the same kernel object as a domain. Reads CNTVCT
 * from USR mode, which the generic-timer driver allows (CNTKCTL.PL0VCTEN)
 * on qemu-virt and on its benchmark variant qemu-virt-refresh, which only
 * does not tell guests (no VMM_TIME_COUNTER_CNTVCT) so that the hypervisor
 * keeps its 10 ms refresh: the images are built for those two only.
 */
#include "cpu_kernel.h"
#include "cpu_report.h"
#include "probe_lib.h"

void probe_main(const struct vmm_start_info *si);

void probe_main(const struct vmm_start_info *si)
{
	char buf[64];
	uint32_t start, end, sum;

	(void)si;
	start = (uint32_t)cpu_cntvct();
	sum = cpu_kernel_run(CPU_BENCH_ITERATIONS);
	end = (uint32_t)cpu_cntvct();
	cpu_format(buf, start, end, sum);
	probe_puts(buf);
	probe_shutdown(VMM_SHUTDOWN_poweroff);
}
