/*
 * two-domain example guest (thesis Figure 8.1): four threads "3".."6" per
 * domain print, sleep, print again, K rounds each; the two domains' lines
 * interleave on the hypervisor console, each tagged "[domN] ".
 *
 * Every thread also computes with doubles across its sleeps, while the other
 * threads and the other domain do the same with their own numbers, and checks
 * the result against the same computation done again without sleeping: the
 * VFP registers are the thread's (Mini-OS) and the domain's (libvmm).
 *
 * Command line: "rounds=K" (default 3).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <minios/minios.h>

#define NR_WORKERS     4
#define FIRST_WORKER   3
#define DEFAULT_ROUNDS 3
#define MAX_ROUNDS     1000

static int rounds = DEFAULT_ROUNDS;
static unsigned long domid;

/* One step of the floating-point work of thread n in round i. */
static double fp_step(double acc, int n, int i)
{
	double x = (double)(n * 1000 + (int)domid * 7 + i);

	return acc * 0.75 + sqrt(x) / (double)(i + n);
}

static void worker(void *arg)
{
	int n = (int)(intptr_t)arg;
	double acc = 0.0, again = 0.0;
	int i;

	for (i = 0; i < rounds; i++) {
		printf("%d Thread\n", n);
		acc = fp_step(acc, n, i);
		msleep(10u * (uint32_t)n); /* other threads and domains use the FPU meanwhile */
		acc = fp_step(acc, n, i + 100);
		printf("After %d Thread\n", n);
	}
	for (i = 0; i < rounds; i++) {
		again = fp_step(again, n, i);
		again = fp_step(again, n, i + 100);
	}
	if (memcmp(&acc, &again, sizeof(acc)) == 0)
		printf("%d Thread doubles ok: %.9f\n", n, acc);
	else
		printf("FAIL: %d Thread doubles %.17g, expected %.17g\n", n, acc, again);
}

static int parse_rounds(const char *cmdline)
{
	const char *p = strstr(cmdline, "rounds=");
	long k;

	if (p == NULL || (p != cmdline && p[-1] != ' '))
		return DEFAULT_ROUNDS;
	k = strtol(p + 7, NULL, 10);
	if (k < 1 || k > MAX_ROUNDS)
		return DEFAULT_ROUNDS;
	return (int)k;
}

int app_main(const struct vmm_start_info *si)
{
	char cmdline[VMM_CMDLINE_MAX + 1];
	struct thread *threads[NR_WORKERS];
	char tod[48];
	int i;

	memcpy(cmdline, si->cmd_line, VMM_CMDLINE_MAX);
	cmdline[VMM_CMDLINE_MAX] = '\0';
	rounds = parse_rounds(cmdline);
	domid = (unsigned long)si->domid;
	printf("two-domain: domain %lu, %d rounds\n", (unsigned long)si->domid, rounds);

	for (i = 0; i < NR_WORKERS; i++) {
		char name[4];
		int n = FIRST_WORKER + i;

		snprintf(name, sizeof(name), "%d", n);
		threads[i] = create_joinable_thread(name, worker, (void *)(intptr_t)n);
		if (threads[i] == NULL) {
			printf("two-domain: cannot create thread %d\n", n);
			return 1;
		}
	}
	for (i = 0; i < NR_WORKERS; i++)
		join_thread(threads[i]);

	printf("time of day = %s\n", minios_time_of_day(tod, sizeof(tod)));
	printf("two-domain: done\n");
	return 0;
}
