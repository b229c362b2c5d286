/*
 * Test image: two copies of the hostile guest. "good" only probes bad
 * hypercall arguments; "attacker" then reads hypervisor memory and must be
 * crashed while "good" finishes normally.
 */
#include "vmm/config.h"

VMM_PAYLOAD_DECLARE(hostile);

static const struct vmm_domain_config domains[] = {
	{ .name = "good", .image = VMM_PAYLOAD(hostile), .image_end = VMM_PAYLOAD_END(hostile),
	  .mem_size = 1u << 20, .cmdline = "probe" },
	{ .name = "attacker", .image = VMM_PAYLOAD(hostile), .image_end = VMM_PAYLOAD_END(hostile),
	  .mem_size = 1u << 20, .cmdline = "probe attack" },
};

const struct vmm_config vmm_config = {
	.domains = domains,
	.nr_domains = 2,
	.run_limit_ms = 20000,
};
