/*
 * Memory hypercall handlers (see mm_hcall.h). Guest pointers are guest
 * addresses of the calling domain (core/guest_access.c through the pt_ops);
 * every call leaves no TLB flush pending when it returns to the guest.
 */
#include "mm_hcall.h"

#include "domain.h"

long hc_mmu_update(uint32_t reqs, uint32_t count, uint32_t done, uint32_t domid)
{
	return pt_mmu_update(&current->pt, reqs, count, done, domid);
}

/* The C fast path first (pt_update_va_mapping() tries it), then the general path. */
long hc_update_va_mapping(uint32_t va, uint32_t val, uint32_t flags, uint32_t a3)
{
	(void)a3;
	return pt_update_va_mapping(&current->pt, va, val, flags);
}

void hc_update_va_mapping_invlpg(uint32_t va)
{
	pt_flush_va(&current->pt, va);
}

long hc_mmuext_op(uint32_t ops, uint32_t count, uint32_t done, uint32_t domid)
{
	return pt_mmuext_op(&current->pt, ops, count, done, domid);
}

long mm_multicall(uint32_t calls, uint32_t count, pt_dispatch_fn dispatch, void *arg)
{
	struct pt_space *s = &current->pt;
	long rc = pt_multicall(s, calls, count, dispatch, arg);

	pt_flush_pending(s);
	return rc;
}
