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
#include "schedule.h"
#include "trap.h"

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

/* ---------------------------------------------------------------- output buffer */

/* One line of `len` text bytes from a domain (or the hypervisor), the UART taking whatever it can. */
static void put_source_line(const char *tag, size_t len, char fill, bool hypervisor)
{
	struct console_line l = {.hypervisor = hypervisor};
	char buf[CONSOLE_LINE_MAX];

	assert_true(len < CONSOLE_LINE_MAX);
	memset(buf, fill, len);
	buf[len] = '\n';
	console_write(&l, tag, buf, len + 1);
}

/* The buffer's own rules (whole lines, drops, order): lines that may use all of it. */
static void put_line(const char *tag, size_t len, char fill)
{
	put_source_line(tag, len, fill, true);
}

/* Transmit interrupts until the buffer is empty, each with `room` bytes free
 * in the FIFO. Returns how many there were. */
static unsigned int run_tx_interrupts(int room)
{
	unsigned int irqs = 0;

	while (fake_hw.tx_irq_on) {
		fake_hw.tx_room = room;
		console_tx_kick();
		irqs++;
		assert_true(irqs < 100000);
	}
	return irqs;
}

/* The case: one 4 KiB console_io write on a 16-byte FIFO. The write
 * returns after filling the FIFO, without waiting; the transmit interrupt
 * sends the rest, 14 bytes a time (trigger level 1/8), in order. */
static void test_4k_write_does_not_wait_on_the_wire(void **state)
{
	struct console_line l = {0};
	static char in[4096], expect[64 * 71 + 1];
	size_t i, total = 0;

	(void)state;
	for (i = 0; i < 64; i++) {          /* 64 lines of 63 bytes + newline */
		memset(in + i * 64, 'a' + (int)(i % 26), 63);
		in[i * 64 + 63] = '\n';
		memcpy(expect + total, "[dom1] ", 7);
		memcpy(expect + total + 7, in + i * 64, 64);
		total += 71;
	}
	fake_hw.tx_room = 16;
	console_write(&l, "dom1", in, sizeof(in));
	assert_int_equal(fake_hw.blocking_putcs, 0);          /* no waiting on the wire */
	assert_int_equal(fake_hw.console_len, 16);            /* just the FIFO's worth */
	assert_int_equal(console_tx_pending(), total - 16);
	assert_true(fake_hw.tx_irq_on);
	assert_int_equal(run_tx_interrupts(14), (total - 16 + 13) / 14);
	assert_int_equal(fake_hw.console_len, total);
	assert_memory_equal(fake_hw.console, expect, total);
	assert_int_equal(console_tx_pending(), 0);
	assert_false(fake_hw.tx_irq_on);
	assert_int_equal(fake_hw.blocking_putcs, 0);
}

static void test_tx_interrupt_is_on_only_while_output_waits(void **state)
{
	(void)state;
	put_line("d", 10, 'x');                  /* fast UART: sent at once */
	assert_int_equal(fake_hw.tx_irq_calls, 0);
	assert_false(fake_hw.tx_irq_on);
	fake_hw.tx_room = 0;
	put_line("d", 10, 'y');
	assert_true(fake_hw.tx_irq_on);
	put_line("d", 10, 'z');
	assert_int_equal(fake_hw.tx_irq_calls, 1); /* enabled once, not per line */
	fake_hw.tx_room = -1;
	console_tx_kick();
	assert_false(fake_hw.tx_irq_on);
	console_tx_kick();
	assert_int_equal(fake_hw.tx_irq_calls, 2);
	assert_int_equal(fake_hw.console_len, 3 * 15);
}

static void test_buffered_lines_of_sources_stay_whole_and_ordered(void **state)
{
	struct console_line a = {0}, b = {0};

	(void)state;
	fake_hw.tx_room = 3;
	write_str(&a, "dom0", "one ");
	write_str(&b, "dom1", "two\n");
	write_str(&a, "dom0", "three\n");
	run_tx_interrupts(2);
	assert_string_equal(fake_hw.console, "[dom1] two\n[dom0] one three\n");
}

