/*
 * libvmm Mini-OS: time from the shared-info page.
 */
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <sys/time.h>

#include <minios/os.h>
#include <minios/time.h>
#include <minios/sched.h>

/* The generic timer's virtual count, readable in USR mode where the
 * hypervisor says so (VMM_TIME_COUNTER_CNTVCT). */
static uint64_t read_cntvct(void)
{
	uint32_t lo, hi;

	__asm__ volatile("isb\n\tmrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/*
 * System time. Where the board counter is readable (the ARM generic timer),
 * computed from it: exact, and the hypervisor need not interrupt us to keep
 * it fresh. Elsewhere, the value the hypervisor publishes.
 */
uint64_t monotonic_clock(void)
{
	volatile struct vmm_vcpu_time_info *t =
		&HYPERVISOR_shared_info->vcpu_info.time;
	uint32_t version;
	uint64_t st;

	if (t->flags & VMM_TIME_COUNTER_CNTVCT)
		return vmm_time_from_counter(t, read_cntvct());
	do {
		version = t->version;
		rmb();
		st = t->system_time;
		rmb();
	} while ((version & 1) || version != t->version);
	return st;
}

static void read_wc(uint32_t *sec, uint32_t *nsec)
{
	volatile struct vmm_shared_info *s = HYPERVISOR_shared_info;
	uint32_t version;

	do {
		version = s->wc_version;
		rmb();
		*sec = s->wc_sec;
		*nsec = s->wc_nsec;
		rmb();
	} while ((version & 1) || version != s->wc_version);
}

void get_wall_clock(uint64_t *sec, uint32_t *nsec)
{
	uint32_t wc_sec, wc_nsec;
	uint64_t ns;

	read_wc(&wc_sec, &wc_nsec);
	ns = monotonic_clock() + wc_nsec;
	*sec = wc_sec + ns / 1000000000u;
	*nsec = (uint32_t)(ns % 1000000000u);
}

int minios_gettimeofday(struct timeval *tv)
{
	uint64_t sec;
	uint32_t nsec;

	get_wall_clock(&sec, &nsec);
	tv->tv_sec = (time_t)sec;
	tv->tv_usec = (suseconds_t)(nsec / 1000u);
	return 0;
}

char *minios_time_of_day(char *buf, size_t len)
{
	time_t t = time(NULL);   /* newlib -> _gettimeofday() -> wall clock */
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL) {
		snprintf(buf, len, "(invalid time %lld)", (long long)t);
		return buf;
	}
	snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d UTC",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		 tm.tm_hour, tm.tm_min, tm.tm_sec);
	return buf;
}

void block_domain(s_time_t until)
{
	s_time_t now = NOW();

	if (now >= until)
		return;
	if (sched_running()) {
		/* Only this thread waits; the others keep running. */
		(void)sleep_on((const void *)block_domain, until - now);
		return;
	}
	(void)HYPERVISOR_set_timer_op((uint64_t)until);
	/* Returns at once if an event (e.g. the timer) is already pending. */
	(void)HYPERVISOR_sched_op(VMM_SCHEDOP_block, 0);
}

void init_time(void)
{
	/* Nothing to calibrate: the hypervisor publishes the counter's rate
	 * (or system time itself) in ns. */
}
