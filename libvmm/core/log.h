/*
 * Hypervisor log: printf-style lines on the console tagged "[VMM] ".
 * Use for boot messages and for every rejected guest request (the guide's
 * rule: bad input gets an error code *and* a clear [VMM] line).
 */
#ifndef VMM_CORE_LOG_H
#define VMM_CORE_LOG_H

#include <stdarg.h>
#include <stdint.h>

/* Rejection lines logged per domain before further ones are suppressed. */
#define VMM_REJECT_LOG_LIMIT 32

/* Prints one or more whole lines; a missing final newline is added. */
void vmm_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * One "[VMM] " line written straight to the UART with the blocking
 * vmm_port_console_putc(), past the console buffer: for code that may have
 * interrupted the hypervisor anywhere, even inside the console code, and so
 * must touch no hypervisor state (an asynchronous abort). The line may land
 * ahead of buffered output or inside a line being sent.
 */
void vmm_log_now(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Logs "[VMM] domN: <message> (error <err>)" for a refused guest request and
 * returns err. `logged` is the domain's counter: after VMM_REJECT_LOG_LIMIT
 * lines one note is printed and further rejections are silent, so a hostile
 * guest cannot flood the console. Subsystems use this directly (they never
 * include the hypercall dispatcher).
 */
long vmm_reject(uint32_t domid, uint32_t *logged, long err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
long vmm_vreject(uint32_t domid, uint32_t *logged, long err, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));

#endif /* VMM_CORE_LOG_H */
