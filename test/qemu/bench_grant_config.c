/*
 * Grant benchmark image: dom0 (4 MiB: its last MiB becomes an L2 table,
 * user access to the PMU cycle counter) maps and copies what dom1
 * ("granter") grants it. Guest: guests/bench_grant.c.
 */
#include "vmm/config.h"

VMM_PAYLOAD_DECLARE(bench);

static const struct vmm_domain_config domains[] = {
	{ .name = "bench-grant", .image = VMM_PAYLOAD(bench), .image_end = VMM_PAYLOAD_END(bench),
	  .mem_size = 4u << 20, .flags = VMM_DOMCFG_PMU_USER },
	{ .name = "granter", .image = VMM_PAYLOAD(bench), .image_end = VMM_PAYLOAD_END(bench),
	  .mem_size = 1u << 20, .cmdline = "granter" },
};

const struct vmm_config vmm_config = {
	.domains = domains,
	.nr_domains = 2,
	.run_limit_ms = 20000,
};
