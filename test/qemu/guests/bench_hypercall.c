/*
 * Benchmark guest: null hypercall round trip (xen_version) measured with the
 * PMU cycle counter. Under QEMU with -icount shift=0 the cycle counter counts
 * guest instructions, so the figures are instruction counts and repeatable.
 * Needs VMM_DOMCFG_PMU_USER in its config (user access to PMCCNTR).
 *
 * Prints "bench: <name> = <n> instructions" lines read by scripts/bench.sh.
 */
#include "probe_lib.h"

#define ROUNDS 64

void probe_main(const struct vmm_start_info *si);

/* Two counter reads back to back: the cost of the measurement itself. */
static uint32_t measure_empty(void)
{
	uint32_t t0, t1;

	__asm__ volatile("mrc p15, 0, %0, c9, c13, 0\n\t"
			 "mrc p15, 0, %1, c9, c13, 0"
			 : "=&r"(t0), "=&r"(t1));
	return t1 - t0;
}

/* The same with one `svc #0x82` (xen_version(0)) between the reads. */
static uint32_t measure_null_hypercall(void)
{
	register uint32_t r0 __asm__("r0") = VMM_XENVER_version;
	register uint32_t r1 __asm__("r1") = 0;
	register uint32_t r7 __asm__("r7") = VMM_HC_xen_version;
	uint32_t t0, t1;

	__asm__ volatile("mrc p15, 0, %0, c9, c13, 0\n\t"
			 "svc #0x82\n\t"
			 "mrc p15, 0, %1, c9, c13, 0"
			 : "=&r"(t0), "=&r"(t1), "+r"(r0)
			 : "r"(r1), "r"(r7)
			 : "memory");
	if (r0 != VMM_ABI_VERSION)
		probe_puts("FAIL xen_version returned a wrong value\n");
	return t1 - t0;
}

/*
 * One console_io write of VMM_CONSOLE_IO_MAX (4 KiB) bytes, 64 lines: the
 * longest stretch a domain can hold the hypervisor with console output.
 * QEMU's UART takes every byte at once, so this counts the line discipline
 * plus a UART write per byte: an upper bound of what the hypercall costs on
 * silicon, where the FIFO takes 16 bytes and the transmit interrupt the rest.
 */
static char console_block[VMM_CONSOLE_IO_MAX];

static uint32_t measure_console_4k(void)
{
	uint32_t t0, t1;

	t0 = probe_ccnt();
	HYPERVISOR_console_io(VMM_CONSOLEIO_write, (int)sizeof(console_block), console_block);
	t1 = probe_ccnt();
	return t1 - t0;
}

static uint32_t min_of(uint32_t (*fn)(void))
{
	uint32_t best = 0xffffffffu, v;
	int i;

	for (i = 0; i < ROUNDS; i++) {
		v = fn();
		if (v < best)
			best = v;
	}
	return best;
}

void probe_main(const struct vmm_start_info *si)
{
	uint32_t empty, call, console = 0xffffffffu, v;
	unsigned int i;

	(void)si;
	empty = min_of(measure_empty);
	call = min_of(measure_null_hypercall);
	for (i = 0; i < sizeof(console_block); i++)
		console_block[i] = (i % 64 == 63) ? '\n' : (char)('a' + (i / 64) % 26);
	for (i = 0; i < 3; i++) {
		v = measure_console_4k();
		if (v < console)
			console = v;
	}
	probe_puts("bench: counter read overhead = ");
	probe_putd((long)empty);
	probe_puts(" instructions\n");
	probe_puts("bench: null hypercall round trip = ");
	probe_putd((long)(call - empty));
	probe_puts(" instructions\n");
	probe_puts("bench: console_io write of 4096 bytes = ");
	probe_putd((long)(console - empty));
	probe_puts(" instructions\n");
	probe_shutdown(VMM_SHUTDOWN_poweroff);
}
