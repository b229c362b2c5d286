/*
 * Virtual kernel/user modes (test/qemu/guests/user_probe.c): a guest kernel
 * runs a user process through its trap table; a second domain's fault
 * handler faults until the hypervisor crashes it, the first is unaffected.
 */
#include "vmm/config.h"

VMM_PAYLOAD_DECLARE(user);

static const struct vmm_domain_config domains[] = {
	{ .name = "kernel", .image = VMM_PAYLOAD(user), .image_end = VMM_PAYLOAD_END(user),
	  .mem_size = 1u << 20, .cmdline = "role=user" },
	{ .name = "nested", .image = VMM_PAYLOAD(user), .image_end = VMM_PAYLOAD_END(user),
	  .mem_size = 1u << 20, .cmdline = "role=nested" },
};

const struct vmm_config vmm_config = {
	.domains = domains,
	.nr_domains = 2,
	.run_limit_ms = 20000,
};
