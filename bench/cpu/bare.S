/* Bare-metal entry (QEMU virt, SVC mode, MMU off): stack, bss, bare_main. */
	.section .text.start, "ax"
	.arm
	.global _start
_start:
	ldr	sp, =__stack_top
	ldr	r1, =__bss_start
	ldr	r2, =__bss_end
	mov	r3, #0
1:	cmp	r1, r2
	strlo	r3, [r1], #4
	blo	1b
	bl	bare_main
	b	.
