/*
 * Runstate accounting: how long each domain has been running, runnable and
 * blocked, and the vcpu_op hypercall that lets a domain read its own
 * (vmm/vcpu_op.h). Running time is the switch path's CPU time
 * (domain.cpu_time_ns); the hooks below add blocked time, off the switch
 * path; runnable time is the rest of the domain's life.
 */
#ifndef VMM_CORE_RUNSTATE_H
#define VMM_CORE_RUNSTATE_H

#include <stdint.h>

#include "vmm/vcpu_op.h"

struct domain;

/* d becomes runnable at `now`: its life starts at its first wake-up; a
 * later one ends a blocked period. */
void runstate_wake(const struct domain *d, uint64_t now);

/* d blocks at `now` (sched_op(block) put it to sleep). */
void runstate_block(const struct domain *d, uint64_t now);

/* d's runstate at `now`; d must be the running domain. */
void runstate_get(const struct domain *d, uint64_t now, struct vmm_vcpu_runstate_info *info);

/* Hypercall handler: vcpu_op(cmd, vcpuid, arg). */
long hc_vcpu_op(uint32_t cmd, uint32_t vcpuid, uint32_t arg, uint32_t a3);

#endif /* VMM_CORE_RUNSTATE_H */
