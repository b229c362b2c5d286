/*
 * The page-table code's view of the machine for a real domain (struct
 * pt_ops of pt_table.h): table entries through arch_map_frame(), made
 * visible to table walks by arch_pt_entry_sync(); TLB maintenance and the
 * translation-table base by the domain's address-space id; guest copies
 * through core/guest_access.c. The ctx of every op is the struct domain.
 */
#ifndef VMM_CORE_PT_OPS_H
#define VMM_CORE_PT_OPS_H

#include "pt_table.h"

struct domain;

extern const struct pt_ops pt_domain_ops;

/*
 * Sets up d's page-table state over its initial L1 at l1_mfn (already
 * typed and pinned by the builder, with the accounting pt_table keeps):
 * frames of every RAM zone (mm_table()), the master table's hypervisor half,
 * refusals counted in d->rejections_logged.
 */
void pt_domain_init(struct domain *d, uint32_t l1_mfn);

#endif /* VMM_CORE_PT_OPS_H */
