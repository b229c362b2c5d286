/*
 * vmm_snprintf: see format.h for the supported subset.
 *
 * Structure: the main loop copies literal text, parses one conversion
 * specification into a struct fmt_spec, fetches its argument and hands the
 * resulting characters to emit_field(), which applies width and flags. Every
 * byte goes through struct fmt_out, the only code that touches buf.
 */
#include "format.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* <limits.h> is not on the hypervisor's allowed header list. */
#define FMT_INT_MAX ((int)(~0u >> 1))

/* The digit generator below assumes at most 20 decimal digits. */
_Static_assert(sizeof(unsigned long long) == 8, "unsigned long long must be 64-bit");

/*
 * The output sink. Only the first size-1 characters are stored; all are
 * counted in len, which saturates at SIZE_MAX instead of wrapping so a
 * pathological width can neither corrupt the count nor move the write
 * position back into the buffer.
 */
struct fmt_out {
	char *buf;
	size_t size;
	size_t len;
};

static size_t out_room(const struct fmt_out *o)
{
	if (o->size == 0 || o->len >= o->size - 1)
		return 0;
	return o->size - 1 - o->len;
}

static void out_count(struct fmt_out *o, size_t n)
{
	o->len = n > SIZE_MAX - o->len ? SIZE_MAX : o->len + n;
}

/* Appends n copies of c; beyond the buffer only counts, so huge pads are O(room). */
static void out_repeat(struct fmt_out *o, char c, size_t n)
{
	size_t stored = n < out_room(o) ? n : out_room(o);

	if (stored > 0)
		memset(o->buf + o->len, c, stored);
	out_count(o, n);
}

static void out_mem(struct fmt_out *o, const char *s, size_t n)
{
	size_t stored = n < out_room(o) ? n : out_room(o);

	if (stored > 0)
		memcpy(o->buf + o->len, s, stored);
	out_count(o, n);
}

static void out_terminate(struct fmt_out *o)
{
	if (o->size == 0)
		return;
	o->buf[o->len < o->size - 1 ? o->len : o->size - 1] = '\0';
}

enum fmt_length { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z };

