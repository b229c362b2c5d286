/*
 * Per-domain CPU state probe (hard-float guest). Every domain running it:
 *  1. checks it starts with nothing of anybody else's: d0-d31, FPSCR,
 *     TPIDRURW and TPIDRURO all zero (the other domain filled its own
 *     before yielding);
 *  2. fills d0-d31, FPSCR and TPIDRURW with a pattern of its seed and sets
 *     TPIDRURO by set_tls, yields many times and checks they survive;
 *  3. computes with doubles, yielding in between (the other domain does the
 *     same with its own numbers), and prints the result as hex: the test
 *     compares it with the value computed on the host.
 * "role=rowrite" instead writes TPIDRURO from user code, which must be an
 * undefined instruction (the domain is crashed); "role=teehbr" writes
 * ThumbEE's TEEHBR, which libvmm locks (TEECR.XED): undefined as well.
 */
#include "probe_lib.h"

#define YIELDS 200
#define STEPS 2000

void probe_main(const struct vmm_start_info *si);

/* Every D register gets pattern(seed, n); FPSCR gets rounding mode/FZ/DN bits. */
static uint32_t fpscr_of(uint32_t seed)
{
	return 0x03000000u | ((seed & 3u) << 22);
}

static void vfp_fill(uint32_t seed)
{
	__asm__ volatile(
		".fpu neon\n"
		"vmov d0, %0, %1\n"
		:: "r"(seed), "r"(~seed) : "d0");
	/* d(n) = d0 + n in each 32-bit lane, done with NEON adds */
	__asm__ volatile(
		".fpu neon\n"
		"vmov.i32 d31, #1\n"
		"vadd.i32 d1, d0, d31\n  vadd.i32 d2, d1, d31\n  vadd.i32 d3, d2, d31\n"
		"vadd.i32 d4, d3, d31\n  vadd.i32 d5, d4, d31\n  vadd.i32 d6, d5, d31\n"
		"vadd.i32 d7, d6, d31\n  vadd.i32 d8, d7, d31\n  vadd.i32 d9, d8, d31\n"
		"vadd.i32 d10, d9, d31\n vadd.i32 d11, d10, d31\n vadd.i32 d12, d11, d31\n"
		"vadd.i32 d13, d12, d31\n vadd.i32 d14, d13, d31\n vadd.i32 d15, d14, d31\n"
		"vadd.i32 d16, d15, d31\n vadd.i32 d17, d16, d31\n vadd.i32 d18, d17, d31\n"
		"vadd.i32 d19, d18, d31\n vadd.i32 d20, d19, d31\n vadd.i32 d21, d20, d31\n"
		"vadd.i32 d22, d21, d31\n vadd.i32 d23, d22, d31\n vadd.i32 d24, d23, d31\n"
		"vadd.i32 d25, d24, d31\n vadd.i32 d26, d25, d31\n vadd.i32 d27, d26, d31\n"
		"vadd.i32 d28, d27, d31\n vadd.i32 d29, d28, d31\n vadd.i32 d30, d29, d31\n"
		"vadd.i32 d31, d30, d31\n"
		::: "d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8", "d9", "d10", "d11",
		    "d12", "d13", "d14", "d15", "d16", "d17", "d18", "d19", "d20", "d21",
		    "d22", "d23", "d24", "d25", "d26", "d27", "d28", "d29", "d30", "d31");
	__asm__ volatile(".fpu neon\n vmsr fpscr, %0" :: "r"(fpscr_of(seed)));
}

/* Stores d0-d31 to out[64] (low, high words) and returns FPSCR. */
static uint32_t vfp_read(uint32_t *out)
{
	uint32_t fpscr, *p = out;

	__asm__ volatile(
		".fpu neon\n"
		"vstmia %0!, {d0-d15}\n"
		"vstmia %0!, {d16-d31}\n"
		"vmrs %1, fpscr\n"
		: "+r"(p), "=r"(fpscr) :: "memory");
	return fpscr;
}

static uint32_t tpidrurw_read(void)
{
	uint32_t v;
	__asm__ volatile("mrc p15, 0, %0, c13, c0, 2" : "=r"(v));
	return v;
}

