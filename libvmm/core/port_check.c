/*
 * Boot-time checks of the port layer's values (see port_check.h).
 */
#include "port_check.h"

#include <stdbool.h>

#include "format.h"
#include "log.h"
#include "schedule.h"
#include "vmm/abi.h"
#include "vmm/port.h"

/* The range of the timer contract (docs/porting.md), the one time.c's
 * conversions are tested exact for; 0 would divide by zero in time_init(),
 * and above 1 GHz a tick is finer than the nanoseconds system time counts. */
static inline bool port_freq_in_range(uint32_t hz)
{
	return hz >= VMM_PORT_FREQ_MIN && hz <= VMM_PORT_FREQ_MAX;
}

int port_check_counter_freq(uint32_t hz, char *why, size_t len)
{
	if (hz == 0) {
		vmm_snprintf(why, len, "counter frequency is 0 Hz (firmware left it unset, "
			     "e.g. CNTFRQ)");
		return -VMM_EINVAL;
	}
	if (!port_freq_in_range(hz)) {
		vmm_snprintf(why, len, "counter frequency %u Hz is outside %u..%u Hz",
			     (unsigned)hz, VMM_PORT_FREQ_MIN, VMM_PORT_FREQ_MAX);
		return -VMM_EINVAL;
	}
	return 0;
}

#define DEVICE_MIB 0x100000u

/* Region r (number i) alone, and with `used` bytes of the window before it. */
static int port_check_device(const struct vmm_device_region *r, unsigned int i, uint32_t used, char *why,
			     size_t len)
{
	const char *bad = NULL;

	if (r->size == 0)
		bad = "is empty";
	else if (r->phys % DEVICE_MIB || r->size % DEVICE_MIB)
		bad = "is not in whole, aligned MiB";
	else if (r->size - 1 > UINT32_MAX - r->phys)
		bad = "passes the end of the 4 GiB address space";
	else if (r->size > VMM_DEVICE_VA_SIZE - used)
		bad = "does not fit the 255 MiB device window after the regions before it";
	if (!bad)
		return 0;
	if (why)
		vmm_snprintf(why, len, "device region #%u (0x%08x + 0x%x) %s", i, (unsigned)r->phys,
			     (unsigned)r->size, bad);
	return -VMM_EINVAL;
}

int port_check_devices(const struct vmm_device_region *dev, unsigned int nr, unsigned int *nr_valid,
		       char *why, size_t len)
{
	uint32_t used = 0;
	unsigned int i;

	for (i = 0; i < nr && i < VMM_MAX_DEVICE_REGIONS; i++) {
		if (port_check_device(&dev[i], i, used, why, len) != 0)
			break;
		used += dev[i].size;
	}
	if (nr_valid)
		*nr_valid = i;
	if (i < nr && i < VMM_MAX_DEVICE_REGIONS)
		return -VMM_EINVAL; /* the reason is written */
	if (nr > VMM_MAX_DEVICE_REGIONS) {
		if (why)
			vmm_snprintf(why, len, "%u device regions, at most %u", nr, VMM_MAX_DEVICE_REGIONS);
		return -VMM_EINVAL;
	}
	return 0;
}

void port_check_boot(void)
{
	char why[96];

	if (port_check_devices(vmm_board.devices, vmm_board.nr_devices, NULL, why, sizeof(why)) != 0 ||
	    port_check_counter_freq(vmm_port_counter_freq(), why, sizeof(why)) != 0) {
		vmm_log("boot: %s; cannot start", why);
		schedule_poweroff(PORT_CHECK_EXIT);
	}
}
