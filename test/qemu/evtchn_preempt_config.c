/*
 * A wake-up by event_channel_op(send) is decided at once
 * (test/qemu/guests/evtchn.c, "preempt"): dom1 ("pong", warped) must run
 * before ping's send returns, dom2 ("sink", not warped) must not. No policy.
 */
#include "vmm/config.h"

VMM_PAYLOAD_DECLARE(ev);

static const struct vmm_domain_config domains[] = {
	{ .name = "ping", .image = VMM_PAYLOAD(ev), .image_end = VMM_PAYLOAD_END(ev),
	  .mem_size = 1u << 20, .cmdline = "role=ping preempt" },
	{ .name = "pong", .image = VMM_PAYLOAD(ev), .image_end = VMM_PAYLOAD_END(ev),
	  .mem_size = 1u << 20, .cmdline = "role=pong preempt",
	  .sched = { .weight = 1, .warp = true, .warp_us = 5000, .warp_limit_us = 2000,
		     .unwarp_us = 20000 } },
	{ .name = "sink", .image = VMM_PAYLOAD(ev), .image_end = VMM_PAYLOAD_END(ev),
	  .mem_size = 1u << 20, .cmdline = "role=sink preempt" },
};

const struct vmm_config vmm_config = {
	.domains = domains,
	.nr_domains = 3,
	.run_limit_ms = 20000,
};
