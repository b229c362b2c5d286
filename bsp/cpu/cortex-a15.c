/*
 * CPU hooks (vmm/port.h) for the Cortex-A15.
 *
 * On the A15, BPIALL does not invalidate the branch predictor: ARM's
 * branch-target-injection mitigation is ICIALLU (instruction cache
 * invalidate all), which also invalidates the predictor, but only when
 * ACTLR.IBE (bit 0) is set, which only the Secure world can do: firmware must
 * set it before entering libvmm. The switch hook issues the ICIALLU; the
 * boot hook reports a firmware that left IBE clear. The cost is the
 * instruction cache refill after each domain switch (the ICIALLU itself is
 * one instruction; see docs/performance.md).
 */
#include <stddef.h>
#include <stdint.h>

#include "vmm/port.h"

#define A15_ACTLR_IBE (1u << 0)

static inline uint32_t actlr_read(void)
{
	uint32_t v;

	__asm__ volatile("mrc p15, 0, %0, c1, c0, 1" : "=r"(v));
	return v;
}

const char *vmm_port_cpu_init(void)
{
	if (!(actlr_read() & A15_ACTLR_IBE))
		return "Cortex-A15: ACTLR.IBE clear: ICIALLU leaves the branch predictor, "
		       "no isolation between domains (firmware: set ACTLR bit 0)";
	return NULL;
}

void vmm_port_cpu_switch(void)
{
	/* ICIALLU; completes before the guest runs: the exception return into
	 * it is context-synchronizing. */
	__asm__ volatile("mcr p15, 0, %0, c7, c5, 0" : : "r"(0) : "memory");
}
