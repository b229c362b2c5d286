/*
 * Trap frame helpers (see core/arch.h). Pure C: also built for host tests.
 */
#include <string.h>

#include "arch.h"
#include "arm.h"

_Static_assert((FRAME_SIZE + FRAME_EXTRA) % 8 == 0, "the hypervisor C stack stays 8-byte aligned");

struct vmm_trap_frame *arch_frame_at_stack_top(uint8_t *stack_top, void *vcpu_info)
{
	struct vmm_trap_frame *f = (struct vmm_trap_frame *)(stack_top - FRAME_EXTRA - FRAME_SIZE);

	/* trap_return (entry.S) loads this word to check for pending upcalls */
	*(uint32_t *)(stack_top - FRAME_EXTRA + FRAME_VCPU_INFO) = (uint32_t)(uintptr_t)vcpu_info;
	*(uint32_t *)(stack_top - FRAME_EXTRA + FRAME_SVC_TABLE) = 0; /* vtrap_set_mode() sets it */
	memset(f, 0, sizeof(*f));
	f->cpsr = PSR_GUEST_FIXED;
	return f;
}

void arch_frame_set_entry(struct vmm_trap_frame *f, uint32_t entry, uint32_t sp, uint32_t r0)
{
	f->pc = entry & ~1u;
	f->cpsr = PSR_GUEST_FIXED | ((entry & 1u) ? PSR_T : 0);
	f->sp = sp;
	f->r[0] = r0;
}

void arch_frame_sanitize(struct vmm_trap_frame *f)
{
	/* A guest-made frame may ask for any mode, I or F: it gets USR, IRQs
	 * on and FIQs masked (PSR_GUEST_FIXED). */
	uint32_t cpsr = f->cpsr & PSR_GUEST_MASK;

	/* IT bits only in Thumb state, and only as a valid ITSTATE: with
	 * IT[3:0] zero (no IT block) the upper bits must be zero too, else
	 * the instructions that follow execute UNPREDICTABLY. */
	if (!(cpsr & PSR_T) || !(cpsr & PSR_IT_LOW))
		cpsr &= ~PSR_IT_MASK;
	f->cpsr = cpsr | PSR_GUEST_FIXED;
	f->pc &= (f->cpsr & PSR_T) ? ~1u : ~3u;
}

void arch_frame_retry_undef(struct vmm_trap_frame *f)
{
	/* The undefined-instruction exception leaves lr at the instruction
	 * + 4 in ARM state, + 2 in Thumb state (also for 32-bit encodings). */
	f->pc -= (f->cpsr & PSR_T) ? 2u : 4u;
}

bool arch_frame_from_guest(const struct vmm_trap_frame *f)
{
	return (f->cpsr & PSR_MODE_MASK) == PSR_MODE_USR;
}

void arch_frame_set_svc_table(struct vmm_trap_frame *f, const void *table)
{
	*(uint32_t *)((uint8_t *)f + FRAME_SIZE + FRAME_SVC_TABLE) = (uint32_t)(uintptr_t)table;
}
