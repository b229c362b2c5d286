/*
 * Latency-sensitive guest for the scheduler tests: N times ("wakes=N",
 * default 200) it arms its timer 1 ms ahead, blocks, and on waking measures
 * how late it runs (system time at wake-up minus the deadline; under QEMU's
 * -icount shift=0 one ns is one guest instruction). Prints the maximum and
 * average lateness: with warp it must be a domain switch, not a slice.
 */
#include "probe_lib.h"

void probe_main(const struct vmm_start_info *si);

#define PERIOD_NS 1000000ull

static uint32_t cmdline_wakes(const char *s)
{
	uint32_t v = 0;

	for (; *s; s++) {
		if (s[0] != 'w' || s[1] != 'a' || s[2] != 'k' || s[3] != 'e' || s[4] != 's' || s[5] != '=')
			continue;
		for (s += 6; *s >= '0' && *s <= '9'; s++)
			v = v * 10 + (uint32_t)(*s - '0');
		return v;
	}
	return 200;
}

void probe_main(const struct vmm_start_info *si)
{
	volatile struct vmm_shared_info *sh = (volatile struct vmm_shared_info *)VMM_GUEST_SHARED_INFO;
	uint32_t wakes = cmdline_wakes(si->cmd_line), i;
	uint64_t max = 0, sum = 0;

	/* Events stay masked (no upcalls): block still returns when the timer port is pending. */
	probe_puts("latency: start\n");
	if (probe_bind_virq(VMM_VIRQ_TIMER) < 0) /* the timer wakes us through its port */
		probe_puts("FAIL latency: bind_virq(timer)\n");
	HYPERVISOR_sched_op(VMM_SCHEDOP_yield, 0); /* fresh system time */
	for (i = 0; i < wakes; i++) {
		uint64_t deadline = probe_system_time() + PERIOD_NS, late;

		sh->vcpu_info.evtchn_upcall_pending = 0;
		sh->evtchn_pending[0] = 0;
		sh->vcpu_info.evtchn_pending_sel = 0;
		HYPERVISOR_set_timer_op(deadline);
		do
			HYPERVISOR_sched_op(VMM_SCHEDOP_block, 0);
		while (probe_system_time() < deadline);
		late = probe_system_time() - deadline;
		sum += late;
		if (late > max)
			max = late;
	}
	probe_puts("latency: wakes ");
	probe_putd((long)wakes);
	probe_puts(" max_ns ");
	probe_putd((long)max);
	probe_puts(" avg_ns ");
	probe_putd((long)(sum / wakes));
	probe_puts("\n");
	probe_shutdown(VMM_SHUTDOWN_poweroff);
}
