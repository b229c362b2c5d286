/*
 * Port-layer conformance: drives the core through the paths that use the
 * port hooks (interrupt dispatch, timer programming, console input, time,
 * power-off) against the fake port, and checks the hooks are used the way
 * docs/porting.md promises a BSP they will be -- and that the core relies on
 * nothing more.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hypercall.h"
#include "log.h"
#include "test_domain.h"
#include "trap.h"
#include "vmm/port.h"

static struct domain *dom;

static int setup(void **state)
{
	(void)state;
	test_core_boot();
	if (!dom)
		dom = test_domain_create("conf", VMM_DOMCFG_PRIVILEGED);
	current = dom;
	return dom ? 0 : -1;
}

static void test_irq_poll_acks_until_none_and_eois_each(void **state)
{
	(void)state;
	fake_hw.acks = fake_hw.eois = 0;
	fake_hw.pending_irq = FAKE_UART_IRQ;
	irq_poll();
	assert_int_equal(fake_hw.acks, 2);    /* the interrupt, then -1 */
	assert_int_equal(fake_hw.eois, 1);
	assert_int_equal(fake_hw.last_eoi, FAKE_UART_IRQ);
	fake_hw.acks = fake_hw.eois = 0;
	irq_poll();                            /* spurious: nothing pending */
	assert_int_equal(fake_hw.acks, 1);
	assert_int_equal(fake_hw.eois, 0);
}

static void test_unknown_irq_is_disabled(void **state)
{
	(void)state;
	vmm_port_irq_enable(50);
	fake_hw.pending_irq = 50;
	irq_poll();
	assert_false(fake_hw.irq_enabled[50 / 32] & (1u << (50 % 32)));
	assert_int_equal(fake_hw.last_eoi, 50); /* still EOIed */
}

static void test_console_input_drained_and_signalled(void **state)
{
	char buf[8] = {0};
	char *dst = (char *)test_guest_ptr(dom, VMM_GUEST_BASE + 0x9000);

	(void)state;
	fake_hw.input = "ab";
	dom->shared->evtchn_pending[0] = 0;
	fake_hw.pending_irq = FAKE_UART_IRQ;
	irq_poll();
	assert_int_equal(*fake_hw.input, '\0'); /* getc called until -1 */
	assert_true(dom->shared->evtchn_pending[0] & (1u << TEST_PORT_CONSOLE));
	assert_int_equal(hypercall_dispatch(VMM_HC_console_io, VMM_CONSOLEIO_read, 8,
					    VMM_GUEST_BASE + 0x9000, 0), 2);
	memcpy(buf, dst, 2);
	assert_string_equal(buf, "ab");
}

static void test_timer_is_one_shot_and_stopped_before_eoi(void **state)
{
	uint64_t deadline = 5000000; /* 5 ms of system time */

	(void)state;
	assert_int_equal(hypercall_dispatch(VMM_HC_set_timer_op, (uint32_t)deadline, 0, 0, 0), 0);
	assert_true(fake_hw.timer_armed);
	/* programmed no later than the deadline, in counter ticks (62.5 MHz) */
	assert_true(fake_hw.timer_count <= time_ns_to_counter(deadline));
	fake_hw.counter = time_ns_to_counter(deadline); /* time passes: the timer fires */
	fake_hw.timer_stops = 0;
	dom->shared->evtchn_pending[0] = 0;
	fake_hw.pending_irq = FAKE_TIMER_IRQ;
	irq_poll();
	assert_true(fake_hw.timer_stops >= 1);
	assert_false(fake_hw.timer_armed_at_eoi); /* silenced (stopped or moved) before EOI */
	assert_true(dom->shared->evtchn_pending[0] & (1u << TEST_PORT_TIMER));
	assert_int_equal(dom->timer_deadline, 0); /* one-shot: disarmed once fired */
}

static void test_counter_and_frequency_give_time(void **state)
{
	uint64_t t0, t1;

	(void)state;
	t0 = time_now();
	fake_hw.counter += fake_hw.counter_freq / 1000; /* 1 ms of ticks */
	t1 = time_now();
	assert_int_equal(t1 - t0, 1000000);
	assert_int_equal(time_boot_wallclock(), fake_hw.rtc);
}

/* Console output: try_putc while the UART takes bytes, the transmit
 * interrupt on only while output waits, the blocking putc never outside
 * power-off. */
static void test_console_output_never_blocks_and_uses_tx_irq(void **state)
{
	(void)state;
	fake_console_clear();
	fake_hw.blocking_putcs = 0;
	fake_hw.tx_room = 4;
	vmm_log("conformance %d", 42);
	assert_int_equal(fake_hw.console_len, 4);
	assert_true(fake_hw.tx_irq_on);
	fake_hw.tx_room = -1;
	fake_hw.pending_irq = FAKE_UART_IRQ;   /* transmit FIFO drained */
	irq_poll();
	assert_string_equal(fake_hw.console, "[VMM] conformance 42\n");
	assert_false(fake_hw.tx_irq_on);
	assert_int_equal(fake_hw.last_eoi, FAKE_UART_IRQ);
	assert_int_equal(fake_hw.blocking_putcs, 0);
}

static void test_poweroff_reports_code(void **state)
{
	jmp_buf off;

	(void)state;
	fake_hw.poweroff_jump = &off;
	if (setjmp(off) == 0)
		schedule_poweroff(7);
	fake_hw.poweroff_jump = NULL;
	assert_int_equal(fake_hw.poweroff_code, 7);
	assert_non_null(strstr(fake_hw.console, "[VMM] powering off (exit code 7)\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_irq_poll_acks_until_none_and_eois_each, setup),
		cmocka_unit_test_setup(test_unknown_irq_is_disabled, setup),
		cmocka_unit_test_setup(test_console_input_drained_and_signalled, setup),
		cmocka_unit_test_setup(test_timer_is_one_shot_and_stopped_before_eoi, setup),
		cmocka_unit_test_setup(test_counter_and_frequency_give_time, setup),
		cmocka_unit_test_setup(test_console_output_never_blocks_and_uses_tx_irq, setup),
		cmocka_unit_test_setup(test_poweroff_reports_code, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
