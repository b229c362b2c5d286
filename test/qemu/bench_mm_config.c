/*
 * Benchmark image: one domain running the page-table hypercall benchmark
 * (guest test/qemu/guests/bench_mm.c), with user access to the PMU cycle
 * counter and 2 MiB of memory.
 */
#include "vmm/config.h"

VMM_PAYLOAD_DECLARE(bench);

static const struct vmm_domain_config domains[] = {
	{ .name = "benchmm", .image = VMM_PAYLOAD(bench), .image_end = VMM_PAYLOAD_END(bench),
	  .mem_size = 2u << 20, .flags = VMM_DOMCFG_PMU_USER },
};

const struct vmm_config vmm_config = {
	.domains = domains,
	.nr_domains = 1,
	.run_limit_ms = 20000,
};
