/*
 * Event channels under an access policy (test/qemu/guests/evtchn.c):
 * dom0 "secure" and dom1 "rich" may talk (rule secure-rich) and play
 * ping-pong; dom2 "untrusted" may talk to nobody and is refused.
 */
#include "vmm/config.h"

VMM_PAYLOAD_DECLARE(ev);

enum { T_SECURE, T_RICH, T_UNTRUSTED };

static const char *const types[] = {"secure", "rich", "untrusted"};
static const struct vmm_policy_rule rules[] = {{T_SECURE, T_RICH}};
static const struct vmm_policy policy = {
	.type_names = types, .nr_types = 3, .rules = rules, .nr_rules = 1,
};

static const struct vmm_domain_config domains[] = {
	{ .name = "secure", .image = VMM_PAYLOAD(ev), .image_end = VMM_PAYLOAD_END(ev),
	  .mem_size = 1u << 20, .cmdline = "role=ping", .types = 1u << T_SECURE },
	{ .name = "rich", .image = VMM_PAYLOAD(ev), .image_end = VMM_PAYLOAD_END(ev),
	  .mem_size = 1u << 20, .cmdline = "role=pong", .types = 1u << T_RICH },
	{ .name = "untrusted", .image = VMM_PAYLOAD(ev), .image_end = VMM_PAYLOAD_END(ev),
	  .mem_size = 1u << 20, .cmdline = "role=intruder", .types = 1u << T_UNTRUSTED },
};

const struct vmm_config vmm_config = {
	.domains = domains,
	.nr_domains = 3,
	.run_limit_ms = 20000,
	.policy = &policy,
};
