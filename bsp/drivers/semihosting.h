/* ARM semihosting exit (QEMU -semihosting): stops the emulator with a status. */
#ifndef BSP_SEMIHOSTING_H
#define BSP_SEMIHOSTING_H

/* Exits with `code` if a semihosting host listens; returns if none does. */
void semihosting_exit(int code);

#endif /* BSP_SEMIHOSTING_H */
