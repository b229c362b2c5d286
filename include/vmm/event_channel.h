/*
 * event_channel_op (hypercall 16): Xen 3.0 event channels.
 *
 *   event_channel_op(cmd, op)    r0 = VMM_EVTCHNOP_*, r1 = guest address of
 *                                the command's struct (in the caller's memory)
 *
 * A port is a small number, local to a domain, naming one channel end.
 * Port 0 is reserved (never allocated, every operation on it fails with
 * -VMM_EINVAL); ports 1 .. VMM_NR_EVENT_PORTS-1 (1023) are handed out lowest
 * first, on demand. Binding a port does not touch its bits in the shared-info
 * page: the guest owns evtchn_mask/evtchn_pending (guest_info.h) and clears
 * a port's bits when it binds or closes it.
 *
 * A channel becomes pending when it is notified: the hypervisor sets the
 * port's bit in evtchn_pending and, unless the port is masked in
 * evtchn_mask, its word's bit in vcpu_info.evtchn_pending_sel and then
 * vcpu_info.evtchn_upcall_pending, in that order (a guest that sees the flag
 * finds the selector, a guest that sees the selector finds the port), and
 * wakes the domain if it is blocked (sched_op block) or polling the port
 * (sched_op poll, abi.h).
 *
 * Errors common to every command: an unknown cmd -VMM_EINVAL; `op` not
 * wholly inside the caller's memory -VMM_EFAULT. Each command lists its
 * others. Output fields are written back only on success. Every refusal
 * also logs one (rate-limited) "[VMM] domN: ..." line.
 *
 * This header is self-standing; docs/abi.md is the reference.
 */
#ifndef VMM_EVENT_CHANNEL_H
#define VMM_EVENT_CHANNEL_H

#include <stdint.h>

#include "vmm/abi.h"

/* In a `dom`/`remote_dom` field: the calling domain. */
#define VMM_DOMID_SELF 0x7FF0u

/* ---------------------------------------------------------------------------
 * Virtual IRQs: events the hypervisor raises. A VIRQ fires only while the
 * domain has bound it (bind_virq) to a port; unbound, it is dropped.
 */
#define VMM_VIRQ_TIMER     0  /* the set_timer_op deadline passed */
#define VMM_VIRQ_DEBUG     1  /* reserved for a debug key; never raised today */
#define VMM_VIRQ_CONSOLE   2  /* UART input waits (the foreground domain only) */
#define VMM_VIRQ_DOM_EXC   3  /* reserved: domain exceptions (domain-control issue) */
#define VMM_NR_VIRQS       4

/* Physical IRQs: numbers are the board's interrupt numbers (vmm/port.h). */
#define VMM_NR_PIRQS       1024

/* The only vCPU of a domain. */
#define VMM_EVTCHN_VCPU0   0

#define VMM_EVTCHNOP_bind_interdomain 0
#define VMM_EVTCHNOP_bind_virq        1
#define VMM_EVTCHNOP_bind_pirq        2
#define VMM_EVTCHNOP_close            3
#define VMM_EVTCHNOP_send             4
#define VMM_EVTCHNOP_status           5
#define VMM_EVTCHNOP_alloc_unbound    6
#define VMM_EVTCHNOP_bind_ipi         7
#define VMM_EVTCHNOP_bind_vcpu        8
#define VMM_EVTCHNOP_unmask           9

/*
 * alloc_unbound: allocates a port in `dom` that `remote_dom` may later
 * connect to with bind_interdomain.
 *   dom        in: VMM_DOMID_SELF or the caller's id; another domain only
 *              for a privileged caller (-VMM_EPERM otherwise)
 *   remote_dom in: the domain allowed to connect (VMM_DOMID_SELF: the caller)
 *   port       out: the new port
 * Errors: -VMM_ESRCH dom or remote_dom is not a live domain; -VMM_EPERM the
 * access policy keeps dom and remote_dom apart; -VMM_ENOSPC all 1023 ports
 * of dom are in use; -VMM_ENOMEM no hypervisor memory for the port table.
 */
struct vmm_evtchn_alloc_unbound {
	uint32_t dom;
	uint32_t remote_dom;
	uint32_t port;
};

/*
 * bind_interdomain: connects a new local port with remote_port of
 * remote_dom, which must be unbound and allocated for the caller.
 *   remote_dom  in: the peer (VMM_DOMID_SELF: a loop-back channel)
 *   remote_port in: the peer's unbound port
 *   local_port  out: the caller's new port
 * The new local port starts pending (as in Xen): notifications the peer
 * sent while its end was unbound were dropped, so the caller looks once.
 * Errors: -VMM_ESRCH remote_dom is not live; -VMM_EINVAL remote_port is 0,
 * >= 1024, or not unbound for the caller; -VMM_EPERM the policy refuses the
 * pair; -VMM_ENOSPC / -VMM_ENOMEM as alloc_unbound.
 */
struct vmm_evtchn_bind_interdomain {
	uint32_t remote_dom;
	uint32_t remote_port;
	uint32_t local_port;
};

