/*
 * Hypervisor console: turns byte streams from the hypervisor and from each
 * domain into whole tagged lines ("[VMM] ...", "[dom1] ...") on the board's
 * UART, and keeps received bytes for the foreground domain.
 *
 * Lines of different sources never interleave mid-line: each source has its
 * own line buffer and a line reaches the UART only when complete (newline or
 * buffer full), in one go, with the hypervisor not preemptible meanwhile.
 */
#ifndef VMM_CORE_CONSOLE_H
#define VMM_CORE_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

#define CONSOLE_LINE_MAX 160  /* longer lines are split */
#define CONSOLE_RX_SIZE  256  /* bytes of input kept for the foreground domain */

struct console_line {
	char buf[CONSOLE_LINE_MAX];
	unsigned int len;
};

/*
 * Appends n bytes to a source's line buffer and prints each completed line as
 * "[tag] text\n". Carriage returns are dropped; other control bytes except
 * tab are printed as '?', so a guest cannot move the cursor or fake a tag.
 */
void console_write(struct console_line *line, const char *tag, const char *s, size_t n);

/* Prints a pending partial line (used when a domain dies or at power-off). */
void console_flush(struct console_line *line, const char *tag);

/* Input side: the UART interrupt pushes, console_io(read) pops. */
void console_rx_push(char c);
size_t console_rx_pop(char *dst, size_t max);
size_t console_rx_pending(void);

#endif /* VMM_CORE_CONSOLE_H */
