/*
 * Test image: a victim that prints a fixed sequence and a guest that
 * manages its own page tables, then tries every refused mapping (issue 9).
 */
#include "vmm/config.h"

VMM_PAYLOAD_DECLARE(mmprobe);

static const struct vmm_domain_config domains[] = {
	{ .name = "victim", .image = VMM_PAYLOAD(mmprobe), .image_end = VMM_PAYLOAD_END(mmprobe),
	  .mem_size = 2u << 20, .cmdline = "victim" },
	{ .name = "mm", .image = VMM_PAYLOAD(mmprobe), .image_end = VMM_PAYLOAD_END(mmprobe),
	  .mem_size = 2u << 20, .cmdline = "mm" },
};

const struct vmm_config vmm_config = {
	.domains = domains,
	.nr_domains = 2,
	.run_limit_ms = 30000,
};
