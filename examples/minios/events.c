/*
 * libvmm Mini-OS: event ports and the upcall handler.
 *
 * Xen's 2-level scheme on the shared-info page:
 *   vcpu_info.evtchn_upcall_pending  "something is pending" (byte)
 *   vcpu_info.evtchn_pending_sel     bit i: look at evtchn_pending[i]
 *   evtchn_pending[32], evtchn_mask[32]  one bit per port
 */
#include <stddef.h>
#include <stdint.h>

#include <minios/os.h>
#include <minios/console.h>
#include <minios/events.h>
#include <minios/sched.h>

/* upcall.S and switch.S hard-code these. */
_Static_assert(VMM_HYPERCALL_SVC == 0x82, "svc immediate");
_Static_assert(VMM_HC_restore_trap_frame == 23, "restore_trap_frame number");
_Static_assert(sizeof(struct vmm_trap_frame) == VMM_TRAP_FRAME_SIZE, "frame size");
_Static_assert(VMM_TRAP_FRAME_SIZE == 68, "frame size");
_Static_assert(offsetof(struct vmm_trap_frame, sp) == 52, "frame.sp");
_Static_assert(offsetof(struct vmm_trap_frame, lr) == 56, "frame.lr");
_Static_assert(offsetof(struct vmm_trap_frame, pc) == 60, "frame.pc");
_Static_assert(offsetof(struct vmm_trap_frame, cpsr) == 64, "frame.cpsr");
_Static_assert(VMM_NR_EVENT_PORTS == 32 * 32, "2-level event bitmap");

static evtchn_handler_t handlers[VMM_NR_EVENT_PORTS];
static volatile int upcall_depth;
static unsigned long unbound_events;

int in_upcall(void)
{
	return upcall_depth != 0;
}

static inline void port_bit_set(volatile uint32_t *word, unsigned int bit)
{
	__atomic_fetch_or((uint32_t *)word, 1u << bit, __ATOMIC_SEQ_CST);
}

static inline void port_bit_clear(volatile uint32_t *word, unsigned int bit)
{
	__atomic_fetch_and((uint32_t *)word, ~(1u << bit), __ATOMIC_SEQ_CST);
}

void mask_port(unsigned int port)
{
	if (port >= VMM_NR_EVENT_PORTS)
		return;
	port_bit_set(&HYPERVISOR_shared_info->evtchn_mask[port / 32], port % 32);
}

void clear_port(unsigned int port)
{
	if (port >= VMM_NR_EVENT_PORTS)
		return;
	port_bit_clear(&HYPERVISOR_shared_info->evtchn_pending[port / 32], port % 32);
}

void unmask_port(unsigned int port)
{
	struct vmm_shared_info *s = HYPERVISOR_shared_info;
	struct vmm_vcpu_info *v = &s->vcpu_info;
	unsigned int w = port / 32, b = port % 32;

	if (port >= VMM_NR_EVENT_PORTS)
		return;
	port_bit_clear(&s->evtchn_mask[w], b);
	/*
	 * As in Xen: an event that arrived while the port was masked set only
	 * its pending bit, so re-raise it now through the selector.
	 */
	if (__atomic_load_n(&s->evtchn_pending[w], __ATOMIC_SEQ_CST) & (1u << b)) {
		__atomic_fetch_or(&v->evtchn_pending_sel, 1u << w, __ATOMIC_SEQ_CST);
		*(volatile uint8_t *)&v->evtchn_upcall_pending = 1;
		barrier();
		if (!*(volatile uint8_t *)&v->evtchn_upcall_mask)
			force_evtchn_callback();
	}
}

int bind_port(unsigned int port, evtchn_handler_t handler)
{
	if (port >= VMM_NR_EVENT_PORTS || handler == NULL)
		return -VMM_EINVAL;
	if (handlers[port] != NULL && handlers[port] != handler)
		printk("WARN: port %u bound twice, replacing the handler\n", port);
	handlers[port] = handler;
	barrier();
	unmask_port(port);
	return 0;
}

void unbind_port(unsigned int port)
{
	if (port >= VMM_NR_EVENT_PORTS)
		return;
	mask_port(port);
	handlers[port] = NULL;
	clear_port(port);
}

long bind_virq(uint32_t virq, evtchn_handler_t handler)
{
	struct vmm_evtchn_bind_virq op = {.virq = virq, .vcpu = 0};
	long rc = HYPERVISOR_event_channel_op(VMM_EVTCHNOP_bind_virq, &op);

	if (rc < 0)
		return rc;
	clear_port(op.port);
	return bind_port(op.port, handler) < 0 ? -VMM_EINVAL : (long)op.port;
}

long evtchn_alloc_unbound(uint32_t remote_dom, evtchn_handler_t handler)
{
	struct vmm_evtchn_alloc_unbound op = {.dom = VMM_DOMID_SELF, .remote_dom = remote_dom};
	long rc = HYPERVISOR_event_channel_op(VMM_EVTCHNOP_alloc_unbound, &op);

	if (rc < 0)
		return rc;
	clear_port(op.port);
	return bind_port(op.port, handler) < 0 ? -VMM_EINVAL : (long)op.port;
}

