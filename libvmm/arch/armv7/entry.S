/*
 * Exception vectors and the trap paths between guests (USR mode) and the
 * hypervisor (SVC mode).
 *
 * Every vcpu has its own hypervisor stack. While its guest runs, SVC-mode sp
 * points just below the word at the top of that stack; the word holds the
 * address of the domain's vcpu_info (for the upcall check on return):
 *
 *   top - 4              (pad: keeps the C stack below 8-byte aligned)
 *   top - 8              &shared_info->vcpu_info
 *   top - 12             SVC table of the virtual mode (core/vtrap.c)
 *   top - 12 - 68        struct vmm_trap_frame: r0..r12, sp, lr, pc, cpsr
 *   below                hypervisor C stack of this vcpu
 *
 * An exception from the guest therefore saves the guest context straight into
 * its frame (srsdb + stm), C code runs on the same stack below it, and a
 * context switch between vcpus is a switch of SVC sp (arch_switch). The
 * hypervisor itself always runs with IRQs masked; the idle loop waits with
 * WFI and polls the interrupt controller. FIQs are masked everywhere, guests
 * included (PSR_GUEST_FIXED in arm.h): SVC, IRQ and abort entries keep the
 * guest's F=1, so vector_fiq is only reached if that invariant breaks.
 */
#include "arm.h"
#include "vmm/abi.h"

	.syntax	unified
	.text
	.arm

	.align	5
	.global	hv_vectors
hv_vectors:
	b	vector_reset
	b	vector_undef
	b	vector_svc
	b	vector_pabt
	b	vector_dabt
	b	vector_reset            /* unused (HYP trap) */
	b	vector_irq
	b	vector_fiq

/* Saves the interrupted context into the frame at SVC sp; sp = frame base. */
.macro	save_frame_from mode_adjust
	.if \mode_adjust
	sub	lr, lr, #\mode_adjust
	.endif
	srsdb	sp!, #PSR_MODE_SVC      /* frame.pc, frame.cpsr */
	cps	#PSR_MODE_SVC
	stmdb	sp, {r0-lr}^            /* frame.r0..r12, sp, lr of USR mode */
	sub	sp, sp, #60
.endm

/*
 * Hypercall fast path: `svc #0x82` in ARM state -> the handler from
 * hypercall_table[r7] (r7 clamped to the table) is called with the guest's
 * r0-r3; its result goes to frame.r0. Anything else -- Thumb callers, other
 * immediates, conditional SVCs, an SVC from the hypervisor itself -- fails the
 * word compare below and takes the C slow path, which decodes it properly.
 * In Thumb state the word at lr-4 straddles the previous instruction and may
 * lie on an unmapped page: that data abort is caught by vector_dabt's fixup
 * (svc_insn_fetch) and also resumes at svc_slow. No mode/state test is needed
 * on the fast path.
 */
vector_svc:
	srsdb	sp!, #PSR_MODE_SVC
	stmdb	sp, {r0-lr}^
	sub	sp, sp, #60