/* Queues lines of 104 bytes ("[d] " + 99 + "\n") with the UART stuck, then one
 * line of 5 to 108 bytes, until `left` bytes of the buffer are free (left < 104):
 * whatever CONSOLE_TX_SIZE is. */
static void fill_tx_buffer(size_t left)
{
	fake_hw.tx_room = 0;
	while (CONSOLE_TX_SIZE - console_tx_pending() >= 104 + 5 + left)
		put_line("d", 99, 'f');
	put_line("d", CONSOLE_TX_SIZE - console_tx_pending() - left - 5, 'e');
	assert_int_equal(CONSOLE_TX_SIZE - console_tx_pending(), left);
}

static void test_line_that_fits_exactly_is_kept(void **state)
{
	(void)state;
	fill_tx_buffer(56);
	put_line("d", 51, 'k');                    /* 4 + 51 + 1 = 56: last that fits */
	assert_int_equal(console_tx_pending(), CONSOLE_TX_SIZE);
	fake_hw.tx_room = -1;
	console_tx_kick();
	assert_int_equal(fake_hw.console_len, CONSOLE_TX_SIZE);
	assert_memory_equal(fake_hw.console + CONSOLE_TX_SIZE - 56, "[d] kkk", 7);
	assert_null(strstr(fake_hw.console, "dropped"));
}

static void test_full_buffer_drops_whole_lines_and_reports_them(void **state)
{
	const char *tail;

	(void)state;
	fill_tx_buffer(56);
	put_line("d", 52, 'l');                    /* 57 bytes: first that does not fit */
	put_line("d", 35, 'm');                    /* 40 bytes fit, not with the 33-byte notice first */
	assert_int_equal(console_tx_pending(), CONSOLE_TX_SIZE - 56);
	fake_hw.tx_room = -1;
	console_tx_kick();                         /* the UART catches up */
	assert_null(strstr(fake_hw.console, "lll"));  /* never half a line */
	put_line("d", 2, 'o');
	put_line("d", 2, 'p');
	tail = fake_hw.console + fake_hw.console_len - 47;
	assert_string_equal(tail, "[VMM] console: 2 line(s) dropped\n[d] oo\n[d] pp\n");
}

/*
 * A domain writing faster than the wire never takes the last
 * CONSOLE_TX_HV_RESERVE bytes: the hypervisor's own lines (a refusal, a
 * domain's death, a panic dump before power-off) still fit, whatever a
 * domain floods. Its line that leaves exactly the reserve is kept, one byte
 * more is dropped (and counted).
 */
static void test_domain_lines_leave_room_for_the_hypervisor(void **state)
{
	const char *p;
	size_t room;
	int i, n = 0;

	(void)state;
	fake_hw.tx_room = 0;
	while (CONSOLE_TX_SIZE - console_tx_pending() >= CONSOLE_TX_HV_RESERVE + 54 + 54)
		put_source_line("d", 49, 'f', false);
	room = CONSOLE_TX_SIZE - console_tx_pending() - CONSOLE_TX_HV_RESERVE; /* 54..107 */
	put_source_line("d", room - 5, 'g', false);             /* leaves exactly the reserve: kept */
	assert_int_equal(CONSOLE_TX_SIZE - console_tx_pending(), CONSOLE_TX_HV_RESERVE);
	put_source_line("d", 1, 'h', false);                    /* 6 bytes into it: dropped */
	put_source_line("d", 0, 'i', false);                    /* even an empty line */
	assert_int_equal(CONSOLE_TX_SIZE - console_tx_pending(), CONSOLE_TX_HV_RESERVE);
	/* Five of the hypervisor's longest lines, the drop report first: all kept. */
	for (i = 0; i < 5; i++)
		put_source_line("VMM", CONSOLE_LINE_MAX - 1, 'v', true);
	fake_hw.tx_room = -1;
	console_tx_kick();
	assert_non_null(strstr(fake_hw.console, "[d] ggg"));
	assert_non_null(strstr(fake_hw.console, "[VMM] console: 2 line(s) dropped\n[VMM] vvv"));
	for (p = fake_hw.console; (p = strstr(p, "[VMM] vvv")) != NULL; p++)
		n++;
	assert_int_equal(n, 5);
	assert_null(strstr(fake_hw.console, "[d] h"));
	assert_int_equal(console_tx_pending(), 0);
}

