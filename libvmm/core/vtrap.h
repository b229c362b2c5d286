/*
 * Virtual kernel and user modes, the guest kernel's trap table and the
 * bounce of traps to it (vmm/abi.h, "Virtual kernel and user modes").
 *
 * Both virtual modes run in USR mode; what differs is the ARM domain access
 * (DACR: the guest kernel's ARM domain is no-access in virtual user mode),
 * the hypercall table the SVC fast path dispatches through (in user mode
 * every entry bounces the SVC as a system call), and vcpu_info.vmode. A
 * transition rewrites those three, flushes no TLB, and arch_switch loads the
 * DACR with the domain.
 */
#ifndef VMM_CORE_VTRAP_H
#define VMM_CORE_VTRAP_H

#include <stdbool.h>
#include <stdint.h>

#include "vmm/abi.h"

struct domain;

/* DACR in each virtual mode: ARM domains 0 (hypervisor, PL1-only pages) and
 * 1 (guest user) client in both; 2 (guest kernel) client only in kernel mode.
 * The unused domains 3-15 stay client as the boot code set them. */
#define VTRAP_DACR_KERNEL 0x55555555u
#define VTRAP_DACR_USER   0x55555545u

/*
 * The SVC tables the fast path uses in each mode (set once at boot by the
 * dispatcher, which owns them): kernel mode, user mode, and user mode of a
 * domain with fast system calls (its extra slot is the assembly bounce).
 * vtrap_set_mode() stores the right one in the word above the domain's trap
 * frame.
 */
void vtrap_init(const void *kernel_svc_table, const void *user_svc_table,
		const void *user_fast_svc_table);

/* d's virtual mode (VMM_VMODE_*). The DACR of d's hypervisor context is
 * the one record of it: the assembly fast paths switch modes without C and
 * store that word (and vcpu_info.vmode, the guest's copy) alone. */
unsigned int vtrap_mode(const struct domain *d);

/* Makes d's virtual mode `vmode` (VMM_VMODE_*): vcpu_info.vmode, DACR (now
 * if d runs, else at its next switch-in), the SVC table and the words the
 * assembly fast paths read above d's frame. */
void vtrap_set_mode(struct domain *d, unsigned int vmode);

/* hypercall 0: set_trap_table(table, flags) (see vmm/abi.h). */
long vtrap_set_table(struct domain *d, uint32_t table_va, uint32_t flags);

/* Whether d's system calls take the fast path (flag set, syscall handler
 * and kernel stack registered). */
bool vtrap_fast_syscall(const struct domain *d);


/*
 * Bounces a trap of kind `trap` (VMM_TRAP_*) from d's current frame f to the
 * guest kernel's handler. f->pc is the value to resume at (after the SVC /
 * the faulting instruction). Returns true if f now enters the handler;
 * false if there is no handler (the caller crashes the domain) -- a frame
 * that cannot be pushed crashes d here and also returns true (d is dead:
 * the caller must schedule()).
 */
enum vtrap_result {
	VTRAP_BOUNCED = 0,
	VTRAP_NO_HANDLER,
	VTRAP_CRASHED,
};
enum vtrap_result vtrap_bounce(struct domain *d, struct vmm_trap_frame *f, unsigned int trap,
			       uint32_t address, uint32_t status);

/*
 * A system call (SVC in virtual user mode; imm: its immediate, -1 if it
 * could not be read) as C sees it: the fast bounce (vcpu_info.syscall, no
 * frame; what entry.S does without C) for a domain with fast system calls,
 * else the frame bounce. Returns as vtrap_bounce().
 */
enum vtrap_result vtrap_syscall(struct domain *d, struct vmm_trap_frame *f, long imm);

/*
 * `svc #VMM_SYSCALL_RETURN_SVC` as C sees it (the cases entry.S leaves to
 * C: Thumb target, vcpu_info's first word not zero -- upcall pending or
 * masked, or the domain in user mode): in virtual kernel mode, f resumes
 * the user context in vcpu_info.syscall (sp, lr, pc, CPSR sanitised by
 * arch_frame_sanitize) with r0-r12 as they are, in virtual user mode; in
 * virtual user mode it is a system call (vtrap_syscall). Returns as
 * vtrap_syscall (VTRAP_BOUNCED for a return).
 */
enum vtrap_result vtrap_syscall_return(struct domain *d, struct vmm_trap_frame *f);

/* Entry from entry.S for the return's slow cases: current domain; a domain
 * crashed on the way is left for schedule(). */
void vtrap_syscall_return_slow(struct vmm_trap_frame *f);

/*
 * The stack an upcall is pushed on: from virtual user mode the kernel stack
 * (the interrupted frame then carries VMM_PSR_VUSER and d enters kernel
 * mode), else the interrupted sp. 0 if d has no kernel stack.
 */
uint32_t vtrap_upcall_stack(struct domain *d, struct vmm_trap_frame *f);

/* restore_trap_frame's mode rule: virtual user mode iff VMM_PSR_VUSER. */
void vtrap_restore_mode(struct domain *d, const struct vmm_trap_frame *f);

/* The SVC fast path in virtual user mode: every hypercall number lands
 * here; bounces the SVC as a system call and returns the new frame r0. */
long vtrap_user_svc(uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3);

#endif /* VMM_CORE_VTRAP_H */
