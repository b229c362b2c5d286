/*
 * A physical IRQ given to a domain (test BSP qemu-vexpress-a9-pirq: the
 * second SP804's interrupt 35, asserted and never cleared). "dev" binds it
 * and takes 20 events, one per EOI; "thief" may not bind it.
 */
#include "vmm/config.h"

VMM_PAYLOAD_DECLARE(ev);

static const struct vmm_domain_config domains[] = {
	{ .name = "dev", .image = VMM_PAYLOAD(ev), .image_end = VMM_PAYLOAD_END(ev),
	  .mem_size = 1u << 20, .cmdline = "role=pirq irq=35" },
	{ .name = "thief", .image = VMM_PAYLOAD(ev), .image_end = VMM_PAYLOAD_END(ev),
	  .mem_size = 1u << 20, .cmdline = "role=pirq-thief irq=35" },
};

static const struct vmm_pirq_config pirqs[] = {{ .irq = 35, .domain = "dev" }};

const struct vmm_config vmm_config = {
	.domains = domains,
	.nr_domains = 2,
	.run_limit_ms = 20000,
	.pirqs = pirqs,
	.nr_pirqs = 1,
};
