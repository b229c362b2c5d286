/*
 * Benchmark guest: the lazy VFP switch. Two domains yield to each other and
 * both use the FPU every time they run, so the register file changes owner
 * on every switch. "role=measure" (PMU access) reads the cycle counter
 * around its first VFP instruction after each yield: the undefined-
 * instruction trap, the save of the partner's registers, the load of its
 * own, and the retry. The cost of the same instruction with the FPU already
 * on (and of the counter reads) is subtracted.
 * Prints "bench: first VFP instruction after a domain switch = <n> instructions".
 */
#include "probe_lib.h"

#define ROUNDS 64
#define PARTNER_YIELDS 1000

void probe_main(const struct vmm_start_info *si);

static inline void vfp_touch(uint32_t v)
{
	__asm__ volatile("vmov s0, %0" :: "r"(v) : "s0");
}

void probe_main(const struct vmm_start_info *si)
{
	uint32_t first = 0xffffffffu, warm = 0xffffffffu, t0, t1;
	int i;

	if (!probe_cmdline_has(si->cmd_line, "role=measure")) {
		for (i = 0; i < PARTNER_YIELDS; i++) {
			vfp_touch((uint32_t)i);
			HYPERVISOR_sched_op(VMM_SCHEDOP_yield, 0);
		}
		probe_shutdown(VMM_SHUTDOWN_poweroff);
	}
	HYPERVISOR_sched_op(VMM_SCHEDOP_yield, 0); /* let the partner start */
	for (i = 0; i < ROUNDS; i++) {
		HYPERVISOR_sched_op(VMM_SCHEDOP_yield, 0);
		t0 = probe_ccnt();
		vfp_touch((uint32_t)i);   /* first use since the switch: traps */
		t1 = probe_ccnt();
		if (t1 - t0 < first)
			first = t1 - t0;
		t0 = probe_ccnt();
		vfp_touch((uint32_t)i);   /* FPU on: no trap */
		t1 = probe_ccnt();
		if (t1 - t0 < warm)
			warm = t1 - t0;
	}
	probe_puts("bench: first VFP instruction after a domain switch = ");
	probe_putd((long)(first - warm));
	probe_puts(" instructions\n");
	probe_shutdown(VMM_SHUTDOWN_poweroff);
}
