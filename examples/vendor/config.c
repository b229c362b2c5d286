/*
 * The vendor's domain table: a privileged "rich" domain and an unprivileged
 * "secure" one, both running the vendor's payload.
 */
#include "vmm/config.h"

VMM_PAYLOAD_DECLARE(app);

static const struct vmm_domain_config domains[] = {
	{ .name = "rich", .image = VMM_PAYLOAD(app), .image_end = VMM_PAYLOAD_END(app),
	  .mem_size = 2u << 20, .flags = VMM_DOMCFG_PRIVILEGED, .cmdline = "role=rich" },
	{ .name = "secure", .image = VMM_PAYLOAD(app), .image_end = VMM_PAYLOAD_END(app),
	  .mem_size = 1u << 20, .cmdline = "role=secure" },
};

const struct vmm_config vmm_config = {
	.domains = domains,
	.nr_domains = 2,
	.run_limit_ms = 10000,
};
