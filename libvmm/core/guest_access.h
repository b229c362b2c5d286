/*
 * Checked access to a domain's memory from the hypervisor.
 *
 * Every guest pointer a hypercall receives goes through these: a range that
 * is not wholly inside the calling domain's memory is refused, so a guest can
 * never make the hypervisor read or write the hypervisor or another domain.
 */
#ifndef VMM_CORE_GUEST_ACCESS_H
#define VMM_CORE_GUEST_ACCESS_H

#include <stdbool.h>
#include <stdint.h>

struct domain;

/* True if [va, va + len) lies inside d's memory (len 0 counts as inside if va does). */
bool guest_range_valid(const struct domain *d, uint32_t va, uint32_t len);

/* Hypervisor address of guest address va, or NULL if [va, va+len) is not inside. */
void *guest_ptr(const struct domain *d, uint32_t va, uint32_t len);

/* Copies; 0 or -VMM_EFAULT (nothing copied). */
int guest_copy_from(const struct domain *d, void *dst, uint32_t va, uint32_t len);
int guest_copy_to(const struct domain *d, uint32_t va, const void *src, uint32_t len);

#endif /* VMM_CORE_GUEST_ACCESS_H */
