/*
 * memory_op (hypercall 12): a domain's reservation of pseudo-physical
 * memory, in the Xen style. docs/abi.md ("memory_op") and docs/memory.md
 * ("memory_op: growing and shrinking a domain") are the reference.
 *
 * A domain's pseudo-physical frames are pfn 0 .. max_pages - 1; pfn p is
 * guest address VMM_GUEST_BASE + p * 4 KiB for every hypercall that takes a
 * guest pointer. max_pages (the maximum reservation) is the configured
 * mem_size and never changes; tot_pages (the current reservation) is how
 * many pfns are backed by a machine frame now. At boot the first
 * mem_initial bytes of the config are backed and mapped (all of mem_size if
 * the config leaves mem_initial 0: static partitioning, nothing to grow).
 * A domain grows within its maximum with VMM_MEMOP_populate_physmap and
 * gives frames back with VMM_MEMOP_decrease_reservation, so no domain can
 * ever take another's share.
 *
 * Calling convention: memory_op(cmd, arg) with cmd in r0 and arg in r1.
 *
 *   VMM_MEMOP_current_reservation, VMM_MEMOP_maximum_reservation:
 *     arg = a domain id (the value, not a pointer: VMM_DOMID_SELF or the
 *     caller's own id; another domain's id only for a privileged domain).
 *     Returns tot_pages / max_pages (>= 0).
 *       -VMM_EPERM  another domain's id from an unprivileged domain
 *       -VMM_ESRCH  no such live domain (privileged callers)
 *
 *   VMM_MEMOP_increase_reservation, VMM_MEMOP_populate_physmap (the same
 *   operation under both names), VMM_MEMOP_decrease_reservation:
 *     arg = guest address of a struct vmm_memory_reservation. Each element
 *     of the extent list names one extent: 2^extent_order pfns starting at
 *     the element's value, which must be a multiple of 2^extent_order.
 *     Extents are done in order; the first refused one stops the call: it
 *     and the ones after it are untouched, the ones before stay done.
 *     nr_done is written back with the number of extents done (on success
 *     and on refusal). Returns nr_extents when all were done, else the
 *     error of the first refused extent.
 *
 *     populate/increase: every pfn of the extent must be unbacked (so
 *       tot_pages never passes max_pages: each pfn is below it and backed at
 *       most once); the
 *       extent gets one machine-contiguous, 2^extent_order aligned run of
 *       frames, scrubbed (zero), owned by the domain, untyped and mapped
 *       nowhere: the guest maps it with mmu_update/update_va_mapping. The
 *       element is overwritten with the run's first machine frame number,
 *       so the guest learns where pfn + i lives (mfn + i) without the
 *       hypervisor writing into the guest's own copy of the p2m list.
 *     decrease: every pfn of the extent must be backed, and its frame
 *       neither mapped nor typed anywhere (reference and type counts 0:
 *       the guest unmaps it first and unpins tables in it). The frames go
 *       back to the allocator (scrubbed before anyone gets them again),
 *       the pfns become unbacked. The element is not written.
 *
 * Errors of the reservation commands (nothing of the failing extent done):
 *   -VMM_EFAULT  arg, or the extent list (nr_extents elements), is not in the
 *                caller's backed memory; or an element cannot be read or
 *                written any more (the caller gave its page back in this call)
 *   -VMM_E2BIG   nr_extents << extent_order > VMM_MEMOP_MAX_PAGES, so at
 *                most VMM_MEMOP_MAX_EXTENTS extents (so the hypervisor's time
 *                with interrupts masked stays bounded)
 *   -VMM_EINVAL  extent_order > VMM_MEMOP_MAX_ORDER, mem_flags != 0, or an
 *                extent not aligned to its order or not inside
 *                0 .. max_pages - 1; decrease: a pfn of the extent unbacked
 *   -VMM_EPERM   domid is not VMM_DOMID_SELF nor the caller's own id (a
 *                domain changes only its own reservation)
 *   -VMM_EEXIST  populate: a pfn of the extent is backed already
 *   -VMM_ENOMEM  populate: the allocator has no free aligned run that size
 *   -VMM_EBUSY   decrease: a frame of the extent is still mapped or typed
 *                (used as a page table), or it is pfn 0, the shared-info
 *                page the hypervisor keeps mapped
 * Other commands: -VMM_EINVAL. Every refusal also logs one rate-limited
 * "[VMM] domN: memory_op ..." line.
 *
 * Self-standing, no compiler extensions (guests include it with any
 * toolchain).
 */
#ifndef VMM_MEMORY_OP_H
#define VMM_MEMORY_OP_H

#include <stdint.h>

/* Commands (Xen's numbers). */
#define VMM_MEMOP_increase_reservation 0u /* same as populate_physmap */
#define VMM_MEMOP_decrease_reservation 1u
#define VMM_MEMOP_current_reservation  3u
#define VMM_MEMOP_maximum_reservation  4u
#define VMM_MEMOP_populate_physmap     6u

/* Limits of one reservation call. */
#define VMM_MEMOP_MAX_ORDER   8u     /* 2^8 pages = 1 MiB extents (a section) */
#define VMM_MEMOP_MAX_PAGES   1024u  /* nr_extents << extent_order: 4 MiB per call */
#define VMM_MEMOP_MAX_EXTENTS VMM_MEMOP_MAX_PAGES /* elements of the list (at order 0) */

struct vmm_memory_reservation {
	uint32_t extent_start; /* guest address of uint32_t[nr_extents]: first pfn of
				  each extent; populate writes the extent's first mfn back */
	uint32_t nr_extents;   /* 0..VMM_MEMOP_MAX_EXTENTS (0: nothing to do, returns 0) */
	uint32_t extent_order; /* 0..VMM_MEMOP_MAX_ORDER: each extent is 2^order pages */
	uint32_t mem_flags;    /* reserved, must be 0 */
	uint32_t domid;        /* VMM_DOMID_SELF (vmm/mmu.h) or the caller's own id */
	uint32_t nr_done;      /* written by the hypervisor: extents done */
};

#endif /* VMM_MEMORY_OP_H */
