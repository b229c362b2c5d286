/*
 * What both harnesses print, in the same words (scripts/bench.sh reads it):
 *   "cpu: start <S> end <E> checksum <C>"
 * S and E: the generic timer's virtual count (CNTVCT, low 32 bits) just
 * before and after cpu_kernel_run(CPU_BENCH_ITERATIONS).
 */
#ifndef BENCH_CPU_REPORT_H
#define BENCH_CPU_REPORT_H

#include <stdint.h>

#define CPU_BENCH_ITERATIONS 200000u

static inline uint64_t cpu_cntvct(void)
{
	uint32_t lo, hi;

	__asm__ volatile("isb\n\tmrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* Formats "cpu: start S end E checksum C\n" into buf (>= 64 bytes). */
static inline void cpu_format(char *buf, uint32_t start, uint32_t end, uint32_t sum)
{
	static const char *const words[] = {"cpu: start ", " end ", " checksum "};
	uint32_t v[3] = {start, end, sum};
	int w, i, n = 0;

	for (w = 0; w < 3; w++) {
		char d[10];
		int k = 0;

		for (i = 0; words[w][i]; i++)
			buf[n++] = words[w][i];
		do {
			d[k++] = (char)('0' + v[w] % 10);
			v[w] /= 10;
		} while (v[w]);
		while (k)
			buf[n++] = d[--k];
	}
	buf[n++] = '\n';
	buf[n] = 0;
}

#endif /* BENCH_CPU_REPORT_H */
