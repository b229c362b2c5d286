/*
 * The guest page-table hypercalls' logic: mmu_update, update_va_mapping,
 * mmuext_op and multicall (ABI in include/vmm/mmu.h). The dispatcher's
 * handlers call these with the current domain's struct pt_space; this
 * module does not include the dispatcher (multicall gets it as a function).
 *
 * Every refusal returns the documented negative code and logs one
 * rate-limited "[VMM] domN: ..." line; every call flushes the domain's TLB
 * before it returns if it dropped a mapping (pt_flush_pending), so a guest
 * never runs with a stale translation to a frame that changed type.
 */
#ifndef VMM_CORE_PT_HCALL_H
#define VMM_CORE_PT_HCALL_H

#include <stdint.h>

#include "pt_table.h"

long pt_mmu_update(struct pt_space *s, uint32_t reqs, uint32_t count, uint32_t done, uint32_t domid);
long pt_update_va_mapping(struct pt_space *s, uint32_t va, uint32_t val, uint32_t flags);
long pt_mmuext_op(struct pt_space *s, uint32_t ops, uint32_t count, uint32_t done, uint32_t domid);

/* Runs one batched hypercall (the dispatcher's table) and returns its result. */
typedef long (*pt_dispatch_fn)(void *arg, uint32_t op, const uint32_t args[4]);

/* True for the hypercall numbers multicall may batch (vmm/mmu.h). */
int pt_multicall_allowed(uint32_t op);

long pt_multicall(struct pt_space *s, uint32_t calls, uint32_t count, pt_dispatch_fn dispatch, void *arg);

#endif /* VMM_CORE_PT_HCALL_H */
