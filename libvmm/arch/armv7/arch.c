/*
 * Small arch services for the core (see core/arch.h).
 */
#include "arch.h"
#include "cp15.h"

extern void arch_first_entry(void);

void arch_hctx_init(struct arch_hctx *c, struct vmm_trap_frame *frame)
{
	unsigned int i;

	for (i = 0; i < 8; i++)
		c->r4_r11[i] = 0;
	c->sp = (uint32_t)(uintptr_t)frame;
	c->lr = (uint32_t)(uintptr_t)arch_first_entry;
	c->tpidrurw = 0; /* a new domain inherits no thread register */
	c->tpidruro = 0;
	c->vfp_on = 0;
	c->dacr = ARCH_DACR_BOOT;
}

void arch_fault_info(int kind, uint32_t *address, uint32_t *status)
{
	if (kind == 0) {
		*status = cp15_read_dfsr();
		*address = arch_dfsr_async(*status) ? 0 : cp15_read_dfar();
	} else if (kind == 1) {
		*address = cp15_read_ifar();
		*status = cp15_read_ifsr();
	} else {
		*address = 0;
		*status = 0;
	}
}

/*
 * ThumbEE (ARMv7-A optional, implemented by the Cortex-A8, A9 and A15): its
 * handler base register TEEHBR is writable from USR mode unless TEECR.XED
 * is set, and nothing else in libvmm switches it, so one domain could leave
 * a value for the next to read. Guests get no ThumbEE configuration
 * instead: XED makes every USR access to TEEHBR undefined (a guest touching
 * it takes an undefined-instruction fault), and TEEHBR holds 0. ThumbEE
 * code itself (ENTERX) still runs, but its handler branches only ever see
 * that constant. Cheaper than a switch (nothing on the switch path), and
 * the ISA is deprecated: no compiler emits it. ID_PFR0[15:12] says whether
 * the core has ThumbEE; without it the registers do not exist.
 */
void arch_user_regs_init(void)
{
	uint32_t pfr0;

	__asm__ volatile("mrc p15, 0, %0, c0, c1, 0" : "=r"(pfr0));
	if (((pfr0 >> 12) & 0xfu) == 0)
		return;
	__asm__ volatile("mcr p14, 6, %0, c1, c0, 0" :: "r"(0u) : "memory");  /* TEEHBR */
	__asm__ volatile("mcr p14, 6, %0, c0, c0, 0" :: "r"(1u) : "memory");  /* TEECR.XED */
	__asm__ volatile("isb" ::: "memory");
}
