/*
 * Event delivery and the upcall path (see event.h).
 */
#include "event.h"

#include "arch.h"
#include "cold.h"
#include "domain.h"
#include "reject.h"
#include "guest_access.h"
#include "log.h"
#include "schedule.h"
#include "time.h"
#include "vtrap.h"

/*
 * Sets a bit in the shared-info page and says whether it was set already.
 * A plain read-modify-write, no exclusive access or barrier: the hypervisor
 * runs on one core with interrupts masked, so the guest (which updates the
 * same words with its own exclusives) cannot run until this returns, and
 * the exception return orders the stores before any guest access.
 */
static int bit_test_and_set(volatile uint32_t *word, unsigned int bit)
{
	uint32_t mask = 1u << bit, old = *word;

	*word = old | mask;
	return (old & mask) != 0;
}

/*
 * The order loses no event: the port bit first (the guest's scan finds it),
 * then, for an unmasked port, the selector bit, then the upcall flag (a
 * guest that clears the flag and then swaps the selector out sees either
 * the selector bit or the flag set again). A port that was already pending
 * has already been signalled (or is masked): nothing more to do.
 */
bool event_raise(struct domain *d, unsigned int port)
{
	struct vmm_shared_info *s = d->shared;
	unsigned int word = port / 32, bit = port % 32;
	bool blocked;

	if (port >= VMM_NR_EVENT_PORTS || d->state == DOMAIN_DEAD || d->state == DOMAIN_FREE)
		return false;
	if (bit_test_and_set(&s->evtchn_pending[word], bit))
		return false; /* already pending: nothing new to signal */
	blocked = d->state == DOMAIN_BLOCKED;
	if (!(s->evtchn_mask[word] & (1u << bit))) {
		bit_test_and_set(&s->vcpu_info.evtchn_pending_sel, word);
		s->vcpu_info.evtchn_upcall_pending = 1;
		if (blocked && !d->evtchn.polling)
			return true;
	}
	/* A poller waits for its listed ports only, masked or not. */
	return blocked && evtchn_poll_wakes(&d->evtchn, port);
}

void event_send(struct domain *d, unsigned int port)
{
	if (event_raise(d, port))
		schedule_wake(d);
}

void event_unmask(struct domain *d, unsigned int port)
{
	struct vmm_shared_info *s = d->shared;
	unsigned int word = port / 32, bit = port % 32;

	s->evtchn_mask[word] &= ~(1u << bit); /* single core: see bit_test_and_set() */
	/* An event that came while masked set only its port bit: raise it now. */
	if (!(s->evtchn_pending[word] & (1u << bit)))
		return;
	if (bit_test_and_set(&s->vcpu_info.evtchn_pending_sel, word))
		return; /* the selector was set: the flag is (or was) raised already */
	s->vcpu_info.evtchn_upcall_pending = 1;
	if (d->state == DOMAIN_BLOCKED && !d->evtchn.polling)
		schedule_wake(d);
}

void event_upcall_enter(struct vmm_trap_frame *f)
{
	struct domain *d = current;
	uint32_t frame_va, sp;

	if (!d->event_callback)
		return;
	/* Below the interrupted sp, 8-byte aligned, like a signal frame; from
	 * virtual user mode on the kernel stack, in virtual kernel mode. d is
	 * current: the frame is stored through its own tables with its own
	 * rights (arch_guest_push_frame()), so it lands only where the guest
	 * could store itself -- never in a page table, never outside its
	 * mappings -- and costs no translation of ours. */
	sp = vtrap_upcall_stack(d, f);
	frame_va = (sp - sizeof(*f)) & ~7u;
	if (sp < sizeof(*f) || arch_guest_push_frame(frame_va, f) != 0) {
		vmm_log("dom%u: upcall stack 0x%08x not writable by the domain; domain crashed",
			(unsigned)d->id, (unsigned)sp);
		domain_kill(d, VMM_SHUTDOWN_crash);
		schedule();
		return; /* not reached: a dead domain never runs again */
	}
	d->shared->vcpu_info.evtchn_upcall_mask = 1;
	if (!time_guest_counter) /* else the guest reads the counter itself */
		time_publish(d->shared, time_now());
	arch_frame_set_entry(f, d->event_callback, frame_va, frame_va);
}

VMM_COLD long hc_set_callbacks(uint32_t event_address, uint32_t failsafe_address, uint32_t a2, uint32_t a3)
{
	struct domain *d = current;

	(void)a2;
	(void)a3;
	if (!guest_range_valid(d, event_address & ~1u, 4) ||
	    (failsafe_address && !guest_range_valid(d, failsafe_address & ~1u, 4)))
		return hypercall_reject(d, -VMM_EFAULT, "set_callbacks: address 0x%08x/0x%08x outside domain memory",
					(unsigned)event_address, (unsigned)failsafe_address);
	if (!arch_entry_aligned(event_address))
		return hypercall_reject(d, -VMM_EINVAL, "set_callbacks: event address 0x%08x: ARM-state entry not 4-byte aligned",
					(unsigned)event_address);
	d->event_callback = event_address;
	return 0;
}

long hc_restore_trap_frame(uint32_t frame_va, uint32_t a1, uint32_t a2, uint32_t a3)
{
	struct domain *d = current;
	struct vmm_trap_frame saved;

	(void)a1;
	(void)a2;
	(void)a3;
	if (guest_copy_from(d, &saved, frame_va, sizeof(saved)) != 0)
		return hypercall_reject(d, -VMM_EFAULT, "restore_trap_frame: frame 0x%08x outside domain memory",
					(unsigned)frame_va);
	vtrap_restore_mode(d, &saved); /* user mode iff VMM_PSR_VUSER */
	arch_frame_sanitize(&saved);
	*d->frame = saved;
	d->shared->vcpu_info.evtchn_upcall_mask = 0;
	if (!time_guest_counter)
		time_publish(d->shared, time_now());
	/* The dispatcher stores our result in frame r0: hand back the restored r0. */
	return (long)saved.r[0];
}
