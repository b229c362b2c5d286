/*
 * Long-uptime sleep test guest: many sleeps of lengths that do not divide
 * the counter tick, at a system time far from 0 (the image sets
 * vmm_time_epoch_ns). Each sleep arms set_timer_op and blocks until system
 * time has reached its deadline; a wake-up before it is counted as early.
 * Prints "sleep: <n> sleeps, <e> early, <ms> ms" and the hypervisor prints
 * its timer interrupt count at power-off (check-storm.sh compares them).
 */
#include "probe_lib.h"

#define SLEEPS 400

void probe_main(const struct vmm_start_info *si);

void probe_main(const struct vmm_start_info *si)
{
	uint64_t start = probe_system_time(), deadline;
	unsigned int n, early = 0;

	(void)si;
	if (probe_bind_virq(VMM_VIRQ_TIMER) < 0) /* the timer wakes us through its port */
		probe_puts("FAIL sleep: bind_virq(timer)\n");
	if (start < 1000000000000000000ull)
		probe_puts("FAIL sleep: system time did not start far from 0\n");
	for (n = 0; n < SLEEPS; n++) {
		deadline = probe_system_time() + 1 + (n * 7919u) % 1000003u;
		HYPERVISOR_set_timer_op(deadline);
		HYPERVISOR_sched_op(VMM_SCHEDOP_block, 0);
		while (probe_system_time() < deadline) {
			early++;
			HYPERVISOR_set_timer_op(deadline);
			HYPERVISOR_sched_op(VMM_SCHEDOP_block, 0);
		}
		/* the timer event stays pending: clear it, or block returns at once */
		((volatile struct vmm_shared_info *)VMM_GUEST_SHARED_INFO)->evtchn_pending[0] = 0;
		((volatile struct vmm_shared_info *)VMM_GUEST_SHARED_INFO)->vcpu_info.evtchn_upcall_pending = 0;
	}
	probe_puts("sleep: ");
	probe_putd(SLEEPS);
	probe_puts(" sleeps, ");
	probe_putd((long)early);
	probe_puts(" early, ");
	probe_putd((long)((probe_system_time() - start) / 1000000));
	probe_puts(" ms\n");
	probe_shutdown(VMM_SHUTDOWN_poweroff);
}
