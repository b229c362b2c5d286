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
}

void arch_fault_info(int kind, uint32_t *address, uint32_t *status)
{
	if (kind == 0) {
		*address = cp15_read_dfar();
		*status = cp15_read_dfsr();
	} else if (kind == 1) {
		*address = cp15_read_ifar();
		*status = cp15_read_ifsr();
	} else {
		*address = 0;
		*status = 0;
	}
}
