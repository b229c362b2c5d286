/* Guest entry: r0 = start info, sp = boot stack (set by libvmm). */
	.section .text.start, "ax"
	.arm
	.global _start
_start:
	bl	app_main
1:	b	1b
