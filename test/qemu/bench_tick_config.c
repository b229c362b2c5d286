/*
 * Benchmark images: timer interrupt cost (test/qemu/guests/bench_tick.c).
 *   BENCH_TICK_SLEEPERS = n: one CPU-bound measuring domain and n domains
 *     blocked with a timer armed far ahead (the tick must not cost more
 *     with them); n = 0: the domain alone.
 *   BENCH_TICK_SLICE: two CPU-bound measuring domains of equal weight,
 *     which measure the slice-end switch; with BENCH_TICK_TRACE, C = 1 us
 *     and a 50 us MCU, for the instruction trace of that switch.
 */
#include "vmm/config.h"

VMM_PAYLOAD_DECLARE(tick);

#define DOM(n, c, f) { .name = n, .image = VMM_PAYLOAD(tick), .image_end = VMM_PAYLOAD_END(tick), \
		       .mem_size = 1u << 20, .flags = f, .cmdline = c }
#define SLEEPER(n) DOM("sleep" #n, "role=sleep", 0)

static const struct vmm_domain_config domains[] = {
#if BENCH_TICK_SLICE
	DOM("slice-a", "role=slice", VMM_DOMCFG_PMU_USER),
	DOM("slice-b", "role=slice", VMM_DOMCFG_PMU_USER),
#else
	DOM("tick", "role=tick", VMM_DOMCFG_PMU_USER),
#if BENCH_TICK_SLEEPERS
	SLEEPER(1), SLEEPER(2), SLEEPER(3), SLEEPER(4), SLEEPER(5), SLEEPER(6), SLEEPER(7),
	SLEEPER(8), SLEEPER(9), SLEEPER(10), SLEEPER(11), SLEEPER(12), SLEEPER(13), SLEEPER(14),
	SLEEPER(15),
#endif
#endif
};

const struct vmm_config vmm_config = {
	.domains = domains,
	.nr_domains = sizeof(domains) / sizeof(domains[0]),
	.run_limit_ms = 20000,
#if BENCH_TICK_TRACE
	/* Short slices for the instruction trace (scripts/bench.sh): the
	 * slice-end path is the same, reached every 100 us. */
	.ctx_allow_us = 1,
	.mcu_us = 50,
#endif
};
