/*
 * libvmm Mini-OS: cooperative context switch.
 *
 * void minios_switch_frame(struct vmm_trap_frame *save,
 *                          struct vmm_trap_frame *resume);
 *
 * Saves the caller's context into *save as a vmm_trap_frame whose pc is the
 * `bx lr` below and whose cpsr is USR/ARM state (the condition flags do not
 * matter at a call boundary), then resumes *resume through
 * HYPERVISOR_restore_trap_frame, which loads all registers including
 * pc/cpsr (and thus the Thumb bit) atomically and clears evtchn_upcall_mask.
 * When somebody later resumes *save, all of r0-r12, sp, lr are back and we
 * return to our caller (with events unmasked: the caller re-masks).
 *
 * Frame layout (vmm/abi.h): r0..r12 at 0, sp 52, lr 56, pc 60, cpsr 64.
 */
	.syntax unified
	.arm

#define VMM_HC_restore_trap_frame 23	/* vmm/abi.h */
#define PSR_MODE_USR 0x10

	.section .text.minios_switch_frame, "ax", %progbits
	.global minios_switch_frame
	.type minios_switch_frame, %function
	.balign 4
minios_switch_frame:
	stmia	r0, {r0-r12}		@ r4-r11 are what matters
	str	sp, [r0, #52]
	str	lr, [r0, #56]
	adr	r2, 1f			@ ARM-state resume address (bit 0 clear)
	str	r2, [r0, #60]
	mov	r2, #PSR_MODE_USR	@ T = 0: resume in ARM state
	str	r2, [r0, #64]
	mov	r0, r1
	mov	r7, #VMM_HC_restore_trap_frame
	svc	#0x82			@ does not return on success
	bl	minios_restore_failed	@ r0 = error, r1 = frame; noreturn
	b	.
1:	bx	lr			@ resumed: back in our caller
	.size minios_switch_frame, . - minios_switch_frame

/*
 * void minios_fp_save(struct minios_fpstate *fp);
 * void minios_fp_load(const struct minios_fpstate *fp);
 * d0-d15 at 0, FPSCR at 128 (include/minios/sched.h). The first VFP
 * instruction after a domain switch traps to the hypervisor once (lazy
 * VFP); that is invisible here.
 */
	.fpu	vfpv3-d16
	.section .text.minios_fp_save, "ax", %progbits
	.global minios_fp_save
	.type minios_fp_save, %function
	.balign 4
minios_fp_save:
	vmrs	r1, fpscr
	str	r1, [r0, #128]
	vstmia	r0, {d0-d15}
	bx	lr
	.size minios_fp_save, . - minios_fp_save

	.section .text.minios_fp_load, "ax", %progbits
	.global minios_fp_load
	.type minios_fp_load, %function
	.balign 4
minios_fp_load:
	ldr	r1, [r0, #128]
	vmsr	fpscr, r1
	vldmia	r0, {d0-d15}
	bx	lr
	.size minios_fp_load, . - minios_fp_load

	.section .note.GNU-stack, "", %progbits
