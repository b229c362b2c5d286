/*
 * Board-owned interrupts (vmm_port_irq_handle()) and the interrupt contract
 * of include/vmm/port.h as irq_poll() uses it: which interrupts reach the
 * board hook, that a claimed one stays enabled, that an unowned one is
 * EOIed before it is disabled (so a mask-on-ack / unmask-on-EOI controller
 * ends with it masked), and that libvmm's own timer and console interrupts
 * never reach the board even if the board claims them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "test_domain.h"
#include "trap.h"
#include "vmm/port.h"

#define BOARD_IRQ 35 /* like the SP804 of the QEMU test BSP */

static struct domain *dom;

static int setup(void **state)
{
	(void)state;
	test_core_boot();
	if (!dom)
		dom = test_domain_create("board", VMM_DOMCFG_PRIVILEGED);
	current = dom;
	fake_console_clear();
	return dom ? 0 : -1;
}

static bool irq_enabled(unsigned int irq)
{
	return (fake_hw.irq_enabled[irq / 32] & (1u << (irq % 32))) != 0;
}

static void test_owned_irq_handled_by_board_and_kept(void **state)
{
	(void)state;
	fake_board_own(BOARD_IRQ, true);
	vmm_port_irq_enable(BOARD_IRQ);
	fake_irq_raise(BOARD_IRQ);
	irq_poll();
	assert_int_equal(fake_hw.board_calls, 1);
	assert_int_equal(fake_hw.board_handled, 1);
	assert_int_equal(fake_hw.last_board_irq, BOARD_IRQ);
	assert_int_equal(fake_hw.eois, 1);
	assert_int_equal(fake_hw.last_eoi, BOARD_IRQ);
	assert_true(irq_enabled(BOARD_IRQ));              /* still the board's */
	assert_null(strstr(fake_hw.console, "unexpected interrupt"));
}

static void test_owned_irq_every_time_it_fires(void **state)
{
	unsigned int i;

	(void)state;
	fake_board_own(BOARD_IRQ, true);
	vmm_port_irq_enable(BOARD_IRQ);
	for (i = 0; i < 100; i++) {
		fake_irq_raise(BOARD_IRQ);
		irq_poll();
	}
	assert_int_equal(fake_hw.board_handled, 100);
	assert_int_equal(fake_hw.eois, 100);
	assert_true(irq_enabled(BOARD_IRQ));
	assert_null(strstr(fake_hw.console, "unexpected interrupt"));
}

static void test_unowned_irq_eoied_then_disabled_and_logged(void **state)
{
	(void)state;
	fake_board_own(BOARD_IRQ, true);
	vmm_port_irq_enable(BOARD_IRQ + 1);
	fake_irq_raise(BOARD_IRQ + 1);                      /* the neighbour is not the board's */
	irq_poll();
	assert_int_equal(fake_hw.board_calls, 1);           /* the board was asked */
	assert_int_equal(fake_hw.board_handled, 0);
	assert_int_equal(fake_hw.last_eoi, BOARD_IRQ + 1);
	assert_false(irq_enabled(BOARD_IRQ + 1));
	assert_false(fake_hw.board_disabled_before_eoi);    /* disable came after the EOI */
	assert_non_null(strstr(fake_hw.console, "[VMM] unexpected interrupt 36 disabled\n"));
}

static void test_timer_and_console_never_reach_the_board(void **state)
{
	(void)state;
	/* A BSP that wrongly claims libvmm's interrupts still does not get them. */
	fake_board_own(FAKE_TIMER_IRQ, true);
	fake_board_own(FAKE_UART_IRQ, true);
	fake_hw.input = "x";
	fake_irq_raise(FAKE_TIMER_IRQ);
	fake_irq_raise(FAKE_UART_IRQ);
	irq_poll();
	assert_int_equal(fake_hw.board_calls, 0);
	assert_int_equal(fake_hw.eois, 2);
	assert_int_equal(*fake_hw.input, '\0');             /* console handler ran */
	assert_true(fake_hw.timer_stops >= 1);             /* timer handler ran */
}

static void test_mixed_pending_all_dispatched_in_one_poll(void **state)
{
	(void)state;
	fake_board_own(BOARD_IRQ, true);
	fake_board_own(40, true);
	vmm_port_irq_enable(BOARD_IRQ);
	vmm_port_irq_enable(40);
	vmm_port_irq_enable(50);
	fake_hw.input = "y";
	fake_irq_raise(BOARD_IRQ);
	fake_irq_raise(FAKE_UART_IRQ);
	fake_irq_raise(50);
	fake_irq_raise(40);
	irq_poll();
	assert_int_equal(fake_hw.acks, 5);                  /* four, then -1 */
	assert_int_equal(fake_hw.eois, 4);
	assert_int_equal(fake_hw.board_calls, 3);           /* 35, 50, 40: not the UART */
	assert_int_equal(fake_hw.board_handled, 2);
	assert_int_equal(fake_hw.last_board_irq, 40);
	assert_true(irq_enabled(BOARD_IRQ));
	assert_true(irq_enabled(40));
	assert_false(irq_enabled(50));
	assert_true(dom->shared->evtchn_pending[0] & (1u << TEST_PORT_CONSOLE));
}

/* Numbers start at 0 (port.h: 0..INT_MAX): a vendor controller's line 0 is an
 * interrupt like any other, only -1 from ack means "none". */
static void test_irq_number_0_is_handled(void **state)
{
	(void)state;
	fake_board_own(0, true);
	vmm_port_irq_enable(0);
	fake_irq_raise(0);
	irq_poll();
	assert_int_equal(fake_hw.board_calls, 1);
	assert_int_equal(fake_hw.board_handled, 1);
	assert_int_equal(fake_hw.last_board_irq, 0);
	assert_int_equal(fake_hw.eois, 1);
	assert_int_equal(fake_hw.last_eoi, 0);
	assert_true(irq_enabled(0));
	fake_board_own(0, false);
}

static void test_spurious_ack_calls_nothing(void **state)
{
	(void)state;
	fake_board_own(BOARD_IRQ, true);
	irq_poll();                                         /* nothing pending: -1 at once */
	assert_int_equal(fake_hw.acks, 1);
	assert_int_equal(fake_hw.eois, 0);
	assert_int_equal(fake_hw.board_calls, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_owned_irq_handled_by_board_and_kept, setup),
		cmocka_unit_test_setup(test_owned_irq_every_time_it_fires, setup),
		cmocka_unit_test_setup(test_unowned_irq_eoied_then_disabled_and_logged, setup),
		cmocka_unit_test_setup(test_timer_and_console_never_reach_the_board, setup),
		cmocka_unit_test_setup(test_mixed_pending_all_dispatched_in_one_poll, setup),
		cmocka_unit_test_setup(test_spurious_ack_calls_nothing, setup),
		cmocka_unit_test_setup(test_irq_number_0_is_handled, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