static void test_drain_sends_everything_before_poweroff(void **state)
{
	(void)state;
	fake_hw.tx_room = 0;
	put_line("d", 20, 'q');
	put_line("d", 20, 'r');
	assert_int_equal(fake_hw.console_len, 0);
	console_tx_drain();
	assert_int_equal(fake_hw.console_len, 50);
	assert_int_equal(fake_hw.blocking_putcs, 50);
	assert_int_equal(console_tx_pending(), 0);
	assert_false(fake_hw.tx_irq_on);
}

/* Power-off sends everything still buffered, the power-off line included,
 * even on a UART that takes nothing more without waiting. */
static void test_poweroff_drains_the_buffer(void **state)
{
	jmp_buf off;

	(void)state;
	fake_hw.tx_room = 0;
	put_line("d", 20, 's');
	fake_hw.poweroff_jump = &off;
	if (setjmp(off) == 0)
		schedule_poweroff(0);
	fake_hw.poweroff_jump = NULL;
	assert_non_null(strstr(fake_hw.console, "[d] ssssssssssssssssssss\n"));
	assert_non_null(strstr(fake_hw.console, "[VMM] powering off (exit code 0)\n"));
	assert_int_equal(console_tx_pending(), 0);
}

/* The console interrupt (transmit FIFO drained) sends waiting output. */
static void test_console_interrupt_refills_the_fifo(void **state)
{
	(void)state;
	fake_hw.tx_room = 0;
	put_line("d", 20, 't');
	assert_int_equal(fake_hw.console_len, 0);
	fake_hw.tx_room = 14;
	fake_hw.pending_irq = FAKE_UART_IRQ;
	irq_poll();
	assert_int_equal(fake_hw.console_len, 14);
	assert_int_equal(fake_hw.last_eoi, FAKE_UART_IRQ);
	assert_true(fake_hw.tx_irq_on);
	fake_hw.tx_room = 14;
	fake_hw.pending_irq = FAKE_UART_IRQ;
	irq_poll();
	assert_string_equal(fake_hw.console, "[d] tttttttttttttttttttt\n");
	assert_false(fake_hw.tx_irq_on);
}

/* More than a buffer's worth of lines of varied lengths, slow UART: lines
 * straddle the end of the ring and must come out intact and in order. */
static void test_ring_wraps_keep_every_byte(void **state)
{
	static char expect[FAKE_CONSOLE_MAX];
	size_t total = 0, i;

	(void)state;
	for (i = 0; i < 800; i++) {
		size_t len = 1 + i % 97;
		char c = (char)('A' + i % 26);

		fake_hw.tx_room = 7;
		put_line("d", len, c);
		memcpy(expect + total, "[d] ", 4);
		memset(expect + total + 4, c, len);
		expect[total + 4 + len] = '\n';
		total += len + 5;
		if (i % 3 == 0)
			run_tx_interrupts(14);
	}
	run_tx_interrupts(14);
	assert_true(total > 2 * CONSOLE_TX_SIZE);
	assert_int_equal(fake_hw.console_len, total);
	assert_memory_equal(fake_hw.console, expect, total);
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
		cmocka_unit_test_setup(test_4k_write_does_not_wait_on_the_wire, setup),
		cmocka_unit_test_setup(test_tx_interrupt_is_on_only_while_output_waits, setup),
		cmocka_unit_test_setup(test_buffered_lines_of_sources_stay_whole_and_ordered, setup),
		cmocka_unit_test_setup(test_line_that_fits_exactly_is_kept, setup),
		cmocka_unit_test_setup(test_full_buffer_drops_whole_lines_and_reports_them, setup),
		cmocka_unit_test_setup(test_domain_lines_leave_room_for_the_hypervisor, setup),
		cmocka_unit_test_setup(test_drain_sends_everything_before_poweroff, setup),
		cmocka_unit_test_setup(test_poweroff_drains_the_buffer, setup),
		cmocka_unit_test_setup(test_ring_wraps_keep_every_byte, setup),
		cmocka_unit_test_setup(test_console_interrupt_refills_the_fifo, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
