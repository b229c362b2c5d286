/*
 * Event channels (vmm/event_channel.h): the per-domain port table and the
 * state machine of every port. The hypercall layer (evtchn_hcall.c) copies
 * the guest's struct in and out; the operations here work on hypervisor
 * copies, so the host tests drive them directly.
 *
 * Port table: VMM_NR_EVENT_PORTS (1024) entries of 8 bytes, in buckets of
 * one frame (512 ports on the target) taken from the frame allocator
 * (FRAME_OWNER_HYP, linear window) the first time a port in the bucket is
 * needed. A fixed array would cost every domain 8 KiB inside struct domain
 * (its 16 KiB already hold an 8 KiB stack); most domains use a handful of
 * ports, so they take one frame. Buckets are returned when the domain dies.
 */
#ifndef VMM_CORE_EVTCHN_H
#define VMM_CORE_EVTCHN_H

#include <stdbool.h>
#include <stdint.h>

#include "vmm/abi.h"
#include "vmm/event_channel.h"

struct domain;

enum evtchn_state {
	ECS_FREE = 0,      /* zero: a scrubbed bucket is all free */
	ECS_RESERVED,      /* port 0 */
	ECS_UNBOUND,       /* remote_id may bind to it */
	ECS_INTERDOMAIN,   /* connected to port `num` of remote_id */
	ECS_PIRQ,          /* physical IRQ `num` */
	ECS_VIRQ,          /* virtual IRQ `num` */
	ECS_IPI,           /* the domain's own vCPU */
};

struct evtchn {
	uint8_t state;       /* enum evtchn_state */
	uint8_t remote_slot; /* interdomain: the peer's domain slot (fast lookup) */
	uint16_t num;        /* interdomain: peer port; virq; pirq */
	uint32_t remote_id;  /* unbound: who may connect; interdomain: the peer's id */
};

#define EVTCHN_BUCKET_PORTS (4096u / sizeof(struct evtchn))
#define EVTCHN_NR_BUCKETS ((VMM_NR_EVENT_PORTS + EVTCHN_BUCKET_PORTS - 1) / EVTCHN_BUCKET_PORTS)

/* Largest number of ports one sched_op(poll) may wait for. */
#define EVTCHN_POLL_MAX VMM_SCHED_POLL_MAX

/* Per-domain event-channel state, inside struct domain. */
struct evtchn_table {
	struct evtchn *bucket[EVTCHN_NR_BUCKETS]; /* NULL: not allocated yet */
	uint32_t bucket_mfn[EVTCHN_NR_BUCKETS];
	uint16_t virq_port[VMM_NR_VIRQS];         /* 0: not bound */
	bool polling;                             /* in sched_op(poll) */
	uint8_t poll_nr;                          /* ports in poll_ports (valid while polling) */
	uint16_t poll_ports[VMM_SCHED_POLL_MAX];  /* the ports it polls: a short list, scanned */
};

/* The port's entry, or NULL if port >= 1024 or its bucket does not exist. */
static inline struct evtchn *evtchn_entry(const struct evtchn_table *t, uint32_t port)
{
	struct evtchn *b;

	if (port >= VMM_NR_EVENT_PORTS)
		return (struct evtchn *)0;
	b = t->bucket[port / EVTCHN_BUCKET_PORTS];
	return b ? &b[port % EVTCHN_BUCKET_PORTS] : (struct evtchn *)0;
}

/*
 * The operations. `caller` is the domain making the call (rejections are
 * logged against it). Each returns 0 with the output fields filled, or a
 * negative VMM_E* error as documented in vmm/event_channel.h.
 */
long evtchn_alloc_unbound(struct domain *caller, struct vmm_evtchn_alloc_unbound *op);
long evtchn_bind_interdomain(struct domain *caller, struct vmm_evtchn_bind_interdomain *op);
long evtchn_bind_virq(struct domain *caller, struct vmm_evtchn_bind_virq *op);
long evtchn_bind_pirq(struct domain *caller, struct vmm_evtchn_bind_pirq *op);
long evtchn_bind_ipi(struct domain *caller, struct vmm_evtchn_bind_ipi *op);
long evtchn_close(struct domain *caller, uint32_t port);
long evtchn_send(struct domain *caller, uint32_t port);
long evtchn_status(struct domain *caller, struct vmm_evtchn_status *op);
long evtchn_bind_vcpu(struct domain *caller, const struct vmm_evtchn_bind_vcpu *op);
long evtchn_unmask(struct domain *caller, uint32_t port);

/*
 * evtchn_send() without the wake-up: *wake is the peer that must now be
 * woken (NULL if none), for the caller to wake (the send hypercall:
 * schedule_wake_switch(), which acts on the scheduler's verdict at once).
 */
long evtchn_send_raise(struct domain *caller, uint32_t port, struct domain **wake);

/* Raises VIRQ `virq` in d if d bound it (else the event is dropped). */
void evtchn_send_virq(struct domain *d, unsigned int virq);

/* A physical IRQ bound at `port` of d fired (pirq.c). */
void evtchn_send_pirq(struct domain *d, uint32_t port);

/*
 * A dying domain closes every port (interdomain peers go back to unbound,
 * PIRQs are released) and returns its buckets. Idempotent.
 */
void evtchn_domain_destroy(struct domain *d);

/*
 * sched_op(poll): takes the list of `nr` ports at guest address `ports_va`.
 * Returns 1 if one of them is pending already (do not sleep), 0 if the
 * domain is now marked polling them (the caller blocks it), or a negative
 * error: -VMM_EINVAL nr is 0 or above VMM_SCHED_POLL_MAX, or a port is 0 or
 * >= 1024; -VMM_EFAULT the list is not in the domain's memory.
 */
long evtchn_poll_begin(struct domain *d, uint32_t ports_va, uint32_t nr);

/* Ends a poll: clears the polling state; true if a polled port is pending. */
bool evtchn_poll_end(struct domain *d);

/* True if the notification of `port` must wake d's poll. */
static inline bool evtchn_poll_wakes(const struct evtchn_table *t, unsigned int port)
{
	unsigned int i;

	if (!t->polling)
		return false;
	for (i = 0; i < t->poll_nr; i++)
		if (t->poll_ports[i] == port)
			return true;
	return false;
}

#endif /* VMM_CORE_EVTCHN_H */
