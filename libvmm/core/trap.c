/*
 * C side of the trap paths (entry.S): interrupts and guest faults.
 */
#include "arch.h"
#include "cold.h"
#include "console.h"
#include "domain.h"
#include "event.h"
#include "evtchn.h"
#include "log.h"
#include "pirq.h"
#include "schedule.h"
#include "trap.h"
#include "vcpu_state.h"
#include "vtrap.h"
#include "vmm/port.h"

/* Trap kinds passed by entry.S. */
enum trap_kind {
	TRAP_DATA_ABORT = 0,
	TRAP_PREFETCH_ABORT = 1,
	TRAP_UNDEFINED = 2,
	TRAP_UNEXPECTED = 3,
};

static void irq_console_input(void)
{
	struct domain *fg;
	bool got = false;
	int c;

	/* One interrupt line for both directions: refill the transmit FIFO,
	 * then empty the receive FIFO completely (it holds only 16-32 bytes). */
	console_tx_kick();
	while ((c = vmm_port_console_getc()) >= 0) {
		console_rx_push((char)c);
		got = true;
	}
	fg = domain_find(console_foreground());
	if (got && fg)
		evtchn_send_virq(fg, VMM_VIRQ_CONSOLE);
}

/* Who handled an acknowledged interrupt (irq_dispatch()). */
enum irq_owner {
	IRQ_UNOWNED = 0,   /* nobody: disabled and logged */
	IRQ_LIBVMM,        /* libvmm's timer/console, or the board's own device */
	IRQ_GUEST,         /* a domain's physical IRQ: disabled until its EOI */
};

/*
 * Runs the handler of one acknowledged interrupt: libvmm's own two (timer,
 * console input) first, then the physical IRQs given to domains, then the
 * board's. The timer and console numbers are checked before the others, so
 * neither a BSP nor a config can take them over by mistake (see
 * vmm_port_irq_handle(); config_check_pirqs() refuses them too, and the
 * lines the board lists as its own in vmm_board.board_irqs).
 */
static enum irq_owner irq_dispatch(unsigned int irq)
{
	if (irq == vmm_port_timer_irq()) {
		(void)schedule_timer_interrupt();
		return IRQ_LIBVMM;
	}
	if (irq == vmm_port_console_irq()) {
		irq_console_input();
		return IRQ_LIBVMM;
	}
	if (pirq_fire(irq))
		return IRQ_GUEST;
	return vmm_port_irq_handle(irq) ? IRQ_LIBVMM : IRQ_UNOWNED;
}

/* Runs the handler of one acknowledged interrupt and ends its claim. */
static inline void irq_handle(unsigned int irq)
{
	enum irq_owner owner = irq_dispatch(irq);

	vmm_port_irq_eoi(irq);
	/*
	 * Disabled after the EOI, not before: a controller without EOI
	 * registers unmasks in vmm_port_irq_eoi() (mask on ack), which would
	 * otherwise undo the disable and let the line storm. An unowned
	 * source is logged once: it stays disabled. A guest's stays disabled
	 * until the guest's physdev_op(eoi).
	 */
	if (owner == IRQ_GUEST) {
		vmm_port_irq_disable(irq);
	} else if (owner == IRQ_UNOWNED) {
		vmm_log("unexpected interrupt %u disabled", irq);
		vmm_port_irq_disable(irq);
	}
}

void irq_poll(void)
{
	int irq;

	while ((irq = vmm_port_irq_ack()) >= 0)
		irq_handle((unsigned int)irq);
}

/*
 * The IRQ exception: one interrupt per entry. Another one pending takes the
 * exception again as soon as the domain runs (interrupts are unmasked in
 * USR mode), so the common case -- the timer alone -- acknowledges once
 * instead of twice (the second acknowledge would only return "none").
 */
void vmm_irq_entry(struct vmm_trap_frame *f)
{
	int irq = vmm_port_irq_ack();

	(void)f;
	/* The timer first, in straight-line code. schedule_timer_interrupt()
	 * decides whenever a switch is due (the slice's end, or one a
	 * wake-up asked for earlier): when it says none, there is nothing
	 * for schedule_if_needed() to do. */
	if (irq == (int)vmm_port_timer_irq()) {
		bool decided = schedule_timer_interrupt();

		vmm_port_irq_eoi((unsigned int)irq);
		if (decided)
			schedule_if_needed();
		return;
	}
	if (irq >= 0)
		irq_handle((unsigned int)irq);
	schedule_if_needed();
}