/*
 * bind_virq: binds VIRQ `virq` of vCPU `vcpu` to a new port.
 *   virq in: VMM_VIRQ_*; vcpu in: must be 0; port out
 * Errors: -VMM_EINVAL virq >= VMM_NR_VIRQS or vcpu != 0; -VMM_EEXIST virq is
 * already bound; -VMM_ENOSPC / -VMM_ENOMEM as alloc_unbound.
 */
struct vmm_evtchn_bind_virq {
	uint32_t virq;
	uint32_t vcpu;
	uint32_t port;
};

/*
 * bind_pirq: binds physical interrupt `pirq` to a new port and enables it.
 * Only the domain the image config assigns the interrupt to may bind it.
 * Each time it fires the interrupt is disabled and the port notified; the
 * guest re-enables it with physdev_op(EOI) (vmm/physdev.h) once its device
 * is quiet, so a level-triggered source cannot storm.
 *   pirq in; flags in: must be 0 (no sharing); port out
 * Errors: -VMM_EINVAL pirq >= VMM_NR_PIRQS or flags != 0; -VMM_EPERM the
 * interrupt is not assigned to the caller; -VMM_EEXIST already bound;
 * -VMM_ENOSPC / -VMM_ENOMEM as alloc_unbound.
 */
struct vmm_evtchn_bind_pirq {
	uint32_t pirq;
	uint32_t flags;
	uint32_t port;
};

/*
 * bind_ipi: a port the domain notifies itself with send (one vCPU: the
 * notification reaches the same vCPU).
 *   vcpu in: must be 0; port out
 * Errors: -VMM_EINVAL vcpu != 0; -VMM_ENOSPC / -VMM_ENOMEM.
 */
struct vmm_evtchn_bind_ipi {
	uint32_t vcpu;
	uint32_t port;
};

/*
 * close: frees `port`. An interdomain peer goes back to unbound (allocated
 * for the closing domain, which may bind to it again); a VIRQ or PIRQ is
 * unbound (a PIRQ is disabled). Pending bits in the shared-info page are left
 * for the guest to clear.
 * Errors: -VMM_EINVAL port is 0, >= 1024 or not in use.
 */
struct vmm_evtchn_close {
	uint32_t port;
};

/*
 * send: notifies the other end of an interdomain channel, or the caller's
 * own IPI port. Sending on an unbound port does nothing and returns 0.
 * Errors: -VMM_EINVAL port is 0, >= 1024, free, or a VIRQ/PIRQ port;
 * -VMM_EPERM the policy refuses the pair (checked on every send).
 */
struct vmm_evtchn_send {
	uint32_t port;
};

/*
 * status: describes `port` of `dom`.
 *   dom in: VMM_DOMID_SELF or the caller's id; others only when privileged
 *   port in; status out: VMM_EVTCHNSTAT_*; vcpu out: 0
 *   u out: unbound: the domain allowed to connect; interdomain: the peer
 *   and its port; pirq/virq: the number
 * Errors: -VMM_EPERM another domain, unprivileged; -VMM_ESRCH dom not live;
 * -VMM_EINVAL port >= 1024 (port 0 and free ports report closed).
 */
#define VMM_EVTCHNSTAT_closed       0  /* free (or the reserved port 0) */
#define VMM_EVTCHNSTAT_unbound      1  /* waiting for bind_interdomain */
#define VMM_EVTCHNSTAT_interdomain  2  /* connected to another port */
#define VMM_EVTCHNSTAT_pirq         3  /* bound to a physical IRQ */
#define VMM_EVTCHNSTAT_virq         4  /* bound to a virtual IRQ */
#define VMM_EVTCHNSTAT_ipi          5  /* bound to the own vCPU */

struct vmm_evtchn_status {
	uint32_t dom;
	uint32_t port;
	uint32_t status;
	uint32_t vcpu;
	union {
		struct {
			uint32_t dom;
		} unbound;
		struct {
			uint32_t dom;
			uint32_t port;
		} interdomain;
		uint32_t pirq;
		uint32_t virq;
	} u;
};

/*
 * bind_vcpu: sends `port`'s notifications to `vcpu`. With one vCPU per
 * domain only vcpu 0 exists, so the call only validates.
 * Errors: -VMM_EINVAL port 0, >= 1024, or free, or vcpu != 0, or a port
 * whose vCPU is fixed (a per-vCPU VIRQ: timer; an IPI).
 */
struct vmm_evtchn_bind_vcpu {
	uint32_t port;
	uint32_t vcpu;
};

/*
 * unmask: clears the port's bit in evtchn_mask; if the port is pending, sets
 * its selector bit and evtchn_upcall_pending (the event that arrived masked
 * is delivered now) and wakes the domain if it is blocked.
 * Errors: -VMM_EINVAL port 0 or >= 1024.
 */
struct vmm_evtchn_unmask {
	uint32_t port;
};

#endif /* VMM_EVENT_CHANNEL_H */
