/*
 * libvmm Mini-OS: the domain's pseudo-physical memory.
 *
 * pfn p is guest address VMM_GUEST_BASE + p * 4 KiB, the same address the
 * hypervisor uses for pfn p in hypercall pointers. At boot pfns
 * 0 .. start_info.nr_pages - 1 are backed and mapped; a domain configured
 * with mem_initial below mem_size may back more, up to its maximum
 * reservation, with memory_op (vmm/memory_op.h). This module does that:
 *
 *  - the heap (newlib's malloc through _sbrk) grows past the boot memory one
 *    page at a time: populate the pfn, make sure an L2 table covers its MiB
 *    (a populated frame pinned as an L2, its L1 entry written with
 *    mmu_update), map it with update_va_mapping; when malloc trims the heap,
 *    the pages above the break are unmapped and given back
 *    (decrease_reservation);
 *  - single pages (minios_page_alloc/free) for whatever needs a page of its
 *    own, taken from the top of the reservation down.
 *
 * L2 tables take pfns from the very top of the reservation (one frame holds
 * the four L2 tables of 4 MiB). Everything runs with upcalls masked.
 */
#ifndef MINIOS_MM_H
#define MINIOS_MM_H

#include <stdint.h>

#include <vmm/guest_info.h>

/* Sets up from the start info: boot pages, maximum reservation, the heap's grow limit. */
void init_mm(const struct vmm_start_info *si);

/* Pages backed now / at most (memory_op current/maximum reservation), or a negative error. */
long minios_mm_current_pages(void);
long minios_mm_max_pages(void);

/*
 * Heap support for _sbrk: minios_heap_map() makes [.., end) usable (0, or
 * -1 when the reservation or the hypervisor refuses: the heap does not
 * grow); minios_heap_unmap() gives back the grown pages from `end` (rounded
 * up to a page) to the highest mapped heap page.
 */
int minios_heap_map(uintptr_t end);
void minios_heap_unmap(uintptr_t end);

/* One zeroed, mapped page of its own (NULL if none can be had); give it back with minios_page_free(). */
void *minios_page_alloc(void);
int minios_page_free(void *page);

/* decrease_reservation of the page at `va` as it is (mapped or not): the hypervisor's answer. */
long minios_page_decrease(void *va);

/* Pages this module mapped and has not given back (heap + single pages), L2 frames it pinned. */
unsigned long minios_mm_grown_pages(void);
unsigned long minios_mm_l2_frames(void);

#endif /* MINIOS_MM_H */
