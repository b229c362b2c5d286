/*
 * Exception vectors and the trap paths between guests (USR mode) and the
 * hypervisor (SVC mode).
 *
 * Every vcpu has its own hypervisor stack. While its guest runs, SVC-mode sp
 * points just below the word at the top of that stack; the word holds the
 * address of the domain's vcpu_info (for the upcall check on return):
 *
 *   top - 60 .. top      struct arch_frame_extra (core/arch.h, FRAME_* in
 *                        arm.h): &vcpu_info (for the upcall check), the SVC
 *                        table of the virtual mode and what the fast system
 *                        call paths store (core/vtrap.c keeps them current)
 *   top - 60 - 68        struct vmm_trap_frame: r0..r12, sp, lr, pc, cpsr
 *   below                hypervisor C stack of this vcpu
 *
 * While the guest runs, SVC-mode sp points at the top of the frame (the
 * extra words start there). An exception from the guest therefore saves the
 * guest context straight into its frame (srsdb + stm), C code runs on the
 * same stack below it, and a
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

/* Offsets from SVC sp while it points at frame.pc (after srsdb + stmdb):
 * the frame's words and the extra words above it. */
#define AT_PC(off)    ((off) - 60)
#define EXTRA(off)    (FRAME_SIZE - 60 + (off))
/* The SVC tables' slot for SVCs other than `svc #0x82` (core/arch.h). */
#define SVC_TABLE_OTHER ((VMM_HC_COUNT + 1) * 4)

/*
 * Hypercall fast path: `svc #0x82` in ARM state -> the handler from the
 * virtual mode's SVC table[r7] (r7 clamped to the table) is called with the
 * guest's r0-r3; its result goes to frame.r0. Anything else -- Thumb
 * callers, other immediates, conditional SVCs, an SVC from the hypervisor
 * itself -- fails the word compare below and takes svc_other. In Thumb
 * state the word at lr-4 straddles the previous instruction and may lie on
 * an unmapped page: that data abort is caught by vector_dabt's fixup
 * (svc_insn_fetch) and resumes at svc_other_mode. No mode/state test is
 * needed on the fast path. sp stays at frame.pc until the C call (the fast
 * system call paths below return from there without a `sub`/`add`).
 */
vector_svc:
	srsdb	sp!, #PSR_MODE_SVC
	stmdb	sp, {r0-lr}^
