/*
 * bsp/qemu-virt with one simulated asynchronous abort: once the console has
 * sent "echo:" (the echo guest's prompt, written from its console_io
 * hypercall), async_abort_simulate() enters the hypervisor's data-abort
 * vector as if an asynchronous external abort had been taken right there,
 * and checks what the interrupted code finds when it resumes. The result
 * goes straight to the UART: "asyncabort-sim: resumed, state kept" or
 * "asyncabort-sim: FAIL ..."; then once more at the store fixup window of
 * arch_guest_push_frame() ("asyncabort-sim: store window resumed").
 */
#include <stdbool.h>

#include "vmm/port.h"

#define vmm_port_console_try_putc virt_console_try_putc
#include "../../../../bsp/qemu-virt/board.c"
#undef vmm_port_console_try_putc

/* 0: resumed in SVC mode with r0-r12, sp, lr, the flags and the 64 bytes
 * below sp as they were; 1: something was lost (async_abort_simulate.S). */
int async_abort_simulate(void);

/* 0: came back from an asynchronous abort (DFSR `dfsr`) whose lr_abt falls
 * in arch_guest_push_frame()'s store fixup window (async_abort_simulate.S);
 * 1: otherwise. */
int async_abort_simulate_store(uint32_t dfsr);

/* libvmm's count of the asynchronous aborts it resumed from (core/trap.h):
 * one more each time, or the abort was taken for the store's own fault. */
uint32_t trap_hyp_async_aborts(void);

static bool store_window_ok(uint32_t dfsr)
{
	uint32_t before = trap_hyp_async_aborts();

	return async_abort_simulate_store(dfsr) == 0 && trap_hyp_async_aborts() == before + 1;
}

static void say(const char *s)
{
	while (*s)
		pl011_putc(*s++);
}

bool vmm_port_console_try_putc(char c)
{
	static const char mark[] = "echo:";
	static unsigned int matched;
	static bool done;

	if (!virt_console_try_putc(c))
		return false;
	if (done)
		return true;
	matched = c == mark[matched] ? matched + 1 : (c == mark[0]);
	if (mark[matched] == '\0') {
		done = true;
		say(async_abort_simulate() == 0 ? "\nasyncabort-sim: resumed, state kept\n"
						 : "\nasyncabort-sim: FAIL state lost\n");
		say(store_window_ok(0x406) && store_window_ok(0x408) ? "asyncabort-sim: store window resumed\n"
								      : "asyncabort-sim: FAIL store window\n");
	}
	return true;
}
