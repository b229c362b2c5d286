/*
 * Accessors for the ARMv7-A system control registers the hypervisor uses.
 */
#ifndef VMM_ARCH_CP15_H
#define VMM_ARCH_CP15_H

#include <stdint.h>

#define CP15_READ(name, op1, crn, crm, op2)                                          \
	static inline uint32_t cp15_read_##name(void)                                 \
	{                                                                             \
		uint32_t v;                                                           \
		__asm__ volatile("mrc p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 : "=r"(v)); \
		return v;                                                             \
	}
#define CP15_WRITE(name, op1, crn, crm, op2)                                         \
	static inline void cp15_write_##name(uint32_t v)                              \
	{                                                                             \
		__asm__ volatile("mcr p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 :: "r"(v) : "memory"); \
	}

CP15_READ(ctr, 0, c0, c0, 1)
CP15_READ(mpidr, 0, c0, c0, 5)
CP15_READ(id_mmfr3, 0, c0, c1, 7)
CP15_WRITE(ttbr0, 0, c2, c0, 0)
CP15_WRITE(contextidr, 0, c13, c0, 1)
CP15_READ(dfsr, 0, c5, c0, 0)
CP15_READ(ifsr, 0, c5, c0, 1)
CP15_READ(dfar, 0, c6, c0, 0)
CP15_READ(ifar, 0, c6, c0, 2)
CP15_WRITE(tlbiall, 0, c8, c7, 0)
CP15_WRITE(tlbiasid, 0, c8, c7, 2)
CP15_WRITE(tlbimva, 0, c8, c7, 1)
CP15_WRITE(iciallu, 0, c7, c5, 0)
CP15_WRITE(bpiall, 0, c7, c5, 6)
CP15_WRITE(dccmvau, 0, c7, c11, 1)
CP15_WRITE(pmuserenr, 0, c9, c14, 0)
CP15_READ(pmcr, 0, c9, c12, 0)
CP15_WRITE(pmcr, 0, c9, c12, 0)
CP15_WRITE(pmcntenset, 0, c9, c12, 1)

static inline void arm_dsb(void) { __asm__ volatile("dsb" ::: "memory"); }
static inline void arm_isb(void) { __asm__ volatile("isb" ::: "memory"); }

#endif /* VMM_ARCH_CP15_H */
