/*
 * acm_op (hypercall 27): what the access policy says about the caller.
 *
 *   acm_op(cmd, arg)   r0 = VMM_ACMOP_*, r1 = guest address of the command's struct
 *
 * The policy itself is static, in the image's config (vmm/config.h,
 * docs/policy.md); guests can only read their own part of it.
 *
 * Errors: unknown cmd -VMM_EINVAL; arg not wholly in the caller's memory
 * -VMM_EFAULT, also (get_types/get_type_name, which write their result back) when it lies
 * in one of the caller's page-table frames, which the hypervisor never
 * writes for a guest. Each refusal logs one rate-limited "[VMM]" line.
 *
 * This header is self-standing; docs/abi.md is the reference.
 */
#ifndef VMM_ACM_H
#define VMM_ACM_H

#include <stdint.h>

#include "vmm/abi.h"

/*
 * get_types: fills struct vmm_acm_types for the caller. Returns 0.
 */
#define VMM_ACMOP_get_types 0

/*
 * get_type_name: fills `name` with the name of type `type`. Returns 0.
 * Errors: -VMM_EINVAL type >= nr_types (also whenever there is no policy).
 */
#define VMM_ACMOP_get_type_name 1

struct vmm_acm_types {
	uint32_t policy;    /* out: 1 if the image has a policy, 0 if not (all may talk) */
	uint32_t nr_types;  /* out: types the policy defines (0 without policy) */
	uint32_t types;     /* out: bit t set = the caller carries type t */
	uint32_t peers;     /* out: bit t set = the caller may talk to domains carrying type t */
};

struct vmm_acm_type_name {
	uint32_t type;      /* in: type number */
	char name[16];      /* out: its name, NUL-terminated */
};

#endif /* VMM_ACM_H */
