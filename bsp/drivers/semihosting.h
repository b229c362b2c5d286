/* ARM semihosting exit (QEMU -semihosting): stops the emulator with a status. */
#ifndef BSP_SEMIHOSTING_H
#define BSP_SEMIHOSTING_H

/* Exits with `code` if a semihosting host listens; returns if none does. */
void semihosting_exit(int code);

/*
 * vmm_port_poweroff() for boards stopped through semihosting (QEMU): exits
 * with `code`; without a host (or when called again from a failing exit)
 * halts the CPU in WFI. Never returns.
 */
void semihosting_poweroff(int code) __attribute__((noreturn));

#endif /* BSP_SEMIHOSTING_H */
