/*
 * Per-domain CPU state (test/qemu/guests/vfp_probe.c): two domains fill and
 * check their VFP/NEON registers and thread registers across yields and
 * compute with doubles at the same time; a third writes TPIDRURO from user
 * code and is crashed for it, a fourth likewise for writing ThumbEE's TEEHBR.
 */
#include "vmm/config.h"

VMM_PAYLOAD_DECLARE(vfp);

static const struct vmm_domain_config domains[] = {
	{ .name = "seven", .image = VMM_PAYLOAD(vfp), .image_end = VMM_PAYLOAD_END(vfp),
	  .mem_size = 1u << 20, .cmdline = "seed=7" },
	{ .name = "eleven", .image = VMM_PAYLOAD(vfp), .image_end = VMM_PAYLOAD_END(vfp),
	  .mem_size = 1u << 20, .cmdline = "seed=11" },
	{ .name = "rowrite", .image = VMM_PAYLOAD(vfp), .image_end = VMM_PAYLOAD_END(vfp),
	  .mem_size = 1u << 20, .cmdline = "role=rowrite seed=9" },
	{ .name = "teehbr", .image = VMM_PAYLOAD(vfp), .image_end = VMM_PAYLOAD_END(vfp),
	  .mem_size = 1u << 20, .cmdline = "role=teehbr seed=9" },
};

const struct vmm_config vmm_config = {
	.domains = domains,
	.nr_domains = 4,
	.run_limit_ms = 20000,
};
