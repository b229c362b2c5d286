/*
 * Runstate accounting and vcpu_op(get_runstate_info) (see runstate.h).
 *
 * Kept beside struct domain, by slot, so that the domain switch (the
 * benchmarked path) does no more than it did: it already sums the running
 * time. A slot is reused by a later domain (ids are never reused), so each
 * record carries the id of the domain it belongs to and starts afresh for a
 * new one.
 */
#include "runstate.h"

#include <stdbool.h>
#include <string.h>

#include "cold.h"
#include "domain.h"
#include "reject.h"
#include "guest_access.h"
#include "schedule.h"
#include "time.h"
#include "vcpu_state.h"

static struct runstate_acct {
	bool used;
	uint32_t domid;
	uint64_t start;          /* first made runnable */
	uint64_t blocked;        /* ns blocked, periods that ended */
	uint64_t blocked_since;  /* start of the current blocked period */
} acct[VMM_MAX_DOMAINS];

static inline struct runstate_acct *acct_of(const struct domain *d)
{
	return &acct[d->slot];
}

/* The record is d's (not a dead domain's from the same slot). */
static inline bool acct_is_for(const struct runstate_acct *a, const struct domain *d)
{
	return a->used && a->domid == d->id;
}

/* d's first wake-up (at boot): a fresh record. Out of line, so that the
 * wake-up of the event send path saves no registers for it. */
static __attribute__((noinline, cold)) void
runstate_start(struct runstate_acct *a, const struct domain *d, uint64_t now)
{
	memset(a, 0, sizeof(*a));
	a->used = true;
	a->domid = d->id;
	a->start = now;
}

void runstate_wake(const struct domain *d, uint64_t now)
{
	struct runstate_acct *a = acct_of(d);

	if (!acct_is_for(a, d)) {
		runstate_start(a, d, now);
		return;
	}
	if (now > a->blocked_since)
		a->blocked += now - a->blocked_since;
}

void runstate_block(const struct domain *d, uint64_t now)
{
	struct runstate_acct *a = acct_of(d);

	if (acct_is_for(a, d))
		a->blocked_since = now;
}

VMM_COLD void runstate_get(const struct domain *d, uint64_t now, struct vmm_vcpu_runstate_info *info)
{
	const struct runstate_acct *a = acct_of(d);
	uint64_t life = now > a->start ? now - a->start : 0;
	uint64_t running = d->cpu_time_ns + (now - d->run_start_ns);
	uint64_t blocked = a->blocked;

	memset(info, 0, sizeof(*info));
	info->state = VMM_RUNSTATE_running;
	info->state_entry_time = d->run_start_ns;
	/* running + blocked <= life: both are parts of it, measured on the
	 * same clock; the check only guards the subtraction. */
	if (running + blocked > life)
		life = running + blocked;
	info->time[VMM_RUNSTATE_running] = running;
	info->time[VMM_RUNSTATE_runnable] = life - running - blocked;
	info->time[VMM_RUNSTATE_blocked] = blocked;
	info->time[VMM_RUNSTATE_offline] = 0;
}

static VMM_COLD long vcpu_op_get_runstate(struct domain *d, uint32_t arg)
{
	struct vmm_vcpu_runstate_info info;

	schedule_settle(); /* a hand-off to d: its running time starts there */
	runstate_get(d, time_now(), &info);
	if (guest_copy_to(d, arg, &info, sizeof(info)) != 0)
		return hypercall_reject(d, -VMM_EFAULT,
					"vcpu_op get_runstate_info: 0x%08x+%u outside domain memory",
					(unsigned)arg, (unsigned)sizeof(info));
	return 0;
}

VMM_COLD long hc_vcpu_op(uint32_t cmd, uint32_t vcpuid, uint32_t arg, uint32_t a3)
{
	struct domain *d = current;

	(void)a3;
	if (vcpuid != 0)
		return hypercall_reject(d, -VMM_EINVAL, "vcpu_op: no vcpu %u (only vcpu 0)",
					(unsigned)vcpuid);
	switch (cmd) {
	case VMM_VCPUOP_get_runstate_info:
		return vcpu_op_get_runstate(d, arg);
	case VMM_VCPUOP_set_tls:
		return vcpu_set_tls(d, arg);
	default:
		return hypercall_reject(d, -VMM_EINVAL, "vcpu_op: unknown command %u", (unsigned)cmd);
	}
}