static const char *const trap_names[] = {
	[TRAP_DATA_ABORT] = "data abort",
	[TRAP_PREFETCH_ABORT] = "prefetch abort",
	[TRAP_UNDEFINED] = "undefined instruction",
	[TRAP_UNEXPECTED] = "unexpected exception",
};

static void trap_panic(const struct vmm_trap_frame *f, const char *what, uint32_t addr, uint32_t status)
{
	unsigned int i;

	vmm_log("PANIC: %s in the hypervisor at pc 0x%08x (address 0x%08x, status 0x%x)",
		what, (unsigned)f->pc, (unsigned)addr, (unsigned)status);
	for (i = 0; i < 12; i += 4)
		vmm_log("  r%u-r%u: %08x %08x %08x %08x", i, i + 3, (unsigned)f->r[i],
			(unsigned)f->r[i + 1], (unsigned)f->r[i + 2], (unsigned)f->r[i + 3]);
	vmm_log("  r12 %08x sp %08x lr %08x cpsr %08x", (unsigned)f->r[12], (unsigned)f->sp,
		(unsigned)f->lr, (unsigned)f->cpsr);
	schedule_poweroff(2);
}

static uint32_t hyp_async_aborts;

uint32_t trap_hyp_async_aborts(void)
{
	return hyp_async_aborts;
}

VMM_COLD void vmm_trap_hyp_data_abort(struct vmm_trap_frame *f)
{
	uint32_t addr, status;

	arch_fault_info(TRAP_DATA_ABORT, &addr, &status);
	if (!arch_dfsr_async(status)) {
		trap_panic(f, trap_names[TRAP_DATA_ABORT], addr, status);
		return;
	}
	if (hyp_async_aborts++ < TRAP_ASYNC_LOG_LIMIT)
		vmm_log_now("asynchronous abort (status 0x%x) while the hypervisor ran at pc 0x%08x: resumed%s",
			    (unsigned)status, (unsigned)f->pc,
			    hyp_async_aborts == TRAP_ASYNC_LOG_LIMIT ? "; further ones are only counted" : "");
}

/* Hands a guest fault to the guest kernel's handler for it, if any. */
static enum vtrap_result trap_bounce(struct vmm_trap_frame *f, int kind, uint32_t addr, uint32_t status)
{
	switch (kind) {
	case TRAP_DATA_ABORT:
		return vtrap_bounce(current, f, VMM_TRAP_data_abort, addr, status);
	case TRAP_PREFETCH_ABORT:
		return vtrap_bounce(current, f, VMM_TRAP_prefetch_abort, addr, status);
	case TRAP_UNDEFINED:
		return vtrap_bounce(current, f, VMM_TRAP_undefined, addr, 0);
	default:
		return VTRAP_NO_HANDLER; /* an exception libvmm gives no guest */
	}
}

void vmm_trap_fault(struct vmm_trap_frame *f, int kind)
{
	const char *what = (kind >= 0 && kind <= TRAP_UNEXPECTED) ? trap_names[kind] : "trap";
	uint32_t addr = 0, status = 0;

	/* Lazy VFP: a domain's first FPU instruction since its switch-in. */
	if (kind == TRAP_UNDEFINED && current && arch_frame_from_guest(f) && vcpu_vfp_trap(current, f))
		return;
	arch_fault_info(kind, &addr, &status);
	if (!arch_frame_from_guest(f) || !current)
		trap_panic(f, what, addr, status);
	if (kind == TRAP_UNDEFINED) {
		arch_frame_retry_undef(f); /* pc: the instruction itself */
		addr = f->pc;
	}
	switch (trap_bounce(f, kind, addr, status)) {
	case VTRAP_BOUNCED:
		return;
	case VTRAP_CRASHED:
		schedule();
		return; /* not reached */
	default:
		break;
	}
	vmm_log("dom%u: %s at 0x%08x (status 0x%x), pc 0x%08x; domain crashed",
		(unsigned)current->id, what, (unsigned)addr, (unsigned)status, (unsigned)f->pc);
	domain_kill(current, VMM_SHUTDOWN_crash);
	schedule();
}
