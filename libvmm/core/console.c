/*
 * Console line discipline (see console.h).
 */
#include "console.h"

#include "vmm/port.h"

static struct {
	char buf[CONSOLE_RX_SIZE];
	unsigned int head; /* next byte to read */
	unsigned int count;
} rx;

static void console_puts(const char *s)
{
	while (*s)
		vmm_port_console_putc(*s++);
}

static void console_emit(struct console_line *line, const char *tag)
{
	unsigned int i;

	vmm_port_console_putc('[');
	console_puts(tag);
	console_puts("] ");
	for (i = 0; i < line->len; i++)
		vmm_port_console_putc(line->buf[i]);
	vmm_port_console_putc('\n');
	line->len = 0;
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
