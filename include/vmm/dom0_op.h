/*
 * dom0_op (hypercall 7): control operations for privileged domains, in the
 * Xen-ARM style: the guest passes the address of a struct vmm_dom0_op in r0;
 * GET operations write their results back into it.
 *
 * Errors: -VMM_EPERM (caller not privileged), -VMM_EFAULT (op not in the
 * caller's memory), -VMM_EINVAL (unknown cmd, interface version, scheduler id,
 * direction or bad parameter values), -VMM_ESRCH (no such live domain).
 * Every rejection is also logged as a [VMM] line.
 *
 * Self-standing; docs/abi.md and docs/scheduling.md describe the values.
 */
#ifndef VMM_DOM0_OP_H
#define VMM_DOM0_OP_H

#include <stdint.h>

#define VMM_DOM0_INTERFACE_VERSION 0x00010000u

#define VMM_DOM0_SCHEDCTL  6   /* read/set global scheduler parameters */
#define VMM_DOM0_ADJUSTDOM 7   /* read/set one domain's scheduler parameters */

#define VMM_SCHED_BVT 1        /* the only scheduler: Borrowed Virtual Time */

#define VMM_SCHED_INFO_PUT 0   /* set the values given */
#define VMM_SCHED_INFO_GET 1   /* read the current values into the struct */

/* Global BVT parameters (see docs/scheduling.md). */
struct vmm_sched_ctl {
	uint32_t sched_id;       /* VMM_SCHED_BVT */
	uint32_t direction;      /* VMM_SCHED_INFO_PUT / _GET */
	uint64_t ctx_allow_ns;   /* C: context-switch allowance, 0..1 s */
	uint64_t mcu_ns;         /* minimum charging unit, 1 ns..1 s */
	uint64_t max_slice_ns;   /* longest slice when others are runnable, 1 ns..2 s */
};

/* One domain's BVT parameters (see docs/scheduling.md). */
struct vmm_sched_adjdom {
	uint32_t sched_id;       /* VMM_SCHED_BVT */
	uint32_t direction;      /* VMM_SCHED_INFO_PUT / _GET */
	uint32_t domain;         /* domain id */
	uint32_t weight;         /* CPU share, > 0 */
	uint32_t warp_enabled;   /* 0 or 1 */
	uint32_t pad;
	uint64_t warp_ns;        /* W, <= 2^62 */
	uint64_t warp_limit_ns;  /* L, 0 = unlimited, <= 2^62 */
	uint64_t unwarp_ns;      /* U, <= 2^62 */
};

struct vmm_dom0_op {
	uint32_t cmd;                 /* VMM_DOM0_* */
	uint32_t interface_version;   /* VMM_DOM0_INTERFACE_VERSION */
	union {
		struct vmm_sched_ctl schedctl;
		struct vmm_sched_adjdom adjustdom;
	} u;
};

#endif /* VMM_DOM0_OP_H */
