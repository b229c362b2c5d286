/*
 * Hypercall dispatch. The table is indexed by the number in r7 (the
 * assembly fast path clamps it to VMM_HC_COUNT, whose entry rejects), and
 * every entry is a handler taking the guest's r0-r3. A handler that needs r4
 * or the whole context reads current->frame.
 */
#ifndef VMM_CORE_HYPERCALL_H
#define VMM_CORE_HYPERCALL_H

#include <stdint.h>

#include "reject.h"
#include "vmm/abi.h"

struct domain;

typedef long (*hypercall_fn)(uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3);

/* Entries 0..VMM_HC_COUNT: by hypercall number; entry VMM_HC_COUNT + 1:
 * where other SVCs go in the table's mode (core/arch.h, entry.S). */
extern const hypercall_fn hypercall_table[VMM_HC_COUNT + 2];
/* The fast path's tables in virtual user mode: every entry bounces the SVC
 * to the guest kernel as a system call (core/vtrap.c); in the second (a
 * domain with fast system calls) other SVCs take the assembly bounce. */
extern const hypercall_fn hypercall_user_table[VMM_HC_COUNT + 2];
extern const hypercall_fn hypercall_user_fast_table[VMM_HC_COUNT + 2];

/* hypercall 0: set_trap_table(table, flags) (vmm/abi.h). */
long hc_set_trap_table(uint32_t table, uint32_t flags, uint32_t a2, uint32_t a3);

/* Runs hypercall number `nr` for the current domain (bounds-checked). */
long hypercall_dispatch(uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3);

/*
 * Entry from the trap path for SVCs the fast path does not take (Thumb state,
 * conditional or other immediates): decodes the SVC, runs the hypercall and
 * writes the result into frame r0.
 */
void hypercall_slow(struct vmm_trap_frame *f);

/* Handlers implemented in hypercall.c. */
long hc_xen_version(uint32_t cmd, uint32_t arg, uint32_t a2, uint32_t a3);
long hc_console_io(uint32_t cmd, uint32_t count, uint32_t buf, uint32_t a3);
long hc_set_foreground_domain(uint32_t domid, uint32_t a1, uint32_t a2, uint32_t a3);

#endif /* VMM_CORE_HYPERCALL_H */
