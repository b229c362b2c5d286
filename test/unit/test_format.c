/*
 * Unit tests for vmm_snprintf/vmm_vsnprintf (libvmm/core/format.c).
 *
 * Most cases compare against the host C library's vsnprintf: same() runs
 * both with identical arguments at a range of buffer sizes (0 with a NULL
 * buffer, 1, 2, 3, 7, the exact fit and one byte short of it, and a large
 * one) and requires identical return values and identical buffer bytes,
 * including a canary after the buffer. Behaviour that deliberately differs
 * from glibc (%p, %s of NULL, unknown conversions) is checked against
 * literal expectations.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "format.h"

#define BUF_MAX 512
#define CANARY  0x5a

/* Runs host vsnprintf and vmm_vsnprintf on the same arguments at many sizes. */
static void same_v(const char *file, int line, const char *fmt, va_list ap)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 7, 64, BUF_MAX - 1 };
	const size_t nsizes = sizeof(sizes) / sizeof(sizes[0]);
	char want[BUF_MAX + 1], got[BUF_MAX + 1];
	va_list aq;
	int full;

	va_copy(aq, ap);
	full = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (full < 0 || full >= BUF_MAX - 2)
		fail_msg("%s:%d: case \"%s\" too long for the test harness", file, line, fmt);

	/* Fixed sizes, then the exact fit (which truncates by one), fit+NUL, and one more. */
	for (size_t k = 0; k < nsizes + 3; k++) {
		size_t size = k < nsizes ? sizes[k] : (size_t)full + (k - nsizes);
		char *wbuf = size == 0 ? NULL : want;
		char *gbuf = size == 0 ? NULL : got;
		int wn, gn;

		memset(want, CANARY, sizeof(want));
		memset(got, CANARY, sizeof(got));
		va_copy(aq, ap);
		wn = vsnprintf(wbuf, size, fmt, aq);
		va_end(aq);
		va_copy(aq, ap);
		gn = vmm_vsnprintf(gbuf, size, fmt, aq);
		va_end(aq);

		/* Whole arrays: the bytes after the NUL (canary) must match too. */
		if (gn != wn || memcmp(want, got, sizeof(want)) != 0)
			fail_msg("%s:%d: format \"%s\" size %zu: got %d \"%.*s\", want %d \"%.*s\"",
				 file, line, fmt, size, gn, (int)size, got, wn, (int)size, want);
	}
}

static void same_at(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void same_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	same_v(file, line, fmt, ap);
	va_end(ap);
}

/*
 * Same, without the format attribute: for cases C defines but compilers'
 * -Wformat flag (an ignored flag, an int narrowed by hh/h).
 */
static void same_unchecked_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	same_v(file, line, fmt, ap);
	va_end(ap);
}

#define SAME(...) same_at(__FILE__, __LINE__, __VA_ARGS__)
#define SAME_UNCHECKED(...) same_unchecked_at(__FILE__, __LINE__, __VA_ARGS__)

/*
 * Calls vmm_vsnprintf without the printf format attribute, so cases that are
 * deliberately not valid C printf (unknown conversions) compile warning-free.
 */
