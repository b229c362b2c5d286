/*
 * Glue between domains, the scheduler policy (sched.h), the one-shot timer
 * and the idle loop. The hypervisor is not preemptible: schedule() is called
 * at the end of a trap (or from a blocking hypercall) and switches the CPU to
 * the domain the policy picks, or to the idle loop.
 */
#ifndef VMM_CORE_SCHEDULE_H
#define VMM_CORE_SCHEDULE_H

#include <stdbool.h>
#include <stdint.h>

struct domain;

/* Sets the policy's global parameters from the config. 0 or negative error. */
int schedule_init(uint32_t ctx_allow_us, uint32_t mcu_us, uint32_t run_limit_ms);

/* Makes a blocked (or newly built) domain runnable; may request a switch. */
void schedule_wake(struct domain *d);

/*
 * schedule_wake(d) from the current domain's hypercall with nothing left to
 * do but return: the decision the wake-up asks for (d preempts the caller,
 * or the caller's slice ends earlier) is taken at once; returns when the
 * caller runs again.
 */
void schedule_wake_switch(struct domain *d);

/* Picks the next domain and switches to it (returns when we run again). */
void schedule(void);

/*
 * Accounts the event hand-off still pending, if any (schedule.c, "Hand-off"
 * in docs/scheduling.md): the wake-up and the scheduling decision it made,
 * at the hand-off's time. Every scheduler entry does it first; code that
 * reads a domain's scheduling or CPU-time state outside schedule.c (domain
 * death, dom0_op, the runstate) calls it before.
 */
void schedule_settle(void);

/* The hand-off is taken when allowed (default true). The unit tests clear
 * it to compare the hand-off with the wake-up it defers. */
extern bool schedule_handoff_enabled;
/* Whether a hand-off waits for schedule_settle() (tests). */
bool schedule_handoff_pending(void);
/* Hand-offs taken since boot (tests, benchmarks). */
extern uint32_t schedule_handoffs;

/* schedule() if a wake-up or the end of a slice asked for it. */
void schedule_if_needed(void);

/*
 * Called from the timer interrupt, before its EOI: domain timers, slice
 * end, run limit. True if it decided a switch, which schedule_if_needed()
 * carries out after the EOI; false if nothing is left to do (the common
 * tick: the caller may skip schedule_if_needed()).
 */
bool schedule_timer_interrupt(void);

/* Disarms d's domain timer (a dying domain's must not fire). */
void schedule_timer_cancel(struct domain *d);

/* Runs the idle loop on the boot stack; never returns. */
void schedule_idle_loop(void) __attribute__((noreturn));

/*
 * d, the current domain, has just died (domain_kill()): the CPU leaves its
 * hypervisor stack for the idle loop, which frees d's storage and picks
 * the next domain. Does not return on the target (a dead domain never runs
 * again); the host's fake switch returns at once.
 */
void schedule_leave_dead(struct domain *d);

/* Flushes the console and powers the machine off with `code`. */
void schedule_poweroff(int code) __attribute__((noreturn));

/* Hypercall handlers. */
long hc_sched_op(uint32_t cmd, uint32_t arg, uint32_t a2, uint32_t a3);
long hc_set_timer_op(uint32_t deadline_lo, uint32_t deadline_hi, uint32_t a2, uint32_t a3);

#endif /* VMM_CORE_SCHEDULE_H */
