/*
 * A hostile privileged domain against the scheduler (issue 12: a tiny
 * maximum slice stopped every domain). Two roles, by command line:
 *
 * "attacker" (privileged): for each extreme set of values the hypervisor
 *   accepts, prints "phase N start", stays CPU-bound for the phase's span of
 *   system time and prints "phase N end"; then sends dom0_op SCHEDCTL and
 *   ADJUSTDOM with every field at its last valid and first invalid value
 *   and at 0, 1, 2^31, 2^32-1 and 2^64-1, checking each result.
 * "victim": CPU-bound, prints "victim: alive" every 20 ms of system time
 *   while it gets the CPU, until system time reaches run=N ms.
 *
 * check-sched-progress.sh then checks that the victim printed inside every
 * phase: whatever the accepted values, the other domain keeps running.
 */
#include "probe_lib.h"
#include "vmm/dom0_op.h"

void probe_main(const struct vmm_start_info *si);

#define MS 1000000ull
#define SEC 1000000000ull
#define Q VMM_SCHED_QUANTUM_MIN_NS

static struct vmm_dom0_op op;

static long dom0_op(void)
{
	op.interface_version = VMM_DOM0_INTERFACE_VERSION;
	return vmm_hypercall2(VMM_HC_dom0_op, (uint32_t)(uintptr_t)&op, 0);
}

static long schedctl(uint64_t ctx, uint64_t mcu, uint64_t max_slice)
{
	op.cmd = VMM_DOM0_SCHEDCTL;
	op.u.schedctl.sched_id = VMM_SCHED_BVT;
	op.u.schedctl.direction = VMM_SCHED_INFO_PUT;
	op.u.schedctl.ctx_allow_ns = ctx;
	op.u.schedctl.mcu_ns = mcu;
	op.u.schedctl.max_slice_ns = max_slice;
	return dom0_op();
}

static long adjustdom(uint32_t dom, uint32_t weight, uint32_t warp, uint64_t w, uint64_t l, uint64_t u)
{
	op.cmd = VMM_DOM0_ADJUSTDOM;
	op.u.adjustdom.sched_id = VMM_SCHED_BVT;
	op.u.adjustdom.direction = VMM_SCHED_INFO_PUT;
	op.u.adjustdom.domain = dom;
	op.u.adjustdom.weight = weight;
	op.u.adjustdom.warp_enabled = warp;
	op.u.adjustdom.pad = 0;
	op.u.adjustdom.warp_ns = w;
	op.u.adjustdom.warp_limit_ns = l;
	op.u.adjustdom.unwarp_ns = u;
	return dom0_op();
}

/* Every field alone at its extremes, the others at sane values. ADJUSTDOM
 * on the attacker itself: the victim may have finished by now. */
static void probe_bounds(void)
{
	static const uint64_t big[] = { 1ull << 31, 0xffffffffull, ~0ull };
	const long inval = -VMM_EINVAL;
	unsigned int i;

	/* The values of the defect itself: 1 ns slices, MCUs, warp limits. */
	probe_expect("max_slice 1 ns refused", schedctl(MS, 100000, 1), inval);
	probe_expect("mcu 1 ns refused", schedctl(0, 1, 10 * MS), inval);
	probe_expect("warp limit 1 ns refused", adjustdom(0, 1, 1, 10 * MS, 1, 1), inval);

	probe_expect("C 0", schedctl(0, 100000, 10 * MS), 0);
	probe_expect("C 1", schedctl(1, 100000, 10 * MS), 0);
	probe_expect("C max", schedctl(VMM_SCHED_CTX_ALLOW_MAX_NS, 100000, 10 * MS), 0);
	probe_expect("C max+1", schedctl(VMM_SCHED_CTX_ALLOW_MAX_NS + 1, 100000, 10 * MS), inval);
	for (i = 0; i < 3; i++)
		probe_expect("C big", schedctl(big[i], 100000, 10 * MS), inval);
	probe_expect("mcu 0", schedctl(MS, 0, 10 * MS), inval);
	probe_expect("mcu Q-1", schedctl(MS, Q - 1, 10 * MS), inval);
	probe_expect("mcu Q", schedctl(MS, Q, 10 * MS), 0);
	probe_expect("mcu max", schedctl(MS, VMM_SCHED_MCU_MAX_NS, VMM_SCHED_MCU_MAX_NS), 0);
	probe_expect("mcu max+1", schedctl(MS, VMM_SCHED_MCU_MAX_NS + 1, VMM_SCHED_MAX_SLICE_MAX_NS), inval);
	for (i = 0; i < 3; i++)
		probe_expect("mcu big", schedctl(MS, big[i], VMM_SCHED_MAX_SLICE_MAX_NS), inval);
	probe_expect("slice 0", schedctl(MS, Q, 0), inval);
	probe_expect("slice Q-1", schedctl(MS, Q, Q - 1), inval);
	probe_expect("slice Q", schedctl(MS, Q, Q), 0);
	probe_expect("slice below mcu", schedctl(MS, 100000, 99999), inval);
	probe_expect("slice max", schedctl(MS, Q, VMM_SCHED_MAX_SLICE_MAX_NS), 0);
	probe_expect("slice max+1", schedctl(MS, Q, VMM_SCHED_MAX_SLICE_MAX_NS + 1), inval);
	for (i = 0; i < 3; i++)
		probe_expect("slice big", schedctl(MS, Q, big[i]), inval);

	probe_expect("weight 0", adjustdom(0, 0, 0, 0, 0, 0), inval);
	probe_expect("weight 1", adjustdom(0, 1, 0, 0, 0, 0), 0);
	probe_expect("weight max", adjustdom(0, VMM_SCHED_WEIGHT_MAX, 0, 0, 0, 0), 0);
	probe_expect("weight max+1", adjustdom(0, VMM_SCHED_WEIGHT_MAX + 1, 0, 0, 0, 0), inval);
	probe_expect("weight 2^31", adjustdom(0, 1u << 31, 0, 0, 0, 0), inval);
	probe_expect("weight 2^32-1", adjustdom(0, 0xffffffffu, 0, 0, 0, 0), inval);
	probe_expect("warp_enabled 2", adjustdom(0, 1, 2, MS, 0, 0), inval);
	probe_expect("warp_enabled 2^32-1", adjustdom(0, 1, 0xffffffffu, MS, 0, 0), inval);
	probe_expect("W 0", adjustdom(0, 1, 1, 0, 0, 0), 0);
	probe_expect("W max", adjustdom(0, 1, 1, VMM_SCHED_WARP_MAX_NS, 0, 0), 0);
	probe_expect("W max+1", adjustdom(0, 1, 1, VMM_SCHED_WARP_MAX_NS + 1, 0, 0), inval);
	for (i = 0; i < 3; i++)
		probe_expect("W big", adjustdom(0, 1, 1, big[i], 0, 0), inval);
	probe_expect("L Q-1", adjustdom(0, 1, 1, MS, Q - 1, 0), inval);
	probe_expect("L Q", adjustdom(0, 1, 1, MS, Q, 0), 0);
	probe_expect("L 2^32-1", adjustdom(0, 1, 1, MS, 0xffffffffull, 0), 0);
	probe_expect("L max", adjustdom(0, 1, 1, MS, VMM_SCHED_TIME_MAX_NS, 0), 0);
	probe_expect("L max+1", adjustdom(0, 1, 1, MS, VMM_SCHED_TIME_MAX_NS + 1, 0), inval);
	probe_expect("L 2^64-1", adjustdom(0, 1, 1, MS, ~0ull, 0), inval);
	probe_expect("U 1", adjustdom(0, 1, 1, MS, Q, 1), 0);
	probe_expect("U max", adjustdom(0, 1, 1, MS, Q, VMM_SCHED_TIME_MAX_NS), 0);
	probe_expect("U max+1", adjustdom(0, 1, 1, MS, Q, VMM_SCHED_TIME_MAX_NS + 1), inval);
	probe_expect("U 2^64-1", adjustdom(0, 1, 1, MS, Q, ~0ull), inval);
	probe_expect("plain again", adjustdom(0, 1, 0, 0, 0, 0), 0);
}