long bind_interdomain(uint32_t remote_dom, uint32_t remote_port, evtchn_handler_t handler)
{
	struct vmm_evtchn_bind_interdomain op = {.remote_dom = remote_dom, .remote_port = remote_port};
	long rc = HYPERVISOR_event_channel_op(VMM_EVTCHNOP_bind_interdomain, &op);

	if (rc < 0)
		return rc;
	/* The new port starts pending (Xen): the handler runs once on unmask. */
	return bind_port(op.local_port, handler) < 0 ? -VMM_EINVAL : (long)op.local_port;
}

long bind_ipi(evtchn_handler_t handler)
{
	struct vmm_evtchn_bind_ipi op = {.vcpu = 0};
	long rc = HYPERVISOR_event_channel_op(VMM_EVTCHNOP_bind_ipi, &op);

	if (rc < 0)
		return rc;
	clear_port(op.port);
	return bind_port(op.port, handler) < 0 ? -VMM_EINVAL : (long)op.port;
}

long bind_pirq(uint32_t pirq, evtchn_handler_t handler)
{
	struct vmm_evtchn_bind_pirq op = {.pirq = pirq, .flags = 0};
	long rc = HYPERVISOR_event_channel_op(VMM_EVTCHNOP_bind_pirq, &op);

	if (rc < 0)
		return rc;
	clear_port(op.port);
	return bind_port(op.port, handler) < 0 ? -VMM_EINVAL : (long)op.port;
}

long notify_remote_via_evtchn(unsigned int port)
{
	struct vmm_evtchn_send op = {.port = port};

	return HYPERVISOR_event_channel_op(VMM_EVTCHNOP_send, &op);
}

long unbind_evtchn(unsigned int port)
{
	struct vmm_evtchn_close op = {.port = port};

	unbind_port(port);
	return HYPERVISOR_event_channel_op(VMM_EVTCHNOP_close, &op);
}

long evtchn_poll(const uint32_t *ports, unsigned int n, uint64_t timeout)
{
	struct vmm_sched_poll op = {.ports = (uint32_t)(uintptr_t)ports, .nr_ports = n, .timeout = timeout};

	return HYPERVISOR_poll(&op);
}

static void do_events(struct vmm_trap_frame *f)
{
	struct vmm_shared_info *s = HYPERVISOR_shared_info;
	struct vmm_vcpu_info *v = &s->vcpu_info;
	uint32_t l1, l2;

	/* Clear the summary flag first, then collect the selector: an event
	 * that arrives after the exchange sets both again and the hypervisor
	 * re-enters the upcall when we restore the frame. */
	*(volatile uint8_t *)&v->evtchn_upcall_pending = 0;
	mb();
	l1 = __atomic_exchange_n(&v->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);

	while (l1 != 0) {
		unsigned int i = (unsigned int)__builtin_ctz(l1);

		l1 &= l1 - 1;
		l2 = __atomic_load_n(&s->evtchn_pending[i], __ATOMIC_SEQ_CST) &
		     ~__atomic_load_n(&s->evtchn_mask[i], __ATOMIC_SEQ_CST);
		while (l2 != 0) {
			unsigned int j = (unsigned int)__builtin_ctz(l2);
			unsigned int port = i * 32 + j;
			evtchn_handler_t h;

			l2 &= l2 - 1;
			/* Clear before handling: a new event during the handler
			 * is not lost. */
			port_bit_clear(&s->evtchn_pending[i], j);
			h = handlers[port];
			if (h != NULL)
				h(port, f);
			else if (unbound_events++ < 4)
				printk("WARN: event on unbound port %u\n", port);
		}
	}
}

void minios_do_upcall(struct vmm_trap_frame *f, struct minios_fpstate *fp)
{
	upcall_depth++;
	do_events(f);
	if (sched_running())
		sched_upcall(f, fp);
	upcall_depth--;
}

/* Called from upcall.S / switch.S when restore_trap_frame fails. */
void minios_restore_failed(long err, struct vmm_trap_frame *f)
	__attribute__((noreturn));
void minios_restore_failed(long err, struct vmm_trap_frame *f)
{
	minios_panic("restore_trap_frame(0x%08lx) failed: %ld\n",
		     (unsigned long)(uintptr_t)f, err);
}

void init_events(void)
{
	struct vmm_shared_info *s = HYPERVISOR_shared_info;
	long rc;
	unsigned int i;

	/* Events stay masked (vcpu mask = 1 since boot) until the idle thread
	 * starts. Mask every port; bind_port() unmasks the ones we handle. */
	for (i = 0; i < 32; i++)
		__atomic_store_n(&s->evtchn_mask[i], 0xffffffffu, __ATOMIC_SEQ_CST);

	rc = HYPERVISOR_set_callbacks(minios_upcall_entry, NULL);
	if (rc < 0)
		minios_panic("set_callbacks failed: %ld\n", rc);
}
