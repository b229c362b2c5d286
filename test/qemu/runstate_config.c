/*
 * Runstate test image: two equal CPU-bound Mini-OS domains read their own
 * CPU time (vcpu_op get_runstate_info) and check it.
 */
#include "vmm/config.h"

VMM_PAYLOAD_DECLARE(rs);

#define RS(n) { .name = n, .image = VMM_PAYLOAD(rs), .image_end = VMM_PAYLOAD_END(rs), \
		.mem_size = 4u << 20 }

static const struct vmm_domain_config domains[] = {
	RS("rs0"),
	RS("rs1"),
};

const struct vmm_config vmm_config = {
	.domains = domains,
	.nr_domains = 2,
	.run_limit_ms = 20000,
};
