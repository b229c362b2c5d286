/*
 * The biggest domains on a 2 GiB board: the Mini-OS example guest twice,
 * with 256 MiB each, the most a domain may have (config_check.c): one has
 * it all from boot, the other boots with 64 MiB of it (memory_op).
 */
#include "vmm/config.h"

VMM_PAYLOAD_DECLARE(minios);

static const struct vmm_domain_config domains[] = {
	{ .name = "big0", .image = VMM_PAYLOAD(minios), .image_end = VMM_PAYLOAD_END(minios),
	  .mem_size = 256u << 20, .flags = VMM_DOMCFG_PRIVILEGED, .cmdline = "rounds=2" },
	{ .name = "big1", .image = VMM_PAYLOAD(minios), .image_end = VMM_PAYLOAD_END(minios),
	  .mem_size = 256u << 20, .mem_initial = 64u << 20, .cmdline = "rounds=2" },
};

const struct vmm_config vmm_config = {
	.domains = domains,
	.nr_domains = 2,
	.run_limit_ms = 60000,
};
