/*
 * Boot checks of the port's values: a counter frequency outside 32 kHz..1 GHz
 * (0 from a firmware that left CNTFRQ unset) stops the boot with a [VMM]
 * line and exit code 4 instead of dividing by zero.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fake_port.h"
#include "port_check.h"
#include "vmm/abi.h"
#include "vmm/port.h"

static char why[128];

static void test_range_is_32khz_to_1ghz(void **state)
{
	(void)state;
	assert_int_equal(VMM_PORT_FREQ_MIN, 32768);
	assert_int_equal(VMM_PORT_FREQ_MAX, 1000000000);
	assert_int_equal(port_check_counter_freq(32768, why, sizeof(why)), 0);      /* last valid */
	assert_int_equal(port_check_counter_freq(1000000000, why, sizeof(why)), 0); /* last valid */
	assert_int_equal(port_check_counter_freq(1000000, why, sizeof(why)), 0);
	assert_int_equal(port_check_counter_freq(19200000, why, sizeof(why)), 0);
	assert_int_equal(port_check_counter_freq(62500000, why, sizeof(why)), 0);
}

static void test_out_of_range_is_refused_with_a_reason(void **state)
{
	(void)state;
	assert_int_equal(port_check_counter_freq(0, why, sizeof(why)), -VMM_EINVAL);
	assert_non_null(strstr(why, "counter frequency is 0 Hz"));
	assert_int_equal(port_check_counter_freq(32767, why, sizeof(why)), -VMM_EINVAL); /* first invalid */
	assert_string_equal(why, "counter frequency 32767 Hz is outside 32768..1000000000 Hz");
	assert_int_equal(port_check_counter_freq(1000000001, why, sizeof(why)), -VMM_EINVAL);
	assert_string_equal(why, "counter frequency 1000000001 Hz is outside 32768..1000000000 Hz");
	assert_int_equal(port_check_counter_freq(1, why, sizeof(why)), -VMM_EINVAL);
	assert_int_equal(port_check_counter_freq(UINT32_MAX, why, sizeof(why)), -VMM_EINVAL);
}

static int boot_check(uint32_t freq)
{
	jmp_buf off;

	fake_reset();
	fake_hw.counter_freq = freq;
	fake_hw.poweroff_jump = &off;
	if (setjmp(off) == 0)
		port_check_boot();
	fake_hw.poweroff_jump = NULL;
	return fake_hw.poweroff_code;
}

static void test_boot_powers_off_with_code_4_on_a_bad_frequency(void **state)
{
	(void)state;
	assert_int_equal(boot_check(0), PORT_CHECK_EXIT);
	assert_int_equal(PORT_CHECK_EXIT, 4);
	assert_non_null(strstr(fake_hw.console,
		"[VMM] boot: counter frequency is 0 Hz (firmware left it unset, e.g. CNTFRQ); cannot start\n"));
	assert_non_null(strstr(fake_hw.console, "[VMM] powering off (exit code 4)"));
	assert_int_equal(boot_check(VMM_PORT_FREQ_MAX + 1), PORT_CHECK_EXIT);
	assert_int_equal(boot_check(VMM_PORT_FREQ_MIN - 1), PORT_CHECK_EXIT);
}

static void test_boot_goes_on_with_a_good_frequency(void **state)
{
	(void)state;
	assert_int_equal(boot_check(VMM_PORT_FREQ_MIN), -1);
	assert_int_equal(boot_check(VMM_PORT_FREQ_MAX), -1);
	assert_int_equal(fake_hw.console_len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_range_is_32khz_to_1ghz),
		cmocka_unit_test(test_out_of_range_is_refused_with_a_reason),
		cmocka_unit_test(test_boot_powers_off_with_code_4_on_a_bad_frequency),
		cmocka_unit_test(test_boot_goes_on_with_a_good_frequency),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
