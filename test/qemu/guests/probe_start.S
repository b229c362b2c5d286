/* Entry of the small test guests: r0 = start info, sp = boot stack. */
	.section .text.start, "ax"
	.arm
	.global _start
_start:
	ldr	r1, =__bss_start
	ldr	r2, =__bss_end
	mov	r3, #0
1:	cmp	r1, r2
	strlo	r3, [r1], #4
	blo	1b
	bl	probe_main
	mov	r0, #2          /* SCHEDOP_shutdown */
	mov	r1, #3          /* crash: probe_main must not return */
	mov	r7, #29
	svc	#0x82
	b	.
