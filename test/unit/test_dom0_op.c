/*
 * dom0_op scheduler control: privilege, pointer, version, id and parameter
 * checks, and that PUT/GET really change/read the scheduler's values.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hypercall.h"
#include "test_domain.h"
#include "vmm/dom0_op.h"

static struct domain *priv, *plain;
static struct vmm_dom0_op *op;   /* inside priv's memory */
static uint32_t op_va;

static int group_setup(void **state)
{
	(void)state;
	test_core_boot();
	priv = test_domain_create("priv", VMM_DOMCFG_PRIVILEGED);
	plain = test_domain_create("plain", 0);
	op_va = VMM_GUEST_BASE + 0x9000;
	op = (struct vmm_dom0_op *)(test_guest_ptr(priv, VMM_GUEST_BASE + 0x9000));
	return priv && plain ? 0 : -1;
}

static int setup(void **state)
{
	(void)state;
	current = priv;
	memset(op, 0, sizeof(*op));
	op->interface_version = VMM_DOM0_INTERFACE_VERSION;
	fake_console_clear();
	return 0;
}

static long dom0_op(uint32_t va)
{
	return hypercall_dispatch(VMM_HC_dom0_op, va, 0, 0, 0);
}

static void adjustdom(uint32_t dir, uint32_t domain)
{
	op->cmd = VMM_DOM0_ADJUSTDOM;
	op->u.adjustdom.sched_id = VMM_SCHED_BVT;
	op->u.adjustdom.direction = dir;
	op->u.adjustdom.domain = domain;
}

static void test_unprivileged_caller_gets_eperm(void **state)
{
	(void)state;
	current = plain;
	assert_int_equal(dom0_op(op_va), -VMM_EPERM);
	assert_non_null(strstr(fake_hw.console, "dom0_op: not privileged"));
}

static void test_bad_pointer_version_cmd(void **state)
{
	(void)state;
	assert_int_equal(dom0_op(0xE0000000u), -VMM_EFAULT);
	assert_int_equal(dom0_op(VMM_GUEST_BASE + priv->mem_size - 8), -VMM_EFAULT);
	op->interface_version = 0x1234;
	op->cmd = VMM_DOM0_SCHEDCTL;
	assert_int_equal(dom0_op(op_va), -VMM_EINVAL);
	op->interface_version = VMM_DOM0_INTERFACE_VERSION;
	op->cmd = 99;
	assert_int_equal(dom0_op(op_va), -VMM_EINVAL);
	adjustdom(7, plain->id);
	assert_int_equal(dom0_op(op_va), -VMM_EINVAL);
	adjustdom(VMM_SCHED_INFO_GET, plain->id);
	op->u.adjustdom.sched_id = 2;
	assert_int_equal(dom0_op(op_va), -VMM_EINVAL);
}

static void test_adjustdom_unknown_domain(void **state)
{
	(void)state;
	adjustdom(VMM_SCHED_INFO_GET, 4242);
	assert_int_equal(dom0_op(op_va), -VMM_ESRCH);
	assert_non_null(strstr(fake_hw.console, "no domain 4242"));
}

static void test_adjustdom_put_then_get(void **state)
{
	(void)state;
	adjustdom(VMM_SCHED_INFO_PUT, plain->id);
	op->u.adjustdom.weight = 3;
	op->u.adjustdom.warp_enabled = 1;
	op->u.adjustdom.warp_ns = 5000000;
	op->u.adjustdom.warp_limit_ns = 2000000;
	op->u.adjustdom.unwarp_ns = 10000000;
	assert_int_equal(dom0_op(op_va), 0);
	assert_int_equal(plain->sched.params.weight, 3);
	assert_true(plain->sched.params.warp_enabled);

	memset(&op->u, 0, sizeof(op->u));
	adjustdom(VMM_SCHED_INFO_GET, plain->id);
	assert_int_equal(dom0_op(op_va), 0);
	assert_int_equal(op->u.adjustdom.weight, 3);
	assert_int_equal(op->u.adjustdom.warp_enabled, 1);
	assert_int_equal(op->u.adjustdom.warp_ns, 5000000);
	assert_int_equal(op->u.adjustdom.warp_limit_ns, 2000000);
	assert_int_equal(op->u.adjustdom.unwarp_ns, 10000000);
}

static void test_adjustdom_rejects_bad_values(void **state)
{
	(void)state;
	adjustdom(VMM_SCHED_INFO_PUT, plain->id);
	op->u.adjustdom.weight = 0;
	assert_int_equal(dom0_op(op_va), -VMM_EINVAL);
	op->u.adjustdom.weight = 1;
	op->u.adjustdom.warp_enabled = 2;
	assert_int_equal(dom0_op(op_va), -VMM_EINVAL);
	op->u.adjustdom.warp_enabled = 1;
	op->u.adjustdom.warp_ns = UINT64_MAX;
	assert_int_equal(dom0_op(op_va), -VMM_EINVAL);
	assert_int_equal(plain->sched.params.weight, 3); /* unchanged from before */
}

static void test_schedctl_put_then_get(void **state)
{
	(void)state;
	op->cmd = VMM_DOM0_SCHEDCTL;
	op->u.schedctl.sched_id = VMM_SCHED_BVT;
	op->u.schedctl.direction = VMM_SCHED_INFO_PUT;
	op->u.schedctl.ctx_allow_ns = 2000000;
	op->u.schedctl.mcu_ns = 50000;
	op->u.schedctl.max_slice_ns = 20000000;
	assert_int_equal(dom0_op(op_va), 0);
	memset(&op->u, 0, sizeof(op->u));
	op->u.schedctl.sched_id = VMM_SCHED_BVT;
	op->u.schedctl.direction = VMM_SCHED_INFO_GET;
	assert_int_equal(dom0_op(op_va), 0);
	assert_int_equal(op->u.schedctl.ctx_allow_ns, 2000000);
	assert_int_equal(op->u.schedctl.mcu_ns, 50000);
	assert_int_equal(op->u.schedctl.max_slice_ns, 20000000);
	op->u.schedctl.direction = VMM_SCHED_INFO_PUT;
	op->u.schedctl.mcu_ns = 0;
	assert_int_equal(dom0_op(op_va), -VMM_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_unprivileged_caller_gets_eperm, setup),
		cmocka_unit_test_setup(test_bad_pointer_version_cmd, setup),
		cmocka_unit_test_setup(test_adjustdom_unknown_domain, setup),
		cmocka_unit_test_setup(test_adjustdom_put_then_get, setup),
		cmocka_unit_test_setup(test_adjustdom_rejects_bad_values, setup),
		cmocka_unit_test_setup(test_schedctl_put_then_get, setup),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
