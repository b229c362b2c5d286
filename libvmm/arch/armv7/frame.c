/*
 * Trap frame helpers (see core/arch.h). Pure C: also built for host tests.
 */
#include <string.h>

#include "arch.h"
#include "arm.h"

struct vmm_trap_frame *arch_frame_at_stack_top(uint8_t *stack_top, void *vcpu_info)
{
	struct vmm_trap_frame *f = (struct vmm_trap_frame *)(stack_top - FRAME_EXTRA - FRAME_SIZE);

	/* trap_return (entry.S) loads this word to check for pending upcalls */
	*(uint32_t *)(stack_top - FRAME_EXTRA) = (uint32_t)(uintptr_t)vcpu_info;
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
	f->cpsr = (f->cpsr & PSR_GUEST_MASK) | PSR_GUEST_FIXED;
	f->pc &= (f->cpsr & PSR_T) ? ~1u : ~3u;
}

bool arch_frame_from_guest(const struct vmm_trap_frame *f)
{
	return (f->cpsr & PSR_MODE_MASK) == PSR_MODE_USR;
}
