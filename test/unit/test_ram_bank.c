/*
 * RAM bank description checks: each rule at its last accepted and first
 * refused value, with the reason the boot log prints.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ram_bank.h"
#include "vmm/abi.h"

#define MIB (1u << 20)

static struct vmm_ram_bank ram[VMM_MAX_RAM_BANKS + 1];
static struct ram_range image, window;
static char why[128];

static int setup(void **state)
{
	(void)state;
	memset(ram, 0, sizeof(ram));
	ram[0].base = 0x40000000u;
	ram[0].size = 128 * MIB;
	image.base = 0x40100000u;
	image.size = 256u << 10;
	window.base = 0x40000000u;
	window.size = 128 * MIB;
	why[0] = '\0';
	return 0;
}

static int check(unsigned int nr)
{
	return ram_banks_check(ram, nr, &image, &window, why, sizeof(why));
}

static void expect_refused(unsigned int nr, const char *reason)
{
	assert_int_equal(check(nr), -VMM_EINVAL);
	if (!strstr(why, reason))
		fail_msg("reason '%s' does not contain '%s'", why, reason);
}

static void test_one_bank_accepted(void **state)
{
	(void)state;
	assert_int_equal(check(1), 0);
}

static void test_bank_count(void **state)
{
	unsigned int i;

	(void)state;
	expect_refused(0, "no RAM bank");
	for (i = 1; i <= VMM_MAX_RAM_BANKS; i++) {
		ram[i].base = 0x80000000u + i * 64 * MIB;
		ram[i].size = 64 * MIB;
	}
	assert_int_equal(check(VMM_MAX_RAM_BANKS), 0);
	expect_refused(VMM_MAX_RAM_BANKS + 1, "5 RAM banks described, at most 4");
}

static void test_alignment(void **state)
{
	(void)state;
	ram[1].base = 0x80000000u + MIB;
	ram[1].size = MIB;
	assert_int_equal(check(2), 0);
	ram[1].base = 0x80000000u + MIB - 4096;
	expect_refused(2, "RAM bank 1 (0x800ff000+0x00100000) is not 1 MiB aligned");
	ram[1].base = 0x80000000u;
	ram[1].size = MIB + 4096;
	expect_refused(2, "RAM bank 1 (0x80000000+0x00101000) is not 1 MiB aligned");
	ram[1].size = 0;
	expect_refused(2, "is empty");
}

static void test_end_at_4g(void **state)
{
	(void)state;
	ram[1].base = 0xFFF00000u;
	ram[1].size = MIB;               /* ends exactly at 4 GiB */
	assert_int_equal(check(2), 0);
	ram[1].size = 2 * MIB;
	expect_refused(2, "RAM bank 1 (0xfff00000+0x00200000) passes 4 GiB");
}

static void test_overlap(void **state)
{
	(void)state;
	ram[1].base = 0x40000000u + 128 * MIB; /* touching: fine */
	ram[1].size = 16 * MIB;
	assert_int_equal(check(2), 0);
	ram[1].base -= MIB;
	expect_refused(2, "RAM bank 1 (0x47f00000+0x01000000) overlaps bank 0");
	/* a bank wholly inside another, listed first */
	ram[1] = ram[0];
	ram[0].base = 0x40100000u;
	ram[0].size = MIB;
	expect_refused(2, "overlaps bank 0");
	/* the other way round: the later bank ends inside the earlier one */
	setup(state);
	ram[1].base = 0x3FF00000u;
	ram[1].size = MIB;
	assert_int_equal(check(2), 0);
	ram[1].size = 2 * MIB;
	expect_refused(2, "overlaps bank 0");
}

static void test_total_2g(void **state)
{
	(void)state;
	ram[0].base = 0x00000000u;
	ram[0].size = 0x40000000u;
	ram[1].base = 0x80000000u;
	ram[1].size = 0x40000000u; /* exactly 2 GiB together */
	image.base = 0x00100000u;
	window.base = 0;
	window.size = 256 * MIB;
	assert_int_equal(check(2), 0);
	ram[2].base = 0xC0000000u;
	ram[2].size = MIB;
	expect_refused(3, "RAM banks hold 2049 MiB, at most 2048 MiB");
}

static void test_image_and_window_in_a_bank(void **state)
{
	(void)state;
	image.base = 0x40000000u + 128 * MIB - image.size; /* last bytes of the bank */
	assert_int_equal(check(1), 0);
	image.base += 4096;
	expect_refused(1, "hypervisor image 0x47fc1000+0x00040000 is not inside one RAM bank");
	/* straddling two touching banks is not inside one */
	ram[1].base = 0x48000000u;
	ram[1].size = 16 * MIB;
	expect_refused(2, "hypervisor image");
	setup(state);
	image.base = 0x3FF00000u;
	expect_refused(1, "hypervisor image");
	setup(state);
	image.size = 0;
	expect_refused(1, "hypervisor image");
	setup(state);
	window.size = 128 * MIB + MIB;
	expect_refused(1, "RAM window 0x40000000+0x08100000 is not inside one RAM bank");
	window.size = 128 * MIB;
	window.base = 0x3FF00000u;
	expect_refused(1, "RAM window");
}

static void test_holding(void **state)
{
	(void)state;
	ram[1].base = 0x80000000u;
	ram[1].size = 16 * MIB;
	assert_int_equal(ram_bank_holding(ram, 2, 0x80000000u, 16 * MIB), 1);
	assert_int_equal(ram_bank_holding(ram, 2, 0x80000000u, 16 * MIB + 1), -1);
	assert_int_equal(ram_bank_holding(ram, 2, 0x7FFFFFFFu, 1), -1);
	assert_int_equal(ram_bank_holding(ram, 2, 0x40000000u, 1), 0);
	assert_int_equal(ram_bank_holding(ram, 1, 0x80000000u, 1), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_one_bank_accepted, setup),
		cmocka_unit_test_setup(test_bank_count, setup),
		cmocka_unit_test_setup(test_alignment, setup),
		cmocka_unit_test_setup(test_end_at_4g, setup),
		cmocka_unit_test_setup(test_overlap, setup),
		cmocka_unit_test_setup(test_total_2g, setup),
		cmocka_unit_test_setup(test_image_and_window_in_a_bank, setup),
		cmocka_unit_test_setup(test_holding, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
