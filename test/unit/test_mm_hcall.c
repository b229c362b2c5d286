/*
 * The memory hypercalls through the dispatcher on a domain the builder
 * made: mmu_update (1), multicall (13), update_va_mapping (14) and
 * mmuext_op (26) reach the domain's page-table state (its tables, its
 * owner id, its rejection counter, its slot's TLB), multicall runs only the
 * batchable numbers, and no flush is left pending on return.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "guest_access.h"
#include "hypercall.h"
#include "pt_ops.h"
#include "test_domain.h"
#include "vmm/guest_info.h"
#include "vmm/mmu.h"

static struct domain *dom;
#define ARGS (VMM_GUEST_BASE + 0x9000u)

static int group_setup(void **state)
{
	(void)state;
	test_core_boot();
	dom = test_domain_create("mem", 0);
	return dom ? 0 : -1;
}

static int setup(void **state)
{
	(void)state;
	current = dom;
	fake_console_clear();
	return 0;
}

static long call(uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3)
{
	current->frame->r[7] = nr;
	return hypercall_dispatch(nr, a0, a1, a2, a3);
}

static void test_space_set_up_by_builder(void **state)
{
	(void)state;
	assert_ptr_equal(dom->pt.ops, &pt_domain_ops);
	assert_ptr_equal(dom->pt.ctx, dom);
	assert_int_equal(dom->pt.base_mfn, dom->l1_mfn);
	assert_int_equal(dom->pt.owner, dom->id);
	assert_ptr_equal(dom->pt.rejections_logged, &dom->rejections_logged);
	assert_int_equal(dom->pt.hv_first, VMM_HYPERVISOR_VA_BASE >> 20);
	assert_int_equal(dom->pt.hv_l1[0], FAKE_HV_ENTRY(0xE00));
	assert_false(dom->pt.flush_pending);
	/* twice the sections that map the reservation once, plus 16 */
	assert_int_equal(dom->pt.max_sections, VMM_L1_SECTION_LIMIT(dom->max_pages));
	assert_int_equal(VMM_L1_SECTION_LIMIT(0), 16);
	assert_int_equal(VMM_L1_SECTION_LIMIT(1), 18);
	assert_int_equal(VMM_L1_SECTION_LIMIT(256), 18);
	assert_int_equal(VMM_L1_SECTION_LIMIT(257), 20);
	assert_int_equal(VMM_L1_SECTION_LIMIT(4096), 48);
}

static void test_mmu_update_dispatched(void **state)
{
	uint32_t done = 77, before = dom->rejections_logged;
	struct vmm_mmu_update req = { .ptr = dom->l1_mfn << 12, .val = 0 };

	(void)state;
	assert_int_equal(call(VMM_HC_mmu_update, ARGS, 0, ARGS + 0x100, VMM_DOMID_SELF), 0);
	assert_int_equal(guest_copy_from(dom, &done, ARGS + 0x100, 4), 0);
	assert_int_equal(done, 0);
	/* A foreign domain id is refused and logged on the domain's own counter. */
	assert_int_equal(call(VMM_HC_mmu_update, ARGS, 1, 0, 0), -VMM_EPERM);
	assert_int_equal(dom->rejections_logged, before + 1);
	assert_non_null(strstr(fake_hw.console, "mmu_update: foreign domain"));
	/* An entry in the hypervisor's half of the L1. */
	req.ptr = (dom->l1_mfn << 12) + 0xE00 * 4;
	assert_int_equal(guest_copy_to(dom, ARGS, &req, sizeof(req)), 0);
	assert_int_equal(call(VMM_HC_mmu_update, ARGS, 1, ARGS + 0x100, VMM_DOMID_SELF), -VMM_EPERM);
	/* Entry 0 of the L1 (VA 0, fault today) set to fault again: accepted. */
	req.ptr = dom->l1_mfn << 12;
	assert_int_equal(guest_copy_to(dom, ARGS, &req, sizeof(req)), 0);
	assert_int_equal(call(VMM_HC_mmu_update, ARGS, 1, ARGS + 0x100, VMM_DOMID_SELF), 0);
	assert_int_equal(guest_copy_from(dom, &done, ARGS + 0x100, 4), 0);
	assert_int_equal(done, 1);
}

static void test_update_va_mapping_dispatched(void **state)
{
	(void)state;
	assert_int_equal(call(VMM_HC_update_va_mapping, VMM_HYPERVISOR_VA_BASE, 0, 0, 0), -VMM_EPERM);
	assert_int_equal(call(VMM_HC_update_va_mapping, VMM_HYPERVISOR_VA_BASE - 4096, 0, 0, 0), -VMM_EINVAL);
	assert_int_equal(call(VMM_HC_update_va_mapping, 0x1000, 0, 3, 0), -VMM_EINVAL);
	assert_non_null(strstr(fake_hw.console, "update_va_mapping"));
}