static int vmm_raw(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vmm_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static void test_plain_text(void **state)
{
	(void)state;
	SAME("%s", "");
	SAME("hello, world");
	SAME("%%");
	SAME("100%% sure %d%%", 5);
	SAME("a%cb", 'x');
	SAME("[%5c|%-5c]", 'y', 'z');
}

static void test_strings(void **state)
{
	(void)state;
	SAME("%s", "abc");
	SAME("[%10s]", "abc");
	SAME("[%-10s]", "abc");
	SAME("[%.2s]", "abc");
	SAME("[%.0s]", "abc");
	SAME("[%.10s]", "abc");
	SAME("[%8.2s]", "abcdef");
	SAME("[%-8.2s]", "abcdef");
	SAME("[%*s]", 6, "ab");
	SAME("[%*s]", -6, "ab");
	SAME("[%.*s]", 3, "abcdef");
	SAME("[%.*s]", -1, "abcdef");
	SAME("[%*.*s]", 7, 2, "abcdef");
	SAME("%s=%s", "key", "value");
}

static void test_string_precision_reads_no_further(void **state)
{
	/* Precision bounds the read: the array has no terminating NUL. */
	const char unterminated[4] = { 'w', 'x', 'y', 'z' };
	char buf[16];

	(void)state;
	assert_int_equal(vmm_snprintf(buf, sizeof(buf), "%.4s|", unterminated), 5);
	assert_string_equal(buf, "wxyz|");
	assert_int_equal(vmm_snprintf(buf, sizeof(buf), "%.2s|", unterminated), 3);
	assert_string_equal(buf, "wx|");
}

static void test_signed(void **state)
{
	(void)state;
	SAME("%d", 0);
	SAME("%d", 1);
	SAME("%d", -1);
	SAME("%d", 42);
	SAME("%i", -42);
	SAME("%d", INT_MAX);
	SAME("%d", INT_MIN);
	SAME("%ld", LONG_MAX);
	SAME("%ld", LONG_MIN);
	SAME("%lld", LLONG_MAX);
	SAME("%lld", LLONG_MIN);
	SAME("%lld", 0LL);
	SAME("%lld", -1234567890123LL);
	SAME("%hhd", (signed char)-128);
	SAME("%hd", (short)-32768);
	SAME_UNCHECKED("%hhd", 300);  /* converted to signed char: 44 */
	SAME("%zd", (ptrdiff_t)-7);
	SAME("%+d %+d %+d", 5, -5, 0);
	SAME("% d % d % d", 5, -5, 0);
	SAME_UNCHECKED("%+ d", 5);
}

static void test_unsigned(void **state)
{
	(void)state;
	SAME("%u", 0u);
	SAME("%u", 1u);
	SAME("%u", 4000000000u);
	SAME("%u", UINT32_MAX);
	SAME("%u", UINT_MAX);
	SAME("%lu", ULONG_MAX);
	SAME("%llu", ULLONG_MAX);
	SAME("%llu", 10000000000000000000ULL);
	SAME("%llu", 9999999999999999999ULL);
	SAME("%llu", 18446744073709551614ULL);
	SAME("%zu", (size_t)12345);
	SAME("%zu", SIZE_MAX);
	SAME_UNCHECKED("%hhu", 511u);   /* converted to unsigned char: 255 */
	SAME_UNCHECKED("%hu", 70000u);  /* converted to unsigned short */
	SAME_UNCHECKED("%+u % u", 3u, 3u);  /* sign flags do nothing for unsigned */
}

static void test_powers_of_ten(void **state)
{
	/* The division-free digit generator is most at risk around powers of ten. */
	unsigned long long p = 1;

	(void)state;
	for (int i = 0; i < 20; i++) {
		SAME("%llu %llu %llu", p - 1, p, p + 1);
		if (i < 19)
			p *= 10;
	}
}

static void test_hex(void **state)
{
	(void)state;
	SAME("%x", 0u);
	SAME("%x", 0xdeadbeefu);
	SAME("%X", 0xdeadbeefu);
	SAME("%x", UINT32_MAX);
	SAME("%x", 0x10u);
	SAME("%llx", ULLONG_MAX);
	SAME("%llX", 0x0123456789abcdefULL);
	SAME("%llx", 0x8000000000000000ULL);
	SAME("%lx", 0x1234UL);
	SAME("%zx", (size_t)0xabc);
	SAME("%08x", 0xbeefu);
	SAME("%#x %#X %#x", 0x1fu, 0x1fu, 0u);
	SAME("%#010x", 0xabu);
	SAME("%#.6x", 0xabu);
	SAME_UNCHECKED("%hhx", 0x1ffu);
	SAME("0x%08x", 0xc0008000u);
}

static void test_width_precision_flags(void **state)
{
	(void)state;
	SAME("[%5d]", 42);
	SAME("[%-5d]", 42);
	SAME("[%05d]", 42);
	SAME("[%05d]", -42);
	SAME_UNCHECKED("[%-05d]", -42);   /* '-' overrides '0' */
	SAME("[%+05d]", 42);
	SAME("[% 05d]", 42);
	SAME("[%.5d]", 42);
	SAME("[%.5d]", -42);
	SAME("[%8.5d]", -42);
	SAME("[%-8.5d]", -42);
	SAME_UNCHECKED("[%08.5d]", 42);   /* precision disables '0' padding */
	SAME("[%.0d]", 0);      /* zero value, zero precision: no digits */
	SAME("[%5.0d]", 0);
	SAME("[%+.0d]", 0);
	SAME("[%.0x]", 0u);
	SAME("[%#.0x]", 0u);
	SAME("[%.0u]", 7u);
	SAME("[%.d]", 0);       /* "." alone is precision 0 */
	SAME("[%*d]", 6, 9);
	SAME("[%*d]", -6, 9);   /* negative '*' width means left-justify */
	SAME("[%-*d]", 6, 9);
	SAME("[%.*d]", 4, 9);
	SAME("[%.*d]", -4, 9);  /* negative '*' precision means none */
	SAME("[%0*d]", 6, -9);
	SAME("[%*.*d]", 8, 4, -9);
	SAME("[%20lld]", LLONG_MIN);
	SAME("[%-25lld]", LLONG_MIN);
	SAME("[%025lld]", LLONG_MIN);
	SAME("[%.30llu]", ULLONG_MAX);
	SAME("[%12d]", INT_MIN);
	SAME("[%012d]", INT_MIN);
	SAME("[%1d]", 12345);   /* width narrower than the number */
	SAME("[%100d]", 1);
	SAME("[%-100s]", "wide");
	SAME("%d %u %x %s %c %%", -1, 2u, 0x3u, "four", '5');
	SAME("%s:%d: %s (0x%08x)", "file.c", 120, "bad", 0xcafeu);
}

static void test_truncation(void **state)
{
	char buf[8];

	(void)state;
	memset(buf, CANARY, sizeof(buf));
	assert_int_equal(vmm_snprintf(buf, 4, "%d", 123456), 6);
	assert_string_equal(buf, "123");
	assert_int_equal((unsigned char)buf[4], CANARY);

	memset(buf, CANARY, sizeof(buf));
	assert_int_equal(vmm_snprintf(buf, 1, "abc"), 3);
	assert_int_equal(buf[0], '\0');
	assert_int_equal((unsigned char)buf[1], CANARY);

	memset(buf, CANARY, sizeof(buf));
	assert_int_equal(vmm_snprintf(buf, 0, "abc"), 3);
	assert_int_equal((unsigned char)buf[0], CANARY);

	/* Exact fit: all characters and the NUL. */
	memset(buf, CANARY, sizeof(buf));
	assert_int_equal(vmm_snprintf(buf, 4, "%s", "abc"), 3);
	assert_string_equal(buf, "abc");

	/* Padding beyond the buffer is still counted. */
	memset(buf, CANARY, sizeof(buf));
	assert_int_equal(vmm_snprintf(buf, sizeof(buf), "%1000d", 7), 1000);
	assert_string_equal(buf, "       ");
}

static void test_measure_with_null_buffer(void **state)
{
	(void)state;
	assert_int_equal(vmm_snprintf(NULL, 0, "%d-%s", -12, "xyz"), 7);
	assert_int_equal(vmm_raw(NULL, 0, ""), 0);
	assert_int_equal(vmm_snprintf(NULL, 0, "%lld", LLONG_MIN), 20);
	/* A NULL buffer is never written, whatever size claims. */
	assert_int_equal(vmm_raw(NULL, 16, "abc"), 3);
}

static void test_huge_width_counts_without_writing(void **state)
{
	char buf[4];

	(void)state;
	/* INT_MAX-wide field: the count saturates past INT_MAX, so -1. */
	memset(buf, CANARY, sizeof(buf));
	assert_int_equal(vmm_raw(buf, sizeof(buf), "%*d%*d", INT_MAX, 1, INT_MAX, 2), -1);
	assert_string_equal(buf, "   ");
	/* A width too large for an int saturates instead of overflowing. */
	assert_int_equal(vmm_raw(buf, sizeof(buf), "%99999999999d", 1), INT_MAX);
	assert_int_equal(vmm_raw(NULL, 0, "%*d", INT_MIN, 1), INT_MAX);
}

static void test_null_string(void **state)
{
	char buf[32];

	(void)state;
	assert_int_equal(vmm_raw(buf, sizeof(buf), "%s", (const char *)NULL), 6);
	assert_string_equal(buf, "(null)");
	assert_int_equal(vmm_raw(buf, sizeof(buf), "[%8s]", (const char *)NULL), 10);
	assert_string_equal(buf, "[  (null)]");
}

static void test_pointer(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(vmm_snprintf(buf, sizeof(buf), "%p", (void *)(uintptr_t)0x1234), 10);
	assert_string_equal(buf, "0x00001234");
	assert_int_equal(vmm_snprintf(buf, sizeof(buf), "%p", (void *)NULL), 10);
	assert_string_equal(buf, "0x00000000");
	vmm_snprintf(buf, sizeof(buf), "%p", (void *)(uintptr_t)0xc0008000u);
	assert_string_equal(buf, "0xc0008000");
	vmm_snprintf(buf, sizeof(buf), "[%12p]", (void *)(uintptr_t)0xabcu);
	assert_string_equal(buf, "[  0x00000abc]");
	vmm_snprintf(buf, sizeof(buf), "[%-12p]", (void *)(uintptr_t)0xabcu);
	assert_string_equal(buf, "[0x00000abc  ]");
	if (sizeof(void *) > 4) {
		/* Wider host pointers are not cut to 8 digits. */
		vmm_snprintf(buf, sizeof(buf), "%p", (void *)(uintptr_t)0x123456789aULL);
		assert_string_equal(buf, "0x123456789a");
	}
}

static void test_unknown_conversion_is_literal(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(vmm_raw(buf, sizeof(buf), "a%qb"), 4);
	assert_string_equal(buf, "a%qb");
	/* The argument is not consumed: the next conversion gets it. */
	vmm_raw(buf, sizeof(buf), "%-5q %d", 7);
	assert_string_equal(buf, "%-5q 7");
	vmm_raw(buf, sizeof(buf), "%f|%d", 3);
	assert_string_equal(buf, "%f|3");
	/* A specification cut short by the end of the format is copied as is. */
	assert_int_equal(vmm_raw(buf, sizeof(buf), "end%"), 4);
	assert_string_equal(buf, "end%");
	vmm_raw(buf, sizeof(buf), "x%-08.3l");
	assert_string_equal(buf, "x%-08.3l");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_text),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_string_precision_reads_no_further),
		cmocka_unit_test(test_signed),
		cmocka_unit_test(test_unsigned),
		cmocka_unit_test(test_powers_of_ten),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_width_precision_flags),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_measure_with_null_buffer),
		cmocka_unit_test(test_huge_width_counts_without_writing),
		cmocka_unit_test(test_null_string),
		cmocka_unit_test(test_pointer),
		cmocka_unit_test(test_unknown_conversion_is_literal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
