/*
 * Lazy VFP/NEON switching and the thread registers (see vcpu_state.h).
 */
#include "vcpu_state.h"

#include <stddef.h>

#include "domain.h"
#include "log.h"

/* arch/armv7/vfp.S and entry.S address these fields by fixed offsets. */
_Static_assert(offsetof(struct arch_hctx, tpidrurw) == 40, "HCTX_TPIDRURW");
_Static_assert(offsetof(struct arch_hctx, tpidruro) == 44, "HCTX_TPIDRURO");
_Static_assert(offsetof(struct arch_hctx, vfp_on) == 48, "HCTX_VFP_ON");
_Static_assert(offsetof(struct arch_hctx, dacr) == 52, "HCTX_DACR");
_Static_assert(offsetof(struct arch_vfp_state, fpscr) == 256, "VFP_FPSCR");
_Static_assert(offsetof(struct arch_vfp_state, fpexc) == 260, "VFP_FPEXC");

static struct {
	unsigned int regs;      /* D registers: 32, 16, 0 = no VFP */
	struct domain *owner;   /* whose state the registers hold */
} vfp;

void vcpu_state_init(void)
{
	vfp.regs = arch_vfp_init();
	vfp.owner = NULL;
	arch_user_regs_init();
	if (vfp.regs)
		vmm_log("VFP: %u double registers, switched lazily per domain", vfp.regs);
	else
		vmm_log("VFP: none (guests must be built without floating point)");
}

unsigned int vcpu_vfp_regs(void)
{
	return vfp.regs;
}

struct domain *vcpu_vfp_owner(void)
{
	return vfp.owner;
}

bool vcpu_vfp_trap(struct domain *d, struct vmm_trap_frame *f)
{
	bool no_vfp = vfp.regs == 0;
	bool already_on = d->hctx.vfp_on != 0;

	/* With the FPU already on for d, the instruction is undefined for real. */
	if (no_vfp || already_on)
		return false;
	if (vfp.owner != d) {
		if (vfp.owner)
			arch_vfp_save(&vfp.owner->vfp);
		arch_vfp_load(&d->vfp);
		vfp.owner = d;
	} else {
		arch_vfp_enable(); /* the registers still hold d's state */
	}
	d->hctx.vfp_on = 1;
	arch_frame_retry_undef(f);
	return true;
}

void vcpu_state_release(const struct domain *d)
{
	if (vfp.owner == d)
		vfp.owner = NULL;
}

long vcpu_set_tls(struct domain *d, uint32_t value)
{
	d->hctx.tpidruro = value;
	if (d == current)
		arch_set_tpidruro(value);
	return 0;
}
