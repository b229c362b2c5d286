/*
 * vmm_log(): the hypervisor's own console lines, tagged "[VMM]".
 */
#include <stdarg.h>

#include "console.h"
#include "format.h"
#include "log.h"
#include "vmm/port.h"

static struct console_line vmm_line = {.hypervisor = true};

void vmm_log(const char *fmt, ...)
{
	char buf[CONSOLE_LINE_MAX + 1];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vmm_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	console_write(&vmm_line, "VMM", buf, (size_t)n);
	console_flush(&vmm_line, "VMM");
}

void vmm_log_now(const char *fmt, ...)
{
	/* Smaller than a console line: it nests on any hypervisor stack
	 * (DOMAIN_STACK_SIZE counts it); its only line is about 115 bytes. */
	char buf[128];
	const char *c;
	va_list ap;

	va_start(ap, fmt);
	vmm_vsnprintf(buf, sizeof(buf), fmt, ap); /* always terminated */
	va_end(ap);
	for (c = "[VMM] "; *c; c++)
		vmm_port_console_putc(*c);
	for (c = buf; *c; c++)
		vmm_port_console_putc(*c);
	vmm_port_console_putc('\n');
}

long vmm_vreject(uint32_t domid, uint32_t *logged, long err, const char *fmt, va_list ap)
{
	char msg[120];

	if (*logged >= VMM_REJECT_LOG_LIMIT)
		return err;
	vmm_vsnprintf(msg, sizeof(msg), fmt, ap);
	vmm_log("dom%u: %s (error %ld)", (unsigned)domid, msg, err);
	if (++*logged == VMM_REJECT_LOG_LIMIT)
		vmm_log("dom%u: further rejected hypercalls are not logged", (unsigned)domid);
	return err;
}

long vmm_reject(uint32_t domid, uint32_t *logged, long err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err = vmm_vreject(domid, logged, err, fmt, ap);
	va_end(ap);
	return err;
}
