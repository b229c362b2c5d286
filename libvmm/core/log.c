/*
 * vmm_log(): the hypervisor's own console lines, tagged "[VMM]".
 */
#include <stdarg.h>

#include "console.h"
#include "format.h"
#include "log.h"

static struct console_line vmm_line;

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
