/*
 * Boot-time checks of what the board reports through the port layer
 * (vmm/port.h), so that a firmware or BSP mistake stops the boot with a
 * clear [VMM] line instead of a division by zero or a clock that is wrong.
 */
#ifndef VMM_CORE_PORT_CHECK_H
#define VMM_CORE_PORT_CHECK_H

#include <stddef.h>
#include <stdint.h>

/* Exit code of vmm_port_poweroff() when the port's values are unusable. */
#define PORT_CHECK_EXIT 4

/*
 * Checks a counter frequency: VMM_PORT_FREQ_MIN .. VMM_PORT_FREQ_MAX Hz
 * (32 kHz .. 1 GHz, what time.c converts exactly). 0 or -VMM_EINVAL with a
 * reason in why[len]. Pure.
 */
int port_check_counter_freq(uint32_t hz, char *why, size_t len);

/*
 * Checks the board's device regions (vmm/port.h, VMM_DEVICE_VA_SIZE): 0, or
 * -VMM_EINVAL with the first offending region's reason in why[len] (why may
 * be NULL). *nr_valid (if not NULL) gets how many regions from the first
 * one are usable: all of them, or those before the first bad one, which is
 * what the arch code maps. Pure.
 */
struct vmm_device_region;
int port_check_devices(const struct vmm_device_region *dev, unsigned int nr, unsigned int *nr_valid,
		       char *why, size_t len);

/*
 * Runs every check on the live port (after vmm_port_init(), before
 * time_init()). On failure logs "boot: <reason>; cannot start" and powers
 * off with PORT_CHECK_EXIT: does not return then.
 */
void port_check_boot(void);

#endif /* VMM_CORE_PORT_CHECK_H */
