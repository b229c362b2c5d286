/*
 * Benchmark image: domain switch cost. "measure" reads the PMU cycle counter
 * around yields while "partner" yields back (test/qemu/guests/bench_switch.c).
 */
#include "vmm/config.h"

VMM_PAYLOAD_DECLARE(sw);

static const struct vmm_domain_config domains[] = {
	{ .name = "measure", .image = VMM_PAYLOAD(sw), .image_end = VMM_PAYLOAD_END(sw),
	  .mem_size = 1u << 20, .flags = VMM_DOMCFG_PMU_USER, .cmdline = "role=measure" },
	{ .name = "partner", .image = VMM_PAYLOAD(sw), .image_end = VMM_PAYLOAD_END(sw),
	  .mem_size = 1u << 20, .cmdline = "role=partner" },
};

const struct vmm_config vmm_config = {
	.domains = domains,
	.nr_domains = 2,
	.run_limit_ms = 20000,
};
