/*
 * Benchmark guest: domain switch cost. Two domains run this guest; the one
 * with "role=measure" (PMU access) reads the cycle counter around
 * sched_op(yield) while the other ("role=partner") yields in a loop, so each
 * measured yield is a switch to the partner and a switch back. Under QEMU's
 * -icount shift=0 the counter counts instructions.
 * Prints "bench: domain switch = <n> instructions" (half the round trip).
 */
#include "probe_lib.h"

#define ROUNDS 64
#define PARTNER_YIELDS 1000

void probe_main(const struct vmm_start_info *si);

static int is_measure(const char *c)
{
	for (; *c; c++)
		if (c[0] == 'r' && c[1] == 'o' && c[2] == 'l' && c[3] == 'e' && c[4] == '=' && c[5] == 'm')
			return 1;
	return 0;
}

void probe_main(const struct vmm_start_info *si)
{
	uint32_t best = 0xffffffffu, t0, t1;
	int i;

	if (!is_measure(si->cmd_line)) {
		for (i = 0; i < PARTNER_YIELDS; i++)
			HYPERVISOR_sched_op(VMM_SCHEDOP_yield, 0);
		probe_shutdown(VMM_SHUTDOWN_poweroff);
	}
	HYPERVISOR_sched_op(VMM_SCHEDOP_yield, 0); /* let the partner start */
	for (i = 0; i < ROUNDS; i++) {
		t0 = probe_ccnt();
		HYPERVISOR_sched_op(VMM_SCHEDOP_yield, 0);
		t1 = probe_ccnt();
		if (t1 - t0 < best)
			best = t1 - t0;
	}
	probe_puts("bench: yield round trip = ");
	probe_putd((long)best);
	probe_puts(" instructions\nbench: domain switch = ");
	probe_putd((long)(best / 2));
	probe_puts(" instructions\n");
	probe_shutdown(VMM_SHUTDOWN_poweroff);
}
