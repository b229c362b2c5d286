/*
 * Benchmark image: event-channel costs between two domains with PMU access
 * (test/qemu/guests/evtchn.c, "bench" on the command line). No policy.
 */
#include "vmm/config.h"

VMM_PAYLOAD_DECLARE(ev);

static const struct vmm_domain_config domains[] = {
	{ .name = "ping", .image = VMM_PAYLOAD(ev), .image_end = VMM_PAYLOAD_END(ev),
	  .mem_size = 1u << 20, .flags = VMM_DOMCFG_PMU_USER, .cmdline = "role=ping bench" },
	{ .name = "pong", .image = VMM_PAYLOAD(ev), .image_end = VMM_PAYLOAD_END(ev),
	  .mem_size = 1u << 20, .flags = VMM_DOMCFG_PMU_USER, .cmdline = "role=pong bench" },
};

const struct vmm_config vmm_config = {
	.domains = domains,
	.nr_domains = 2,
	.run_limit_ms = 20000,
};
