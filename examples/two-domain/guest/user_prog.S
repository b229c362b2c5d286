/*
 * The user process of the two-domain guest ("user" on its command line),
 * copied by minios_user_run() to MINIOS_USER_VA: position-independent ARM
 * code (adr for its strings). r0 = 0: write, three writes Mini-OS must
 * refuse (exit(55) if one is not), yield, write, exit(7);
 * r0 = 1: read the kernel word at r1 (must be killed by Mini-OS's data-abort
 * handler), then exit(99) if the read ever completes.
 */
	.syntax	unified
	.arm
	.section .rodata.user_prog, "a", %progbits
	.global	user_prog_start
	.global	user_prog_end
	.p2align 2
user_prog_start:
	cmp	r0, #1
	beq	read_kernel
	adr	r0, hello
	mov	r1, #(hello_end - hello)
	mov	r7, #1                  /* MINIOS_SYS_write */
	svc	#0
	/* buffers Mini-OS must refuse with -EFAULT (14): kernel memory, one
	 * byte past the process's pages, more than 256 bytes */
	mov	r0, #0xC0000000
	mov	r1, #4
	bl	write_must_fail
	movw	r0, #0x1ffc
	movt	r0, #0x4000
	mov	r1, #5
	bl	write_must_fail
	movw	r0, #0x1000
	movt	r0, #0x4000
	mov	r1, #257
	bl	write_must_fail
	mov	r7, #2                  /* MINIOS_SYS_yield */
	svc	#0
	adr	r0, again
	mov	r1, #(again_end - again)
	mov	r7, #1
	svc	#0
	mov	r0, #7
	mov	r7, #3                  /* MINIOS_SYS_exit */
	svc	#0
	b	.
write_must_fail:                        /* exit(55) unless write(r0, r1) is -EFAULT */
	mov	r7, #1
	svc	#0
	cmn	r0, #14
	bxeq	lr
	mov	r0, #55
	mov	r7, #3
	svc	#0
	b	.
read_kernel:
	ldr	r2, [r1]
	mov	r0, #99
	mov	r7, #3
	svc	#0
	b	.
hello:	.ascii	"user process: hello from virtual user mode\n"
hello_end:
again:	.ascii	"user process: back after yield\n"
again_end:
	.p2align 2
user_prog_end:

	.section .note.GNU-stack, "", %progbits
