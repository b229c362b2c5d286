/*
 * dom0_op (hypercall 7): control operations for privileged domains, in the
 * Xen-ARM style: the guest passes the address of a struct vmm_dom0_op in r0;
 * GET operations write their results back into it.
 *
 * Errors: -VMM_EPERM (caller not privileged), -VMM_EFAULT (op not in the
 * caller's memory), -VMM_EINVAL (unknown cmd, interface version, scheduler id,
 * direction or a parameter outside the bounds below), -VMM_ESRCH (no such
 * live domain). Every rejection is also logged as a [VMM] line. A successful
 * PUT takes a scheduling decision at once: the new values apply from then on
 * (the caller may run another domain before the call returns).
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

/*
 * Bounds of the values a PUT accepts (inclusive; docs/scheduling.md derives
 * them). Anything outside is refused with -VMM_EINVAL and changes nothing.
 * VMM_SCHED_QUANTUM_MIN_NS is the shortest time a domain can be given to run:
 * the MCU, the maximum slice and a warp limit are never shorter, so a slice
 * always outlasts the hypervisor's own path from a decision to the guest
 * (a few hundred instructions) and every runnable domain makes progress.
 */
#define VMM_SCHED_QUANTUM_MIN_NS   50000ull         /* 50 us */
#define VMM_SCHED_MCU_MAX_NS       1000000000ull    /* 1 s */
#define VMM_SCHED_CTX_ALLOW_MAX_NS 1000000000ull    /* 1 s */
#define VMM_SCHED_MAX_SLICE_MAX_NS 2000000000ull    /* 2 s */
#define VMM_SCHED_WEIGHT_MAX       10000u
#define VMM_SCHED_WARP_MAX_NS      1000000000ull    /* W: 1 s */
#define VMM_SCHED_TIME_MAX_NS      (1ull << 62)     /* L and U */

/* Global BVT parameters (see docs/scheduling.md). */
struct vmm_sched_ctl {
	uint32_t sched_id;       /* VMM_SCHED_BVT */
	uint32_t direction;      /* VMM_SCHED_INFO_PUT / _GET */
	uint64_t ctx_allow_ns;   /* C: context-switch allowance, 0..1 s */
	uint64_t mcu_ns;         /* minimum charging unit, 50 us..1 s */
	uint64_t max_slice_ns;   /* longest slice when others are runnable,
	                          * mcu_ns..2 s (so at least 50 us) */
};

/* One domain's BVT parameters (see docs/scheduling.md). */
struct vmm_sched_adjdom {
	uint32_t sched_id;       /* VMM_SCHED_BVT */
	uint32_t direction;      /* VMM_SCHED_INFO_PUT / _GET */
	uint32_t domain;         /* domain id */
	uint32_t weight;         /* CPU share, 1..10000 */
	uint32_t warp_enabled;   /* 0 or 1 */
	uint32_t pad;            /* ignored */
	uint64_t warp_ns;        /* W, 0..1 s */
	uint64_t warp_limit_ns;  /* L, 0 = unlimited, else 50 us..2^62 */
	uint64_t unwarp_ns;      /* U, 0 (never warp again) ..2^62 */
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
