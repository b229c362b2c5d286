/*
 * Benchmark image: one domain running the hypercall benchmark guest, with
 * user access to the PMU cycle counter (VMM_DOMCFG_PMU_USER).
 */
#include "vmm/config.h"

VMM_PAYLOAD_DECLARE(bench);

static const struct vmm_domain_config domains[] = {
	{ .name = "bench", .image = VMM_PAYLOAD(bench), .image_end = VMM_PAYLOAD_END(bench),
	  .mem_size = 1u << 20, .flags = VMM_DOMCFG_PMU_USER },
};

const struct vmm_config vmm_config = {
	.domains = domains,
	.nr_domains = 1,
	.run_limit_ms = 20000,
};
