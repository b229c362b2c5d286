/*
 * Refusing a guest request (see reject.h).
 */
#include "reject.h"

#include <stdarg.h>

#include "domain.h"
#include "log.h"

long hypercall_reject(struct domain *d, long err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err = vmm_vreject(d->id, &d->rejections_logged, err, fmt, ap);
	va_end(ap);
	return err;
}
