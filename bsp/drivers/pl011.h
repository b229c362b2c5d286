/* ARM PrimeCell PL011 UART: polled transmit, interrupt-driven receive. */
#ifndef BSP_PL011_H
#define BSP_PL011_H

#include <stdint.h>

void pl011_init(uint32_t phys);
void pl011_putc(char c);
int pl011_getc(void);

#endif /* BSP_PL011_H */
