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

#define MIB 0x100000u

static int devices(const struct vmm_device_region *dev, unsigned int nr, unsigned int *valid)
{
	why[0] = 0;
	return port_check_devices(dev, nr, valid, why, sizeof(why));
}

static void test_device_regions_in_whole_mib_are_accepted(void **state)
{
	struct vmm_device_region dev[VMM_MAX_DEVICE_REGIONS];
	unsigned int valid = 99, i;

	(void)state;
	assert_int_equal(devices(NULL, 0, &valid), 0);
	assert_int_equal(valid, 0);
	for (i = 0; i < VMM_MAX_DEVICE_REGIONS; i++)
		dev[i] = (struct vmm_device_region){ .phys = 0x10000000u + i * 0x1000000u, .size = MIB };
	assert_int_equal(devices(dev, VMM_MAX_DEVICE_REGIONS, &valid), 0); /* the last valid count */
	assert_int_equal(valid, VMM_MAX_DEVICE_REGIONS);
	/* the whole 255 MiB window (the last valid total), and the last MiB below 4 GiB */
	dev[0] = (struct vmm_device_region){ .phys = 0x20000000u, .size = VMM_DEVICE_VA_SIZE - MIB };
	dev[1] = (struct vmm_device_region){ .phys = 0xFFF00000u, .size = MIB };
	assert_int_equal(devices(dev, 2, &valid), 0);
	assert_int_equal(VMM_DEVICE_VA_SIZE, 255 * MIB);
	assert_null(port_check_devices(dev, 2, NULL, NULL, 0) ? "refused" : NULL); /* why and count optional */
}

static void test_bad_device_regions_are_refused_with_a_reason(void **state)
{
	struct vmm_device_region dev[VMM_MAX_DEVICE_REGIONS + 1];
	unsigned int valid, i;

	(void)state;
	for (i = 0; i <= VMM_MAX_DEVICE_REGIONS; i++)
		dev[i] = (struct vmm_device_region){ .phys = 0x10000000u + i * 0x1000000u, .size = MIB };
	assert_int_equal(devices(dev, VMM_MAX_DEVICE_REGIONS + 1, &valid), -VMM_EINVAL); /* first invalid count */
	assert_string_equal(why, "9 device regions, at most 8");
	assert_int_equal(valid, VMM_MAX_DEVICE_REGIONS);
	/* the reviewer's board: 4 KiB blocks in the same MiB */
	dev[0] = (struct vmm_device_region){ .phys = 0x1C090000u, .size = 0x1000u };
	assert_int_equal(devices(dev, 2, &valid), -VMM_EINVAL);
	assert_string_equal(why, "device region #0 (0x1c090000 + 0x1000) is not in whole, aligned MiB");
	assert_int_equal(valid, 0);
	dev[0] = (struct vmm_device_region){ .phys = 0x1C000000u, .size = MIB };
	dev[1] = (struct vmm_device_region){ .phys = 0x2C000000u, .size = 0x2000u };
	assert_int_equal(devices(dev, 2, &valid), -VMM_EINVAL);
	assert_int_equal(valid, 1); /* the good one before it is still mapped */
	dev[1] = (struct vmm_device_region){ .phys = 0x2C000000u, .size = MIB + 1 };
	assert_int_equal(devices(dev, 2, &valid), -VMM_EINVAL);
	dev[1] = (struct vmm_device_region){ .phys = 0x2C080000u, .size = MIB };
	assert_int_equal(devices(dev, 2, &valid), -VMM_EINVAL);
	dev[1] = (struct vmm_device_region){ .phys = 0x2C000000u, .size = 0 };
	assert_int_equal(devices(dev, 2, &valid), -VMM_EINVAL);
	assert_string_equal(why, "device region #1 (0x2c000000 + 0x0) is empty");
	/* past 4 GiB: the first MiB too many */
	dev[1] = (struct vmm_device_region){ .phys = 0xFFF00000u, .size = 2 * MIB };
	assert_int_equal(devices(dev, 2, &valid), -VMM_EINVAL);
	assert_string_equal(why, "device region #1 (0xfff00000 + 0x200000) passes the end of the 4 GiB address space");
	/* the window: 255 MiB in all, one MiB more is refused */
	dev[0] = (struct vmm_device_region){ .phys = 0x20000000u, .size = VMM_DEVICE_VA_SIZE };
	dev[1] = (struct vmm_device_region){ .phys = 0x40000000u, .size = MIB };
	assert_int_equal(devices(dev, 2, &valid), -VMM_EINVAL);
	assert_int_equal(valid, 1);
	assert_non_null(strstr(why, "device region #1 (0x40000000 + 0x100000) does not fit the 255 MiB device window"));
	dev[0].size = VMM_DEVICE_VA_SIZE + MIB;
	assert_int_equal(devices(dev, 1, &valid), -VMM_EINVAL);
	assert_int_equal(valid, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_range_is_32khz_to_1ghz),
		cmocka_unit_test(test_out_of_range_is_refused_with_a_reason),
		cmocka_unit_test(test_boot_powers_off_with_code_4_on_a_bad_frequency),
		cmocka_unit_test(test_boot_goes_on_with_a_good_frequency),
		cmocka_unit_test(test_device_regions_in_whole_mib_are_accepted),
		cmocka_unit_test(test_bad_device_regions_are_refused_with_a_reason),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
