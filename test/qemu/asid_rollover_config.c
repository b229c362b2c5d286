/*
 * ASID rollover on the target: the domain-switch benchmark's two domains
 * (test/qemu/guests/bench_switch.c) with a single ASID per generation, so
 * every switch opens a generation: a new ASID, the whole TLB invalidated
 * under ASID 0 (arch/armv7/mmu.c). Both domains must run to the end as with
 * 255 ASIDs; the "domain switch" figure is the cost of that slow path.
 */
#include <stdint.h>

#include "vmm/config.h"

/* Overrides the weak default of core/asid.c (255). */
uint32_t vmm_asid_last = 1;

VMM_PAYLOAD_DECLARE(sw);

static const struct vmm_domain_config domains[] = {
	{ .name = "measure", .image = VMM_PAYLOAD(sw), .image_end = VMM_PAYLOAD_END(sw),
	  .mem_size = 1u << 20, .flags = VMM_DOMCFG_PMU_USER, .cmdline = "role=measure" },
	{ .name = "partner", .image = VMM_PAYLOAD(sw), .image_end = VMM_PAYLOAD_END(sw),
	  .mem_size = 1u << 20, .cmdline = "role=partner" },
};

const struct vmm_config vmm_config = {
	.domains = domains,
	.nr_domains = 2,
	.run_limit_ms = 20000,
};
