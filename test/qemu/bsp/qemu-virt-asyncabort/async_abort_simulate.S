/*
 * int async_abort_simulate(void): called in SVC mode (the hypervisor's, IRQs
 * masked). Enters the data-abort vector in ABT mode with DFSR saying
 * "asynchronous external abort" and SPSR/lr_abt as if the abort had been
 * taken at label 2 below, with known values in every register; returns 0
 * if the code resumes there with r0-r12, SVC sp and lr, the Z and C flags
 * and the 64 bytes below sp (the SVC entry paths keep guest registers
 * there) unchanged, else 1.
 */
	.syntax	unified
	.arm
	.text
	.global	async_abort_simulate
async_abort_simulate:
	push	{r4-r11, lr}
	ldr	r0, =sim_sp
	str	sp, [r0]
	sub	r0, sp, #64
	ldr	r1, =0xa5a5a5a5
	mov	r2, #16
1:	str	r1, [r0], #4
	subs	r2, r2, #1
	bne	1b
	mov	lr, #0xe0000000         /* SVC lr */
	mrs	r0, cpsr
	orr	r0, r0, #0x60000000     /* Z and C: the resumed code must see them */
	cps	#0x17                   /* ABT */
	msr	spsr_cxsf, r0
	adr	lr, 2f
	add	lr, lr, #8              /* as a data abort leaves it */
	movw	r0, #0x406              /* DFSR: FS 10110, asynchronous external abort */
	mcr	p15, 0, r0, c5, c0, 0
	mov	r0, #0x01000000
	mov	r1, #0x02000000
	mov	r2, #0x03000000
	mov	r3, #0x04000000
	mov	r4, #0x05000000
	mov	r5, #0x06000000
	mov	r6, #0x07000000
	mov	r7, #0x08000000
	mov	r8, #0x09000000
	mov	r9, #0x0a000000
	mov	r10, #0x0b000000
	mov	r11, #0x0c000000
	mov	r12, #0x0d000000
	ldr	pc, =hv_vectors + 0x10  /* the data-abort vector */
2:	b	resumed
	b	fail                    /* resumed one instruction late */
resumed:
	bne	fail                    /* Z lost */
	bcc	fail                    /* C lost */
	cmp	r0, #0x01000000
	cmpeq	r1, #0x02000000
	cmpeq	r2, #0x03000000
	cmpeq	r3, #0x04000000
	cmpeq	r4, #0x05000000
	cmpeq	r5, #0x06000000
	cmpeq	r6, #0x07000000
	cmpeq	r7, #0x08000000
	cmpeq	r8, #0x09000000
	cmpeq	r9, #0x0a000000
	cmpeq	r10, #0x0b000000
	cmpeq	r11, #0x0c000000
	cmpeq	r12, #0x0d000000
	cmpeq	lr, #0xe0000000
	bne	fail
	mrs	r0, cpsr
	and	r0, r0, #0x1f
	cmp	r0, #0x13               /* SVC mode again */
	bne	fail
	ldr	r0, =sim_sp
	ldr	r0, [r0]
	cmp	r0, sp
	bne	fail
	sub	r0, sp, #64
	ldr	r1, =0xa5a5a5a5
	mov	r2, #16
3:	ldr	r3, [r0], #4
	cmp	r3, r1
	bne	fail
	subs	r2, r2, #1
	bne	3b
	mov	r0, #0
	pop	{r4-r11, pc}
fail:
	mov	r0, #1
	pop	{r4-r11, pc}

/*
 * int async_abort_simulate_store(uint32_t dfsr): the same with lr_abt at
 * the last unprivileged store of arch_guest_push_frame() (entry.S), whose
 * fixup turns a fault there into the push's failure return, and DFSR `dfsr`
 * (0x406 or 0x408, asynchronous). It must not be taken for that store's
 * fault: the handler logs it and resumes at the store, which then runs --
 * into sim_sp, a hypervisor word USR cannot write, so it faults for real
 * and the fixup returns -VMM_EFAULT through the pop of the {r4-r6, pc}
 * pushed below. Returns 0 if it came back so with r4-r6 as pushed.
 */
	.global	async_abort_simulate_store
async_abort_simulate_store:
	push	{r4-r11, lr}
	adr	r3, 4f
	mov	r4, #0x44000000
	mov	r5, #0x55000000
	mov	r6, #0x66000000
	sub	sp, sp, #16             /* what the push's `pop {r4-r6, pc}` takes */
	str	r4, [sp]
	str	r5, [sp, #4]
	str	r6, [sp, #8]
	str	r3, [sp, #12]
	mrs	r1, cpsr
	cps	#0x17                   /* ABT */
	msr	spsr_cxsf, r1
	ldr	lr, =guest_store_last + 8
	mcr	p15, 0, r0, c5, c0, 0   /* DFSR */
	ldr	r0, =sim_sp             /* strt there faults: PL1 only */
	mov	r4, #0
	mov	r5, #0
	mov	r6, #0
	ldr	pc, =hv_vectors + 0x10
4:	mvn	r1, #13                 /* -VMM_EFAULT (-14) */
	cmp	r0, r1
	cmpeq	r4, #0x44000000
	cmpeq	r5, #0x55000000
	cmpeq	r6, #0x66000000
	movne	r0, #1
	moveq	r0, #0
	pop	{r4-r11, pc}

	.bss
	.align	2
sim_sp:	.word	0
