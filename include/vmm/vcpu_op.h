/*
 * vcpu_op (hypercall 24, VMM_HC_vcpu_op): per-vcpu operations in the Xen
 * style, vcpu_op(cmd, vcpuid, arg). A domain has one vcpu, number 0.
 *
 * VMM_VCPUOP_get_runstate_info (4, Xen's number): the calling domain's own
 *   CPU time. `arg` is the guest address of a struct vmm_vcpu_runstate_info,
 *   which the hypervisor fills; returns 0. (A domain can only read its own:
 *   the caller is running, so `state` is always VMM_RUNSTATE_running.)
 *
 * VMM_VCPUOP_set_tls (64, libvmm's own: Xen-ARM has no such sub-op): the
 *   guest kernel sets the user read-only thread register TPIDRURO to `arg`
 *   (any value; vcpuid 0). Its user code reads it with
 *   `mrc p15, 0, rX, c13, c0, 3` and cannot change it; the register is
 *   switched with the domain. Returns 0. (TPIDRURW, the user read/write
 *   thread register, needs no call: user code writes it and the hypervisor
 *   saves and restores it on every domain switch.)
 *
 * Errors: -VMM_EINVAL (unknown cmd, or vcpuid other than 0), -VMM_EFAULT
 * (the struct is not wholly inside the caller's memory). Every rejection is
 * also logged as a [VMM] line.
 *
 * Self-standing; docs/abi.md describes the values.
 */
#ifndef VMM_VCPU_OP_H
#define VMM_VCPU_OP_H

#include <stdint.h>

#define VMM_VCPUOP_get_runstate_info 4
#define VMM_VCPUOP_set_tls          64

/* Runstates, Xen's numbering. */
#define VMM_RUNSTATE_running  0   /* on the CPU */
#define VMM_RUNSTATE_runnable 1   /* wants the CPU, another domain has it */
#define VMM_RUNSTATE_blocked  2   /* in sched_op(block), waiting for an event */
#define VMM_RUNSTATE_offline  3   /* not started or stopped (always 0 ns so far) */

/*
 * All times in ns of system time. The domain's life starts when it is first
 * made runnable at boot; time[] sums to the system time since then, up to
 * the moment of the call (the running state included), so every entry is
 * non-decreasing from one call to the next. 48 bytes, the layout of Xen's
 * struct vcpu_runstate_info on 32-bit ARM.
 */
struct vmm_vcpu_runstate_info {
	uint32_t state;            /* VMM_RUNSTATE_*: the caller's, running */
	uint32_t pad;              /* 0 */
	uint64_t state_entry_time; /* system time it entered `state` (was last switched in) */
	uint64_t time[4];          /* ns spent in each VMM_RUNSTATE_* */
};

#endif /* VMM_VCPU_OP_H */
