/* libvmm Mini-OS: time keeping from the shared-info page. */
#ifndef MINIOS_TIME_H
#define MINIOS_TIME_H

#include <stdint.h>
#include <stddef.h>
#include <sys/time.h>

typedef int64_t s_time_t;

#define NANOSECONDS(ns) ((s_time_t)(ns))
#define MICROSECS(us)   ((s_time_t)(us) * 1000LL)
#define MILLISECS(ms)   ((s_time_t)(ms) * 1000000LL)
#define SECONDS(s)      ((s_time_t)(s) * 1000000000LL)
#define NOW()           ((s_time_t)monotonic_clock())

/*
 * System time in ns since the hypervisor booted (vcpu_info.time, read with
 * the version protocol). Note: the hypervisor refreshes it only on event
 * delivery, when it switches the domain in, and on return from
 * sched_op/set_timer_op/console_io, so it can lag while a thread computes.
 */
uint64_t monotonic_clock(void);

/* Wall clock = wc_sec/wc_nsec (wc_version protocol) + system time. */
void get_wall_clock(uint64_t *sec, uint32_t *nsec);

/* gettimeofday()-style helper; never fails. */
int minios_gettimeofday(struct timeval *tv);

/* Formats the wall clock as "YYYY-MM-DD HH:MM:SS UTC"; returns buf. */
char *minios_time_of_day(char *buf, size_t len);

/*
 * Before the scheduler runs: blocks the whole domain until `until` (system
 * time, ns) or until an event is pending (set_timer_op + sched_op(block)).
 * Once the scheduler runs: sleeps the calling thread until `until`.
 */
void block_domain(s_time_t until);

void init_time(void);

#endif /* MINIOS_TIME_H */
