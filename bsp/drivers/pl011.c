/*
 * PL011 UART driver (see pl011.h). Register layout: ARM DDI 0183, section 3;
 * QEMU hw/char/pl011.c.
 */
#include "pl011.h"

#include "mmio.h"
#include "vmm/port.h"

#define UART_DR   0x00
#define UART_FR   0x18
#define UART_LCRH 0x2c
#define UART_CR   0x30
#define UART_IFLS 0x34
#define UART_IMSC 0x38
#define UART_ICR  0x44

#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define LCRH_FEN   (1u << 4)
#define LCRH_WLEN8 (3u << 5)
#define CR_UARTEN (1u << 0)
#define CR_TXE (1u << 8)
#define CR_RXE (1u << 9)
#define IFLS_TX_1_8 (0u << 0)  /* TX interrupt at <= 1/8 full: 14 bytes to refill */
#define IFLS_RX_1_2 (2u << 3)  /* RX interrupt at >= 1/2 full: 8 bytes of margin */
#define IMSC_RX (1u << 4)
#define IMSC_TX (1u << 5)
#define IMSC_RT (1u << 6)

static uintptr_t uart;
static uint32_t imsc;   /* shadow of UART_IMSC */

void pl011_init(uint32_t phys)
{
	uart = vmm_port_device_va(phys);
	mmio_write32(uart + UART_CR, 0);
	/* FIFOs on: input survives up to 16 character times (1.4 ms at
	 * 115200 baud) of masked interrupts, output leaves in bursts. */
	mmio_write32(uart + UART_LCRH, LCRH_WLEN8 | LCRH_FEN);
	mmio_write32(uart + UART_IFLS, IFLS_TX_1_8 | IFLS_RX_1_2);
	mmio_write32(uart + UART_ICR, 0x7ff);
	imsc = IMSC_RX | IMSC_RT;
	mmio_write32(uart + UART_IMSC, imsc);
	mmio_write32(uart + UART_CR, CR_UARTEN | CR_TXE | CR_RXE);
}

static inline bool pl011_tx_full(void)
{
	return (mmio_read32(uart + UART_FR) & FR_TXFF) != 0;
}

void pl011_putc(char c)
{
	while (pl011_tx_full())
		;
	mmio_write32(uart + UART_DR, (uint8_t)c);
}

bool pl011_try_putc(char c)
{
	if (pl011_tx_full())
		return false;
	mmio_write32(uart + UART_DR, (uint8_t)c);
	return true;
}

void pl011_tx_irq(bool enable)
{
	imsc = enable ? (imsc | IMSC_TX) : (imsc & ~IMSC_TX);
	mmio_write32(uart + UART_IMSC, imsc);
}

int pl011_getc(void)
{
	if (mmio_read32(uart + UART_FR) & FR_RXFE)
		return -1;
	return (int)(mmio_read32(uart + UART_DR) & 0xffu);
}