svc_insn_fetch:
	ldr	r12, [lr, #-4]          /* the svc instruction itself (ARM state) */
	eor	r12, r12, #0xef000000   /* cond AL, SVC opcode */
	cmp	r12, #VMM_HYPERCALL_SVC
	bne	svc_slow
	cmp	r7, #VMM_HC_COUNT
	movhs	r7, #VMM_HC_COUNT       /* last table entry rejects unknown numbers */
	/* the virtual mode's table: in virtual user mode every entry bounces
	 * the SVC to the guest kernel as a system call (core/vtrap.c) */
	ldr	r12, [sp, #FRAME_SIZE + FRAME_SVC_TABLE]
	ldr	r12, [r12, r7, lsl #2]
	blx	r12
	str	r0, [sp]
	.global	trap_return
trap_return:
	/* deliver an upcall if vcpu_info says pending=1, mask=0 */
	ldr	r1, [sp, #FRAME_SIZE + FRAME_VCPU_INFO]
	ldrh	r1, [r1]
	cmp	r1, #1
	beq	trap_return_upcall
trap_return_now:
	clrex                           /* no guest STREX may pair with an LDREX from before the trap */
	ldmia	sp, {r0-lr}^
	add	sp, sp, #60
	rfeia	sp!

trap_return_upcall:
	mov	r0, sp
	bl	event_upcall_enter      /* rewrites the frame to enter the callback */
	b	trap_return_now

svc_slow:
	mov	r0, sp
	bl	hypercall_slow          /* decodes Thumb/other SVCs, writes frame.r0 */
	b	trap_return

vector_irq:
	save_frame_from 4
	mov	r0, sp
	bl	vmm_irq_entry
	b	trap_return

vector_dabt:
	/* Fixup: the fast path's instruction fetch faulted (Thumb caller at a
	 * page boundary): resume at svc_slow in SVC mode. sp_abt is free
	 * scratch: the abort path never uses its own stack. */
	ldr	sp, =svc_insn_fetch + 8
	cmp	lr, sp
	ldreq	lr, =svc_slow
	movseq	pc, lr
	save_frame_from 8
	mov	r0, sp
	mov	r1, #0                  /* TRAP_DATA_ABORT */
	bl	vmm_trap_fault
	b	trap_return

vector_pabt:
	save_frame_from 4
	mov	r0, sp
	mov	r1, #1                  /* TRAP_PREFETCH_ABORT */
	bl	vmm_trap_fault
	b	trap_return

vector_undef:
	save_frame_from 0               /* lr already points past the instruction */
	mov	r0, sp
	mov	r1, #2                  /* TRAP_UNDEFINED */
	bl	vmm_trap_fault
	b	trap_return

vector_fiq:
vector_reset:
	save_frame_from 0
	mov	r0, sp
	mov	r1, #3                  /* TRAP_UNEXPECTED */
	bl	vmm_trap_fault
	b	trap_return

/*
 * void arch_switch(struct arch_hctx *prev, struct arch_hctx *next)
 * Saves the callee-saved state of the running vcpu's hypervisor thread and
 * resumes the other one where it called arch_switch (or, the first time, at
 * arch_first_entry with sp at its initial guest frame).
 *
 * In between, the branch predictor is invalidated so that no domain can
 * steer another's speculation: BPIALL, an ARMv7-A operation every core
 * implements (a no-op where predictors need no maintenance), enough on the
 * Cortex-A9/A12/A17 and, with ACTLR.IBE set by firmware, on the A8 (also
 * erratum 430973); then the CPU's own hook (vmm_port_cpu_switch(), from
 * bsp/cpu/, e.g. ICIALLU on the A15). No barrier: the exception return
 * into the next guest is context-synchronizing. prev's state is saved
 * already, so the call may clobber anything; r4 keeps next.
 *
 * The user thread registers go with the hctx (TPIDRURW saved and loaded,
 * TPIDRURO loaded: only set_tls changes it), and if prev ran with the FPU
 * on (lazy VFP) FPEXC.EN is cleared so that the next domain's first FPU
 * instruction traps. The idle hctx holds zeros: the idle loop runs no
 * user code, and no thread register survives a pass through it.
 */
	.global	arch_switch
arch_switch:
	stmia	r0, {r4-r11, sp, lr}
	mov	r4, r1
	/* user thread registers: TPIDRURW saved and loaded, TPIDRURO loaded */
	mrc	p15, 0, r2, c13, c0, 2
	ldr	r3, [r0, #HCTX_VFP_ON]
	str	r2, [r0, #HCTX_TPIDRURW]
	ldrd	r6, r7, [r4, #HCTX_TPIDRURW]
	ldr	r5, [r4, #HCTX_DACR]
	mcr	p15, 0, r6, c13, c0, 2
	mcr	p15, 0, r7, c13, c0, 3
	mcr	p15, 0, r5, c3, c0, 0   /* DACR of next's virtual mode */
	/* lazy VFP: the FPU goes off only if prev turned it on (core/vcpu_state.c) */
	cmp	r3, #0
	blne	arch_vfp_switch_off
	mcr	p15, 0, r0, c7, c5, 6   /* BPIALL */
	bl	vmm_port_cpu_switch
	ldmia	r4, {r4-r11, sp, lr}
	bx	lr

	.global	arch_first_entry
arch_first_entry:
	b	trap_return

/* void arch_wait_for_interrupt(void): sleeps until an interrupt is pending
 * (IRQs stay masked; WFI wakes anyway). FIQs are masked too: they already
 * are (boot code, PSR_GUEST_FIXED), and the idle loop must not be the one
 * place a stray FIQ is taken (see arm.h). */
	.global	arch_wait_for_interrupt
arch_wait_for_interrupt:
	cpsid	if
	dsb
	wfi
	bx	lr
	.ltorg
