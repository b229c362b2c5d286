/*
 * PL011 UART driver (see pl011.h). The boot firmware (or QEMU) has set the
 * baud rate; we only enable the UART, drop FIFOs (an interrupt per received
 * byte) and unmask the receive interrupt.
 */
#include "pl011.h"

#include "mmio.h"
#include "vmm/port.h"

#define UART_DR   0x00
#define UART_FR   0x18
#define UART_LCRH 0x2c
#define UART_CR   0x30
#define UART_IMSC 0x38
#define UART_ICR  0x44

#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define LCRH_WLEN8 (3u << 5)
#define CR_UARTEN (1u << 0)
#define CR_TXE (1u << 8)
#define CR_RXE (1u << 9)
#define IMSC_RX (1u << 4)
#define IMSC_RT (1u << 6)

static uintptr_t uart;

void pl011_init(uint32_t phys)
{
	uart = vmm_port_device_va(phys);
	mmio_write32(uart + UART_CR, 0);
	mmio_write32(uart + UART_LCRH, LCRH_WLEN8);
	mmio_write32(uart + UART_ICR, 0x7ff);
	mmio_write32(uart + UART_IMSC, IMSC_RX | IMSC_RT);
	mmio_write32(uart + UART_CR, CR_UARTEN | CR_TXE | CR_RXE);
}

void pl011_putc(char c)
{
	while (mmio_read32(uart + UART_FR) & FR_TXFF)
		;
	mmio_write32(uart + UART_DR, (uint8_t)c);
}

int pl011_getc(void)
{
	if (mmio_read32(uart + UART_FR) & FR_RXFE)
		return -1;
	return (int)(mmio_read32(uart + UART_DR) & 0xffu);
}
