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

/* True if [va, va + len) is inside d's memory and every page is backed by a frame. */
bool guest_range_accessible(const struct domain *d, uint32_t va, uint32_t len);

/*
 * guest_range_accessible() and no page of it a page-table frame: what
 * guest_copy_to() accepts. For handlers that must know a result can be
 * stored before they change any state.
 */
bool guest_range_writable(const struct domain *d, uint32_t va, uint32_t len);

/*
 * Copies, page by page through the domain's p2m list (its frames need not
 * be contiguous); 0, or -VMM_EFAULT with nothing copied if the range is not
 * accessible.
 */
int guest_copy_from(const struct domain *d, void *dst, uint32_t va, uint32_t len);

/*
 * guest_copy_from() of one 32-bit word, for hot paths (event_channel_op
 * send): an aligned word never crosses a page, so one frame lookup and no
 * loop. 0 or -VMM_EFAULT, like guest_copy_from() (which unaligned va uses).
 */
int guest_read_u32(const struct domain *d, uint32_t va, uint32_t *val);

/*
 * Hot paths' direct access to a small range of d's memory: a hypervisor
 * pointer to [va, va + len) if the range is not empty, lies within one page
 * of d's memory backed by a frame and, for a write, that frame is not a page
 * table (exactly what guest_copy_from()/guest_copy_to() accept for such a
 * range); NULL otherwise, and when no temporary mapping is free: the caller
 * then takes the copy functions, which decide. Release it with
 * guest_page_unmap() before anything else maps a frame.
 */
void *guest_page_map(const struct domain *d, uint32_t va, uint32_t len, bool write);
void guest_page_unmap(void *p);

/* As guest_copy_from(), and -VMM_EFAULT with nothing written if a page of
 * the range is a page-table frame (L1 or L2 typed): guests change their
 * tables only through the checked page-table hypercalls. */
int guest_copy_to(const struct domain *d, uint32_t va, const void *src, uint32_t len);

#endif /* VMM_CORE_GUEST_ACCESS_H */
