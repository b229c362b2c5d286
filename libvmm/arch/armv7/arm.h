/*
 * ARMv7-A constants shared by the assembly and C parts of the arch layer.
 * Self-standing; safe to include from .S files.
 */
#ifndef VMM_ARCH_ARM_H
#define VMM_ARCH_ARM_H

#define PSR_MODE_MASK 0x1f
#define PSR_MODE_USR  0x10
#define PSR_MODE_FIQ  0x11
#define PSR_MODE_IRQ  0x12
#define PSR_MODE_SVC  0x13
#define PSR_MODE_ABT  0x17
#define PSR_MODE_UND  0x1b
#define PSR_MODE_SYS  0x1f
#define PSR_T         0x20
#define PSR_F         0x40
#define PSR_I         0x80
#define PSR_A         0x100
#define PSR_E         0x200
/* Bits a guest may choose in its CPSR: N Z C V Q, IT[7:0], GE[3:0], T. */
#define PSR_GUEST_MASK 0xfe0ffc20u
/*
 * Bits every guest CPSR has, whatever the guest asks: USR mode, IRQs on,
 * FIQs masked (F). libvmm owns no FIQ source and its FIQ vector treats one as
 * fatal, so a FIQ a platform routes to the core (a secure watchdog, a
 * misconfigured controller) must stay pending instead of crashing whichever
 * domain runs. USR code cannot change F, and every exception libvmm takes
 * from a guest keeps it, so F=1 here also masks FIQs in the hypercall and
 * interrupt paths; the boot code and the idle loop mask them themselves.
 */
#define PSR_GUEST_FIXED (PSR_MODE_USR | PSR_F)

#define SCTLR_M  (1u << 0)
#define SCTLR_A  (1u << 1)
#define SCTLR_C  (1u << 2)
#define SCTLR_Z  (1u << 11)
#define SCTLR_I  (1u << 12)
#define SCTLR_V  (1u << 13)
#define SCTLR_TRE (1u << 28)
#define SCTLR_AFE (1u << 29)
#define SCTLR_TE (1u << 30)

/* Hypervisor virtual memory layout (the same in every domain's tables). */
#define HV_RAM_VA      0xE0000000u  /* linear map of the board's RAM bank */
#define HV_RAM_VA_MAX  0x10000000u  /* at most 256 MiB of RAM mapped */
#define HV_IMAGE_OFFSET 0x00100000u /* the image starts 1 MiB into RAM */
#define HV_TEMP_VA     0xFFF00000u  /* temporary mappings of frames outside the window */
#define HV_TEMP_SLOTS  256u         /* 4 KiB pages in that last MiB */

/* Size of struct vmm_trap_frame and the words above it on a vcpu stack. */
#define FRAME_SIZE     68
/*
 * Above the frame: struct arch_frame_extra (core/arch.h), the words the SVC
 * paths of entry.S read. The order is fixed: the fast syscall bounce loads
 * frame.sp .. FRAME_HCTX_DACR in one ldm, the fast return FRAME_HCTX_DACR ..
 * FRAME_ONE in another. Frame + extra must be a multiple of 8: the C stack
 * below the frame keeps AAPCS's 8-byte alignment, which 64-bit varargs
 * depend on.
 */
#define FRAME_EXTRA     60
#define FRAME_VCPU_INFO  0          /* offsets above the frame: &vcpu_info */
#define FRAME_KSP        4          /* fast syscall: kernel_sp */
#define FRAME_HPC        8          /*   handler pc */
#define FRAME_HCPSR     12          /*   handler CPSR */
#define FRAME_DACR_K    16          /*   DACR of virtual kernel mode */
#define FRAME_KTABLE    20          /*   SVC table of virtual kernel mode */
#define FRAME_ZERO      24          /*   0 (VMM_VMODE_KERNEL) */
#define FRAME_HCTX_DACR 28          /* &hctx.dacr (both paths) */
#define FRAME_UTABLE    32          /* fast return: SVC table of virtual user mode */
#define FRAME_DACR_U    36          /*   DACR of virtual user mode */
#define FRAME_CPSR_MASK 40          /*   guest CPSR bits kept in ARM state */
#define FRAME_ONE       44          /*   1 (VMM_VMODE_USER) */
#define FRAME_SVC_TABLE 48          /* SVC table of the current virtual mode */
/* struct vmm_vcpu_info: the vmode byte (vmm/guest_info.h). */
#define VCPU_VMODE       2

/* Offsets in struct arch_hctx (core/arch.h) used by entry.S and vfp.S. */
#define HCTX_TPIDRURW  0
#define HCTX_TPIDRURO  4
#define HCTX_VFP_ON    48
#define HCTX_DACR      52

/* IT[1:0] (CPSR 26:25) and IT[7:2] (15:10): only meaningful in Thumb state. */
#define PSR_IT_MASK    0x0600fc00u

#endif /* VMM_ARCH_ARM_H */
