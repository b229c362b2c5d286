/*
 * The CPU-bound kernel (see cpu_kernel.h). Stack data only: nothing to
 * initialise, no memory layout difference between the two builds.
 */
#include "cpu_kernel.h"

#define N 6

static uint32_t crc32_step(uint32_t crc, uint32_t word)
{
	int i;

	crc ^= word;
	for (i = 0; i < 32; i++)
		crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
	return crc;
}

static void matrix_round(uint32_t a[N][N], uint32_t b[N][N], uint32_t seed)
{
	uint32_t c[N][N];
	int i, j, k;

	for (i = 0; i < N; i++)
		for (j = 0; j < N; j++) {
			uint32_t s = seed;
			for (k = 0; k < N; k++)
				s += a[i][k] * b[k][j];
			c[i][j] = s;
		}
	for (i = 0; i < N; i++)
		for (j = 0; j < N; j++)
			a[i][j] = c[i][j] >> 3;
}

/* Reverses and walks a small linked list (pointer chasing). */
static uint32_t list_round(uint32_t seed)
{
	struct node { struct node *next; uint32_t v; } nodes[16], *head = 0, *p, *rev = 0;
	uint32_t sum = 0;
	int i;

	for (i = 0; i < 16; i++) {
		nodes[i].v = seed * (uint32_t)(i + 1);
		nodes[i].next = head;
		head = &nodes[i];
	}
	while (head) {
		p = head->next;
		head->next = rev;
		rev = head;
		head = p;
	}
	for (p = rev; p; p = p->next)
		sum = (sum << 1 | sum >> 31) ^ p->v;
	return sum;
}

/* A little state machine over the digits of a number. */
static uint32_t state_round(uint32_t x)
{
	uint32_t state = 0, count = 0;

	while (x) {
		uint32_t d = x % 10;

		x /= 10;
		switch (state) {
		case 0:
			state = d & 1 ? 1 : 2;
			break;
		case 1:
			state = d > 4 ? 2 : 0;
			count++;
			break;
		default:
			state = d == 0 ? 0 : 1;
			count += 2;
			break;
		}
	}
	return count;
}

uint32_t cpu_kernel_run(uint32_t iterations)
{
	uint32_t a[N][N], b[N][N], crc = 0xffffffffu, it;
	int i, j;

	for (i = 0; i < N; i++)
		for (j = 0; j < N; j++) {
			a[i][j] = (uint32_t)(i * N + j);
			b[i][j] = (uint32_t)(i == j) + (uint32_t)j;
		}
	for (it = 0; it < iterations; it++) {
		matrix_round(a, b, it);
		crc = crc32_step(crc, a[it % N][(it / N) % N]);
		crc = crc32_step(crc, list_round(crc));
		crc += state_round(crc ^ it);
	}
	return ~crc;
}
