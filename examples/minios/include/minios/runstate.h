/* libvmm Mini-OS: the domain's own CPU time (vcpu_op get_runstate_info). */
#ifndef MINIOS_RUNSTATE_H
#define MINIOS_RUNSTATE_H

#include <stdint.h>

#include "vmm/vcpu_op.h"

/*
 * Fills *info with this domain's runstate: ns spent running, runnable
 * (waiting for the CPU) and blocked since it started, up to now, and when it
 * was last switched in. Returns 0, or the hypervisor's negative error.
 */
int minios_runstate(struct vmm_vcpu_runstate_info *info);

/* ns this domain has run since it started (0 if the call failed). */
uint64_t minios_cpu_time(void);

#endif /* MINIOS_RUNSTATE_H */
