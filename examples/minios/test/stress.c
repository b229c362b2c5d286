/*
 * minios self-test guest: preemption (a thread spinning until another sets a
 * flag), msleep accuracy, register/heap integrity across preemption, malloc
 * under preemption, detached-thread reaping, heap exhaustion.
 * Prints "stress: ok" and returns 0 on success.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <minios/minios.h>

static volatile int flag;
static volatile int errors;

static void spinner(void *arg)
{
	unsigned long n = 0;
	(void)arg;
	while (!flag)
		n++;
	printf("spinner: released after %lu loops\n", n);
}

static void setter(void *arg)
{
	s_time_t t0 = NOW();
	(void)arg;
	msleep(20);
	if (NOW() - t0 < MILLISECS(20)) { printf("setter: woke early\n"); errors++; }
	flag = 1;
	printf("setter: flag set\n");
}

static uint32_t mix(uint32_t seed, int rounds)
{
	uint32_t a = seed, b = seed ^ 0x9e3779b9u, c = seed * 7u, d = 1, e = 2, f = 3, g = 4, h = 5;
	int i;
	for (i = 0; i < rounds; i++) {
		a += b ^ (c << 3); b ^= c + (d >> 2); c += d * 3u; d ^= e + a;
		e += f ^ g; f ^= g + h; g += h ^ a; h ^= a + b;
	}
	return a ^ b ^ c ^ d ^ e ^ f ^ g ^ h;
}

static void worker(void *arg)
{
	int id = (int)(intptr_t)arg, i;
	for (i = 0; i < 30; i++) {
		size_t sz = (size_t)(16 + (mix(id * 100 + i, 3) % 3000));
		unsigned char *p = malloc(sz);
		uint32_t r1, r2;
		if (!p) { printf("worker %d: malloc failed\n", id); errors++; return; }
		memset(p, id, sz);
		r1 = mix((uint32_t)(id * 1000 + i), 2000);
		if (i % 3 == 0) schedule();
		r2 = mix((uint32_t)(id * 1000 + i), 2000);
		if (r1 != r2) { printf("worker %d: register corruption\n", id); errors++; }
		for (size_t k = 0; k < sz; k++)
			if (p[k] != (unsigned char)id) { printf("worker %d: heap corruption\n", id); errors++; break; }
		free(p);
		if (i % 10 == 0) printf("worker %d: round %d (%.2f)\n", id, i, (double)i / 3.0);
	}
}

int app_main(const struct vmm_start_info *si)
{
	struct thread *t[8];
	int i, n = 0;
	t[n++] = create_joinable_thread("spin", spinner, NULL);
	t[n++] = create_joinable_thread("set", setter, NULL);
	for (i = 0; i < 5; i++) {
		char name[8];
		snprintf(name, sizeof name, "w%d", i);
		t[n++] = create_joinable_thread(name, worker, (void *)(intptr_t)i);
	}
	for (i = 0; i < n; i++) join_thread(t[i]);
	/* detached threads get reaped */
	for (i = 0; i < 20; i++) create_thread("d", setter, NULL);
	msleep(50);
	{
		/* More than the whole domain: must fail with NULL. */
		void *p = malloc((size_t)si->nr_pages * VMM_PAGE_SIZE);

		printf("big malloc: %s\n", p ? "unexpected success" : "NULL (ok)");
		if (p)
			errors++;
	}
	printf("time %ld clock %ld\n", (long)time(NULL), (long)clock());
	printf("stress: %s (errors=%d)\n", errors ? "FAIL" : "ok", errors);
	return errors ? 1 : 0;
}
