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
#include "sched.h"
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

/* dom0_op from priv. A PUT decides again at once (the new values apply
 * now), which may switch to plain; the tests model priv calling again. */
static long dom0_op(uint32_t va)
{
	long rc;

	current = priv;
	rc = hypercall_dispatch(VMM_HC_dom0_op, va, 0, 0, 0);
	current = priv;
	return rc;
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
	assert_int_equal(hypercall_dispatch(VMM_HC_dom0_op, op_va, 0, 0, 0), -VMM_EPERM);
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

static void schedctl(uint32_t dir, uint64_t ctx, uint64_t mcu, uint64_t max_slice)
{
	memset(&op->u, 0, sizeof(op->u));
	op->cmd = VMM_DOM0_SCHEDCTL;
	op->u.schedctl.sched_id = VMM_SCHED_BVT;
	op->u.schedctl.direction = dir;
	op->u.schedctl.ctx_allow_ns = ctx;
	op->u.schedctl.mcu_ns = mcu;
	op->u.schedctl.max_slice_ns = max_slice;
}

/* A PUT with one bad field: -EINVAL, a [VMM] line naming the field, and the
 * values read back are the old ones. */
static void schedctl_refused(uint64_t ctx, uint64_t mcu, uint64_t max_slice, const char *field)
{
	struct sched_global_params before, after;

	sched_get_global(&before);
	fake_console_clear();
	priv->rejections_logged = 0; /* many on purpose: keep each one logged */
	schedctl(VMM_SCHED_INFO_PUT, ctx, mcu, max_slice);
	if (dom0_op(op_va) != -VMM_EINVAL)
		fail_msg("SCHEDCTL C %llu MCU %llu max slice %llu accepted", (unsigned long long)ctx,
			 (unsigned long long)mcu, (unsigned long long)max_slice);
	assert_non_null(strstr(fake_hw.console, "[VMM] dom0: dom0_op SCHEDCTL: "));
	assert_non_null(strstr(fake_hw.console, field));
	sched_get_global(&after);
	assert_memory_equal(&before, &after, sizeof(before));
}

static void schedctl_accepted(uint64_t ctx, uint64_t mcu, uint64_t max_slice)
{
	schedctl(VMM_SCHED_INFO_PUT, ctx, mcu, max_slice);
	if (dom0_op(op_va) != 0)
		fail_msg("SCHEDCTL C %llu MCU %llu max slice %llu refused", (unsigned long long)ctx,
			 (unsigned long long)mcu, (unsigned long long)max_slice);
	schedctl(VMM_SCHED_INFO_GET, 0, 0, 0);
	assert_int_equal(dom0_op(op_va), 0);
	assert_true(op->u.schedctl.ctx_allow_ns == ctx);
	assert_true(op->u.schedctl.mcu_ns == mcu);
	assert_true(op->u.schedctl.max_slice_ns == max_slice);
}

/* Every SCHEDCTL field at its last valid and first invalid value, and at 0,
 * 1, 2^31, 2^32-1 and 2^64-1. */
static void test_schedctl_extremes(void **state)
{
	static const uint64_t big[] = { UINT64_C(1) << 31, UINT32_MAX, UINT64_MAX };
	const uint64_t q = VMM_SCHED_QUANTUM_MIN_NS, ms = 1000000;
	unsigned int i;

	(void)state;
	/* C: 0 .. 1 s */
	schedctl_accepted(0, 100000, 10 * ms);
	schedctl_accepted(1, 100000, 10 * ms);
	schedctl_accepted(VMM_SCHED_CTX_ALLOW_MAX_NS, 100000, 10 * ms);
	schedctl_refused(VMM_SCHED_CTX_ALLOW_MAX_NS + 1, 100000, 10 * ms, "ctx_allow_ns");
	for (i = 0; i < 3; i++)
		schedctl_refused(big[i], 100000, 10 * ms, "ctx_allow_ns");
	/* MCU: 50 us .. 1 s */
	schedctl_refused(ms, 0, 10 * ms, "mcu_ns");
	schedctl_refused(ms, 1, 10 * ms, "mcu_ns");
	schedctl_refused(ms, q - 1, 10 * ms, "mcu_ns");
	schedctl_accepted(ms, q, 10 * ms);
	schedctl_accepted(ms, VMM_SCHED_MCU_MAX_NS, VMM_SCHED_MCU_MAX_NS);
	schedctl_refused(ms, VMM_SCHED_MCU_MAX_NS + 1, VMM_SCHED_MAX_SLICE_MAX_NS, "mcu_ns");
	for (i = 0; i < 3; i++)
		schedctl_refused(ms, big[i], VMM_SCHED_MAX_SLICE_MAX_NS, "mcu_ns");
	/* max slice: MCU .. 2 s */
	schedctl_refused(ms, q, 0, "max_slice_ns");
	schedctl_refused(ms, q, 1, "max_slice_ns");
	schedctl_refused(ms, q, q - 1, "max_slice_ns");
	schedctl_accepted(ms, q, q);
	schedctl_refused(ms, 100000, 99999, "max_slice_ns");
	schedctl_accepted(ms, 100000, 100000);
	schedctl_accepted(ms, q, VMM_SCHED_MAX_SLICE_MAX_NS);
	schedctl_refused(ms, q, VMM_SCHED_MAX_SLICE_MAX_NS + 1, "max_slice_ns");
	for (i = 0; i < 3; i++)
		schedctl_refused(ms, q, big[i], "max_slice_ns");
	schedctl_accepted(ms, 100000, 10 * ms); /* the defaults again */
}

/* The other fields: cmd, interface_version, sched_id, direction and the
 * domain id at 0, 1, 2^31 and 2^32-1 (0 and 1 are valid for some). */
static void test_header_field_extremes(void **state)
{
	static const uint32_t v[] = { 0, 1, UINT32_C(1) << 31, UINT32_MAX };
	unsigned int i;

	(void)state;
	for (i = 0; i < 4; i++) {
		priv->rejections_logged = 0;
		schedctl(VMM_SCHED_INFO_GET, 0, 0, 0);
		op->cmd = v[i]; /* 6 and 7 are the commands */
		assert_int_equal(dom0_op(op_va), -VMM_EINVAL);
		schedctl(VMM_SCHED_INFO_GET, 0, 0, 0);
		op->interface_version = v[i];
		assert_int_equal(dom0_op(op_va), -VMM_EINVAL);
		op->interface_version = VMM_DOM0_INTERFACE_VERSION;
		schedctl(VMM_SCHED_INFO_GET, 0, 0, 0);
		op->u.schedctl.sched_id = v[i];
		assert_int_equal(dom0_op(op_va), v[i] == VMM_SCHED_BVT ? 0 : -VMM_EINVAL);
		schedctl(VMM_SCHED_INFO_GET, 0, 0, 0);
		op->u.schedctl.direction = v[i];
		/* PUT (0) of all-zero values is refused too (MCU 0) */
		assert_int_equal(dom0_op(op_va), v[i] == VMM_SCHED_INFO_GET ? 0 : -VMM_EINVAL);
		adjustdom(VMM_SCHED_INFO_GET, v[i]);
		assert_int_equal(dom0_op(op_va),
				 v[i] == priv->id || v[i] == plain->id ? 0 : -VMM_ESRCH);
	}
	adjustdom(VMM_SCHED_INFO_GET, plain->id);
	op->u.adjustdom.sched_id = UINT32_MAX;
	assert_int_equal(dom0_op(op_va), -VMM_EINVAL);
	adjustdom(UINT32_MAX, plain->id);
	assert_int_equal(dom0_op(op_va), -VMM_EINVAL);
}

static void adjustdom_put(uint32_t weight, uint32_t warp, uint64_t w, uint64_t l, uint64_t u)
{
	adjustdom(VMM_SCHED_INFO_PUT, plain->id);
	op->u.adjustdom.weight = weight;
	op->u.adjustdom.warp_enabled = warp;
	op->u.adjustdom.warp_ns = w;
	op->u.adjustdom.warp_limit_ns = l;
	op->u.adjustdom.unwarp_ns = u;
}

static void adjustdom_refused(uint32_t weight, uint32_t warp, uint64_t w, uint64_t l, uint64_t u,
			      const char *field)
{
	struct sched_params before = plain->sched.params;

	fake_console_clear();
	priv->rejections_logged = 0;
	adjustdom_put(weight, warp, w, l, u);
	if (dom0_op(op_va) != -VMM_EINVAL)
		fail_msg("ADJUSTDOM %u %u %llu %llu %llu accepted", weight, warp, (unsigned long long)w,
			 (unsigned long long)l, (unsigned long long)u);
	assert_non_null(strstr(fake_hw.console, "[VMM] dom0: dom0_op ADJUSTDOM: "));
	assert_non_null(strstr(fake_hw.console, field));
	assert_memory_equal(&before, &plain->sched.params, sizeof(before));
}

static void adjustdom_accepted(uint32_t weight, uint32_t warp, uint64_t w, uint64_t l, uint64_t u)
{
	adjustdom_put(weight, warp, w, l, u);
	if (dom0_op(op_va) != 0)
		fail_msg("ADJUSTDOM %u %u %llu %llu %llu refused", weight, warp, (unsigned long long)w,
			 (unsigned long long)l, (unsigned long long)u);
	memset(&op->u, 0, sizeof(op->u));
	adjustdom(VMM_SCHED_INFO_GET, plain->id);
	assert_int_equal(dom0_op(op_va), 0);
	assert_int_equal(op->u.adjustdom.weight, weight);
	assert_int_equal(op->u.adjustdom.warp_enabled, warp);
	assert_true(op->u.adjustdom.warp_ns == w);
	assert_true(op->u.adjustdom.warp_limit_ns == l);
	assert_true(op->u.adjustdom.unwarp_ns == u);
}

/* Every ADJUSTDOM field at its last valid and first invalid value, and at
 * 0, 1, 2^31, 2^32-1 and 2^64-1 where the field is that wide. */
static void test_adjustdom_extremes(void **state)
{
	static const uint64_t big[] = { UINT64_C(1) << 31, UINT32_MAX, UINT64_MAX };
	const uint64_t q = VMM_SCHED_QUANTUM_MIN_NS, ms = 1000000;
	unsigned int i;

	(void)state;
	/* weight: 1 .. 10000 */
	adjustdom_refused(0, 0, 0, 0, 0, "weight");
	adjustdom_accepted(1, 0, 0, 0, 0);
	adjustdom_accepted(VMM_SCHED_WEIGHT_MAX, 0, 0, 0, 0);
	adjustdom_refused(VMM_SCHED_WEIGHT_MAX + 1, 0, 0, 0, 0, "weight");
	adjustdom_refused(UINT32_C(1) << 31, 0, 0, 0, 0, "weight");
	adjustdom_refused(UINT32_MAX, 0, 0, 0, 0, "weight");
	/* warp_enabled: 0 or 1 */
	adjustdom_accepted(1, 1, ms, 0, 0);
	adjustdom_refused(1, 2, ms, 0, 0, "warp_enabled");
	adjustdom_refused(1, UINT32_C(1) << 31, ms, 0, 0, "warp_enabled");
	adjustdom_refused(1, UINT32_MAX, ms, 0, 0, "warp_enabled");
	/* W: 0 .. 1 s */
	adjustdom_accepted(1, 1, 0, 0, 0);
	adjustdom_accepted(1, 1, 1, 0, 0);
	adjustdom_accepted(1, 1, VMM_SCHED_WARP_MAX_NS, 0, 0);
	adjustdom_refused(1, 1, VMM_SCHED_WARP_MAX_NS + 1, 0, 0, "warp_ns");
	for (i = 0; i < 3; i++)
		adjustdom_refused(1, 1, big[i], 0, 0, "warp_ns");
	/* L: 0 (unlimited) or 50 us .. 2^62 */
	adjustdom_refused(1, 1, ms, 1, 0, "warp_limit_ns");
	adjustdom_refused(1, 1, ms, q - 1, 0, "warp_limit_ns");
	adjustdom_accepted(1, 1, ms, q, 0);
	adjustdom_accepted(1, 1, ms, UINT64_C(1) << 31, 0);
	adjustdom_accepted(1, 1, ms, UINT32_MAX, 0);
	adjustdom_accepted(1, 1, ms, VMM_SCHED_TIME_MAX_NS, 0);
	adjustdom_refused(1, 1, ms, VMM_SCHED_TIME_MAX_NS + 1, 0, "warp_limit_ns");
	adjustdom_refused(1, 1, ms, UINT64_MAX, 0, "warp_limit_ns");
	/* U: 0 .. 2^62 */
	adjustdom_accepted(1, 1, ms, q, 1);
	adjustdom_accepted(1, 1, ms, q, UINT64_C(1) << 31);
	adjustdom_accepted(1, 1, ms, q, UINT32_MAX);
	adjustdom_accepted(1, 1, ms, q, VMM_SCHED_TIME_MAX_NS);
	adjustdom_refused(1, 1, ms, q, VMM_SCHED_TIME_MAX_NS + 1, "unwarp_ns");
	adjustdom_refused(1, 1, ms, q, UINT64_MAX, "unwarp_ns");
	adjustdom_accepted(1, 0, 0, 0, 0);
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
		cmocka_unit_test_setup(test_schedctl_extremes, setup),
		cmocka_unit_test_setup(test_adjustdom_extremes, setup),
		cmocka_unit_test_setup(test_header_field_extremes, setup),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
