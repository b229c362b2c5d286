/*
 * VFP/NEON register file and the per-domain user registers (see
 * core/vfp.c for the lazy switching policy).
 *
 * This is the only hypervisor code that touches the floating-point
 * registers: the C code is built with -mgeneral-regs-only, so no compiled
 * code can use them behind the switching's back. The register file belongs
 * to one domain at a time (vfp_owner in core/vfp.c); FPEXC.EN is set only
 * while that domain is the current one and has used the FPU since it was
 * switched in (arch_hctx.vfp_on), so any other domain's first VFP/NEON
 * instruction is an undefined-instruction trap.
 *
 * struct arch_vfp_state (core/arch.h): d0-d31 (256 bytes), fpscr, fpexc,
 * fpinst, fpinst2. FPINST/FPINST2 exist only on implementations that report
 * an exceptional state (FPEXC.EX, the VFPv2-style trapping subarchitectures);
 * they are read and written only when EX is set, so on every other core the
 * hypervisor never names them.
 */
#include "arm.h"

	.syntax	unified
	.text
	.arm
	.fpu	neon

#define FPEXC_EX   (1 << 31)
#define FPEXC_EN   (1 << 30)
#define FPEXC_FP2V (1 << 28)
#define VFP_FPSCR  256
#define VFP_FPEXC  260
#define VFP_FPINST 264
#define VFP_FPINST2 268

/*
 * unsigned int arch_vfp_init(void): gives PL0 and PL1 access to cp10/cp11,
 * leaves FPEXC.EN clear and returns the number of D registers (32 or 16), or
 * 0 if the core has no VFP (CPACR bits read back as zero).
 */
	.global	arch_vfp_init
arch_vfp_init:
	mrc	p15, 0, r0, c1, c0, 2   /* CPACR */
	orr	r0, r0, #(0xf << 20)    /* cp10, cp11: full access */
	bic	r0, r0, #(3 << 30)      /* ASEDIS, D32DIS clear: NEON and d16-d31 usable */
	mcr	p15, 0, r0, c1, c0, 2
	isb
	mrc	p15, 0, r0, c1, c0, 2
	and	r0, r0, #(0xf << 20)
	cmp	r0, #(0xf << 20)
	movne	r0, #0
	bxne	lr
	mov	r0, #0
	vmsr	fpexc, r0               /* disabled until a domain uses it */
	vmrs	r0, mvfr0
	and	r0, r0, #0xf            /* A_SIMD registers: 2 = 32 x 64 bit */
	cmp	r0, #2
	moveq	r0, #32
	movne	r0, #16
	ldr	r1, =vfp_d32
	streq	r0, [r1]                /* r0 == 32 */
	bx	lr

/* void arch_vfp_enable(void): FPEXC.EN on (the owner's registers are loaded). */
	.global	arch_vfp_enable
arch_vfp_enable:
	vmrs	r0, fpexc
	orr	r0, r0, #FPEXC_EN
	vmsr	fpexc, r0
	bx	lr

/* void arch_vfp_switch_off(struct arch_hctx *prev): called by arch_switch
 * when prev ran with FPEXC.EN set. Clears EN (the registers stay, owned by
 * prev's domain) and prev's flag. Preserves r4 (arch_switch's next). */
	.global	arch_vfp_switch_off
arch_vfp_switch_off:
	mov	r1, #0
	str	r1, [r0, #HCTX_VFP_ON]
	vmrs	r1, fpexc
	bic	r1, r1, #FPEXC_EN
	vmsr	fpexc, r1
	bx	lr

/* void arch_vfp_save(struct arch_vfp_state *s): stores the register file
 * (FPEXC.EN clear on entry; enabled for the copy and left enabled). */
	.global	arch_vfp_save
arch_vfp_save:
	vmrs	r1, fpexc
	orr	r2, r1, #FPEXC_EN
	vmsr	fpexc, r2
	bic	r1, r1, #FPEXC_EN       /* stored disabled: EN is the switch's to set */
	str	r1, [r0, #VFP_FPEXC]
	tst	r1, #FPEXC_EX
	beq	1f
	vmrs	r2, fpinst
	str	r2, [r0, #VFP_FPINST]
	tst	r1, #FPEXC_FP2V
	vmrsne	r2, fpinst2
	strne	r2, [r0, #VFP_FPINST2]
	bic	r2, r1, #FPEXC_EX       /* leave no exception pending for the next owner */
	orr	r2, r2, #FPEXC_EN
	vmsr	fpexc, r2
1:	vmrs	r2, fpscr
	str	r2, [r0, #VFP_FPSCR]
	vstmia	r0!, {d0-d15}
	ldr	r2, =vfp_d32
	ldr	r2, [r2]
	cmp	r2, #0
	vstmiane r0, {d16-d31}
	bx	lr

/* void arch_vfp_load(const struct arch_vfp_state *s): loads the register
 * file and leaves FPEXC as saved with EN set. */
	.global	arch_vfp_load
arch_vfp_load:
	vmrs	r1, fpexc
	orr	r1, r1, #FPEXC_EN
	bic	r1, r1, #FPEXC_EX
	vmsr	fpexc, r1               /* enabled, nothing pending, for the loads */
	ldr	r1, [r0, #VFP_FPSCR]
	vmsr	fpscr, r1
	mov	r3, r0
	vldmia	r3!, {d0-d15}
	ldr	r2, =vfp_d32
	ldr	r2, [r2]
	cmp	r2, #0
	vldmiane r3, {d16-d31}
	ldr	r1, [r0, #VFP_FPEXC]
	tst	r1, #FPEXC_EX
	beq	1f
	ldr	r2, [r0, #VFP_FPINST]
	vmsr	fpinst, r2
	tst	r1, #FPEXC_FP2V
	ldrne	r2, [r0, #VFP_FPINST2]
	vmsrne	fpinst2, r2
1:	orr	r1, r1, #FPEXC_EN
	vmsr	fpexc, r1
	bx	lr

/* void arch_set_tpidruro(uint32_t v): the guest kernel's set_tls value,
 * read-only for USR code (arch_switch reloads it from the hctx). */
	.global	arch_set_tpidruro
arch_set_tpidruro:
	mcr	p15, 0, r0, c13, c0, 3
	bx	lr

/* void arch_set_dacr(uint32_t v): a virtual-mode transition of the running
 * domain. No TLB flush, no barrier: the exception return into the guest is
 * context-synchronizing, and the hypervisor itself only uses ARM domain 0. */
	.global	arch_set_dacr
arch_set_dacr:
	mcr	p15, 0, r0, c3, c0, 0
	bx	lr

	.ltorg

	.data
	.align	2
vfp_d32:
	.word	0                       /* non-zero: d16-d31 exist and are switched */
