/*
 * Scheduler interface: decides which domain runs and for how long.
 *
 * The hypervisor core owns the domains; the scheduler only sees the
 * struct sched_entity embedded in each one. All times are absolute system
 * time in ns (uint64_t, never wraps in practice: 584 years); `now` must not
 * go backwards from one call to the next.
 * Exactly one implementation is linked into libvmm (sched_bvt.c).
 * The scheduler is pure bookkeeping: no hardware access, host-testable.
 *
 * Call protocol, used by core/schedule.c:
 *   sched_init() once; sched_add() for each domain (starts not runnable);
 *   sched_wake()/sched_sleep() when a domain becomes runnable or blocks;
 *   sched_pick() whenever a decision is due (the running entity's slice ran
 *   out, it blocked, it yielded (sched_yield(), or both in one call:
 *   sched_yield_pick()), or sched_wake() returned true). The caller runs the returned entity until the returned deadline
 *   (or an earlier event).
 */
#ifndef VMM_CORE_SCHED_H
#define VMM_CORE_SCHED_H

#include <stdbool.h>
#include <stdint.h>

#define SCHED_TIME_MAX UINT64_MAX

/* Most entities the scheduler can hold (the run queues are static arrays). */
#ifndef SCHED_MAX_ENTITIES
#define SCHED_MAX_ENTITIES 64
#endif

/* Per-domain BVT parameters (defaults come from the static config). */
struct sched_params {
	uint32_t weight;         /* share of the CPU relative to others, > 0 */
	bool warp_enabled;       /* may this domain borrow virtual time? */
	uint64_t warp_ns;        /* W: how far E is moved back while warped */
	uint64_t warp_limit_ns;  /* L: max continuous warped running; 0 = unlimited */
	uint64_t unwarp_ns;      /* U: rest needed after L before warping again */
};

/* Global scheduler parameters. */
struct sched_global_params {
	uint64_t ctx_allow_ns;   /* C: context-switch allowance (real ns) */
	uint64_t mcu_ns;         /* minimum charging unit */
	uint64_t max_slice_ns;   /* upper bound of a slice when others are runnable */
};

/*
 * Scheduler-private per-domain state; treat as opaque outside the scheduler
 * (only params is read outside, and by the unit tests avt, evt, inc, ctx_vt,
 * charged_until, seq, runnable, running and warped).
 * Virtual times are in scheduler units (see sched_bvt.c / docs/scheduling.md):
 * 2^24 units per ns of running at weight 1. They are rebased from time to
 * time, so only differences between entities are meaningful.
 */
struct sched_entity {
	/* Hot: read or written by every scheduling decision. */
	uint64_t evt;            /* E: effective virtual time (cached), offset by a
	                          * constant bias so that E = A - W never underflows */
	uint64_t avt;            /* A: actual virtual time */
	uint64_t evt_off;        /* E - A: bias, minus W while warped */
	uint64_t inc;            /* virtual time charged per MCU (from weight) */
	uint64_t plan_end;       /* charged_until at the planned end of the slice */
	uint64_t plan_avt;       /* A at plan_end */
	uint64_t charged_until;  /* A covers running up to here (whole MCUs);
	                          * meaningful only while running */
	uint64_t ctx_vt;         /* C in this entity's virtual time */
	uint64_t rinc;           /* reciprocal of inc, and on 32-bit CPUs its */
	uint8_t gap_shift;       /* shifts: slice lengths without division */
	uint8_t rinc_shift;      /* (sched_bvt.c slice_mcus()) */
	uint64_t slice_cap;      /* gap below which the slice fits the max slice */
	uint64_t fast_avt_max;   /* a plan below this A needs no rebase when charged */
	uint64_t memo_gap;       /* the last slice the fast paths planned: its gap, */
	uint64_t memo_vt;        /* its A charge (k * inc) */
	uint32_t memo_ns;        /* and its length (k MCUs in ns); see slice_memo() */
	uint64_t seq;            /* queueing stamp: FIFO order among equal E */
	uint32_t pos[2];         /* index in its run-queue heaps (by E, by A) */
	struct sched_entity *next, *prev; /* run-queue FIFO lane links */
	bool runnable;
	bool running;
	bool warped;
	struct sched_params params;

	/* Cold. */
	uint32_t id;             /* caller's id (domain id), for debug */
	int slot;                /* index in the scheduler's registry */
	uint64_t warp_start;     /* when the current warp period began */
	uint64_t warp_back;      /* earliest time it may warp again */
	uint64_t acct_time;      /* warped running accounted up to here */
	uint64_t warp_used;      /* warped running in the current warp period (ns) */
	uint64_t max_mcus;       /* more MCUs than this in one charge are capped */
	uint64_t warp_vt;        /* W in virtual time */
	uint64_t gap_cap;        /* virtual-time gap worth a whole max slice */
};

struct sched_state; /* defined by the implementation */

/* Sets up an empty scheduler. Returns 0 or -VMM_EINVAL for bad globals. */
int sched_init(const struct sched_global_params *g);

/*
 * Registers an entity (not runnable). -VMM_EINVAL on bad params or NULL,
 * -VMM_EEXIST if e is already registered, -VMM_ENOSPC if SCHED_MAX_ENTITIES
 * are registered.
 */
