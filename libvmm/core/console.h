/*
 * Hypervisor console: turns byte streams from the hypervisor and from each
 * domain into whole tagged lines ("[VMM] ...", "[dom1] ...") on the board's
 * UART, and keeps received bytes for the foreground domain.
 *
 * Lines of different sources never interleave mid-line: each source has its
 * own line buffer and a line enters the output buffer only when complete
 * (newline or buffer full), whole.
 *
 * Output never waits on the wire: completed lines go to a transmit buffer
 * (CONSOLE_TX_SIZE bytes) that the UART drains as fast as it can take bytes,
 * refilled from its transmit interrupt (vmm_port_console_try_putc() and
 * vmm_port_console_tx_irq(), vmm/port.h). If output outruns the UART for so
 * long that the buffer fills, whole lines are dropped and counted, and a
 * "[VMM] console: N line(s) dropped" line reports it once there is room.
 * console_tx_drain() empties the buffer synchronously before power-off.
 */
#ifndef VMM_CORE_CONSOLE_H
#define VMM_CORE_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONSOLE_LINE_MAX 160  /* longer lines are split */
#define CONSOLE_RX_SIZE  256  /* bytes of input kept for the foreground domain */
#define CONSOLE_TX_SIZE  8192  /* bytes of output waiting for the UART (0.71 s at 115200 baud): one
                                * VMM_CONSOLE_IO_MAX write of lines of 16 bytes or more, tagged,
                                * fits whole */

/*
 * Bytes of the transmit buffer a domain's lines always leave free: the
 * hypervisor's own lines (refusals, a domain's death, a panic dump before
 * power-off) still fit while a domain writes faster than the wire.
 */
#define CONSOLE_TX_HV_RESERVE 1024

struct console_line {
	char buf[CONSOLE_LINE_MAX];
	unsigned int len;
	bool hypervisor;   /* the hypervisor's own ([VMM]) lines: may use all of the buffer */
};

/*
 * Appends n bytes to a source's line buffer and prints each completed line as
 * "[tag] text\n". Carriage returns are dropped; other control bytes except
 * tab are printed as '?', so a guest cannot move the cursor or fake a tag.
 */
void console_write(struct console_line *line, const char *tag, const char *s, size_t n);

/* Prints a pending partial line (used when a domain dies or at power-off). */
void console_flush(struct console_line *line, const char *tag);

/*
 * Sends waiting output while the UART accepts it without waiting, and keeps
 * the UART's transmit interrupt enabled exactly while output is left. Called
 * after every line and from the console interrupt.
 */
void console_tx_kick(void);

/* Sends all waiting output, waiting on the UART (power-off path only). */
void console_tx_drain(void);

/* Bytes of output waiting for the UART. */
size_t console_tx_pending(void);

/* Input side: the UART interrupt pushes, console_io(read) pops. */
void console_rx_push(char c);
size_t console_rx_pop(char *dst, size_t max);
size_t console_rx_pending(void);

/*
 * The domain that receives UART input (dom0 until set_foreground_domain
 * moves it; hypercall.c checks the caller's privilege and the id). A move
 * discards input the old foreground domain has not read: what was typed for
 * the secure domain never reaches the next one.
 */
uint32_t console_foreground(void);
void console_set_foreground(uint32_t domid);

#endif /* VMM_CORE_CONSOLE_H */