svc_insn_fetch:
	ldr	r12, [lr, #-4]          /* the svc instruction itself (ARM state) */
	eor	r12, r12, #0xef000000   /* cond AL, SVC opcode */
	cmp	r12, #VMM_HYPERCALL_SVC
	bne	svc_other
	cmp	r7, #VMM_HC_COUNT
	movhs	r7, #VMM_HC_COUNT       /* last table entry rejects unknown numbers */
	/* the virtual mode's table: in virtual user mode every entry bounces
	 * the SVC to the guest kernel as a system call (core/vtrap.c) */
	ldr	r12, [sp, #EXTRA(FRAME_SVC_TABLE)]
	ldr	r12, [r12, r7, lsl #2]
	sub	sp, sp, #60             /* sp = frame base, the C stack below */
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

/*
 * Other SVCs (r12 = the instruction word ^ 0xef000000, sp at frame.pc):
 * `svc #0x83` in ARM state is the fast return to user (below); the rest
 * goes where the mode's SVC table says (slot SVC_TABLE_OTHER): the fast
 * syscall bounce in the user table of a domain with fast system calls,
 * else arch_svc_other (C decodes it: hypercall_slow).
 */
svc_other:
	cmp	r12, #VMM_SYSCALL_RETURN_SVC
	beq	syscall_return
svc_other_mode:
	ldr	r12, [sp, #EXTRA(FRAME_SVC_TABLE)]
	ldr	pc, [r12, #SVC_TABLE_OTHER]

	.global	arch_svc_other
arch_svc_other:
	sub	sp, sp, #60
	mov	r0, sp
	bl	hypercall_slow          /* decodes Thumb/other SVCs, writes frame.r0 */
	b	trap_return

/*
 * Fast system call bounce (vmm/abi.h "Fast system calls"): any SVC in
 * virtual user mode of a domain with fast system calls. Only the user's
 * banked state moves: frame sp, lr, pc, cpsr go to vcpu_info.syscall
 * (hypervisor address, no check needed), the frame resumes the syscall
 * handler on the kernel stack in virtual kernel mode (DACR now and in
 * hctx, the kernel SVC table, vcpu_info.vmode = 0), r0-r12 and lr as the
 * user left them. Everything stored comes from the extra words (one ldm
 * with the frame's sp..cpsr). An upcall pending here would have been
 * delivered at the last exit to user code: no check.
 */
	.global	arch_svc_user_bounce
arch_svc_user_bounce:
	sub	lr, sp, #8              /* frame.sp */
	ldm	lr, {r0-r11}            /* usp ulr upc ucpsr, vcpu_info ksp hpc hcpsr dacr_k ktable 0 &hctx.dacr */
	stmib	r4, {r0-r3}             /* vcpu_info.syscall (vcpu_info + 4) */
	str	r5, [sp, #AT_PC(52)]    /* frame.sp = kernel stack */
	strd	r6, r7, [sp]            /* frame.pc, frame.cpsr = the handler */
	mcr	p15, 0, r8, c3, c0, 0   /* DACR: virtual kernel mode (the rfe synchronises) */
	str	r8, [r11]               /* hctx.dacr, for arch_switch */
	str	r9, [sp, #EXTRA(FRAME_SVC_TABLE)]
	strb	r10, [r4, #VCPU_VMODE]
	clrex
	ldmdb	sp, {r0-lr}^
	rfeia	sp!

/*
 * Fast return to user: `svc #0x83` in virtual kernel mode. vcpu_info's
 * first word (pending, mask, vmode, pad0) must be 0 -- no upcall to
 * deliver, events unmasked and the domain really in kernel mode (the
 * vmode byte, which only the hypervisor writes while user code runs: the
 * domain cannot be in user mode with it 0) -- and the target in ARM state;
 * anything else goes to C (vtrap_syscall_return_slow). The target CPSR is
 * sanitised as arch_frame_sanitize does for ARM state (the mask clears
 * mode, A/I/F/E, J, T and the IT bits; then USR and F set), pc aligned.
 * r0-r12 go back as the kernel left them, sp and lr from vcpu_info.syscall
 * through the frame.
 */
syscall_return:
	ldr	lr, [sp, #EXTRA(FRAME_VCPU_INFO)]
	ldm	lr, {r1-r5}             /* word 0, usp, ulr, upc, ucpsr */
	lsls	r0, r5, #27             /* C = the T bit */
	cmpcc	r1, #1                  /* C = word 0 not zero */
	bhs	syscall_return_c
	add	r0, sp, #EXTRA(FRAME_HCTX_DACR)
	ldm	r0, {r8-r12}            /* &hctx.dacr, user table, dacr_u, cpsr mask, 1 */
	and	r5, r5, r11
	orr	r5, r5, #PSR_GUEST_FIXED
	bic	r4, r4, #3
	strd	r2, r3, [sp, #AT_PC(52)] /* frame.sp, frame.lr = the user's */
	strd	r4, r5, [sp]            /* frame.pc, frame.cpsr */
	mcr	p15, 0, r10, c3, c0, 0  /* DACR: virtual user mode (the rfe synchronises) */
	str	r10, [r8]
	str	r9, [sp, #EXTRA(FRAME_SVC_TABLE)]
	strb	r12, [lr, #VCPU_VMODE]
	clrex
	ldmdb	sp, {r0-lr}^            /* r0-r12 as the kernel left them, user sp and lr */
	rfeia	sp!

syscall_return_c:
	sub	sp, sp, #60
	mov	r0, sp
	bl	vtrap_syscall_return_slow
	b	trap_return

vector_irq:
	save_frame_from 4
	mov	r0, sp
	bl	vmm_irq_entry
	b	trap_return

/* Branches to `target` if DFSR reports an asynchronous abort (FS 10110 or
 * 11000: arch_dfsr_async()); uses only sp_abt, free scratch here. */
.macro	dfsr_async_goto target
	mrc	p15, 0, sp, c5, c0, 0
	lsl	sp, sp, #21
	lsr	sp, sp, #21             /* DFSR[10:0] */
	bic	sp, sp, #0x3f0          /* FS[4] (bit 10) and FS[3:0] */
	eor	sp, sp, #0x400          /* FS[4] must be set: then 6 or 8 */
	cmp	sp, #6
	cmpne	sp, #8
	beq	\target
.endm

vector_dabt:
	/* Fixups. The fast path's instruction fetch faulted (Thumb caller at
	 * a page boundary): resume at svc_other_mode in SVC mode (sp at
	 * frame.pc, as there). One of arch_guest_push_frame()'s unprivileged
	 * stores faulted: resume at its failure return. sp_abt is free
	 * scratch: the abort path never uses its own stack. An asynchronous
	 * abort is no such fault even where lr matches (it is taken before
	 * the instruction at lr - 8 runs): it goes to dabt_hypervisor. */
	ldr	sp, =svc_insn_fetch + 8
	cmp	lr, sp
	beq	dabt_fixup_fetch
	ldr	sp, =guest_store_first + 8
	sub	sp, lr, sp              /* unsigned: <= the range iff a store faulted */
	cmp	sp, #guest_store_last - guest_store_first
	bls	dabt_fixup_store
dabt_by_mode:
	mrs	sp, spsr
	tst	sp, #0xf                /* mode USR (0x10): the guest's */
	bne	dabt_hypervisor
	save_frame_from 8
	mov	r0, sp
	mov	r1, #0                  /* TRAP_DATA_ABORT */
	bl	vmm_trap_fault
	b	trap_return

dabt_fixup_fetch:
	dfsr_async_goto dabt_by_mode
	ldr	lr, =svc_other_mode
	movs	pc, lr

dabt_fixup_store:
	dfsr_async_goto dabt_by_mode
	ldr	lr, =guest_store_fault
	movs	pc, lr

/*
 * A data abort the hypervisor took itself: an asynchronous one (A is clear
 * on the SVC and undefined-instruction paths) resumes, so everything the
 * interrupted code had is kept. The frame (vmm_trap_frame: r0-r12, SVC sp
 * and lr, pc, cpsr) goes on the SVC stack below a 64-byte gap: the SVC
 * entry paths keep the guest's registers in the 60 bytes below sp before
 * they move it. A and I stay set throughout (abort entry set them);
 * vmm_trap_hyp_data_abort() returns only for an asynchronous abort.
 */
#define HYP_ABT_GAP   64
#define HYP_ABT_SPACE (HYP_ABT_GAP + 68)
dabt_hypervisor:
	sub	lr, lr, #8              /* where the interrupted code resumes */
	cps	#PSR_MODE_SVC
	sub	sp, sp, #HYP_ABT_SPACE
	stmia	sp, {r0-r12}
	add	r0, sp, #HYP_ABT_SPACE
	str	r0, [sp, #52]           /* frame.sp: SVC sp as it was */
	str	lr, [sp, #56]           /* frame.lr: SVC lr */
	cps	#PSR_MODE_ABT
	mrs	r1, spsr
	str	lr, [r0, #-(HYP_ABT_GAP + 8)]  /* frame.pc */
	str	r1, [r0, #-(HYP_ABT_GAP + 4)]  /* frame.cpsr */
	cps	#PSR_MODE_SVC
	mov	r4, sp
	bic	sp, sp, #7              /* AAPCS: 8-byte aligned at the call */
	mov	r0, r4
	bl	vmm_trap_hyp_data_abort
	mov	sp, r4
	ldr	r0, [sp, #60]
	ldr	r1, [sp, #64]
	cps	#PSR_MODE_ABT
	mov	lr, r0
	msr	spsr_cxsf, r1
	cps	#PSR_MODE_SVC
	ldr	lr, [sp, #56]
	ldmia	sp, {r0-r12}
	add	sp, sp, #HYP_ABT_SPACE
	cps	#PSR_MODE_ABT
	movs	pc, lr

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
 * int arch_guest_push_frame(uint32_t va, const struct vmm_trap_frame *f)
 * (core/arch.h). STRT checks each store against the current address
 * space's user permissions under the current DACR; a fault there is caught
 * by vector_dabt's fixup, which resumes at guest_store_fault. The ISB
 * first: the caller may have just switched TTBR0 (arch_mmu_activate() on
 * the switch to this domain) or DACR (the upcall's virtual kernel mode)
 * without a barrier, and these stores must use the new ones.
 */
	.global	arch_guest_push_frame
arch_guest_push_frame:
	push	{r4-r6, lr}
	isb
	ldm	r1!, {r2-r6, r12, lr}   /* r0..r6 */
guest_store_first:
	strt	r2, [r0], #4
	strt	r3, [r0], #4
	strt	r4, [r0], #4
	strt	r5, [r0], #4
	strt	r6, [r0], #4
	strt	r12, [r0], #4
	strt	lr, [r0], #4
	ldm	r1!, {r2-r6, r12, lr}   /* r7..r12, sp */
	strt	r2, [r0], #4
	strt	r3, [r0], #4
	strt	r4, [r0], #4
	strt	r5, [r0], #4
	strt	r6, [r0], #4
	strt	r12, [r0], #4
	strt	lr, [r0], #4
	ldm	r1, {r2-r4}             /* lr, pc, cpsr */
	strt	r2, [r0], #4
	strt	r3, [r0], #4
	.global	guest_store_last        /* for test BSP qemu-virt-asyncabort */
guest_store_last:
	strt	r4, [r0], #4
	mov	r0, #0
	pop	{r4-r6, pc}
guest_store_fault:
	mvn	r0, #VMM_EFAULT - 1     /* -VMM_EFAULT */
	pop	{r4-r6, pc}

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
 * The user thread registers go with the hctx (TPIDRURW and TPIDRURO saved
 * and loaded in the stm/ldm of r4-lr; TPIDRURO only changes by set_tls,
 * which writes hctx and register alike), and if prev ran with the FPU
 * on (lazy VFP) FPEXC.EN is cleared so that the next domain's first FPU
 * instruction traps. The idle hctx holds zeros: the idle loop runs no
 * user code, and no thread register survives a pass through it.
 */
	.global	arch_switch
arch_switch:
	/* TPIDRURW as running now, TPIDRURO as set (set_tls writes hctx and
	 * the register alike): both go with r4-lr in one store, and come back
	 * with them in one load (struct arch_hctx puts them right below r4) */
	mrc	p15, 0, r2, c13, c0, 2
	mrc	p15, 0, r3, c13, c0, 3
	stmia	r0, {r2-r11, sp, lr}
	mov	r4, r1
	ldr	r5, [r4, #HCTX_DACR]
	ldr	r3, [r0, #HCTX_VFP_ON]
	mcr	p15, 0, r5, c3, c0, 0   /* DACR of next's virtual mode */
	/* lazy VFP: the FPU goes off only if prev turned it on (core/vcpu_state.c) */
	cmp	r3, #0
	blne	arch_vfp_switch_off
	mcr	p15, 0, r0, c7, c5, 6   /* BPIALL */
	bl	vmm_port_cpu_switch
	ldmia	r4, {r2-r11, sp, lr}
	mcr	p15, 0, r2, c13, c0, 2  /* next's TPIDRURW */
	mcr	p15, 0, r3, c13, c0, 3  /* next's TPIDRURO */
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
