/*
 * The vendor's guest: greets, reports its domain, and powers its domain off.
 */
#include <stdint.h>

#include "vmm/guest_info.h"
#include "vmm/hypercall.h"

void app_main(const struct vmm_start_info *si);

static void say(const char *s)
{
	int n = 0;

	while (s[n])
		n++;
	HYPERVISOR_console_io(VMM_CONSOLEIO_write, n, (char *)s);
}

void app_main(const struct vmm_start_info *si)
{
	char id[2] = {(char)('0' + si->domid % 10), 0};

	say("vendor app: hello from domain ");
	say(id);
	say(" (");
	say(si->name);
	say(", ");
	say(si->cmd_line);
	say(")\n");
	HYPERVISOR_sched_op(VMM_SCHEDOP_shutdown, VMM_SHUTDOWN_poweroff);
}
