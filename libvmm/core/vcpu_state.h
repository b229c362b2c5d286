/*
 * Per-domain user-visible CPU state beyond the trap frame: the VFP/NEON
 * register file (switched lazily) and the thread registers TPIDRURW and
 * TPIDRURO (switched by arch_switch from struct arch_hctx).
 *
 * Lazy VFP: FPEXC.EN is clear whenever a domain is switched in, so its first
 * VFP/NEON instruction traps as undefined. vcpu_vfp_trap() then saves the
 * register file for the domain that owns it (if another), loads this
 * domain's, sets FPEXC.EN and makes the instruction run again. A domain that
 * never touches the FPU costs no save or restore; a switch costs one flag
 * test (arch_switch turns FPEXC.EN off only if it was turned on).
 * The hypervisor itself never uses the FPU (built with -mgeneral-regs-only).
 */
#ifndef VMM_CORE_VCPU_STATE_H
#define VMM_CORE_VCPU_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "arch.h"

struct domain;

/* Boot: detects the VFP (D16/D32 or none) and leaves it disabled. */
void vcpu_state_init(void);

/* Number of D registers switched: 32, 16, or 0 without a VFP. */
unsigned int vcpu_vfp_regs(void);

/*
 * An undefined-instruction trap from d's guest code: true if it was d's
 * first FPU use since its switch-in (the register file is now d's, FPEXC.EN
 * is set and f resumes at the instruction), false if it is a genuine
 * undefined instruction (the FPU was already on for d, or there is none).
 */
bool vcpu_vfp_trap(struct domain *d, struct vmm_trap_frame *f);

/* d dies or its slot is reused: it stops owning the register file (the
 * next user loads its own state over every register). */
void vcpu_state_release(const struct domain *d);

/* The domain whose state the VFP registers hold (NULL: none); tests. */
struct domain *vcpu_vfp_owner(void);

/*
 * vcpu_op(set_tls, vcpuid, value): the guest kernel sets TPIDRURO, which its
 * user code can read but not write. Any 32-bit value. Returns 0.
 */
long vcpu_set_tls(struct domain *d, uint32_t value);

#endif /* VMM_CORE_VCPU_STATE_H */
