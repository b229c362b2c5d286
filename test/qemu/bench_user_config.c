/*
 * Benchmark image: the syscall bounce and the return to user
 * (test/qemu/guests/user_probe.c, role=bench; PMU access to read PMCCNTR).
 */
#include "vmm/config.h"

VMM_PAYLOAD_DECLARE(user);

static const struct vmm_domain_config domains[] = {
	{ .name = "bench", .image = VMM_PAYLOAD(user), .image_end = VMM_PAYLOAD_END(user),
	  .mem_size = 1u << 20, .flags = VMM_DOMCFG_PMU_USER, .cmdline = "role=bench" },
};

const struct vmm_config vmm_config = {
	.domains = domains,
	.nr_domains = 1,
	.run_limit_ms = 20000,
};
