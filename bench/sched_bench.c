/*
 * Host benchmark of the BVT scheduler's decision cost, meant to run under
 * valgrind --tool=callgrind (bench/sched_bench.sh drives it and prints the
 * table). Without valgrind it just runs (the client requests are no-ops).
 *
 *   sched_bench cpu   N D   N CPU-bound domains of weight 1
 *   sched_bench mixed N D   N CPU-bound domains of weights 1,2,3,4,1,2,...
 *   sched_bench io    N D   N-1 CPU-bound domains of weight 1 and one warped
 *                           I/O domain that wakes, runs 20 us and blocks
 *   sched_bench iocal N D   calibration for io: the same toggles, no work
 *
 * What is one "decision"
 *   cpu/mixed: one sched_pick() call at the deadline the previous call
 *   returned (slice expiry) with N runnable CPU-bound domains: it charges the
 *   running domain, chooses the next one (a switch every time, since the
 *   deadline is where the runner-up should take over) and computes the new
 *   deadline. Measured with --toggle-collect=sched_pick: only instructions
 *   executed inside sched_pick and its callees count. D decisions are
 *   measured after a warm-up of 20 * N decisions (CALLGRIND_ZERO_STATS).
 *   io: one I/O event = sched_wake(io) (returns true) + sched_pick() (io
 *   preempts) + sched_sleep(io) 20 us later + sched_pick() (a CPU-bound
 *   domain resumes): two decisions and the wake/sleep they imply. Measured
 *   with CALLGRIND_TOGGLE_COLLECT around those four calls; the cost of the
 *   toggles themselves (iocal) is subtracted by the script. The slice-expiry
 *   picks between I/O events run uncounted.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <valgrind/callgrind.h>

#include "sched.h"

#define US UINT64_C(1000)
#define MS UINT64_C(1000000)

static struct sched_entity ent[SCHED_MAX_ENTITIES];
static volatile uintptr_t sink;

static void die(const char *msg)
{
	fprintf(stderr, "sched_bench: %s\n", msg);
	exit(2);
}

static void setup(int n, int mixed, int io)
{
	/* The hypervisor's defaults: C = 1 ms, MCU = 100 us, max slice 10 ms. */
	struct sched_global_params g = { .ctx_allow_ns = 1 * MS, .mcu_ns = 100 * US,
					 .max_slice_ns = 10 * MS };
	int i;

	if (sched_init(&g))
		die("sched_init");
	for (i = 0; i < n; i++) {
		struct sched_params p = { .weight = mixed ? (uint32_t)(1 + i % 4) : 1 };

		if (io && i == n - 1) {
			/* Entitled to more than it uses (20 us per ~3 ms, billed as
			 * one 100 us MCU), so its warp always preempts. */
			p.weight = (uint32_t)n;
			p.warp_enabled = true;
			p.warp_ns = 2 * MS;
			p.warp_limit_ns = 10 * MS;
			p.unwarp_ns = 50 * MS;
		}
		if (sched_add(&ent[i], (uint32_t)i, &p))
			die("sched_add");
		if (!(io && i == n - 1))
			sched_wake(&ent[i], 0);
	}
}

static uint64_t cpu_run(uint64_t now, long decisions)
{
	uint64_t dl;
	long i;

	for (i = 0; i < decisions; i++) {
		sink = (uintptr_t)sched_pick(now, &dl);
		now = dl;
	}
	return now;
}

int main(int argc, char **argv)
{
	const char *mode;
	int n;
	long d, i;
	uint64_t now = 0, dl;

	if (argc != 4)
		die("usage: sched_bench cpu|mixed|io|iocal N DECISIONS");
	mode = argv[1];
	n = atoi(argv[2]);
	d = atol(argv[3]);
	if (n < 1 || n > SCHED_MAX_ENTITIES || d < 1)
		die("bad N or DECISIONS");

	if (!strcmp(mode, "cpu") || !strcmp(mode, "mixed")) {
		setup(n, !strcmp(mode, "mixed"), 0);
		now = cpu_run(now, 20L * n);
		CALLGRIND_ZERO_STATS;
		cpu_run(now, d);
		return 0;
	}
	if (!strcmp(mode, "io") || !strcmp(mode, "iocal")) {
		int cal = !strcmp(mode, "iocal");
		struct sched_entity *io = &ent[n - 1];

		if (n < 2)
			die("io needs N >= 2");
		setup(n, 0, 1);
		sched_pick(now, &dl);
		for (i = -20L * n; i < d; i++) {
			uint64_t next_io = now + 3 * MS + (uint64_t)(i & 7) * 100 * US;

			/* CPU-bound domains run (uncounted) until the I/O event. */
			while (dl <= next_io) {
				now = dl;
				sink = (uintptr_t)sched_pick(now, &dl);
			}
			now = next_io;
			if (i == 0)
				CALLGRIND_ZERO_STATS;
			if (cal) {
				CALLGRIND_TOGGLE_COLLECT;
				CALLGRIND_TOGGLE_COLLECT;
				continue;
			}
			CALLGRIND_TOGGLE_COLLECT;
			if (!sched_wake(io, now))
				die("I/O wake-up did not preempt");
			if (sched_pick(now, &dl) != io)
				die("I/O domain not picked");
			sched_sleep(io, now + 20 * US);
			sink = (uintptr_t)sched_pick(now + 20 * US, &dl);
			CALLGRIND_TOGGLE_COLLECT;
			now += 20 * US;
		}
		return 0;
	}
	die("unknown mode");
	return 2;
}
