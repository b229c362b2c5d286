/*
 * CPU-bound guest for the scheduler tests: spins (never blocks) until system
 * time reaches the number of milliseconds on its command line ("run=N",
 * default 1000), then shuts down. Its CPU share is read from the hypervisor's
 * "shut down: ..., X s CPU of Y s" line.
 */
#include "probe_lib.h"

void probe_main(const struct vmm_start_info *si);

void probe_main(const struct vmm_start_info *si)
{
	uint64_t end = (uint64_t)probe_cmdline_number(si->cmd_line, "run=", 1000) * 1000000ull;
	volatile uint32_t spins = 0;

	probe_puts("hog: spinning\n");
	while (probe_system_time() < end)
		spins++;
	probe_puts("hog: done\n");
	probe_shutdown(VMM_SHUTDOWN_poweroff);
}
