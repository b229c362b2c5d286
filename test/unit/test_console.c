/*
 * Console line discipline: whole tagged lines, no mid-line interleaving,
 * sanitised control bytes, split of over-long lines, input ring.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "console.h"
#include "fake_port.h"

static int setup(void **state)
{
	(void)state;
	fake_reset();
	return 0;
}

static void write_str(struct console_line *l, const char *tag, const char *s)
{
	console_write(l, tag, s, strlen(s));
}

static void test_partial_writes_make_one_line(void **state)
{
	struct console_line l = {0};

	(void)state;
	write_str(&l, "dom0", "hel");
	assert_int_equal(fake_hw.console_len, 0); /* nothing until the newline */
	write_str(&l, "dom0", "lo\n");
	assert_string_equal(fake_hw.console, "[dom0] hello\n");
}

static void test_sources_never_interleave_mid_line(void **state)
{
	struct console_line a = {0}, b = {0};

	(void)state;
	write_str(&a, "dom0", "3 Th");
	write_str(&b, "dom1", "4 Thr");
	write_str(&a, "dom0", "read\nAfter");
	write_str(&b, "dom1", "ead\n");
	write_str(&a, "dom0", " 3\n");
	assert_string_equal(fake_hw.console, "[dom0] 3 Thread\n[dom1] 4 Thread\n[dom0] After 3\n");
}

static void test_control_bytes_are_neutralised(void **state)
{
	struct console_line l = {0};

	(void)state;
	write_str(&l, "dom1", "a\rb\x1b[2Jc\td\n");
	assert_string_equal(fake_hw.console, "[dom1] ab?[2Jc\td\n");
}

static void test_fake_tag_stays_inside_the_line(void **state)
{
	struct console_line l = {0};

	(void)state;
	write_str(&l, "dom1", "x\n[dom0] forged\n");
	assert_string_equal(fake_hw.console, "[dom1] x\n[dom1] [dom0] forged\n");
}

static void test_long_line_is_split(void **state)
{
	struct console_line l = {0};
	char big[CONSOLE_LINE_MAX + 10];

	(void)state;
	memset(big, 'x', sizeof(big));
	console_write(&l, "d", big, sizeof(big));
	/* the first CONSOLE_LINE_MAX bytes were emitted as a line, 10 are pending */
	assert_int_equal(fake_hw.console_len, 4 + CONSOLE_LINE_MAX + 1);
	assert_int_equal(l.len, 10);
	console_flush(&l, "d");
	assert_int_equal(fake_hw.console_len, 2 * 4 + CONSOLE_LINE_MAX + 10 + 2);
	console_flush(&l, "d"); /* nothing pending: no empty line */
	assert_int_equal(fake_hw.console_len, 2 * 4 + CONSOLE_LINE_MAX + 10 + 2);
}

static void test_rx_ring_keeps_order_and_bounds(void **state)
{
	char out[CONSOLE_RX_SIZE + 8];
	size_t i, n;

	(void)state;
	assert_int_equal(console_rx_pop(out, sizeof(out)), 0);
	for (i = 0; i < CONSOLE_RX_SIZE + 5; i++)
		console_rx_push((char)('a' + i % 26));
	assert_int_equal(console_rx_pending(), CONSOLE_RX_SIZE);
	n = console_rx_pop(out, 3);
	assert_int_equal(n, 3);
	assert_memory_equal(out, "abc", 3);
	n = console_rx_pop(out, sizeof(out));
	assert_int_equal(n, CONSOLE_RX_SIZE - 3);
	assert_int_equal(out[0], 'd');
	assert_int_equal(console_rx_pending(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_partial_writes_make_one_line, setup),
		cmocka_unit_test_setup(test_sources_never_interleave_mid_line, setup),
		cmocka_unit_test_setup(test_control_bytes_are_neutralised, setup),
		cmocka_unit_test_setup(test_fake_tag_stays_inside_the_line, setup),
		cmocka_unit_test_setup(test_long_line_is_split, setup),
		cmocka_unit_test_setup(test_rx_ring_keeps_order_and_bounds, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
