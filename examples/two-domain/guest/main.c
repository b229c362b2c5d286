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
 * Then, in a domain configured to grow (mem_initial below mem_size), the
 * heap grows past the boot memory (memory_op populate + update_va_mapping,
 * minios/mm.h), a page still mapped cannot be given back, and the memory
 * goes back when the heap shrinks; the reservation is printed at each step.
 *
 * Command line: "rounds=K" (default 3); "user": first run a user-mode
 * process (user_prog.S, minios/user.h) twice: once making system calls
 * (write, yield, exit), once reading Mini-OS memory, which must kill it.
 */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <minios/minios.h>
#include <minios/user.h>

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

#define HEAP_BLOCK   (256 * 1024)
#define HEAP_BLOCKS  64           /* at most 16 MiB */
#define HEAP_GROW_PAGES 512       /* grow 2 MiB past the boot memory */

/* Fills, then checks, a block: grown pages are real memory of this domain. */
static int heap_block_check(unsigned char *p, unsigned char v)
{
	size_t i;

	memset(p, v, HEAP_BLOCK);
	for (i = 0; i < HEAP_BLOCK; i += 4096)
		if (p[i] != v || p[i + 4095] != v)
			return -1;
	return 0;
}

static int heap_demo(void)
{
	static unsigned char *blocks[HEAP_BLOCKS];
	long boot = minios_mm_current_pages(), max = minios_mm_max_pages(), rc;
	unsigned int n = 0, i;
	void *page;

	if (max <= boot) {
		printf("memory: %ld pages, static partitioning\n", boot);
		return 0;
	}
	printf("memory: %ld of at most %ld pages\n", boot, max);
	while (n < HEAP_BLOCKS && minios_mm_grown_pages() < HEAP_GROW_PAGES) {
		blocks[n] = malloc(HEAP_BLOCK);
		if (blocks[n] == NULL || heap_block_check(blocks[n], (unsigned char)(n + 1)) != 0) {
			printf("memory: FAIL the heap did not grow (block %u)\n", n);
			return 1;
		}
		n++;
	}
	printf("memory: heap grew by %lu pages past the boot memory (%lu L2 table frames), reservation %ld pages\n",
	       minios_mm_grown_pages(), minios_mm_l2_frames(), minios_mm_current_pages());

	/* a page of its own: the hypervisor refuses it back while it is mapped */
	page = minios_page_alloc();
	if (page == NULL) {
		printf("memory: FAIL no page\n");
		return 1;
	}
	memset(page, 0x5a, 4096);
	rc = minios_page_decrease(page);
	printf("memory: giving back a page still mapped: %ld (%s)\n", rc,
	       rc == -VMM_EBUSY ? "-EBUSY while mapped, as it must be" : "FAIL");
	if (rc != -VMM_EBUSY || minios_page_free(page) != 0)
		return 1;

	for (i = 0; i < n; i++)
		free(blocks[n - 1 - i]);
	malloc_trim(0);
	printf("memory: heap gave back, %lu pages still grown, reservation %ld pages\n",
	       minios_mm_grown_pages(), minios_mm_current_pages());
	return minios_mm_current_pages() == boot + (long)minios_mm_l2_frames() ? 0 : 1;
}

extern const char user_prog_start[], user_prog_end[];
static volatile uint32_t kernel_word = 0x600dc0deu; /* the process tries to read it */

/* The user-mode process: system calls served, a kernel-memory read killed. */
static int user_demo(void)
{
	size_t len = (size_t)(user_prog_end - user_prog_start);
	int rc;

	rc = minios_user_run(user_prog_start, len, 0, 0);
	printf("user process exited with %d\n", rc);
	if (rc != 7)
		return 1;
	rc = minios_user_run(user_prog_start, len, 1, (uint32_t)(uintptr_t)&kernel_word);
	if (rc != MINIOS_USER_KILLED) {
		printf("FAIL: user process reading kernel memory returned %d\n", rc);
		return 1;
	}
	printf("user process reading kernel memory was stopped; kernel word still 0x%08lx\n",
	       (unsigned long)kernel_word);
	return 0;
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
	if (strstr(cmdline, "user") != NULL && user_demo() != 0)
		return 1;

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

	if (heap_demo() != 0) {
		printf("two-domain: FAIL memory demo\n");
		return 1;
	}
	printf("time of day = %s\n", minios_time_of_day(tod, sizeof(tod)));
	printf("two-domain: done\n");
	return 0;
}
