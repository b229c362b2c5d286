/*
 * Console input test image: dom0 (the foreground domain) reads a line from
 * the UART. No run limit: with -icount sleep=off virtual time runs ahead of
 * the real time the input takes to arrive.
 */
#include "vmm/config.h"

VMM_PAYLOAD_DECLARE(echo);

static const struct vmm_domain_config domains[] = {
	{ .name = "echo", .image = VMM_PAYLOAD(echo), .image_end = VMM_PAYLOAD_END(echo),
	  .mem_size = 4u << 20, .flags = VMM_DOMCFG_PRIVILEGED },
};

const struct vmm_config vmm_config = {
	.domains = domains,
	.nr_domains = 1,
};
