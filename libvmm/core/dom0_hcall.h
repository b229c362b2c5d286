/*
 * dom0_op (hypercall 7): scheduler and domain control for privileged
 * domains. The commands, their structures and error codes are the public
 * ABI in vmm/dom0_op.h; dom0_op.c implements them.
 */
#ifndef VMM_CORE_DOM0_HCALL_H
#define VMM_CORE_DOM0_HCALL_H

#include <stdint.h>

/* The handler the dispatcher calls with the guest's r0-r3 (op_va: the
 * caller's struct vmm_dom0_op, read in and written back). */
long hc_dom0_op(uint32_t op_va, uint32_t a1, uint32_t a2, uint32_t a3);

#endif /* VMM_CORE_DOM0_HCALL_H */
