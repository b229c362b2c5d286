/*
 * bsp/qemu-virt with one simulated asynchronous abort: once the console has
 * sent "echo:" (the echo guest's prompt, written from its console_io
 * hypercall), async_abort_simulate() enters the hypervisor's data-abort
 * vector as if an asynchronous external abort had been taken right there,
 * and checks what the interrupted code finds when it resumes. The result
 * goes straight to the UART: "asyncabort-sim: resumed, state kept" or
 * "asyncabort-sim: FAIL ...".
 */
#include <stdbool.h>

#include "vmm/port.h"

#define vmm_port_console_try_putc virt_console_try_putc
#include "../../../../bsp/qemu-virt/board.c"
#undef vmm_port_console_try_putc

/* 0: resumed in SVC mode with r0-r12, sp, lr, the flags and the 64 bytes
 * below sp as they were; 1: something was lost (async_abort_simulate.S). */
int async_abort_simulate(void);

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
	}
	return true;
}
