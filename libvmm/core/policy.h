/*
 * Access policy: static type enforcement between domains (vmm/config.h
 * struct vmm_policy, docs/policy.md). Event channels check it when a channel
 * is set up and on every send; grants check it on map and copy.
 */
#ifndef VMM_CORE_POLICY_H
#define VMM_CORE_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "vmm/config.h"

struct domain;

/*
 * Validates a policy and the domains' type sets against it. NULL policy:
 * every domain's types must be 0. 0, or -VMM_EINVAL with the reason in
 * why[len]. Pure: reads the config only.
 */
int policy_validate(const struct vmm_config *cfg, char *why, size_t len);

/* Makes `p` (validated, may be NULL) the policy of the running image. */
void policy_activate(const struct vmm_policy *p);

/* Sets d's types (from its config entry) and the types it may talk to. */
void policy_domain_init(struct domain *d, uint32_t types);

/*
 * May a and b communicate? 0 or -VMM_EPERM. A domain may always talk to
 * itself; without a policy every pair may. Does not log: the caller logs
 * the refusal in its own words.
 */
int policy_check(const struct domain *a, const struct domain *b);

/* acm_op (hypercall 27, vmm/acm.h). */
long hc_acm_op(uint32_t cmd, uint32_t arg, uint32_t a2, uint32_t a3);

#endif /* VMM_CORE_POLICY_H */
