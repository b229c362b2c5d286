/*
 * Scheduler test image: three CPU-bound domains with weights 1:2:4 run for
 * the same 2 s of system time; their CPU times must be in that ratio.
 */
#include "vmm/config.h"

VMM_PAYLOAD_DECLARE(hog);

#define HOG(n, w) { .name = n, .image = VMM_PAYLOAD(hog), .image_end = VMM_PAYLOAD_END(hog), \
		    .mem_size = 1u << 20, .cmdline = "run=2000", .sched = { .weight = w } }

static const struct vmm_domain_config domains[] = {
	HOG("w1", 1),
	HOG("w2", 2),
	HOG("w4", 4),
};

const struct vmm_config vmm_config = {
	.domains = domains,
	.nr_domains = 3,
	.run_limit_ms = 20000,
};
