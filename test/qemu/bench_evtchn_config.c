/*
 * Benchmark image: event-channel costs between domains with PMU access
 * (test/qemu/guests/evtchn.c, "bench" on the command line). No policy.
 * pong is latency-sensitive (BVT warp): its wake-ups preempt ping at once,
 * so `send` hands the CPU straight to it. The sink is not warped: a send
 * to it returns to ping (the send hypercall benchmark).
 */
#include "vmm/config.h"

VMM_PAYLOAD_DECLARE(ev);

static const struct vmm_domain_config domains[] = {
	{ .name = "ping", .image = VMM_PAYLOAD(ev), .image_end = VMM_PAYLOAD_END(ev),
	  .mem_size = 1u << 20, .flags = VMM_DOMCFG_PMU_USER, .cmdline = "role=ping bench" },
	{ .name = "pong", .image = VMM_PAYLOAD(ev), .image_end = VMM_PAYLOAD_END(ev),
	  .mem_size = 1u << 20, .flags = VMM_DOMCFG_PMU_USER, .cmdline = "role=pong bench",
	  .sched = { .weight = 1, .warp = true, .warp_us = 5000, .warp_limit_us = 2000,
		     .unwarp_us = 20000 } },
	{ .name = "sink", .image = VMM_PAYLOAD(ev), .image_end = VMM_PAYLOAD_END(ev),
	  .mem_size = 1u << 20, .flags = VMM_DOMCFG_PMU_USER, .cmdline = "role=sink bench" },
};

const struct vmm_config vmm_config = {
	.domains = domains,
	.nr_domains = 3,
	.run_limit_ms = 20000,
};
