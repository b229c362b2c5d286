/*
 * Test image: the upcall frame push against hostile stacks
 * (guests/upcall_stack.c). "good" takes an upcall on its own stack and
 * powers off; "hv" and "unmapped" must each be crashed by the push, and
 * "good" is not disturbed.
 */
#include "vmm/config.h"

VMM_PAYLOAD_DECLARE(upcall_stack);

static const struct vmm_domain_config domains[] = {
	{ .name = "good", .image = VMM_PAYLOAD(upcall_stack), .image_end = VMM_PAYLOAD_END(upcall_stack),
	  .mem_size = 1u << 20, .cmdline = "stack=good" },
	{ .name = "hv", .image = VMM_PAYLOAD(upcall_stack), .image_end = VMM_PAYLOAD_END(upcall_stack),
	  .mem_size = 1u << 20, .cmdline = "stack=hv" },
	{ .name = "unmapped", .image = VMM_PAYLOAD(upcall_stack), .image_end = VMM_PAYLOAD_END(upcall_stack),
	  .mem_size = 1u << 20, .cmdline = "stack=unmapped" },
};

const struct vmm_config vmm_config = {
	.domains = domains,
	.nr_domains = 3,
	.run_limit_ms = 20000,
};
