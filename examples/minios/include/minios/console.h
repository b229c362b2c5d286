/* libvmm Mini-OS: hypervisor console. */
#ifndef MINIOS_CONSOLE_H
#define MINIOS_CONSOLE_H

#include <stddef.h>

/*
 * printk: formats into a buffer and writes it with console_io(write).
 * The hypervisor prefixes each line with "[domN] "; printk adds nothing.
 * Safe in thread and upcall context (events are held while it runs).
 */
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Writes raw bytes to the console (chunks of at most VMM_CONSOLE_IO_MAX). */
void console_write(const char *buf, size_t len);

/*
 * Line-buffered console output used for stdout/stderr: complete lines go out
 * in a single console_io call so lines of different threads never mix.
 * A partial line waits in the calling thread's buffer until its newline,
 * console_flush(), a read from stdin, or exit.
 */
void console_write_lines(const char *buf, size_t len);
void console_flush(void);

/*
 * Reads up to len bytes typed on the console (only the foreground domain
 * gets input). Blocks the calling thread until at least one byte arrived.
 * '\r' is returned as '\n'. Returns the count, or a negative VMM_E* code.
 */
long console_read(char *buf, size_t len);

void init_console(void);

#endif /* MINIOS_CONSOLE_H */
