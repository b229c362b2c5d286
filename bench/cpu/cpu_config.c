/*
 * CPU-bound overhead images (bench/cpu): the kernel guest alone
 * (CPU_BENCH_PAIR 0) or two of them, of equal weight, side by side.
 */
#include "vmm/config.h"

VMM_PAYLOAD_DECLARE(cpu);

#define CPU(n) { .name = n, .image = VMM_PAYLOAD(cpu), .image_end = VMM_PAYLOAD_END(cpu), \
		 .mem_size = 1u << 20 }

static const struct vmm_domain_config domains[] = {
	CPU("cpu-a"),
#if CPU_BENCH_PAIR
	CPU("cpu-b"),
#endif
};

const struct vmm_config vmm_config = {
	.domains = domains,
	.nr_domains = sizeof(domains) / sizeof(domains[0]),
	.run_limit_ms = 60000,
};
