/*
 * Console line discipline (see console.h).
 */
#include "console.h"

#include <stdbool.h>
#include <string.h>

#include "cold.h"
#include "format.h"
#include "vmm/port.h"

static struct {
	char buf[CONSOLE_RX_SIZE];
	unsigned int head; /* next byte to read */
	unsigned int count;
} rx;

static struct {
	char buf[CONSOLE_TX_SIZE];
	unsigned int head;     /* next byte to send */
	unsigned int count;    /* bytes waiting */
	unsigned int dropped;  /* whole lines dropped since the last notice */
	bool irq_on;           /* the UART's transmit interrupt is enabled */
} tx;

/*
 * Optional port hooks (vmm/port.h): a BSP that does not define them keeps
 * the old behaviour, every byte through the blocking putc (and no transmit
 * interrupt). Weak, so the BSP's definitions win at link time.
 */
__attribute__((weak)) bool vmm_port_console_try_putc(char c)
{
	vmm_port_console_putc(c);
	return true;
}

__attribute__((weak)) void vmm_port_console_tx_irq(bool enable)
{
	(void)enable;
}

static inline bool console_tx_has_room(size_t n)
{
	return n <= CONSOLE_TX_SIZE - tx.count;
}

/* Appends n bytes (room checked by the caller): at most two copies, before
 * and after the end of the ring. */
static void console_tx_put(const char *s, size_t n)
{
	size_t tail = (tx.head + tx.count) % CONSOLE_TX_SIZE;
	size_t first = n < CONSOLE_TX_SIZE - tail ? n : CONSOLE_TX_SIZE - tail;

	memcpy(tx.buf + tail, s, first);
	memcpy(tx.buf, s + first, n - first);
	tx.count += (unsigned int)n;
}

/*
 * Makes room for a line of `n` bytes that must leave `keep` bytes free,
 * first reporting lines dropped earlier (the report goes in only together
 * with the line, so it never crowds out the output it precedes). False if
 * there is no room: the line is dropped.
 */
static bool console_tx_reserve(size_t n, size_t keep)
{
	char note[64];
	int len;

	if (tx.dropped == 0)
		return console_tx_has_room(n + keep);
	len = vmm_snprintf(note, sizeof(note), "[VMM] console: %u line(s) dropped\n",
			   tx.dropped);
	if (len < 0 || (size_t)len >= sizeof(note) || !console_tx_has_room((size_t)len + n + keep))
		return false;
	console_tx_put(note, (size_t)len);
	tx.dropped = 0;
	return true;
}

void console_tx_kick(void)
{
	bool want;

	while (tx.count && vmm_port_console_try_putc(tx.buf[tx.head])) {
		tx.head = (tx.head + 1) % CONSOLE_TX_SIZE;
		tx.count--;
	}
	want = tx.count != 0;
	if (want != tx.irq_on) {
		vmm_port_console_tx_irq(want);
		tx.irq_on = want;
	}
}

VMM_COLD void console_tx_drain(void)
{
	while (tx.count) {
		vmm_port_console_putc(tx.buf[tx.head]);
		tx.head = (tx.head + 1) % CONSOLE_TX_SIZE;
		tx.count--;
	}
	console_tx_kick(); /* only turns the transmit interrupt off */
}

size_t console_tx_pending(void)
{
	return tx.count;
}

/* Queues the line as "[tag] text\n", whole or not at all, and starts sending.
 * A domain's line leaves CONSOLE_TX_HV_RESERVE bytes for the hypervisor's. */
static void console_emit(struct console_line *line, const char *tag)
{
	size_t tag_len = strlen(tag);
	size_t keep = line->hypervisor ? 0 : CONSOLE_TX_HV_RESERVE;

	if (console_tx_reserve(1 + tag_len + 2 + line->len + 1, keep)) {
		console_tx_put("[", 1);
		console_tx_put(tag, tag_len);
		console_tx_put("] ", 2);
		console_tx_put(line->buf, line->len);
		console_tx_put("\n", 1);
	} else {
		tx.dropped++;
	}
	line->len = 0;
	console_tx_kick();
}

static char console_sanitize(char c)
{
	unsigned char u = (unsigned char)c;

	if (c == '\t' || (u >= 0x20 && u < 0x7f))
		return c;
	return '?';
}

void console_write(struct console_line *line, const char *tag, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '\r')
			continue;
		if (c == '\n') {
			console_emit(line, tag);
			continue;
		}
		if (line->len == CONSOLE_LINE_MAX)
			console_emit(line, tag);
		line->buf[line->len++] = console_sanitize(c);
	}
}

void console_flush(struct console_line *line, const char *tag)
{
	if (line->len)
		console_emit(line, tag);
}

void console_rx_push(char c)
{
	if (rx.count == CONSOLE_RX_SIZE)
		return; /* full: drop the newest byte, keep what the domain has not read */
	rx.buf[(rx.head + rx.count) % CONSOLE_RX_SIZE] = c;
	rx.count++;
}

size_t console_rx_pop(char *dst, size_t max)
{
	size_t n = 0;

	while (n < max && rx.count) {
		dst[n++] = rx.buf[rx.head];
		rx.head = (rx.head + 1) % CONSOLE_RX_SIZE;
		rx.count--;
	}
	return n;
}

size_t console_rx_pending(void)
{
	return rx.count;
}

static uint32_t foreground_domid;

uint32_t console_foreground(void)
{
	return foreground_domid;
}

void console_set_foreground(uint32_t domid)
{
	if (domid != foreground_domid)
		rx.count = 0; /* typed for the old foreground: never handed to the new one */
	foreground_domid = domid;
}