/* One parsed conversion specification (everything between '%' and the conversion letter). */
struct fmt_spec {
	bool left;      /* '-': pad on the right */
	bool zero;      /* '0': pad numbers with zeros */
	bool plus;      /* '+': always print a sign for signed conversions */
	bool space;     /* ' ': print a space where '+' would go */
	bool alt;       /* '#': 0x/0X prefix for non-zero %x/%X */
	int width;      /* 0 when absent */
	int prec;       /* < 0 when absent */
	enum fmt_length length;
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Reads a decimal count, saturating at FMT_INT_MAX rather than overflowing. */
static int parse_count(const char **pp)
{
	int n = 0;

	while (is_digit(**pp)) {
		int d = **pp - '0';

		n = n > (FMT_INT_MAX - d) / 10 ? FMT_INT_MAX : n * 10 + d;
		(*pp)++;
	}
	return n;
}

static void parse_flags(const char **pp, struct fmt_spec *sp)
{
	for (;; (*pp)++) {
		switch (**pp) {
		case '-': sp->left = true; break;
		case '0': sp->zero = true; break;
		case '+': sp->plus = true; break;
		case ' ': sp->space = true; break;
		case '#': sp->alt = true; break;
		default: return;
		}
	}
}

/* A '*' width comes from an int argument; C says a negative one means '-' flag. */
static void parse_width(const char **pp, struct fmt_spec *sp, va_list *ap)
{
	if (**pp != '*') {
		sp->width = parse_count(pp);
		return;
	}
	(*pp)++;
	int w = va_arg(*ap, int);
	if (w < 0) {
		sp->left = true;
		w = w < -FMT_INT_MAX ? FMT_INT_MAX : -w;
	}
	sp->width = w;
}

/* A negative '*' precision means "no precision", as in C. */
static void parse_precision(const char **pp, struct fmt_spec *sp, va_list *ap)
{
	if (**pp != '.')
		return;
	(*pp)++;
	if (**pp == '*') {
		(*pp)++;
		int p = va_arg(*ap, int);
		sp->prec = p < 0 ? -1 : p;
	} else {
		sp->prec = parse_count(pp);
	}
}

static void parse_length(const char **pp, struct fmt_spec *sp)
{
	switch (**pp) {
	case 'h':
		(*pp)++;
		sp->length = LEN_H;
		if (**pp == 'h') {
			(*pp)++;
			sp->length = LEN_HH;
		}
		break;
	case 'l':
		(*pp)++;
		sp->length = LEN_L;
		if (**pp == 'l') {
			(*pp)++;
			sp->length = LEN_LL;
		}
		break;
	case 'z':
		(*pp)++;
		sp->length = LEN_Z;
		break;
	default:
		break;
	}
}

/*
 * Places prefix (sign, 0x), leading zeros and body inside the field width.
 * zero_pad_ok: the '0' flag applies (numbers without a precision only).
 */
static void emit_field(struct fmt_out *o, const struct fmt_spec *sp,
		       const char *prefix, size_t prefix_len, size_t zeros,
		       const char *body, size_t body_len, bool zero_pad_ok)
{
	size_t used = prefix_len + zeros + body_len;
	size_t pad = (size_t)sp->width > used ? (size_t)sp->width - used : 0;

	if (sp->left) {
		out_mem(o, prefix, prefix_len);
		out_repeat(o, '0', zeros);
		out_mem(o, body, body_len);
		out_repeat(o, ' ', pad);
	} else if (sp->zero && zero_pad_ok) {
		out_mem(o, prefix, prefix_len);
		out_repeat(o, '0', zeros);
		out_repeat(o, '0', pad);
		out_mem(o, body, body_len);
	} else {
		out_repeat(o, ' ', pad);
		out_mem(o, prefix, prefix_len);
		out_repeat(o, '0', zeros);
		out_mem(o, body, body_len);
	}
}

/* Decimal digits of v, most significant first; subtraction avoids 64-bit division. */
static size_t digits_dec(unsigned long long v, char *out)
{
	static const unsigned long long pow10[20] = {
		10000000000000000000ull, 1000000000000000000ull,
		100000000000000000ull, 10000000000000000ull,
		1000000000000000ull, 100000000000000ull, 10000000000000ull,
		1000000000000ull, 100000000000ull, 10000000000ull,
		1000000000ull, 100000000ull, 10000000ull, 1000000ull,
		100000ull, 10000ull, 1000ull, 100ull, 10ull, 1ull,
	};
	size_t n = 0;

	for (size_t i = 0; i < 20; i++) {
		char d = '0';

		while (v >= pow10[i]) {
			v -= pow10[i];
			d++;
		}
		/* Skip leading zeros but always keep the units digit. */
		if (d != '0' || n > 0 || i == 19)
			out[n++] = d;
	}
	return n;
}

static size_t digits_hex(unsigned long long v, char *out, bool upper)
{
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int shift = 60;
	size_t n = 0;

	while (shift > 0 && ((v >> shift) & 0xf) == 0)
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		out[n++] = set[(v >> shift) & 0xf];
	return n;
}

/*
 * Formats an integer given as sign + magnitude. conv is d, i, u, x, X or p.
 * A precision of 0 with a value of 0 prints no digits, as in C.
 */
static void emit_integer(struct fmt_out *o, const struct fmt_spec *sp, char conv,
			 unsigned long long mag, bool negative)
{
	bool hex = conv == 'x' || conv == 'X' || conv == 'p';
	bool is_signed = conv == 'd' || conv == 'i';
	char digits[24];
	char prefix[3];
	size_t n = 0, prefix_len = 0, zeros;

	if (!(mag == 0 && sp->prec == 0))
		n = hex ? digits_hex(mag, digits, conv == 'X') : digits_dec(mag, digits);

	if (negative)
		prefix[prefix_len++] = '-';
	else if (is_signed && sp->plus)
		prefix[prefix_len++] = '+';
	else if (is_signed && sp->space)
		prefix[prefix_len++] = ' ';
	if (conv == 'p' || (sp->alt && hex && mag != 0)) {
		prefix[prefix_len++] = '0';
		prefix[prefix_len++] = conv == 'X' ? 'X' : 'x';
	}

	zeros = sp->prec > 0 && (size_t)sp->prec > n ? (size_t)sp->prec - n : 0;
	emit_field(o, sp, prefix, prefix_len, zeros, digits, n, sp->prec < 0);
}

static long long arg_signed(va_list *ap, enum fmt_length length)
{
	switch (length) {
	case LEN_HH: return (signed char)va_arg(*ap, int);
	case LEN_H:  return (short)va_arg(*ap, int);
	case LEN_L:  return va_arg(*ap, long);
	case LEN_LL: return va_arg(*ap, long long);
	case LEN_Z:  return va_arg(*ap, ptrdiff_t); /* the signed type matching size_t */
	default:     return va_arg(*ap, int);
	}
}

static unsigned long long arg_unsigned(va_list *ap, enum fmt_length length)
{
	switch (length) {
	case LEN_HH: return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_H:  return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_L:  return va_arg(*ap, unsigned long);
	case LEN_LL: return va_arg(*ap, unsigned long long);
	case LEN_Z:  return va_arg(*ap, size_t);
	default:     return va_arg(*ap, unsigned int);
	}
}

/* strnlen is not on the allowed list; with a precision the string may lack a NUL. */
static size_t bounded_len(const char *s, int prec)
{
	size_t n = 0;

	if (prec < 0)
		return strlen(s);
	while (n < (size_t)prec && s[n] != '\0')
		n++;
	return n;
}

/* Handles one conversion letter; false if it is not one we know. */
static bool emit_conversion(struct fmt_out *o, const struct fmt_spec *sp, char conv, va_list *ap)
{
	switch (conv) {
	case '%':
		out_mem(o, "%", 1);
		return true;
	case 'c': {
		char c = (char)va_arg(*ap, int);

		emit_field(o, sp, "", 0, 0, &c, 1, false);
		return true;
	}
	case 's': {
		const char *s = va_arg(*ap, const char *);

		if (s == NULL)
			s = "(null)";
		emit_field(o, sp, "", 0, 0, s, bounded_len(s, sp->prec), false);
		return true;
	}
	case 'd':
	case 'i': {
		long long v = arg_signed(ap, sp->length);
		/* Negate in unsigned arithmetic so LLONG_MIN does not overflow. */
		unsigned long long mag = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;

		emit_integer(o, sp, conv, mag, v < 0);
		return true;
	}
	case 'u':
	case 'x':
	case 'X':
		emit_integer(o, sp, conv, arg_unsigned(ap, sp->length), false);
		return true;
	case 'p': {
		struct fmt_spec psp = *sp;

		/* Fixed 8 digits: addresses line up in logs on the 32-bit target. */
		psp.prec = 8;
		emit_integer(o, &psp, 'p', (uintptr_t)va_arg(*ap, void *), false);
		return true;
	}
	default:
		return false;
	}
}

int vmm_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	/* A NULL buffer can only mean "just measure", whatever size says. */
	struct fmt_out o = { buf, buf != NULL ? size : 0, 0 };
	const char *p = fmt != NULL ? fmt : "";
	va_list args;

	/* A local copy can be passed by pointer portably (va_list may be an array type). */
	va_copy(args, ap);
	while (*p != '\0') {
		if (*p != '%') {
			const char *run = p;

			while (*p != '\0' && *p != '%')
				p++;
			out_mem(&o, run, (size_t)(p - run));
			continue;
		}

		const char *start = p++;
		struct fmt_spec sp = { .prec = -1 };

		parse_flags(&p, &sp);
		parse_width(&p, &sp, &args);
		parse_precision(&p, &sp, &args);
		parse_length(&p, &sp);
		if (*p == '\0') {
			/* Specification cut off by the end of the format: show what there was. */
			out_mem(&o, start, (size_t)(p - start));
			break;
		}
		char conv = *p++;
		if (!emit_conversion(&o, &sp, conv, &args))
			out_mem(&o, start, (size_t)(p - start));
	}
	va_end(args);

	out_terminate(&o);
	return o.len > (size_t)FMT_INT_MAX ? -1 : (int)o.len;
}

int vmm_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vmm_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

bool vmm_streq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}
