/* libvmm Mini-OS: the domain's own CPU time (see minios/runstate.h). */
#include <minios/runstate.h>

#include "vmm/hypercall.h"

int minios_runstate(struct vmm_vcpu_runstate_info *info)
{
	return (int)HYPERVISOR_vcpu_op(VMM_VCPUOP_get_runstate_info, 0, info);
}

uint64_t minios_cpu_time(void)
{
	struct vmm_vcpu_runstate_info info;

	if (minios_runstate(&info) != 0)
		return 0;
	return info.time[VMM_RUNSTATE_running];
}
