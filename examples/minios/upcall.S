/*
 * libvmm Mini-OS: event upcall entry (registered with set_callbacks).
 *
 * On entry (vmm/abi.h): the hypervisor pushed the interrupted context as a
 * struct vmm_trap_frame (68 bytes) on the guest stack, 8-byte aligned,
 * r0 = sp = frame address, evtchn_upcall_mask = 1, USR mode.
 *
 * We run the C handler below the frame (sp stays 8-byte aligned, as AAPCS
 * wants at a public interface), then resume whatever context is in the
 * frame now (the handler may have replaced it with another thread's) with
 * restore_trap_frame, which also clears evtchn_upcall_mask.
 */
	.syntax unified
	.arm

#define VMM_HC_restore_trap_frame 23	/* vmm/abi.h */

	.section .text.minios_upcall_entry, "ax", %progbits
	.global minios_upcall_entry
	.type minios_upcall_entry, %function
	.balign 4
minios_upcall_entry:
	mov	r4, r0			@ r4 = frame (callee-saved across the C call)
	bic	r1, r0, #7		@ defensive: 8-byte align below the frame
	sub	sp, r1, #136		@ struct minios_fpstate below it
	mov	r5, sp			@ r5 = the interrupted VFP registers
	mov	r0, r5
	bl	minios_fp_save		@ the C handlers may use the VFP registers
	mov	fp, #0			@ terminate frame-pointer chains
	mov	r0, r4
	mov	r1, r5
	bl	minios_do_upcall	@ minios_do_upcall(frame, fpstate)
	mov	r0, r5
	bl	minios_fp_load		@ the resumed thread's (sched_upcall may have switched)
	mov	r0, r4
	mov	r7, #VMM_HC_restore_trap_frame
	svc	#0x82			@ does not return on success
	mov	r1, r4			@ r0 = error, r1 = frame
	bl	minios_restore_failed	@ noreturn
	b	.
	.size minios_upcall_entry, . - minios_upcall_entry

	.section .note.GNU-stack, "", %progbits