static void test_mmuext_flush_uses_domain_slot(void **state)
{
	struct vmm_mmuext_op op = { .cmd = VMM_MMUEXT_INVLPG_LOCAL, .arg1 = 0x12345678u };
	unsigned int flushes = fake_mmu.flush_va;

	(void)state;
	assert_int_equal(guest_copy_to(dom, ARGS, &op, sizeof(op)), 0);
	assert_int_equal(call(VMM_HC_mmuext_op, ARGS, 1, 0, VMM_DOMID_SELF), 0);
	assert_int_equal(fake_mmu.flush_va, flushes + 1);
	assert_int_equal(fake_mmu.flushed_slot, dom->slot);
	assert_int_equal(fake_mmu.flushed_va, 0x12345678u);
	op.cmd = VMM_MMUEXT_TLB_FLUSH_LOCAL;
	op.arg1 = 0;
	flushes = fake_mmu.asid_flushes;
	assert_int_equal(guest_copy_to(dom, ARGS, &op, sizeof(op)), 0);
	assert_int_equal(call(VMM_HC_mmuext_op, ARGS, 1, 0, VMM_DOMID_SELF), 0);
	assert_int_equal(fake_mmu.asid_flushes, flushes + 1);
	/* The current L1 cannot be unpinned. */
	op.cmd = VMM_MMUEXT_UNPIN_TABLE;
	op.arg1 = dom->l1_mfn;
	assert_int_equal(guest_copy_to(dom, ARGS, &op, sizeof(op)), 0);
	assert_int_equal(call(VMM_HC_mmuext_op, ARGS, 1, 0, VMM_DOMID_SELF), -VMM_EBUSY);
}

static void test_multicall_dispatches_allowed_only(void **state)
{
	struct vmm_multicall_entry mc[3];
	unsigned int i;

	(void)state;
	memset(mc, 0, sizeof(mc));
	mc[0].op = VMM_HC_xen_version;
	mc[0].args[0] = VMM_XENVER_version;
	mc[1].op = VMM_HC_multicall;     /* nested: not batchable */
	mc[2].op = VMM_HC_update_va_mapping;
	mc[2].args[0] = VMM_HYPERVISOR_VA_BASE;
	assert_int_equal(guest_copy_to(dom, ARGS, mc, sizeof(mc)), 0);
	assert_int_equal(call(VMM_HC_multicall, ARGS, 3, 0, 0), 0);
	assert_int_equal(guest_copy_from(dom, mc, ARGS, sizeof(mc)), 0);
	assert_int_equal(mc[0].result, VMM_ABI_VERSION);
	assert_int_equal(mc[1].result, -VMM_EINVAL);
	assert_int_equal(mc[2].result, -VMM_EPERM);
	assert_int_equal(call(VMM_HC_multicall, ARGS, VMM_MULTICALL_MAX + 1, 0, 0), -VMM_E2BIG);
	assert_int_equal(call(VMM_HC_multicall, 0xE0000000u, 1, 0, 0), -VMM_EFAULT);
	assert_false(dom->pt.flush_pending);
	/* A flush a batched call left pending is done before the guest runs again. */
	dom->pt.flush_pending = true;
	i = fake_mmu.asid_flushes;
	assert_int_equal(call(VMM_HC_multicall, ARGS, 1, 0, 0), 0);
	assert_false(dom->pt.flush_pending);
	assert_int_equal(fake_mmu.asid_flushes, i + 1);
	assert_ptr_equal(fake_mmu.flushed_cache, &dom->asids);
}

/* Counter ticks in VMM_BATCH_BUDGET_NS at the fake port's 62.5 MHz (16 ns a tick). */
#define BUDGET_TICKS (VMM_BATCH_BUDGET_NS / 16u)

/* n INVLPG ops at ARGS (they read no clock) */
static void put_invlpg_ops(unsigned int n)
{
	struct vmm_mmuext_op op = { .cmd = VMM_MMUEXT_INVLPG_LOCAL, .arg1 = 0x1000u };
	unsigned int i;

	for (i = 0; i < n; i++)
		assert_int_equal(guest_copy_to(dom, ARGS + i * sizeof(op), &op, sizeof(op)), 0);
}

static uint32_t done_word(void)
{
	uint32_t done = 0;

	assert_int_equal(guest_copy_from(dom, &done, ARGS + 0x800, 4), 0);
	return done;
}

/*
 * The hypervisor is not preemptible: a batch (an mmuext_op of 64 pins of L1
 * tables full of sections, 64 of those in a multicall) held the CPU for
 * seconds to minutes. Now a batch stops before its next element once
 * VMM_BATCH_BUDGET_NS have passed since the outermost batch began: -EAGAIN,
 * `done` (mmuext_op) or the entry's result (multicall) say where to go on;
 * the first element always runs. The fake counter advances `counter_step`
 * per read: the check before element i sees i steps.
 */
