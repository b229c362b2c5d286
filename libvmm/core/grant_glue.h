/*
 * Grant tables bound to the running system (grant_glue.c): each domain's
 * struct gnttab, and the environment the grant logic runs in (domains,
 * frame tables of mm.c, arch_map_frame, guest_access.c, the page-table
 * path for grant mappings, the access policy).
 */
#ifndef VMM_CORE_GRANT_GLUE_H
#define VMM_CORE_GRANT_GLUE_H

#include <stdint.h>

struct domain;

/* grant_table_op(cmd, uop, count) for domain d (the dispatcher's handler calls it). */
long grant_table_op(struct domain *d, uint32_t cmd, uint32_t uop, uint32_t count);

/*
 * Domain d dies (domain_kill(), before its memory teardown): the grant
 * mappings it holds are removed and the granters' counts and in-use flags
 * dropped; mappings others hold of its frames stay, and keep those frames
 * out of the allocator until their last unmap frees them; its table frames'
 * counts and its grant state's frame are given back.
 */
void grant_domain_destroy(struct domain *d);

/* Hypervisor frames holding grant state now (one per domain that used grants). */
uint32_t grant_state_frames(void);

#endif /* VMM_CORE_GRANT_GLUE_H */
