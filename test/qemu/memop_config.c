/*
 * Test image for memory_op and dead domains: "grower" boots with 1 of its
 * 4 MiB and probes memory_op; "quitter" shuts down and "crasher" is crashed
 * at once: their memory goes back to the allocator while "grower" runs, and
 * after the last domain the free memory is what it was before the first.
 */
#include "vmm/config.h"

VMM_PAYLOAD_DECLARE(memop);

#define MEMOP_DOMAIN(n, size, initial, cmd) \
	{ .name = n, .image = VMM_PAYLOAD(memop), .image_end = VMM_PAYLOAD_END(memop), \
	  .mem_size = size, .mem_initial = initial, .cmdline = cmd }

static const struct vmm_domain_config domains[] = {
	MEMOP_DOMAIN("grower", 4u << 20, 1u << 20, "probe"),
	MEMOP_DOMAIN("quitter", 2u << 20, 0, "quit"),
	MEMOP_DOMAIN("crasher", 1u << 20, 0, "crash"),
};

const struct vmm_config vmm_config = {
	.domains = domains,
	.nr_domains = 3,
	.run_limit_ms = 20000,
};
