/*
 * The two-domain example image: dom0 (privileged, the "rich" domain of a
 * phone) and dom1 (unprivileged), both running the Mini-OS example guest.
 * Equal weights: the two share the CPU evenly and their output interleaves.
 * dom0 has its 16 MiB from boot (static partitioning); dom1 boots with 4 of
 * its 16 MiB and grows its heap with memory_op, then gives the memory back.
 */
#include "vmm/config.h"

VMM_PAYLOAD_DECLARE(minios);

static const struct vmm_domain_config domains[] = {
	{
		.name = "minios0",
		.image = VMM_PAYLOAD(minios),
		.image_end = VMM_PAYLOAD_END(minios),
		.mem_size = 16u << 20,
		.flags = VMM_DOMCFG_PRIVILEGED,
		.cmdline = "rounds=3",
		.sched = { .weight = 1 },
	},
	{
		.name = "minios1",
		.image = VMM_PAYLOAD(minios),
		.image_end = VMM_PAYLOAD_END(minios),
		.mem_size = 16u << 20,
		.mem_initial = 4u << 20, /* grows with memory_op: its heap demo */
		.cmdline = "rounds=3",
		.sched = { .weight = 1 },
	},
};

const struct vmm_config vmm_config = {
	.domains = domains,
	.nr_domains = 2,
	.run_limit_ms = 60000, /* a hung guest must not keep the demo running */
};
