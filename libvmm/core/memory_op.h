/*
 * memory_op (hypercall 12): current and maximum reservation, populate /
 * increase and decrease a domain's reservation of pseudo-physical frames
 * (ABI and error codes in include/vmm/memory_op.h).
 *
 * Sits below the dispatcher: hypercall.c puts hc_memory_op in its table;
 * this module never includes hypercall.h (refusals are logged through
 * log.h's vmm_reject()).
 */
#ifndef VMM_CORE_MEMORY_OP_H
#define VMM_CORE_MEMORY_OP_H

#include <stdint.h>

struct domain;

/* The handler of the dispatcher's table: memory_op(cmd, arg) for `current`. */
long hc_memory_op(uint32_t cmd, uint32_t arg, uint32_t a2, uint32_t a3);

/* The same for an explicit caller (host tests, and the handler above). */
long memory_op(struct domain *caller, uint32_t cmd, uint32_t arg);

/*
 * Gives pfn's frame back to the allocator: pfn must be backed, its frame
 * neither mapped nor typed, and not the shared-info page (pfn 0).
 * 0, -VMM_EINVAL (out of range or unbacked), -VMM_EBUSY (in use) or
 * -VMM_ENOMEM (no frame for the p2m leaf a page of a run needs: only if the
 * promise was broken); nothing changes on refusal.
 */
int memory_pfn_release(struct domain *d, uint32_t pfn);

#endif /* VMM_CORE_MEMORY_OP_H */
