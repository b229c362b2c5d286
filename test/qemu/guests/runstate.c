/*
 * Runstate test guest (Mini-OS): reads its own CPU time with
 * minios_runstate() (vcpu_op get_runstate_info) while CPU-bound beside an
 * equal domain, then while asleep, and checks the numbers: every call
 * succeeds and says "running"; every entry and the sum never go back; the
 * domain entered "running" no later than the time it reads; its running time
 * over the CPU-bound second is its share, 50 % within 5 points; a 50 ms
 * sleep shows as 50 ms blocked (within 5 ms). Prints "runstate: ok".
 */
#include <stdio.h>
#include <string.h>

#include <minios/minios.h>

static int failures;
static struct vmm_vcpu_runstate_info last;

static void check(int ok, const char *what)
{
	if (!ok) {
		printf("runstate: FAIL %s\n", what);
		failures++;
	}
}

static uint64_t total(const struct vmm_vcpu_runstate_info *r)
{
	return r->time[0] + r->time[1] + r->time[2] + r->time[3];
}

/* One reading, checked against the previous one. */
static struct vmm_vcpu_runstate_info sample(void)
{
	struct vmm_vcpu_runstate_info r;
	int i;

	memset(&r, 0xff, sizeof(r));
	check(minios_runstate(&r) == 0, "get_runstate_info failed");
	check(r.state == VMM_RUNSTATE_running, "state is not running");
	for (i = 0; i < 4; i++)
		check(r.time[i] >= last.time[i], "an entry went back");
	check(total(&r) >= total(&last), "the sum went back");
	check(r.state_entry_time <= monotonic_clock(), "entered running in the future");
	check(r.time[VMM_RUNSTATE_offline] == 0, "offline time");
	last = r;
	return r;
}

int app_main(const struct vmm_start_info *si)
{
	struct vmm_vcpu_runstate_info a, b;
	uint64_t end, next = 0, now, share;
	unsigned long samples = 0;

	(void)si;
	a = sample();
	/* A CPU-bound second, reading every 5 ms of system time. */
	end = monotonic_clock() + SECONDS(1);
	while ((now = monotonic_clock()) < end) {
		if (now >= next) {
			sample();
			samples++;
			next = now + MILLISECS(5);
		}
	}
	b = sample();
	share = (b.time[VMM_RUNSTATE_running] - a.time[VMM_RUNSTATE_running]) * 1000 /
		(total(&b) - total(&a));
	printf("runstate: %lu readings, CPU share %lu permille of %lu ms\n", samples,
	       (unsigned long)share, (unsigned long)((total(&b) - total(&a)) / 1000000));
	check(samples > 50, "too few readings");
	check(share >= 450 && share <= 550, "CPU share not 50 % +- 5");
	check(b.time[VMM_RUNSTATE_blocked] == a.time[VMM_RUNSTATE_blocked], "blocked while CPU-bound");

	/* A 50 ms sleep is 50 ms blocked. */
	a = sample();
	msleep(50);
	b = sample();
	now = b.time[VMM_RUNSTATE_blocked] - a.time[VMM_RUNSTATE_blocked];
	printf("runstate: slept 50 ms, blocked %lu us\n", (unsigned long)(now / 1000));
	check(now >= MILLISECS(45) && now <= MILLISECS(55), "blocked time of a 50 ms sleep");

	printf(failures ? "runstate: FAILED\n" : "runstate: ok\n");
	return failures ? 1 : 0;
}
