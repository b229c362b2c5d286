/*
 * Guest-side hypercall wrappers (GCC/Clang, ARM or Thumb-2 state).
 *
 * Include this in a guest kernel to call the hypervisor; see vmm/abi.h for
 * what each call does and returns. Each wrapper is one `svc #0x82`.
 */
#ifndef VMM_HYPERCALL_H
#define VMM_HYPERCALL_H

#include <stdint.h>
#include "vmm/abi.h"
#include "vmm/acm.h"
#include "vmm/event_channel.h"
#include "vmm/memory_op.h"
#include "vmm/grant_table.h"
#include "vmm/mmu.h"
#include "vmm/physdev.h"

static inline long vmm_hypercall5(uint32_t nr, uint32_t a0, uint32_t a1,
				  uint32_t a2, uint32_t a3, uint32_t a4)
{
	register uint32_t r0 __asm__("r0") = a0;
	register uint32_t r1 __asm__("r1") = a1;
	register uint32_t r2 __asm__("r2") = a2;
	register uint32_t r3 __asm__("r3") = a3;
	register uint32_t r4 __asm__("r4") = a4;
	register uint32_t r7 __asm__("r7") = nr;
	__asm__ volatile("svc #0x82"
			 : "+r"(r0)
			 : "r"(r1), "r"(r2), "r"(r3), "r"(r4), "r"(r7)
			 : "memory");
	return (long)r0;
}

static inline long vmm_hypercall2(uint32_t nr, uint32_t a0, uint32_t a1)
{
	return vmm_hypercall5(nr, a0, a1, 0, 0, 0);
}

static inline long HYPERVISOR_xen_version(int cmd, void *arg)
{
	return vmm_hypercall2(VMM_HC_xen_version, (uint32_t)cmd, (uint32_t)(uintptr_t)arg);
}

static inline long HYPERVISOR_console_io(int cmd, int count, char *buf)
{
	return vmm_hypercall5(VMM_HC_console_io, (uint32_t)cmd, (uint32_t)count,
			      (uint32_t)(uintptr_t)buf, 0, 0);
}

static inline long HYPERVISOR_sched_op(int cmd, uint32_t arg)
{
	return vmm_hypercall2(VMM_HC_sched_op, (uint32_t)cmd, arg);
}

/* sched_op(poll): see vmm/abi.h; 0 = a listed port is pending, -VMM_ETIMEDOUT. */
static inline long HYPERVISOR_poll(struct vmm_sched_poll *poll)
{
	return vmm_hypercall2(VMM_HC_sched_op, VMM_SCHEDOP_poll, (uint32_t)(uintptr_t)poll);
}

/* event_channel_op(cmd, op): see vmm/event_channel.h. */
static inline long HYPERVISOR_event_channel_op(int cmd, void *op)
{
	return vmm_hypercall2(VMM_HC_event_channel_op, (uint32_t)cmd, (uint32_t)(uintptr_t)op);
}

/* physdev_op(cmd, op): see vmm/physdev.h. */
static inline long HYPERVISOR_physdev_op(int cmd, void *op)
{
	return vmm_hypercall2(VMM_HC_physdev_op, (uint32_t)cmd, (uint32_t)(uintptr_t)op);
}

/* acm_op(cmd, op): see vmm/acm.h. */
static inline long HYPERVISOR_acm_op(int cmd, void *op)
{
	return vmm_hypercall2(VMM_HC_acm_op, (uint32_t)cmd, (uint32_t)(uintptr_t)op);
}

static inline long HYPERVISOR_set_timer_op(uint64_t deadline_ns)
{
	return vmm_hypercall2(VMM_HC_set_timer_op, (uint32_t)deadline_ns,
			      (uint32_t)(deadline_ns >> 32));
}

static inline long HYPERVISOR_set_callbacks(void (*event)(void), void (*failsafe)(void))
{
	return vmm_hypercall2(VMM_HC_set_callbacks, (uint32_t)(uintptr_t)event,
			      (uint32_t)(uintptr_t)failsafe);
}

static inline long HYPERVISOR_restore_trap_frame(struct vmm_trap_frame *frame)
{
	return vmm_hypercall2(VMM_HC_restore_trap_frame, (uint32_t)(uintptr_t)frame, 0);
}

/* vcpu_op(cmd, vcpuid, arg): see vmm/vcpu_op.h (get_runstate_info). */
static inline long HYPERVISOR_vcpu_op(int cmd, uint32_t vcpuid, void *arg)
{
	return vmm_hypercall5(VMM_HC_vcpu_op, (uint32_t)cmd, vcpuid, (uint32_t)(uintptr_t)arg, 0, 0);
}

/* vcpu_op(set_tls): TPIDRURO = value for this domain (vmm/vcpu_op.h). */
static inline long HYPERVISOR_set_tls(uint32_t value)
{
	return vmm_hypercall5(VMM_HC_vcpu_op, 64 /* VMM_VCPUOP_set_tls */, 0, value, 0, 0);
}

/* memory_op(cmd, arg): see vmm/memory_op.h (arg: a domain id or a struct vmm_memory_reservation *). */
static inline long HYPERVISOR_memory_op(uint32_t cmd, uint32_t arg)
{
	return vmm_hypercall2(VMM_HC_memory_op, cmd, arg);
}

static inline long HYPERVISOR_set_foreground_domain(uint32_t domid)
{
	return vmm_hypercall2(VMM_HC_set_foreground_domain, domid, 0);
}

/* Guest page tables (vmm/mmu.h, docs/memory.md). */
static inline long HYPERVISOR_mmu_update(const struct vmm_mmu_update *reqs, uint32_t count,
					 uint32_t *done, uint32_t domid)
{
	return vmm_hypercall5(VMM_HC_mmu_update, (uint32_t)(uintptr_t)reqs, count,
			      (uint32_t)(uintptr_t)done, domid, 0);
}

static inline long HYPERVISOR_update_va_mapping(uint32_t va, uint32_t val, uint32_t flags)
{
	return vmm_hypercall5(VMM_HC_update_va_mapping, va, val, flags, 0, 0);
}

static inline long HYPERVISOR_mmuext_op(const struct vmm_mmuext_op *ops, uint32_t count,
					uint32_t *done, uint32_t domid)
{
	return vmm_hypercall5(VMM_HC_mmuext_op, (uint32_t)(uintptr_t)ops, count,
			      (uint32_t)(uintptr_t)done, domid, 0);
}

static inline long HYPERVISOR_multicall(struct vmm_multicall_entry *calls, uint32_t count)
{
	return vmm_hypercall2(VMM_HC_multicall, (uint32_t)(uintptr_t)calls, count);
}

/* Grant tables (vmm/grant_table.h): `count` structures of cmd's type at uop. */
static inline long HYPERVISOR_grant_table_op(uint32_t cmd, void *uop, uint32_t count)
{
	return vmm_hypercall5(VMM_HC_grant_table_op, cmd, (uint32_t)(uintptr_t)uop, count, 0, 0);
}

#endif /* VMM_HYPERCALL_H */
