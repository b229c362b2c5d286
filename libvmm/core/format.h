/*
 * Minimal printf-style formatter for the hypervisor (boot log, error reasons).
 *
 * C99 snprintf semantics: the output is always NUL-terminated when size > 0,
 * and the return value is the length the full output would have had (so a
 * caller detects truncation with ret >= size). buf may be NULL when size is 0.
 * Returns -1 only if that length does not fit in an int.
 *
 * Supported: %% %c %s %d %i %u %x %X %p; flags '-' '0' '+' ' ' '#';
 * field width (digits or *); precision (digits or *) for %s (max bytes read,
 * so the string need not be NUL-terminated) and for integers (min digits);
 * length modifiers hh h l ll z. %s of NULL prints "(null)". %p prints "0x"
 * followed by at least 8 hex digits (exactly 8 on the 32-bit target).
 * Any other conversion is copied to the output literally and consumes no
 * argument. No floating point: the hypervisor never touches the FPU.
 *
 * Division-free (digits come from subtracting powers of ten), so it needs
 * neither a hardware divider nor libgcc's __aeabi_*div helpers on ARMv7-A.
 */
#ifndef VMM_CORE_FORMAT_H
#define VMM_CORE_FORMAT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

int vmm_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

int vmm_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * True if the two NUL-terminated strings are equal. The hypervisor's own
 * loop, not libc's strcmp(): newlib's word-at-a-time version is 732 bytes of
 * ARM code for a few name comparisons at boot and at PIRQ binding (issue 9).
 */
bool vmm_streq(const char *a, const char *b);

#endif /* VMM_CORE_FORMAT_H */
