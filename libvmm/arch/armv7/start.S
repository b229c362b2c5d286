/*
 * Reset entry of the hypervisor image (ARMv7-A, ARM state).
 *
 * The boot loader (or QEMU) enters _start at its *physical* address with the
 * MMU and data cache off, in a privileged mode. The image is linked to run at
 * HV_RAM_VA + HV_IMAGE_OFFSET, so this code is position independent until it
 * has built the boot translation table and jumped to the linked address:
 *   1. identity-map the 1 MiB section holding _start (to survive MMU-on),
 *   2. map the whole RAM window at HV_RAM_VA (global, PL1-only, cacheable),
 *   3. enable the MMU and caches, jump high, set up stacks, clear .bss,
 *   4. call vmm_main(), which never returns.
 * The boot table becomes the hypervisor's master table (arch_mmu_init()
 * removes the identity entry and adds the device windows).
 */
#include "arm.h"

#define SECT_HV_RAM 0x140e  /* section, C+B, TEX=001 (normal WBWA), AP=01 (PL1 RW) */

	.section .text.boot, "ax"
	.arm
	.global _start
_start:
	cpsid	aif, #PSR_MODE_SVC
	/* Caches may hold garbage after reset (e.g. Cortex-A9): invalidate the
	 * data caches before the MMU and caches are turned on. The boot loader
	 * left nothing dirty (it must enter with the D-cache off or clean). */
	bl	dcache_invalidate_all

	/* r10 = physical minus virtual offset of the image */
	adr	r0, _start
	ldr	r1, =_start
	sub	r10, r0, r1

	/* r4 = physical address of the boot L1 table; zero it (16 KiB) */
	ldr	r4, =hv_master_l1
	add	r4, r4, r10
	mov	r0, r4
	add	r1, r4, #0x4000
	mov	r2, #0
1:	str	r2, [r0], #4
	cmp	r0, r1
	blo	1b

	/* identity entry for the section holding _start */
	adr	r0, _start
	lsr	r0, r0, #20
	lsl	r1, r0, #20
	ldr	r2, =SECT_HV_RAM
	orr	r1, r1, r2
	str	r1, [r4, r0, lsl #2]

	/* RAM window: VA HV_RAM_VA + i MiB -> ram_base + i MiB, for the RAM size */
	ldr	r5, =__hv_ram_phys      /* board RAM base (linker symbol) */
	ldr	r6, =__hv_ram_mib       /* MiB to map */
	ldr	r7, =(HV_RAM_VA >> 20)
	orr	r5, r5, r2
2:	str	r5, [r4, r7, lsl #2]
	add	r5, r5, #0x100000
	add	r7, r7, #1
	subs	r6, r6, #1
	bne	2b

	/* translation regime: TTBR0 only, all domains client */
	mov	r0, #0
	mcr	p15, 0, r0, c2, c0, 2   /* TTBCR = 0 */
	/* TTBR0 walk attributes = the tables' mapping, inner and outer WBWA
	 * (rule in mmu.c / docs/memory.md): MP extensions (MPIDR bit 31):
	 * IRGN[0] = bit 6 -> 0x48; without: C -> 0x09. Outer RGN = 01 in both. */
	mrc	p15, 0, r1, c0, c0, 5   /* MPIDR */
	tst	r1, #0x80000000
	orreq	r0, r4, #0x09
	orrne	r0, r4, #0x48
	mcr	p15, 0, r0, c2, c0, 0
	ldr	r0, =0x55555555
	mcr	p15, 0, r0, c3, c0, 0   /* DACR */
	mov	r0, #0
	dsb                             /* Cortex-A9 erratum 754322: DSB before a CONTEXTIDR write */
	mcr	p15, 0, r0, c13, c0, 1  /* CONTEXTIDR: ASID 0 (reserved for the hypervisor) */
	mcr	p15, 0, r0, c13, c0, 2  /* TPIDRURW, TPIDRURO: 0 (arch_switch saves them */
	mcr	p15, 0, r0, c13, c0, 3  /* from the registers into the boot/idle hctx) */
	mcr	p15, 0, r0, c8, c7, 0   /* TLBIALL */
	mcr	p15, 0, r0, c7, c5, 0   /* ICIALLU */
	mcr	p15, 0, r0, c7, c5, 6   /* BPIALL */
	dsb
	isb

	/* MMU, caches, branch prediction on; no alignment faults; high vectors off */
	mrc	p15, 0, r0, c1, c0, 0
	ldr	r1, =(SCTLR_A | SCTLR_V | SCTLR_TRE | SCTLR_AFE | SCTLR_TE)
	bic	r0, r0, r1
	ldr	r1, =(SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_Z)
	orr	r0, r0, r1
	mcr	p15, 0, r0, c1, c0, 0
	isb

	ldr	pc, =boot_high

boot_high:
	/* Exception modes only relay to SVC (see entry.S): no stacks needed. */
	ldr	sp, =hv_boot_stack_top

	/* clear .bss */
	ldr	r0, =__bss_start
	ldr	r1, =__bss_end
	mov	r2, #0
3:	cmp	r0, r1
	strlo	r2, [r0], #4
	blo	3b

	ldr	r0, =hv_vectors
	mcr	p15, 0, r0, c12, c0, 0  /* VBAR */
	isb
	bl	vmm_main
4:	wfi
	b	4b
	.ltorg

/*
 * Invalidates every data/unified cache level up to the Level of Coherency by
 * set/way (ARMv7 CLIDR/CCSIDR walk). Uses r0-r9, r11, r12 only; no stack.
 */
dcache_invalidate_all:
	mrc	p15, 1, r0, c0, c0, 1   /* CLIDR */
	ands	r3, r0, #0x07000000
	lsr	r3, r3, #23             /* LoC * 2 */
	beq	5f
	mov	r12, #0                 /* cache level * 2 */
1:	add	r2, r12, r12, lsr #1    /* level * 3 */
	lsr	r1, r0, r2
	and	r1, r1, #7              /* cache type at this level */
	cmp	r1, #2
	blt	4f                      /* no cache or I-cache only */
	mcr	p15, 2, r12, c0, c0, 0  /* CSSELR: this level's data cache */
	isb
	mrc	p15, 1, r1, c0, c0, 0   /* CCSIDR */
	and	r2, r1, #7
	add	r2, r2, #4              /* log2(line bytes) */
	ldr	r4, =0x3ff
	ands	r4, r4, r1, lsr #3      /* ways - 1 */
	clz	r5, r4                  /* position of the way field */
	ldr	r7, =0x7fff
	ands	r7, r7, r1, lsr #13     /* sets - 1 */
2:	mov	r9, r4
3:	orr	r11, r12, r9, lsl r5
	orr	r11, r11, r7, lsl r2
	mcr	p15, 0, r11, c7, c6, 2  /* DCISW */
	subs	r9, r9, #1
	bge	3b
	subs	r7, r7, #1
	bge	2b
4:	add	r12, r12, #2
	cmp	r3, r12
	bgt	1b
5:	mov	r12, #0
	mcr	p15, 2, r12, c0, c0, 0  /* CSSELR back to level 1 */
	dsb
	isb
	bx	lr
	.ltorg

	/* The boot/idle stack: 4 KiB. Deepest use measured in every QEMU test
	 * (painted below vmm_main()'s frame, read at power-off): 1632 bytes, the
	 * boot of the largest configurations (ELF loading, domain building). */
	.section .bss.boot_stack, "aw", %nobits
	.align	3
	.global hv_boot_stack_top
hv_boot_stack:
	.space	4096
hv_boot_stack_top:
