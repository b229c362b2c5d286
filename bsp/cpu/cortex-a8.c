/*
 * CPU hooks (vmm/port.h) for the Cortex-A8.
 *
 * The A8's BPIALL is a no-op unless ACTLR.IBE (bit 6) is set, and only the
 * Secure world may set it: firmware (or the boot ROM) must, before entering
 * libvmm. With IBE set, the BPIALL libvmm issues on every domain switch
 * both stops one domain from steering another's speculation (ARM's
 * branch-target-injection mitigation for the A8) and is the workaround for
 * erratum 430973 (a BTB entry trained by ARM code at an address one domain
 * uses, predicted for Thumb code another domain has there, or the reverse,
 * can execute in the wrong instruction set). So the switch hook has nothing
 * to add; the boot hook reports a firmware that left IBE clear.
 */
#include <stddef.h>
#include <stdint.h>

#include "vmm/port.h"

#define A8_ACTLR_IBE (1u << 6)

static inline uint32_t actlr_read(void)
{
	uint32_t v;

	__asm__ volatile("mrc p15, 0, %0, c1, c0, 1" : "=r"(v));
	return v;
}

const char *vmm_port_cpu_init(void)
{
	if (!(actlr_read() & A8_ACTLR_IBE))
		return "Cortex-A8: ACTLR.IBE clear: BPIALL is a no-op, no branch predictor "
		       "isolation, no erratum 430973 workaround (firmware: set ACTLR bit 6)";
	return NULL;
}

void vmm_port_cpu_switch(void) {}