/* CPU-bound for `span` ns of system time between the two marker lines. */
static void phase(int n, uint64_t span)
{
	uint64_t end = probe_system_time() + span;

	probe_puts("phase ");
	probe_putd(n);
	probe_puts(" start\n");
	while (probe_system_time() < end)
		;
	probe_puts("phase ");
	probe_putd(n);
	probe_puts(" end\n");
}

/*
 * The phases come first: each starts with the domains within a slice of
 * each other in virtual time. (The bounds probe sets coarse values for a
 * moment, in which the victim may run seconds ahead, as a slice of 2 s
 * allows; the attacker would then first catch up, legitimately.)
 */
static void attacker(void)
{
	/* 1: the finest values: slices of one 50 us quantum, C = 0. */
	probe_expect("finest", schedctl(0, Q, Q), 0);
	phase(1, 100 * MS);
	/* 2: this domain 10000 times heavier than the victim: it gets one
	 * quantum about every 0.5 s. */
	probe_expect("heaviest", adjustdom(0, VMM_SCHED_WEIGHT_MAX, 0, 0, 0, 0), 0);
	phase(2, 1500 * MS);
	probe_expect("weight back", adjustdom(0, 1, 0, 0, 0, 0), 0);
	/* 3: warped without end: W max, L = the quantum, warped again 1 ns
	 * later. It may run W beyond its share once, then the victim runs. */
	probe_expect("warped", adjustdom(0, 1, 1, VMM_SCHED_WARP_MAX_NS, Q, 1), 0);
	phase(3, 1500 * MS);
	probe_expect("unwarped", adjustdom(0, 1, 0, 0, 0, 0), 0);
	/* 4: the coarsest values: C 1 s, MCU 1 s, slices of 2 s. */
	probe_expect("coarsest", schedctl(VMM_SCHED_CTX_ALLOW_MAX_NS, VMM_SCHED_MCU_MAX_NS,
					  VMM_SCHED_MAX_SLICE_MAX_NS), 0);
	phase(4, 3 * SEC);
	probe_expect("defaults", schedctl(MS, 100000, 10 * MS), 0);
	probe_bounds();
	probe_expect("defaults again", schedctl(MS, 100000, 10 * MS), 0);
}

static void victim(uint64_t end)
{
	uint64_t next = 0, now;

	while ((now = probe_system_time()) < end) {
		if (now >= next) {
			probe_puts("victim: alive\n");
			next = now + 20 * MS;
		}
	}
}

void probe_main(const struct vmm_start_info *si)
{
	if (probe_cmdline_has(si->cmd_line, "attacker")) {
		attacker();
		probe_puts(probe_failures ? "sched_dos: FAILED\n" : "sched_dos: attacker done\n");
		probe_shutdown(probe_failures ? VMM_SHUTDOWN_crash : VMM_SHUTDOWN_poweroff);
	}
	victim((uint64_t)probe_cmdline_number(si->cmd_line, "run=", 1000) * MS);
	probe_puts("victim: done\n");
	probe_shutdown(VMM_SHUTDOWN_poweroff);
}
