/*
 * PL031 RTC driver (see pl031.h).
 */
#include "pl031.h"

#include "mmio.h"
#include "vmm/port.h"

#define RTC_DR 0x00

uint32_t pl031_read(uint32_t phys)
{
	return mmio_read32(vmm_port_device_va(phys) + RTC_DR);
}
