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

void port_check_boot(void)
{
	char why[96];

	if (port_check_counter_freq(vmm_port_counter_freq(), why, sizeof(why)) == 0)
		return;
	vmm_log("boot: %s; cannot start", why);
	schedule_poweroff(PORT_CHECK_EXIT);
}
