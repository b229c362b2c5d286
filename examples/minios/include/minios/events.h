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
