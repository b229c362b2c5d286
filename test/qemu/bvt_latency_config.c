/*
 * Scheduler test image: a CPU-bound domain ("hog", never blocks) and a
 * latency-sensitive one ("latency", wakes every 1 ms). With warp (this
 * file, built with BVT_WARP=1) the latency domain must preempt the hog on
 * every wake-up; without warp (BVT_WARP=0) it waits for the hog's slice.
 */
#include "vmm/config.h"

VMM_PAYLOAD_DECLARE(hog);
VMM_PAYLOAD_DECLARE(latency);

static const struct vmm_domain_config domains[] = {
	{ .name = "hog", .image = VMM_PAYLOAD(hog), .image_end = VMM_PAYLOAD_END(hog),
	  .mem_size = 1u << 20, .cmdline = "run=400", .sched = { .weight = 1 } },
	{ .name = "latency", .image = VMM_PAYLOAD(latency), .image_end = VMM_PAYLOAD_END(latency),
	  .mem_size = 1u << 20, .cmdline = "wakes=200",
	  .sched = { .weight = 1, .warp = BVT_WARP, .warp_us = 50000, .warp_limit_us = 2000,
		     .unwarp_us = 1000 } },
};

const struct vmm_config vmm_config = {
	.domains = domains,
	.nr_domains = 2,
	.run_limit_ms = 20000,
};
