/*
 * The third domain (dom2): the policy keeps it apart from the secure
 * domain. It tries to open an event channel to dom0, to send on a port it
 * guessed, and to use a grant dom0 made out to it; all are refused
 * (it runs this at once, while dom0 is alive: dom0 waits for the rich domain).
 */
#include <stdint.h>
#include <stdio.h>

#include <minios/events.h>
#include <minios/minios.h>
#include <minios/sched.h>
#include <vmm/hypercall.h>

#include "guest_lib.h"
#include "protocol.h"

static uint8_t buf[64];

static int check(const char *what, long rc, long want)
{
	printf("other: %s: %s (%ld)\n", what, rc == want ? "refused" : "FAIL not refused as expected", rc);
	return rc == want;
}

int app_main(const struct vmm_start_info *si)
{
	struct vmm_evtchn_send send = { 5 };
	int ok = 1;

	printf("other: domain %lu, kept apart from dom0 by the policy\n", (unsigned long)si->domid);
	ok &= check("alloc_unbound for dom0", evtchn_alloc_unbound(SR_SECURE_DOM, 0), -VMM_EPERM);
	/* dom0 has no port unbound for us: whatever we guess is refused */
	ok &= check("bind_interdomain to guessed port 3 of dom0", bind_interdomain(SR_SECURE_DOM, 3, 0),
		    -VMM_EINVAL);
	ok &= check("send on guessed port 5", HYPERVISOR_event_channel_op(VMM_EVTCHNOP_send, &send), -VMM_EINVAL);
	ok &= check("grant copy of dom0's grant for us", sr_copy_in(SR_SECURE_DOM, SR_PUBLIC_REF, 0, buf, 32),
		    -VMM_EPERM);
	printf("other: done\n");
	return ok ? 0 : 1;
}
