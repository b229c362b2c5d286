/*
 * Static configuration validation: every rule rejects with a reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "config_check.h"
#include "vmm/abi.h"

static const uint8_t payload[64];

static struct vmm_domain_config doms[3];
static struct vmm_config cfg;
static char why[128];

static int setup(void **state)
{
	unsigned int i;

	(void)state;
	memset(doms, 0, sizeof(doms));
	for (i = 0; i < 3; i++) {
		doms[i].image = payload;
		doms[i].image_end = payload + sizeof(payload);
		doms[i].mem_size = 4u << 20;
	}
	doms[0].name = "dom-a";
	doms[1].name = "dom_b";
	doms[2].name = "c.3";
	memset(&cfg, 0, sizeof(cfg));
	cfg.domains = doms;
	cfg.nr_domains = 3;
	why[0] = 0;
	return 0;
}

static void expect_domain_rejected(unsigned int i, const char *reason)
{
	assert_int_equal(config_check_domain(&cfg, i, why, sizeof(why)), -VMM_EINVAL);
	assert_non_null(strstr(why, reason));
}

static void test_valid_config_passes(void **state)
{
	unsigned int i;

	(void)state;
	assert_int_equal(config_check_global(&cfg, 16, why, sizeof(why)), 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(config_check_domain(&cfg, i, why, sizeof(why)), 0);
}

static void test_global_rules(void **state)
{
	(void)state;
	cfg.nr_domains = 0;
	assert_int_equal(config_check_global(&cfg, 16, why, sizeof(why)), -VMM_EINVAL);
	assert_non_null(strstr(why, "no domains"));
	cfg.nr_domains = 17;
	assert_int_equal(config_check_global(&cfg, 16, why, sizeof(why)), -VMM_EINVAL);
	assert_non_null(strstr(why, "at most 16"));
	cfg.nr_domains = 3;
	cfg.domains = NULL;
	assert_int_equal(config_check_global(&cfg, 16, why, sizeof(why)), -VMM_EINVAL);
	cfg.domains = doms;
	cfg.mcu_us = 1000001u;
	assert_int_equal(config_check_global(&cfg, 16, why, sizeof(why)), -VMM_EINVAL);
	cfg.mcu_us = 1000000u;
	cfg.ctx_allow_us = 1000001u;
	assert_int_equal(config_check_global(&cfg, 16, why, sizeof(why)), -VMM_EINVAL);
	cfg.ctx_allow_us = 0;
	assert_int_equal(config_check_global(&cfg, 16, why, sizeof(why)), 0);
}

static void test_names(void **state)
{
	(void)state;
	doms[1].name = NULL;
	expect_domain_rejected(1, "name");
	doms[1].name = "";
	expect_domain_rejected(1, "name");
	doms[1].name = "sixteen-chars-xx";
	expect_domain_rejected(1, "name");
	doms[1].name = "bad name";
	expect_domain_rejected(1, "name");
	doms[1].name = "dom-a";
	expect_domain_rejected(1, "already used");
	assert_string_equal(config_name_printable("bad\nname"), "<invalid name>");
	assert_string_equal(config_name_printable("ok"), "ok");
}

static void test_payload_and_memory(void **state)
{
	(void)state;
	doms[0].image = NULL;
	expect_domain_rejected(0, "payload");
	doms[0].image = payload;
	doms[0].image_end = payload;
	expect_domain_rejected(0, "payload");
	doms[0].image_end = payload + sizeof(payload);
	doms[0].mem_size = (1u << 20) + 4096;
	expect_domain_rejected(0, "mem_size");
	doms[0].mem_size = 0;
	expect_domain_rejected(0, "mem_size");
	doms[0].mem_size = 512u << 20;
	expect_domain_rejected(0, "mem_size");
}

/* mem_initial: 0 (= mem_size), or whole MiB from 1 MiB up to mem_size; boundaries on both sides. */
static void test_mem_initial(void **state)
{
	static const struct {
		uint32_t size, initial;
		int ok;
	} cases[] = {
		{ 4u << 20, 0, 1 },                        /* default: static partitioning */
		{ 4u << 20, 1u << 20, 1 },                 /* the minimum */
		{ 4u << 20, 4u << 20, 1 },                 /* the maximum: equal to mem_size */
		{ 4u << 20, (4u << 20) + (1u << 20), 0 },  /* first MiB above mem_size */
		{ 4u << 20, (3u << 20) + 4096, 0 },        /* not whole MiB */
		{ 4u << 20, (1u << 20) - 4096, 0 },        /* below the minimum */
		{ 4u << 20, 4096, 0 },
		{ 4u << 20, 0x80000000u, 0 },              /* 2^31 */
		{ 4u << 20, 0xFFFFFFFFu, 0 },              /* 2^32-1 */
		{ 256u << 20, 256u << 20, 1 },             /* largest domain */
		{ 256u << 20, 257u << 20, 0 },
		{ 1u << 20, 1u << 20, 1 },                 /* smallest domain */
		{ 1u << 20, 2u << 20, 0 },
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		doms[1].mem_size = cases[i].size;
		doms[1].mem_initial = cases[i].initial;
		if (cases[i].ok) {
			assert_int_equal(config_check_domain(&cfg, 1, why, sizeof(why)), 0);
		} else {
			expect_domain_rejected(1, "mem_initial");
		}
	}
}

static void test_flags_cmdline_sched(void **state)
{
	static char longline[200];

	(void)state;
	doms[2].flags = 0x80;
	expect_domain_rejected(2, "unknown flags 0x80");
	doms[2].flags = VMM_DOMCFG_PRIVILEGED;
	memset(longline, 'a', sizeof(longline) - 1);
	doms[2].cmdline = longline;
	expect_domain_rejected(2, "cmdline");
	doms[2].cmdline = "ok";
	doms[2].sched.warp_limit_us = 4000000000u;
	expect_domain_rejected(2, "sched");
	doms[2].sched.warp_limit_us = 1000;
	assert_int_equal(config_check_domain(&cfg, 2, why, sizeof(why)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_valid_config_passes, setup),
		cmocka_unit_test_setup(test_global_rules, setup),
		cmocka_unit_test_setup(test_names, setup),
		cmocka_unit_test_setup(test_payload_and_memory, setup),
		cmocka_unit_test_setup(test_mem_initial, setup),
		cmocka_unit_test_setup(test_flags_cmdline_sched, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
