/*
 * Bare-metal harness: the kernel on QEMU virt with nothing underneath.
 * Prints on the PL011 and exits through semihosting.
 */
#include "cpu_kernel.h"
#include "cpu_report.h"

#define UART_DR ((volatile uint32_t *)0x09000000u)

void bare_main(void);

static void bare_puts(const char *s)
{
	while (*s)
		*UART_DR = (uint32_t)*s++;
}

static void bare_exit(int code)
{
	uint32_t block[2] = {0x20026u /* ADP_Stopped_ApplicationExit */, (uint32_t)code};
	register uint32_t r0 __asm__("r0") = 0x20; /* SYS_EXIT_EXTENDED */
	register uint32_t r1 __asm__("r1") = (uint32_t)block;

	__asm__ volatile("svc #0x123456" : "+r"(r0) : "r"(r1) : "memory");
}

void bare_main(void)
{
	char buf[64];
	uint32_t start, end, sum;

	start = (uint32_t)cpu_cntvct();
	sum = cpu_kernel_run(CPU_BENCH_ITERATIONS);
	end = (uint32_t)cpu_cntvct();
	cpu_format(buf, start, end, sum);
	bare_puts(buf);
	bare_exit(0);
	for (;;)
		;
}
