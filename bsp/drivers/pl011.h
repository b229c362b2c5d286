/*
 * ARM PrimeCell PL011 UART (ARM DDI 0183): FIFOs on, interrupt-driven
 * receive and transmit. The boot firmware (or QEMU) has set the baud rate.
 *
 * Receive: the interrupt comes when the RX FIFO is half full (8 of 16 bytes)
 * or, with fewer bytes, after 32 idle bit times (receive timeout); the
 * caller then reads until pl011_getc() returns -1. Transmit: pl011_try_putc()
 * never waits; the TX interrupt (pl011_tx_irq()) comes when the TX FIFO has
 * drained to 2 bytes (1/8), so each interrupt refills 14 bytes.
 */
#ifndef BSP_PL011_H
#define BSP_PL011_H

#include <stdbool.h>
#include <stdint.h>

void pl011_init(uint32_t phys);

/* Waits while the TX FIFO is full, then writes (power-off path). */
void pl011_putc(char c);

/* Writes `c` if the TX FIFO has room: true; false (nothing written) if full. */
bool pl011_try_putc(char c);

/* Enables/disables the TX interrupt (TXIM). */
void pl011_tx_irq(bool enable);

/* A received byte 0..255, or -1 if the RX FIFO is empty. */
int pl011_getc(void);

#endif /* BSP_PL011_H */
