/*
 * Scheduler denial-of-service test image: a privileged "attacker" sets every
 * dom0_op scheduler field to its extremes; the "victim" must keep running
 * (check-sched-progress.sh).
 */
#include "vmm/config.h"

VMM_PAYLOAD_DECLARE(dos);

static const struct vmm_domain_config domains[] = {
	{ .name = "attacker", .image = VMM_PAYLOAD(dos), .image_end = VMM_PAYLOAD_END(dos),
	  .mem_size = 1u << 20, .flags = VMM_DOMCFG_PRIVILEGED, .cmdline = "attacker" },
	{ .name = "victim", .image = VMM_PAYLOAD(dos), .image_end = VMM_PAYLOAD_END(dos),
	  .mem_size = 1u << 20, .cmdline = "victim run=7500" },
};

const struct vmm_config vmm_config = {
	.domains = domains,
	.nr_domains = 2,
	.run_limit_ms = 40000,
};
