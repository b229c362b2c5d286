/*
 * The memory hypercalls of the calling domain: mmu_update (1),
 * update_va_mapping (14), mmuext_op (26) and multicall (13). ABI in
 * include/vmm/mmu.h and docs/abi.md; the logic is pt_hcall.c's, run on
 * current->pt. The dispatcher (hypercall.c) puts these in its table; this
 * module does not include it: multicall gets the table as a function.
 */
#ifndef VMM_CORE_MM_HCALL_H
#define VMM_CORE_MM_HCALL_H

#include <stdbool.h>
#include <stdint.h>

#include "pt_hcall.h"

long hc_mmu_update(uint32_t reqs, uint32_t count, uint32_t done, uint32_t domid);
long hc_update_va_mapping(uint32_t va, uint32_t val, uint32_t flags, uint32_t a3);

/*
 * update_va_mapping as the dispatcher's table calls it. On the target the
 * assembly fast path (arch/armv7/pt_fast.S: the read/write case of
 * pt_update_va_fast() in about 35 instructions), which falls back to
 * hc_update_va_mapping() with the same arguments for anything else and
 * calls hc_update_va_mapping_invlpg() for its UVMF_INVLPG flush; the host's
 * fake port forwards straight to hc_update_va_mapping().
 */
long hc_update_va_mapping_fast(uint32_t va, uint32_t val, uint32_t flags, uint32_t a3);
void hc_update_va_mapping_invlpg(uint32_t va);
long hc_mmuext_op(uint32_t ops, uint32_t count, uint32_t done, uint32_t domid);

/*
 * multicall(calls, count) for the current domain: each allowed entry runs
 * through `dispatch` (the dispatcher's table); a dropped mapping is flushed
 * before the guest runs again.
 */
long mm_multicall(uint32_t calls, uint32_t count, pt_dispatch_fn dispatch, void *arg);

/* True while an mmuext_op or multicall runs and has used VMM_BATCH_BUDGET_NS
 * of hypervisor time since the outermost one began (pt_ops.over_budget). */
bool mm_batch_over_budget(void);

#endif /* VMM_CORE_MM_HCALL_H */