static void tpidrurw_write(uint32_t v)
{
	__asm__ volatile("mcr p15, 0, %0, c13, c0, 2" :: "r"(v));
}

static uint32_t tpidruro_read(void)
{
	uint32_t v;
	__asm__ volatile("mrc p15, 0, %0, c13, c0, 3" : "=r"(v));
	return v;
}

/* Number of registers (of 32, and FPSCR as a 33rd) that differ from the pattern. */
static long vfp_mismatches(uint32_t seed, int fresh)
{
	uint32_t regs[64], fpscr = vfp_read(regs);
	long bad = 0;
	uint32_t n;

	for (n = 0; n < 32; n++) {
		uint32_t lo = fresh ? 0 : seed + n, hi = fresh ? 0 : ~seed + n;
		bad += regs[2 * n] != lo || regs[2 * n + 1] != hi;
	}
	bad += (fpscr & 0x0fc00000u) != (fresh ? 0 : fpscr_of(seed));
	return bad;
}

/* Double-precision work whose exact result the test knows (see CMakeLists). */
static uint64_t compute(uint32_t seed)
{
	volatile double x = (double)seed;
	double acc = 0.0;
	union { double d; uint64_t u; } r;
	uint32_t i;

	/* Round to nearest, no flush-to-zero: what the host computes with. */
	__asm__ volatile(".fpu neon\n vmsr fpscr, %0" :: "r"(0u));
	for (i = 1; i <= STEPS; i++) {
		double root, v = (double)i * x;

		__asm__("vsqrt.f64 %P0, %P1" : "=w"(root) : "w"(v));
		acc = acc * 0.999 + root / (double)(i + seed);
		if (i % 50 == 0)
			HYPERVISOR_sched_op(VMM_SCHEDOP_yield, 0);
	}
	r.d = acc;
	return r.u;
}

void probe_main(const struct vmm_start_info *si)
{
	uint32_t seed = probe_cmdline_number(si->cmd_line, "seed=", 1);
	uint64_t sum;
	int i;
	long bad = 0;

	if (probe_cmdline_has(si->cmd_line, "role=rowrite")) {
		probe_puts("vfp probe: writing TPIDRURO from user code\n");
		__asm__ volatile("mcr p15, 0, %0, c13, c0, 3" :: "r"(seed));
		probe_puts("FAIL: TPIDRURO written from user code\n");
		probe_shutdown(VMM_SHUTDOWN_poweroff);
	}
	if (probe_cmdline_has(si->cmd_line, "role=teehbr")) {
		probe_puts("vfp probe: writing TEEHBR from user code\n");
		__asm__ volatile("mcr p14, 6, %0, c1, c0, 0" :: "r"(seed));
		probe_puts("FAIL: TEEHBR written from user code\n");
		probe_shutdown(VMM_SHUTDOWN_poweroff);
	}
	probe_expect("vfp probe: fresh d0-d31 and FPSCR", vfp_mismatches(seed, 1), 0);
	probe_expect("vfp probe: fresh TPIDRURW", (long)tpidrurw_read(), 0);
	probe_expect("vfp probe: fresh TPIDRURO", (long)tpidruro_read(), 0);
	vfp_fill(seed);
	tpidrurw_write(seed * 3u);
	probe_expect("vfp probe: set_tls", HYPERVISOR_set_tls(seed * 5u), 0);
	for (i = 0; i < YIELDS; i++) {
		HYPERVISOR_sched_op(VMM_SCHEDOP_yield, 0);
		bad += vfp_mismatches(seed, 0);
		bad += tpidrurw_read() != seed * 3u;
		bad += tpidruro_read() != seed * 5u;
	}
	probe_expect("vfp probe: registers kept over yields", bad, 0);
	sum = compute(seed);
	probe_puts("vfp probe: doubles ");
	probe_putx((uint32_t)(sum >> 32));
	probe_putx((uint32_t)sum);
	probe_puts("\n");
	if (probe_failures)
		probe_shutdown(VMM_SHUTDOWN_crash);
	probe_puts("vfp probe: all checks passed\n");
	probe_shutdown(VMM_SHUTDOWN_poweroff);
}