int sched_add(struct sched_entity *e, uint32_t id, const struct sched_params *p);

/* Unregisters an entity (running, runnable or not); it is never picked again.
 * If it was running, call sched_pick() next. */
void sched_remove(struct sched_entity *e, uint64_t now);

/*
 * Makes e runnable. Returns true if sched_pick() must be called now: nothing
 * is running, or e's E is lower than the running entity's (e preempts it at
 * once, without the allowance C), or the running entity's slice must end
 * earlier because of e (the next pick then keeps it but shortens its deadline).
 */
bool sched_wake(struct sched_entity *e, uint64_t now);

/*
 * sched_wake(e, now) and, if it returns true, sched_pick(now, deadline), in
 * one call: a wake-up whose verdict is acted on at once (the event send
 * hypercall). *picked tells whether the pick was made; its entity is
 * returned (NULL when none was made, or nothing is runnable). Same results
 * and state as the two calls; the usual preemption (e below the running
 * entity and ahead of every queued one) is decided without e's trip
 * through the run queue.
 */
struct sched_entity *sched_wake_pick_to(struct sched_entity *e, uint64_t *deadline, uint64_t now,
					bool *picked);
/* Arguments in registers, as sched_yield_pick(). */
static inline struct sched_entity *sched_wake_pick(struct sched_entity *e, uint64_t now, uint64_t *deadline,
						   bool *picked)
{
	return sched_wake_pick_to(e, deadline, now, picked);
}

/*
 * Registers the function sched_yield_pick() calls first when the yielding
 * entity is not the running one: the caller has switched to it without
 * telling the policy yet (the event hand-off, schedule.c) and the hook makes
 * the deferred calls. Called on the yield's general path only, so that the
 * benchmarked fast path pays nothing for it.
 */
void sched_set_settle_hook(void (*hook)(void));

/*
 * For the event hand-off (schedule.c): true if waking e (not runnable) now
 * or at any time before the next scheduling decision would make
 * sched_wake_pick() switch from cur (running) to e. A sufficient test, not
 * an exact one (false when in doubt), with no side effect: the caller may
 * then switch to e at once and make the sched_wake_pick() call that
 * accounts for it later, with the hand-off's time, before any other
 * sched_*() call.
 */
bool sched_handoff_ok(const struct sched_entity *cur, const struct sched_entity *e);

/* Makes e not runnable (it blocked or was paused). */
void sched_sleep(struct sched_entity *e, uint64_t now);

/*
 * The running entity e gives up the CPU (sched_op yield); call sched_pick()
 * right after. That decision chooses the runnable entity with the lowest E
 * other than e, even if e's E is lower (the allowance C does not apply), and
 * picks e again only if nothing else is runnable. e stays runnable and is
 * charged exactly as if it had been preempted at `now`: the MCUs it ran, the
 * one it began included (the MCU rule), nothing more and no refund; its A
 * and E are not otherwise changed. Only that one decision is affected. No-op
 * if e is not the running entity.
 * The linked symbol is sched_bvt_yield: a global sched_yield would replace
 * POSIX's sched_yield(void) in hosted builds (the unit tests), which the C
 * library and the sanitizers' runtimes call.
 */
void sched_bvt_yield(struct sched_entity *e, uint64_t now);
#define sched_yield(e, now) sched_bvt_yield((e), (now))

/*
 * sched_yield(e, now) and then sched_pick(now, deadline) in one call: the
 * yield hypercall's path, which this keeps off sched_pick()'s slice-expiry
 * fast path. Same result as the two calls.
 */
struct sched_entity *sched_yield_pick_to(struct sched_entity *e, uint64_t *deadline, uint64_t now);
/* The linked function takes the deadline's address before `now`: all three
 * arguments then travel in registers (AAPCS puts a 64-bit argument in an
 * even register pair, and r1 would be padding), none on the stack. */
static inline struct sched_entity *sched_yield_pick(struct sched_entity *e, uint64_t now,
						    uint64_t *deadline)
{
	return sched_yield_pick_to(e, deadline, now);
}

/*
 * Charges the running entity up to `now` and chooses the next one.
 * Returns NULL when nothing is runnable (idle). *deadline (deadline must not
 * be NULL) is the absolute time at which sched_pick() must be called again
 * (SCHED_TIME_MAX: not before the next wake-up).
 */
struct sched_entity *sched_pick(uint64_t now, uint64_t *deadline);

/*
 * Reads/changes parameters at run time (dom0_op). Same errors as sched_add
 * (and -VMM_EINVAL for an unregistered entity); limits in docs/scheduling.md.
 * Deadlines already returned are not updated: call sched_pick() afterwards.
 */
int sched_set_params(struct sched_entity *e, const struct sched_params *p, uint64_t now);
int sched_set_global(const struct sched_global_params *g);
void sched_get_global(struct sched_global_params *g);

/*
 * Why p or g would be refused (-VMM_EINVAL): NULL if valid, else a short
 * static text naming the first bad field and its bounds, for the caller's
 * log line. The bounds are vmm/dom0_op.h's VMM_SCHED_*.
 */
const char *sched_params_invalid(const struct sched_params *p);
const char *sched_global_invalid(const struct sched_global_params *g);

/* Human-readable name for the boot log. */
const char *sched_name(void);

#endif /* VMM_CORE_SCHED_H */
