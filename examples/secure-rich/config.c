/*
 * The secure/rich example image (what `make demo` boots): the thesis'
 * scenario (1.1, 10.2) of a secure and a rich domain on one phone, isolated
 * and cooperating only through the hypervisor under the vendor's policy.
 *   dom0 "secure": holds a key, signs messages (HMAC-SHA256) for dom1;
 *   dom1 "rich":   sends messages over a grant-shared ring + event channel;
 *   dom2 "other":  a third domain the policy keeps apart from dom0.
 */
#include "vmm/config.h"

VMM_PAYLOAD_DECLARE(secure);
VMM_PAYLOAD_DECLARE(rich);
VMM_PAYLOAD_DECLARE(other);

enum { TYPE_SECURE, TYPE_RICH, TYPE_OTHER };

static const char *const type_names[] = { "secure", "rich", "other" };

/* secure <-> rich, rich <-> other; nothing between secure and other. */
static const struct vmm_policy_rule rules[] = {
	{ TYPE_SECURE, TYPE_RICH },
	{ TYPE_RICH, TYPE_OTHER },
};

static const struct vmm_policy policy = {
	.type_names = type_names,
	.nr_types = 3,
	.rules = rules,
	.nr_rules = 2,
};

static const struct vmm_domain_config domains[] = {
	{
		.name = "secure",
		.image = VMM_PAYLOAD(secure),
		.image_end = VMM_PAYLOAD_END(secure),
		.mem_size = 8u << 20,
		.flags = VMM_DOMCFG_PRIVILEGED,
		.sched = { .weight = 1 },
		.types = 1u << TYPE_SECURE,
	},
	{
		.name = "rich",
		.image = VMM_PAYLOAD(rich),
		.image_end = VMM_PAYLOAD_END(rich),
		.mem_size = 8u << 20,
		.sched = { .weight = 1 },
		.types = 1u << TYPE_RICH,
	},
	{
		.name = "other",
		.image = VMM_PAYLOAD(other),
		.image_end = VMM_PAYLOAD_END(other),
		.mem_size = 4u << 20,
		.sched = { .weight = 1 },
		.types = 1u << TYPE_OTHER,
	},
};

const struct vmm_config vmm_config = {
	.domains = domains,
	.nr_domains = 3,
	.run_limit_ms = 60000, /* a hung guest must not keep the demo running */
	.policy = &policy,
};