static void test_mmuext_stops_at_time_budget(void **state)
{
	unsigned int flushes = fake_mmu.flush_va;

	(void)state;
	put_invlpg_ops(4);
	/* last valid: one tick short of the budget before op 1, over it before op 2 */
	fake_hw.counter_step = BUDGET_TICKS - 1;
	assert_int_equal(call(VMM_HC_mmuext_op, ARGS, 4, ARGS + 0x800, VMM_DOMID_SELF), -VMM_EAGAIN);
	assert_int_equal(done_word(), 2);
	assert_int_equal(fake_mmu.flush_va, flushes + 2);
	/* first invalid: the budget reached before op 1; op 0 still runs */
	fake_console_clear();
	fake_hw.counter_step = BUDGET_TICKS;
	assert_int_equal(call(VMM_HC_mmuext_op, ARGS, 4, ARGS + 0x800, VMM_DOMID_SELF), -VMM_EAGAIN);
	assert_int_equal(done_word(), 1);
	assert_int_equal(fake_mmu.flush_va, flushes + 3);
	assert_non_null(strstr(fake_hw.console, "mmuext_op: stopped before op 1 of 4"));
	/* a single op never stops; time standing still never stops */
	assert_int_equal(call(VMM_HC_mmuext_op, ARGS, 1, ARGS + 0x800, VMM_DOMID_SELF), 0);
	fake_hw.counter_step = 0;
	assert_int_equal(call(VMM_HC_mmuext_op, ARGS, 4, ARGS + 0x800, VMM_DOMID_SELF), 0);
	assert_int_equal(done_word(), 4);
}

static void test_multicall_stops_at_time_budget(void **state)
{
	struct vmm_multicall_entry mc[3];
	unsigned int i;

	(void)state;
	memset(mc, 0, sizeof(mc));
	for (i = 0; i < 3; i++) {
		mc[i].op = VMM_HC_xen_version;
		mc[i].args[0] = VMM_XENVER_version;
		mc[i].result = 1234;
	}
	assert_int_equal(guest_copy_to(dom, ARGS + 0x400, mc, sizeof(mc)), 0);
	fake_hw.counter_step = BUDGET_TICKS - 1;
	assert_int_equal(call(VMM_HC_multicall, ARGS + 0x400, 3, 0, 0), -VMM_EAGAIN);
	assert_int_equal(guest_copy_from(dom, mc, ARGS + 0x400, sizeof(mc)), 0);
	assert_int_equal(mc[0].result, VMM_ABI_VERSION);
	assert_int_equal(mc[1].result, VMM_ABI_VERSION);
	assert_int_equal(mc[2].result, -VMM_EAGAIN); /* not run */
	for (i = 0; i < 3; i++)
		mc[i].result = 1234;
	assert_int_equal(guest_copy_to(dom, ARGS + 0x400, mc, sizeof(mc)), 0);
	fake_hw.counter_step = BUDGET_TICKS;
	assert_int_equal(call(VMM_HC_multicall, ARGS + 0x400, 3, 0, 0), -VMM_EAGAIN);
	assert_int_equal(guest_copy_from(dom, mc, ARGS + 0x400, sizeof(mc)), 0);
	assert_int_equal(mc[0].result, VMM_ABI_VERSION);
	assert_int_equal(mc[1].result, -VMM_EAGAIN);
	assert_int_equal(mc[2].result, 1234); /* after the stop: untouched */
	/* the budget spans a batched mmuext_op: it stops inside, then the multicall */
	put_invlpg_ops(4);
	mc[0].op = VMM_HC_mmuext_op;
	mc[0].args[0] = ARGS;
	mc[0].args[1] = 4;
	mc[0].args[2] = ARGS + 0x800;
	mc[0].args[3] = VMM_DOMID_SELF;
	mc[1].result = 1234;
	assert_int_equal(guest_copy_to(dom, ARGS + 0x400, mc, sizeof(mc)), 0);
	fake_hw.counter_step = BUDGET_TICKS - 1;
	assert_int_equal(call(VMM_HC_multicall, ARGS + 0x400, 2, 0, 0), -VMM_EAGAIN);
	assert_int_equal(guest_copy_from(dom, mc, ARGS + 0x400, sizeof(mc)), 0);
	assert_int_equal(mc[0].result, -VMM_EAGAIN);
	assert_int_equal(done_word(), 2);
	assert_int_equal(mc[1].result, -VMM_EAGAIN);
	fake_hw.counter_step = 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_space_set_up_by_builder, setup),
		cmocka_unit_test_setup(test_mmu_update_dispatched, setup),
		cmocka_unit_test_setup(test_update_va_mapping_dispatched, setup),
		cmocka_unit_test_setup(test_mmuext_flush_uses_domain_slot, setup),
		cmocka_unit_test_setup(test_multicall_dispatches_allowed_only, setup),
		cmocka_unit_test_setup(test_mmuext_stops_at_time_budget, setup),
		cmocka_unit_test_setup(test_multicall_stops_at_time_budget, setup),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
