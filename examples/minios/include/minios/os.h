/*
 * libvmm Mini-OS: core definitions shared by the whole kernel library.
 *
 * The guest runs in ARM USR mode; "interrupts" are event upcalls, and the
 * only way to hold them off is the per-vcpu evtchn_upcall_mask byte in the
 * shared-info page (Xen's local_irq_save()/local_irq_restore()).
 */
#ifndef MINIOS_OS_H
#define MINIOS_OS_H

#include <stdint.h>
#include <stddef.h>

#include <vmm/abi.h>
#include <vmm/guest_info.h>
#include <vmm/hypercall.h>

/* Set by minios_start() before anything else runs. */
extern struct vmm_start_info *start_info;
/* Points at VMM_GUEST_SHARED_INFO from the very first instruction. */
extern struct vmm_shared_info *HYPERVISOR_shared_info;

#define barrier() __asm__ __volatile__("" ::: "memory")
/* One CPU, hypervisor updates arrive via exceptions: a compiler barrier plus
 * a DMB (cheap, and keeps us honest if the hypervisor ever runs on SMP). */
#define mb()  __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define wmb() __atomic_thread_fence(__ATOMIC_RELEASE)

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

static inline volatile uint8_t *minios_upcall_mask_ptr(void)
{
	return &HYPERVISOR_shared_info->vcpu_info.evtchn_upcall_mask;
}

static inline volatile uint8_t *minios_upcall_pending_ptr(void)
{
	return &HYPERVISOR_shared_info->vcpu_info.evtchn_upcall_pending;
}

/*
 * Any hypercall returns to the guest through the hypervisor's exit path,
 * which delivers a pending upcall if events are unmasked.
 */
static inline void force_evtchn_callback(void)
{
	(void)HYPERVISOR_xen_version(VMM_XENVER_version, 0);
}

/* Masks event upcalls for the vcpu; returns the previous mask (0 or 1). */
static inline unsigned long local_irq_save(void)
{
	volatile uint8_t *mask = minios_upcall_mask_ptr();
	unsigned long flags = *mask;

	*mask = 1;
	barrier();
	return flags;
}

/*
 * Restores the mask saved by local_irq_save(). When this unmasks, an event
 * that became pending meanwhile is delivered at once.
 */
static inline void local_irq_restore(unsigned long flags)
{
	barrier();
	*minios_upcall_mask_ptr() = (uint8_t)flags;
	barrier();
	if (!flags && *minios_upcall_pending_ptr())
		force_evtchn_callback();
}

static inline void local_irq_disable(void)
{
	*minios_upcall_mask_ptr() = 1;
	barrier();
}

static inline void local_irq_enable(void)
{
	local_irq_restore(0);
}

static inline int irqs_disabled(void)
{
	return *minios_upcall_mask_ptr() != 0;
}

/* Stops the domain for good: VMM_SHUTDOWN_poweroff or VMM_SHUTDOWN_crash. */
void minios_shutdown(unsigned int reason) __attribute__((noreturn));

/* Prints a message and shuts the domain down with VMM_SHUTDOWN_crash. */
void minios_panic(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));

#define BUG() minios_panic("BUG at %s:%d\n", __FILE__, __LINE__)
#define BUG_ON(c) do { if (unlikely(c)) BUG(); } while (0)

/* The application entry point every minios guest provides. Runs in the
 * thread "main"; its return value becomes the domain's exit status
 * (0: shutdown poweroff, anything else: shutdown crash). */
int app_main(const struct vmm_start_info *si);

/* Kernel entry from start.S (events masked, on the minios boot stack). */
void minios_start(struct vmm_start_info *si) __attribute__((noreturn));

/* Heap limits used by _sbrk (set up by minios_start). */
extern uintptr_t minios_heap_start, minios_heap_limit;

/* Linker-script symbols. */
extern char __image_start[], __bss_start__[], __bss_end__[], _end[];

#endif /* MINIOS_OS_H */
