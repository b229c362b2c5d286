/*
 * Mini-OS user-mode process (minios/user.h), shown by the two-domain guest
 * with "user" on its command line, in both domains at once: each runs a
 * process making system calls, then one reading Mini-OS memory, which
 * Mini-OS's data-abort handler kills and reports; then the usual threads.
 */
#include "vmm/config.h"

VMM_PAYLOAD_DECLARE(minios);

static const struct vmm_domain_config domains[] = {
	{ .name = "user0", .image = VMM_PAYLOAD(minios), .image_end = VMM_PAYLOAD_END(minios),
	  .mem_size = 4u << 20, .flags = VMM_DOMCFG_PRIVILEGED, .cmdline = "rounds=1 user" },
	{ .name = "user1", .image = VMM_PAYLOAD(minios), .image_end = VMM_PAYLOAD_END(minios),
	  .mem_size = 4u << 20, .cmdline = "rounds=1 user" },
};

const struct vmm_config vmm_config = {
	.domains = domains,
	.nr_domains = 2,
	.run_limit_ms = 20000,
};
