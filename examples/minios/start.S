/*
 * libvmm Mini-OS: entry point.
 *
 * Entered by the hypervisor in ARM state, USR mode (virtual kernel mode),
 * events masked, with r0 = struct vmm_start_info * (also at
 * VMM_GUEST_START_INFO) and sp = VMM_GUEST_BOOT_STACK. We clear .bss, move
 * to our own 16 KiB boot stack (in .bss) and call minios_start(si).
 */
	.syntax unified
	.arm

#define VMM_GUEST_START_INFO 0xC0001000   /* vmm/guest_info.h */
#define VMM_HC_sched_op      29           /* vmm/abi.h */
#define VMM_SCHEDOP_shutdown 2
#define VMM_SHUTDOWN_crash   3

	.section .text.start, "ax", %progbits
	.global _start
	.type _start, %function
	.balign 4
_start:
	movs	r4, r0			@ r4 = start_info (callee-saved)
	ldreq	r4, =VMM_GUEST_START_INFO	@ r0 was 0: use the fixed address

	ldr	r0, =__bss_start__
	ldr	r1, =__bss_end__
	mov	r2, #0
1:	cmp	r0, r1
	strlo	r2, [r0], #4
	blo	1b

	ldr	sp, =minios_boot_stack_top	@ 8-byte aligned
	mov	fp, #0
	mov	lr, #0
	mov	r0, r4
	bl	minios_start

	/* minios_start never returns; if it did, crash the domain. */
2:	mov	r0, #VMM_SCHEDOP_shutdown
	mov	r1, #VMM_SHUTDOWN_crash
	mov	r7, #VMM_HC_sched_op
	svc	#0x82
	b	2b
	.size _start, . - _start
	.ltorg

/*
 * newlib's __libc_init_array() calls _init(); with -nostartfiles there is no
 * crti.o, so provide empty weak ones.
 */
	.section .text._init, "ax", %progbits
	.weak _init
	.type _init, %function
	.balign 4
_init:
	bx	lr
	.size _init, . - _init

	.section .text._fini, "ax", %progbits
	.weak _fini
	.type _fini, %function
	.balign 4
_fini:
	bx	lr
	.size _fini, . - _fini

	.section .bss.minios_boot_stack, "aw", %nobits
	.balign 8
	.global minios_boot_stack, minios_boot_stack_top
minios_boot_stack:
	.space	16384
minios_boot_stack_top:

	.section .note.GNU-stack, "", %progbits
