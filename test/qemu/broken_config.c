/*
 * Test image with bad entries next to a good one: a truncated ELF, a file
 * that is no ELF at all, and a config entry with an invalid memory size.
 * Each must be refused with a clear [VMM] line; "good" must still run.
 */
#include "vmm/config.h"

VMM_PAYLOAD_DECLARE(good);
VMM_PAYLOAD_DECLARE(truncated);
VMM_PAYLOAD_DECLARE(notelf);

#define PAYLOAD(sym) .image = VMM_PAYLOAD(sym), .image_end = VMM_PAYLOAD_END(sym)

static const struct vmm_domain_config domains[] = {
	{ .name = "truncated", PAYLOAD(truncated), .mem_size = 4u << 20 },
	{ .name = "good", PAYLOAD(good), .mem_size = 16u << 20, .cmdline = "rounds=1",
	  .flags = VMM_DOMCFG_PRIVILEGED },
	{ .name = "notelf", PAYLOAD(notelf), .mem_size = 4u << 20 },
	{ .name = "badmem", PAYLOAD(good), .mem_size = (4u << 20) + 4096 },
};

const struct vmm_config vmm_config = {
	.domains = domains,
	.nr_domains = 4,
	.run_limit_ms = 30000,
};
