/* 32-bit device register access for BSP drivers. */
#ifndef BSP_MMIO_H
#define BSP_MMIO_H

#include <stdint.h>

#ifdef BSP_MMIO_HOOKS
/* Host tests (test/unit/drivers) model the device behind these calls. */
uint32_t mmio_read32(uintptr_t addr);
void mmio_write32(uintptr_t addr, uint32_t value);
void mmio_write8(uintptr_t addr, uint8_t value);
#else
static inline uint32_t mmio_read32(uintptr_t addr)
{
	return *(volatile uint32_t *)addr;
}

static inline void mmio_write32(uintptr_t addr, uint32_t value)
{
	*(volatile uint32_t *)addr = value;
}

static inline void mmio_write8(uintptr_t addr, uint8_t value)
{
	*(volatile uint8_t *)addr = value;
}
#endif /* BSP_MMIO_HOOKS */

#endif /* BSP_MMIO_H */
