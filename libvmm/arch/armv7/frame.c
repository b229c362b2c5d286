/*
 * Trap frame helpers (see core/arch.h). Pure C: also built for host tests.
 */
#include <stddef.h>
#include <string.h>

#include "arch.h"
#include "arm.h"
#include "vmm/guest_info.h"

_Static_assert((FRAME_SIZE + FRAME_EXTRA) % 8 == 0, "the hypervisor C stack stays 8-byte aligned");
_Static_assert(sizeof(struct arch_frame_extra) == FRAME_EXTRA, "FRAME_EXTRA");
_Static_assert(offsetof(struct arch_frame_extra, vcpu_info) == FRAME_VCPU_INFO &&
	       offsetof(struct arch_frame_extra, kernel_sp) == FRAME_KSP &&
	       offsetof(struct arch_frame_extra, handler_pc) == FRAME_HPC &&
	       offsetof(struct arch_frame_extra, handler_cpsr) == FRAME_HCPSR &&
	       offsetof(struct arch_frame_extra, dacr_kernel) == FRAME_DACR_K &&
	       offsetof(struct arch_frame_extra, kernel_table) == FRAME_KTABLE &&
	       offsetof(struct arch_frame_extra, zero) == FRAME_ZERO &&
	       offsetof(struct arch_frame_extra, hctx_dacr) == FRAME_HCTX_DACR &&
	       offsetof(struct arch_frame_extra, user_table) == FRAME_UTABLE &&
	       offsetof(struct arch_frame_extra, dacr_user) == FRAME_DACR_U &&
	       offsetof(struct arch_frame_extra, cpsr_mask) == FRAME_CPSR_MASK &&
	       offsetof(struct arch_frame_extra, one) == FRAME_ONE &&
	       offsetof(struct arch_frame_extra, svc_table) == FRAME_SVC_TABLE,
	       "entry.S's offsets above the frame");
_Static_assert(offsetof(struct vmm_vcpu_info, vmode) == VCPU_VMODE &&
	       offsetof(struct vmm_vcpu_info, syscall) == 4,
	       "entry.S's fast return reads vcpu_info's first word and the save area in one ldm");

/*
 * The CPSR bits a guest keeps when it resumes in ARM state: those of
 * PSR_GUEST_MASK without T and the IT bits (IT without T is cleared, see
 * arch_frame_sanitize). The fast return (entry.S) applies it and adds
 * PSR_GUEST_FIXED; a Thumb target goes through arch_frame_sanitize.
 */
#define PSR_GUEST_MASK_ARM (PSR_GUEST_MASK & ~PSR_IT_MASK & ~(uint32_t)PSR_T)

struct vmm_trap_frame *arch_frame_at_stack_top(uint8_t *stack_top, void *vcpu_info)
{
	struct vmm_trap_frame *f = (struct vmm_trap_frame *)(stack_top - FRAME_EXTRA - FRAME_SIZE);
	struct arch_frame_extra *x = arch_frame_extra(f);

	/* trap_return (entry.S) loads vcpu_info to check for pending upcalls;
	 * the rest is set by core/vtrap.c (vtrap_set_mode) */
	memset(x, 0, sizeof(*x));
	x->vcpu_info = (uint32_t)(uintptr_t)vcpu_info;
	x->cpsr_mask = PSR_GUEST_MASK_ARM;
	x->one = 1;
	memset(f, 0, sizeof(*f));
	f->cpsr = PSR_GUEST_FIXED;
	return f;
}

struct arch_frame_extra *arch_frame_extra(struct vmm_trap_frame *f)
{
	return (struct arch_frame_extra *)((uint8_t *)f + FRAME_SIZE);
}

void arch_frame_set_entry(struct vmm_trap_frame *f, uint32_t entry, uint32_t sp, uint32_t r0)
{
	f->pc = entry & ~1u;
	f->cpsr = PSR_GUEST_FIXED | ((entry & 1u) ? PSR_T : 0);
	f->sp = sp;
	f->r[0] = r0;
}

bool arch_dfsr_async(uint32_t dfsr)
{
	uint32_t fs = ((dfsr >> 6) & 0x10u) | (dfsr & 0xfu); /* FS[4] is bit 10 */

	return fs == 0x16u || fs == 0x18u; /* asynchronous external abort, parity error */
}

bool arch_entry_aligned(uint32_t entry)
{
	return (entry & 3u) != 2u; /* Thumb (bit 0 set): any halfword; ARM: a word */
}

/* ITSTATE as one byte: IT[1:0] is CPSR[26:25], IT[7:2] is CPSR[15:10]. */
static uint32_t psr_it_byte(uint32_t cpsr)
{
	return ((cpsr >> 25) & 0x3u) | ((cpsr >> 8) & 0xfcu);
}

/*
 * True if an IT instruction can leave ITSTATE `it`. IT[3:0] zero means no
 * IT block (the upper bits must then be zero too). IT[7:4] is the next
 * instruction's condition and each later one takes IT[7:5] with the mask
 * bit shifted in: in an "always" block (IT[7:5] = 111) every one of them
 * must stay 1110, so IT[4] and the mask bits above the terminating 1 are
 * zero (condition 1111 inside an IT block is UNPREDICTABLE).
 */
static bool psr_it_valid(uint32_t it)
{
	uint32_t rest = it & 0x1fu;

	if ((it & 0xfu) == 0)
		return false;
	if ((it >> 5) != 0x7u)
		return true;
	return (rest & (rest - 1u)) == 0; /* one bit, IT[4] excluded as IT[3:0] is non-zero */
}

void arch_frame_sanitize(struct vmm_trap_frame *f)
{
	/* A guest-made frame may ask for any mode, I or F: it gets USR, IRQs
	 * on and FIQs masked (PSR_GUEST_FIXED). */
	uint32_t cpsr = f->cpsr & PSR_GUEST_MASK;

	/* IT bits only in Thumb state, and only as an ITSTATE an IT
	 * instruction can produce, else the instructions that follow execute
	 * UNPREDICTABLY. */
	if (!(cpsr & PSR_T) || !psr_it_valid(psr_it_byte(cpsr)))
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
	arch_frame_extra(f)->svc_table = (uint32_t)(uintptr_t)table;
}
