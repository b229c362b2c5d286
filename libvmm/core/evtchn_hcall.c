/*
 * event_channel_op (hypercall 16): copies the command's struct in from the
 * caller, runs the operation (evtchn.c) and copies the result back.
 */
#include <string.h>

#include "cold.h"
#include "domain.h"
#include "evtchn.h"
#include "evtchn_hcall.h"
#include "guest_access.h"
#include "log.h"
#include "schedule.h"

/* Room for the largest command struct. */
union evtchn_op_buf {
	struct vmm_evtchn_alloc_unbound alloc_unbound;
	struct vmm_evtchn_bind_interdomain bind_interdomain;
	struct vmm_evtchn_bind_virq bind_virq;
	struct vmm_evtchn_bind_pirq bind_pirq;
	struct vmm_evtchn_bind_ipi bind_ipi;
	struct vmm_evtchn_close close;
	struct vmm_evtchn_send send;
	struct vmm_evtchn_status status;
	struct vmm_evtchn_bind_vcpu bind_vcpu;
	struct vmm_evtchn_unmask unmask;
};

static const uint8_t evtchn_op_size[] = {
	[VMM_EVTCHNOP_bind_interdomain] = sizeof(struct vmm_evtchn_bind_interdomain),
	[VMM_EVTCHNOP_bind_virq] = sizeof(struct vmm_evtchn_bind_virq),
	[VMM_EVTCHNOP_bind_pirq] = sizeof(struct vmm_evtchn_bind_pirq),
	[VMM_EVTCHNOP_close] = sizeof(struct vmm_evtchn_close),
	[VMM_EVTCHNOP_send] = sizeof(struct vmm_evtchn_send),
	[VMM_EVTCHNOP_status] = sizeof(struct vmm_evtchn_status),
	[VMM_EVTCHNOP_alloc_unbound] = sizeof(struct vmm_evtchn_alloc_unbound),
	[VMM_EVTCHNOP_bind_ipi] = sizeof(struct vmm_evtchn_bind_ipi),
	[VMM_EVTCHNOP_bind_vcpu] = sizeof(struct vmm_evtchn_bind_vcpu),
	[VMM_EVTCHNOP_unmask] = sizeof(struct vmm_evtchn_unmask),
};

/* Runs one command on the copy `op`. */
static VMM_COLD long evtchn_run(struct domain *d, uint32_t cmd, union evtchn_op_buf *op)
{
	switch (cmd) {
	case VMM_EVTCHNOP_alloc_unbound:
		return evtchn_alloc_unbound(d, &op->alloc_unbound);
	case VMM_EVTCHNOP_bind_interdomain:
		return evtchn_bind_interdomain(d, &op->bind_interdomain);
	case VMM_EVTCHNOP_bind_virq:
		return evtchn_bind_virq(d, &op->bind_virq);
	case VMM_EVTCHNOP_bind_pirq:
		return evtchn_bind_pirq(d, &op->bind_pirq);
	case VMM_EVTCHNOP_bind_ipi:
		return evtchn_bind_ipi(d, &op->bind_ipi);
	case VMM_EVTCHNOP_close:
		return evtchn_close(d, op->close.port);
	case VMM_EVTCHNOP_status:
		return evtchn_status(d, &op->status);
	case VMM_EVTCHNOP_bind_vcpu:
		return evtchn_bind_vcpu(d, &op->bind_vcpu);
	case VMM_EVTCHNOP_unmask:
		return evtchn_unmask(d, op->unmask.port);
	default: /* not reached: hc_event_channel_op() checked cmd */
		return -VMM_EINVAL;
	}
}

long hc_event_channel_op(uint32_t cmd, uint32_t arg, uint32_t a2, uint32_t a3)
{
	struct domain *d = current, *wake;
	union evtchn_op_buf op;
	uint32_t size;
	long rc;

	(void)a2;
	(void)a3;
	if (cmd == VMM_EVTCHNOP_send) { /* the hot path: 4 bytes in, nothing out */
		if (guest_read_u32(d, arg, &op.send.port) != 0)
			return vmm_reject(d->id, &d->rejections_logged, -VMM_EFAULT,
					  "event_channel_op send: argument 0x%08x outside domain memory", (unsigned)arg);
		rc = evtchn_send_raise(d, op.send.port, &wake);
		/* The peer woke: if BVT says it preempts us (or that our slice
		 * must end earlier), decide now, not at the next interrupt
		 * (docs/scheduling.md "Wake-up"). Here rather than on the
		 * common exit path, which the null hypercall takes. */
		if (wake)
			schedule_wake_switch(wake);
		return rc;
	}
	if (cmd >= sizeof(evtchn_op_size) / sizeof(evtchn_op_size[0]))
		return vmm_reject(d->id, &d->rejections_logged, -VMM_EINVAL,
				  "event_channel_op: unknown command %u", (unsigned)cmd);
	size = evtchn_op_size[cmd];
	memset(&op, 0, sizeof(op));
	if (guest_copy_from(d, &op, arg, size) != 0)
		return vmm_reject(d->id, &d->rejections_logged, -VMM_EFAULT,
				  "event_channel_op %u: argument 0x%08x+%u outside domain memory",
				  (unsigned)cmd, (unsigned)arg, (unsigned)size);
	/* The result goes back to the same place: refuse now, before any port changes. */
	if (!guest_range_writable(d, arg, size))
		return vmm_reject(d->id, &d->rejections_logged, -VMM_EFAULT,
				  "event_channel_op %u: argument 0x%08x is in a page table", (unsigned)cmd, (unsigned)arg);
	rc = evtchn_run(d, cmd, &op);
	if (rc == 0)
		guest_copy_to(d, arg, &op, size); /* checked writable above */
	/* The other commands only raise the caller's own ports (bind_interdomain,
	 * unmask), and the caller is running, not blocked: no wake-up. Checked
	 * anyway, so that a wake-up added to one of them is honoured at once. */
	schedule_if_needed();
	return rc;
}
