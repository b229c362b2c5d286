/*
 * Access policy (see policy.h).
 *
 * The check is on the hot path of every send: each domain caches, at
 * creation, the set of types it may talk to (`policy_peers`, the union of
 * the rules' partners of its types), so a decision is one AND.
 */
#include "policy.h"

#include <string.h>

#include "config_check.h"
#include "domain.h"
#include "format.h"
#include "guest_access.h"
#include "log.h"
#include "vmm/acm.h"

static const struct vmm_policy *policy_active;

/* Bit mask of the types 0..n-1 (n <= 32). */
static uint32_t policy_types_all(unsigned int n)
{
	return n >= 32 ? 0xFFFFFFFFu : (1u << n) - 1u;
}

static int policy_validate_types(const struct vmm_policy *p, char *why, size_t len)
{
	unsigned int i, j;

	if (p->nr_types == 0 || p->nr_types > VMM_POLICY_MAX_TYPES) {
		vmm_snprintf(why, len, "policy: %u types (1..%u)", p->nr_types, VMM_POLICY_MAX_TYPES);
		return -VMM_EINVAL;
	}
	if (!p->type_names) {
		vmm_snprintf(why, len, "policy: no type_names");
		return -VMM_EINVAL;
	}
	for (i = 0; i < p->nr_types; i++) {
		if (!config_name_valid(p->type_names[i])) {
			vmm_snprintf(why, len, "policy: type %u: name must be 1..15 characters of [A-Za-z0-9._-]", i);
			return -VMM_EINVAL;
		}
		for (j = 0; j < i; j++)
			if (vmm_streq(p->type_names[i], p->type_names[j])) {
				vmm_snprintf(why, len, "policy: type %u: name '%s' already used by type %u", i,
					     p->type_names[i], j);
				return -VMM_EINVAL;
			}
	}
	return 0;
}

static int policy_validate_rules(const struct vmm_policy *p, char *why, size_t len)
{
	unsigned int i;

	if (p->nr_rules > VMM_POLICY_MAX_RULES) {
		vmm_snprintf(why, len, "policy: %u rules (at most %u)", p->nr_rules, VMM_POLICY_MAX_RULES);
		return -VMM_EINVAL;
	}
	if (p->nr_rules && !p->rules) {
		vmm_snprintf(why, len, "policy: %u rules but no rule table", p->nr_rules);
		return -VMM_EINVAL;
	}
	for (i = 0; i < p->nr_rules; i++)
		if (p->rules[i].a >= p->nr_types || p->rules[i].b >= p->nr_types) {
			vmm_snprintf(why, len, "policy: rule %u (%u, %u) names a type >= %u", i,
				     (unsigned)p->rules[i].a, (unsigned)p->rules[i].b, p->nr_types);
			return -VMM_EINVAL;
		}
	return 0;
}

int policy_validate(const struct vmm_config *cfg, char *why, size_t len)
{
	const struct vmm_policy *p = cfg->policy;
	uint32_t all;
	unsigned int i;

	if (p) {
		int rc = policy_validate_types(p, why, len);

		if (rc == 0)
			rc = policy_validate_rules(p, why, len);
		if (rc)
			return rc;
	}
	all = p ? policy_types_all(p->nr_types) : 0;
	for (i = 0; cfg->domains && i < cfg->nr_domains; i++) {
		uint32_t extra = cfg->domains[i].types & ~all;

		if (extra) {
			vmm_snprintf(why, len, "policy: domain #%u carries types 0x%x %s", i, (unsigned)extra,
				     p ? "the policy does not define" : "but the image has no policy");
			return -VMM_EINVAL;
		}
	}
	return 0;
}

void policy_activate(const struct vmm_policy *p)
{
	policy_active = p;
}

/* The types a domain carrying `types` may talk to under p. */
static uint32_t policy_peers_of(const struct vmm_policy *p, uint32_t types)
{
	uint32_t peers = 0;
	unsigned int i;

	for (i = 0; i < p->nr_rules; i++) {
		if (types & (1u << p->rules[i].a))
			peers |= 1u << p->rules[i].b;
		if (types & (1u << p->rules[i].b))
			peers |= 1u << p->rules[i].a;
	}
	return peers;
}

void policy_domain_init(struct domain *d, uint32_t types)
{
	d->policy_types = types;
	d->policy_peers = policy_active ? policy_peers_of(policy_active, types) : 0xFFFFFFFFu;
}

int policy_check(const struct domain *a, const struct domain *b)
{
	if (a == b || !policy_active)
		return 0;
	return (a->policy_peers & b->policy_types) ? 0 : -VMM_EPERM;
}

static long acm_get_types(struct domain *d, uint32_t arg)
{
	struct vmm_acm_types out;

	memset(&out, 0, sizeof(out));
	out.policy = policy_active != NULL;
	out.nr_types = policy_active ? policy_active->nr_types : 0;
	out.types = d->policy_types;
	out.peers = d->policy_peers;
	if (guest_copy_to(d, arg, &out, sizeof(out)) != 0)
		return vmm_reject(d->id, &d->rejections_logged, -VMM_EFAULT,
				  "acm_op: buffer 0x%08x outside domain memory", (unsigned)arg);
	return 0;
}

static long acm_get_type_name(struct domain *d, uint32_t arg)
{
	struct vmm_acm_type_name op;

	if (guest_copy_from(d, &op, arg, sizeof(op)) != 0)
		return vmm_reject(d->id, &d->rejections_logged, -VMM_EFAULT,
				  "acm_op: buffer 0x%08x outside domain memory", (unsigned)arg);
	/* Readable is not writable (a page table): the result must be storable. */
	if (!guest_range_writable(d, arg, sizeof(op)))
		return vmm_reject(d->id, &d->rejections_logged, -VMM_EFAULT,
				  "acm_op: buffer 0x%08x is in a page table", (unsigned)arg);
	if (!policy_active || op.type >= policy_active->nr_types)
		return vmm_reject(d->id, &d->rejections_logged, -VMM_EINVAL, "acm_op: no type %u",
				  (unsigned)op.type);
	memset(op.name, 0, sizeof(op.name));
	strncpy(op.name, policy_active->type_names[op.type], sizeof(op.name) - 1);
	guest_copy_to(d, arg, &op, sizeof(op)); /* checked writable above */
	return 0;
}

long hc_acm_op(uint32_t cmd, uint32_t arg, uint32_t a2, uint32_t a3)
{
	struct domain *d = current;

	(void)a2;
	(void)a3;
	switch (cmd) {
	case VMM_ACMOP_get_types:
		return acm_get_types(d, arg);
	case VMM_ACMOP_get_type_name:
		return acm_get_type_name(d, arg);
	default:
		return vmm_reject(d->id, &d->rejections_logged, -VMM_EINVAL, "acm_op: unknown command %u",
				  (unsigned)cmd);
	}
}
