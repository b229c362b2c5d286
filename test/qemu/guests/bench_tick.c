/*
 * Benchmark guest: what timer interrupts cost a CPU-bound domain. Spins
 * reading the PMU cycle counter (under QEMU -icount shift=0 it counts
 * instructions, the hypervisor's included); an iteration that took longer
 * than the loop itself was interrupted, and the excess is what the
 * interrupt cost (entry, hypervisor work, return).
 *
 * Command line (test/qemu/bench_tick_config.c):
 *   role=tick   measure, alone or beside sleepers: prints
 *               "bench: ticks <n> in <ms> ms, cost min <a> median <b> max <c>"
 *               (cost = gap - loop iteration, hypervisor instructions)
 *   role=slice  measure while another role=slice domain runs too: prints
 *               "bench: slice gaps median <g> runs median <r>"; one switch
 *               is (gap of one domain - run of the other) / 2
 *   role=sleep  arms its timer far ahead (past the measurement), blocks,
 *               and shuts down when it fires
 */
#include "probe_lib.h"

#define MAX_GAPS     24
#define SKIP_GAPS    2        /* the first ones include boot and startup */
#define GAP_MIN      40       /* an iteration this long was interrupted */
#define WINDOW_NS    250000000ull /* measure for at most 250 ms of system time */
#define SETTLE_NS    20000000ull  /* let the sleepers block first */
#define SLEEP_NS     2000000000ull

void probe_main(const struct vmm_start_info *si);

static void sort(uint32_t *v, unsigned int n)
{
	unsigned int i, j;

	for (i = 1; i < n; i++)
		for (j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint32_t t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

static uint32_t gaps[MAX_GAPS], runs[MAX_GAPS];

void probe_main(const struct vmm_start_info *si)
{
	uint32_t prev, now, d, base = 0xffffffffu, run_start;
	uint64_t end, start_ns;
	unsigned int n = 0, seen = 0, iter = 0, i;

	if (probe_cmdline_has(si->cmd_line, "role=sleep")) {
		if (probe_bind_virq(VMM_VIRQ_TIMER) < 0)
			probe_puts("FAIL bench_tick: bind_virq(timer)\n");
		HYPERVISOR_set_timer_op(probe_system_time() + SLEEP_NS);
		HYPERVISOR_sched_op(VMM_SCHEDOP_block, 0);
		probe_shutdown(VMM_SHUTDOWN_poweroff);
	}
	while (probe_system_time() < SETTLE_NS)
		;
	start_ns = probe_system_time();
	end = start_ns + WINDOW_NS;
	prev = run_start = probe_ccnt();
	while (n < MAX_GAPS) {
		now = probe_ccnt();
		d = now - prev;
		if (d >= GAP_MIN) {
			if (seen++ >= SKIP_GAPS) {
				gaps[n] = d;
				runs[n] = prev - run_start;
				n++;
			}
			run_start = now;
		} else if (d < base) {
			base = d;
		}
		prev = now;
		if ((++iter & 0xfff) == 0) {
			if (probe_system_time() >= end)
				break;
			prev = probe_ccnt(); /* the clock read is no interruption */
		}
	}
	for (i = 0; i < n; i++)
		gaps[i] -= base;
	if (probe_cmdline_has(si->cmd_line, "role=slice")) {
		sort(gaps, n);
		sort(runs, n);
		probe_puts("bench: slice gaps median ");
		probe_putd(n ? (long)gaps[n / 2] : -1);
		probe_puts(" runs median ");
		probe_putd(n ? (long)runs[n / 2] : -1);
		probe_puts("\n");
	} else {
		probe_puts("bench: ticks ");
		probe_putd((long)n);
		probe_puts(" in ");
		probe_putd((long)((probe_system_time() - start_ns) / 1000000));
		probe_puts(" ms, cost min ");
		sort(gaps, n);
		probe_putd(n ? (long)gaps[0] : 0);
		probe_puts(" median ");
		probe_putd(n ? (long)gaps[n / 2] : 0);
		probe_puts(" max ");
		probe_putd(n ? (long)gaps[n - 1] : 0);
		probe_puts("\n");
	}
	probe_shutdown(VMM_SHUTDOWN_poweroff);
}
