/*
 * Fast system calls (test/qemu/guests/user_probe.c): dom0's user processes
 * make their system calls through the fast bounce and return (registers,
 * hostile CPSRs, svc #0x83 from user mode); dom1 registers a kernel stack
 * that is in its memory but unmapped, so its syscall handler faults and
 * the data-abort bounce cannot be pushed: the hypervisor crashes dom1 only.
 */
#include "vmm/config.h"

VMM_PAYLOAD_DECLARE(user);

static const struct vmm_domain_config domains[] = {
	{ .name = "kernel", .image = VMM_PAYLOAD(user), .image_end = VMM_PAYLOAD_END(user),
	  .mem_size = 2u << 20, .cmdline = "role=fast" },
	{ .name = "badstack", .image = VMM_PAYLOAD(user), .image_end = VMM_PAYLOAD_END(user),
	  .mem_size = 2u << 20, .cmdline = "role=badstack" },
};

const struct vmm_config vmm_config = {
	.domains = domains,
	.nr_domains = 2,
	.run_limit_ms = 20000,
};
