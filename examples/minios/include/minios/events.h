/* libvmm Mini-OS: event ports and the upcall (Xen 2-level scheme). */
#ifndef MINIOS_EVENTS_H
#define MINIOS_EVENTS_H

#include <vmm/abi.h>

struct minios_fpstate; /* minios/sched.h */

typedef void (*evtchn_handler_t)(unsigned int port, struct vmm_trap_frame *f);

/*
 * Installs handler for port (replacing any) and unmasks the port.
 * Handlers run in upcall context: events masked, on the interrupted thread's
 * stack; they must not sleep, schedule() or malloc. They may wake threads.
 * Returns 0, or -VMM_EINVAL for a bad port.
 */
int bind_port(unsigned int port, evtchn_handler_t handler);
void unbind_port(unsigned int port);

/*
 * Event channels (vmm/event_channel.h) with a handler each. Every call
 * returns the new local port (handler installed, port unmasked) or a
 * negative VMM_E* error from the hypervisor.
 */
long bind_virq(uint32_t virq, evtchn_handler_t handler);
long evtchn_alloc_unbound(uint32_t remote_dom, evtchn_handler_t handler);
long bind_interdomain(uint32_t remote_dom, uint32_t remote_port, evtchn_handler_t handler);
long bind_ipi(evtchn_handler_t handler);
long bind_pirq(uint32_t pirq, evtchn_handler_t handler);
/* Notifies the other end of `port` (interdomain or IPI). 0 or an error. */
long notify_remote_via_evtchn(unsigned int port);
/* Masks, forgets the handler, clears the pending bit and closes the port. */
long unbind_evtchn(unsigned int port);
/* Waits for one of ports[0..n) to be pending, until system time `timeout`
 * (0: forever). 0, -VMM_ETIMEDOUT or an error (sched_op poll). */
long evtchn_poll(const uint32_t *ports, unsigned int n, uint64_t timeout);

void mask_port(unsigned int port);
void unmask_port(unsigned int port);   /* re-raises the port if it is pending */
void clear_port(unsigned int port);    /* drops a pending event */

/* Non-zero while the upcall handler runs. */
int in_upcall(void);

/* Registers minios_upcall_entry with set_callbacks; masks every port. */
void init_events(void);

/* upcall.S entry point and the C handler it calls. */
void minios_upcall_entry(void);
void minios_do_upcall(struct vmm_trap_frame *f, struct minios_fpstate *fp);

#endif /* MINIOS_EVENTS_H */
