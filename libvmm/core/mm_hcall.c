/*
 * Memory hypercall handlers (see mm_hcall.h). Guest pointers are guest
 * addresses of the calling domain (core/guest_access.c through the pt_ops);
 * every call leaves no TLB flush pending when it returns to the guest.
 */
#include "mm_hcall.h"

#include "domain.h"
#include "time.h"
#include "vmm/mmu.h"

/*
 * The batch hypercall in progress (mmuext_op, multicall, or one inside a
 * multicall): when the outermost one began. The hypervisor is not
 * preemptible, so a batch of costly ops (an L1 pin checks up to 3584 x 256
 * frames) must not run unbounded: pt_hcall.c stops it between elements once
 * VMM_BATCH_BUDGET_NS have passed.
 */
static struct {
	uint64_t start;
	unsigned int depth;
} batch;

static inline void batch_enter(void)
{
	if (batch.depth++ == 0)
		batch.start = time_now();
}

static inline void batch_leave(void)
{
	batch.depth--;
}

bool mm_batch_over_budget(void)
{
	return batch.depth && time_now() - batch.start >= VMM_BATCH_BUDGET_NS;
}

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
	long rc;

	batch_enter();
	rc = pt_mmuext_op(&current->pt, ops, count, done, domid);
	batch_leave();
	return rc;
}

long mm_multicall(uint32_t calls, uint32_t count, pt_dispatch_fn dispatch, void *arg)
{
	struct pt_space *s = &current->pt;
	long rc;

	batch_enter();
	rc = pt_multicall(s, calls, count, dispatch, arg);
	batch_leave();

	pt_flush_pending(s);
	return rc;
}
