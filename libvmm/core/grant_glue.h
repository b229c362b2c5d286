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

#endif /* VMM_CORE_GRANT_GLUE_H */
