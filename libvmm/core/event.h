/*
 * Events: pending bits in the shared-info page and the upcall path that
 * delivers them (thesis 5.2.4). Event channels (evtchn.h) build on event_send().
 */
#ifndef VMM_CORE_EVENT_H
#define VMM_CORE_EVENT_H

#include <stdbool.h>
#include <stdint.h>

#include "vmm/abi.h"

struct domain;

/*
 * Marks `port` pending for d (Xen's two-level scheme): sets the port bit and,
 * unless the port is masked, its selector bit and evtchn_upcall_pending.
 * Wakes d if it is blocked, or if it polls `port` (sched_op poll).
 * Ports >= VMM_NR_EVENT_PORTS are ignored. Event channels (evtchn.h) call
 * it for the port a notification reaches.
 */
void event_send(struct domain *d, unsigned int port);

/*
 * event_send() without the wake-up: true if d must now be woken
 * (schedule_wake() or schedule_wake_switch()), by the caller.
 */
bool event_raise(struct domain *d, unsigned int port);

/*
 * Clears port's mask bit; if the port is pending, raises its selector bit
 * and evtchn_upcall_pending (and wakes a blocked d), so an event that
 * arrived while the port was masked is delivered. port < VMM_NR_EVENT_PORTS.
 */
void event_unmask(struct domain *d, unsigned int port);

/*
 * Called on the way back to the guest when vcpu_info says pending and
 * unmasked: pushes the interrupted frame on the guest stack and redirects
 * `f` to the registered callback (see abi.h). A domain without a callback is
 * left alone; a domain whose stack is unusable is crashed (never returns).
 */
void event_upcall_enter(struct vmm_trap_frame *f);

/* Hypercall handlers (signature of hypercall_table entries). */
long hc_set_callbacks(uint32_t event_address, uint32_t failsafe_address, uint32_t a2, uint32_t a3);
long hc_restore_trap_frame(uint32_t frame_va, uint32_t a1, uint32_t a2, uint32_t a3);

#endif /* VMM_CORE_EVENT_H */
