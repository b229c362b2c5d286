/*
 * Semihosting SYS_EXIT_EXTENDED (see semihosting.h). Used only at power-off.
 * Without a semihosting host the SVC lands in the hypervisor's own vector as
 * an SVC from a privileged mode, which the BSP's power-off path tolerates.
 */
#include "semihosting.h"

#include <stdint.h>

#define SYS_EXIT_EXTENDED 0x20
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

void semihosting_exit(int code)
{
	uint32_t block[2] = {ADP_STOPPED_APPLICATION_EXIT, (uint32_t)code};
	register uint32_t r0 __asm__("r0") = SYS_EXIT_EXTENDED;
	register uint32_t r1 __asm__("r1") = (uint32_t)(uintptr_t)block;

	__asm__ volatile("svc #0x123456" : "+r"(r0) : "r"(r1) : "memory");
}

void semihosting_poweroff(int code)
{
	static int stopping;

	if (!stopping++)
		semihosting_exit(code);
	for (;;)
		__asm__ volatile("wfi");
}
