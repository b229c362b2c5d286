/*
 * Long-uptime sleep test: system time starts ~100 years after 0
 * (vmm_time_epoch_ns), one guest sleeps 400 times (guests/sleep_storm.c).
 */
#include <stdint.h>

#include "vmm/config.h"

VMM_PAYLOAD_DECLARE(sleep);

const uint64_t vmm_time_epoch_ns = 3155760000000000000ull + 123456789ull; /* ~100 years */

static const struct vmm_domain_config domains[] = {
	{ .name = "sleep", .image = VMM_PAYLOAD(sleep), .image_end = VMM_PAYLOAD_END(sleep),
	  .mem_size = 1u << 20 },
};

const struct vmm_config vmm_config = {
	.domains = domains,
	.nr_domains = 1,
	.run_limit_ms = 20000,
};
