/*
 * Grants at domain death (guests/grant_death.c): dom1 dies while dom0 maps
 * its page, dom2 dies holding a mapping of dom0's page; dom0 keeps running.
 * Each domain's last MiB becomes its own L2 table, so 2 MiB each.
 */
#include "vmm/config.h"

VMM_PAYLOAD_DECLARE(gd);

static const struct vmm_domain_config domains[] = {
	{ .name = "survivor", .image = VMM_PAYLOAD(gd), .image_end = VMM_PAYLOAD_END(gd), .mem_size = 2u << 20 },
	{ .name = "granter", .image = VMM_PAYLOAD(gd), .image_end = VMM_PAYLOAD_END(gd), .mem_size = 2u << 20,
	  .cmdline = "granter" },
	{ .name = "holder", .image = VMM_PAYLOAD(gd), .image_end = VMM_PAYLOAD_END(gd), .mem_size = 2u << 20,
	  .cmdline = "holder" },
};

const struct vmm_config vmm_config = {
	.domains = domains,
	.nr_domains = 3,
	.run_limit_ms = 20000,
};
