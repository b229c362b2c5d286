/*
 * Benchmark image: the lazy VFP switch. "measure" times its first VFP
 * instruction after each yield, "partner" uses the FPU and yields back
 * (test/qemu/guests/bench_vfp.c).
 */
#include "vmm/config.h"

VMM_PAYLOAD_DECLARE(vfpb);

static const struct vmm_domain_config domains[] = {
	{ .name = "measure", .image = VMM_PAYLOAD(vfpb), .image_end = VMM_PAYLOAD_END(vfpb),
	  .mem_size = 1u << 20, .flags = VMM_DOMCFG_PMU_USER, .cmdline = "role=measure" },
	{ .name = "partner", .image = VMM_PAYLOAD(vfpb), .image_end = VMM_PAYLOAD_END(vfpb),
	  .mem_size = 1u << 20, .cmdline = "role=partner" },
};

const struct vmm_config vmm_config = {
	.domains = domains,
	.nr_domains = 2,
	.run_limit_ms = 20000,
};
