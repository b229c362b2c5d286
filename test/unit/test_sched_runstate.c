/*
 * vcpu_op(get_runstate_info): a domain reads its own CPU time (running,
 * runnable, blocked, in ns, and when it was last switched in), through the
 * hypercall, with the whole core on the fake port: argument checks at the
 * last valid and first invalid values, exact accounting across yields,
 * blocks and wake-ups, and monotonic numbers over a long random run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hypercall.h"
#include "runstate.h"
#include "test_domain.h"
#include "vmm/hypercall.h"
#include "vmm/vcpu_op.h"

#define MS 1000000ull
#define TICKS_PER_MS 62500ull /* fake counter: 62.5 MHz */
#define INFO_OFF 0x9000u

static struct domain *a, *b;

static int group_setup(void **state)
{
	(void)state;
	test_core_boot();
	a = test_domain_create("a", 0);
	b = test_domain_create("b", 0);
	return a && b ? 0 : -1;
}

static void advance_ms(uint64_t ms)
{
	fake_hw.counter += ms * TICKS_PER_MS;
}

static long vcpu_op(uint32_t cmd, uint32_t vcpuid, uint32_t arg)
{
	return hypercall_dispatch(VMM_HC_vcpu_op, cmd, vcpuid, arg, 0);
}

/* The running domain's runstate, through the hypercall. */
static struct vmm_vcpu_runstate_info get(void)
{
	struct vmm_vcpu_runstate_info info;

	assert_int_equal(vcpu_op(VMM_VCPUOP_get_runstate_info, 0, VMM_GUEST_BASE + INFO_OFF), 0);
	memcpy(&info, test_guest_ptr(current, VMM_GUEST_BASE + INFO_OFF), sizeof(info));
	return info;
}

static uint64_t sum(const struct vmm_vcpu_runstate_info *r)
{
	return r->time[0] + r->time[1] + r->time[2] + r->time[3];
}

static void test_layout(void **state)
{
	(void)state;
	/* Xen's struct vcpu_runstate_info on 32-bit ARM. */
	assert_int_equal(sizeof(struct vmm_vcpu_runstate_info), 48);
	assert_int_equal(offsetof(struct vmm_vcpu_runstate_info, state_entry_time), 8);
	assert_int_equal(offsetof(struct vmm_vcpu_runstate_info, time), 16);
}

static void test_bad_arguments(void **state)
{
	uint32_t end = VMM_GUEST_BASE + current->mem_size;

	(void)state;
	schedule();
	fake_console_clear();
	current->rejections_logged = 0;
	assert_int_equal(vcpu_op(VMM_VCPUOP_get_runstate_info, 1, VMM_GUEST_BASE + INFO_OFF), -VMM_EINVAL);
	assert_non_null(strstr(fake_hw.console, "vcpu_op: no vcpu 1"));
	assert_int_equal(vcpu_op(VMM_VCPUOP_get_runstate_info, UINT32_MAX, VMM_GUEST_BASE + INFO_OFF),
			 -VMM_EINVAL);
	assert_int_equal(vcpu_op(3, 0, VMM_GUEST_BASE + INFO_OFF), -VMM_EINVAL);
	assert_int_equal(vcpu_op(5, 0, VMM_GUEST_BASE + INFO_OFF), -VMM_EINVAL);
	assert_non_null(strstr(fake_hw.console, "vcpu_op: unknown command 5"));
	/* The struct must lie wholly in the caller's memory. */
	assert_int_equal(vcpu_op(VMM_VCPUOP_get_runstate_info, 0, end - 48), 0);
	assert_int_equal(vcpu_op(VMM_VCPUOP_get_runstate_info, 0, end - 47), -VMM_EFAULT);
	assert_non_null(strstr(fake_hw.console, "get_runstate_info: 0x"));
	assert_int_equal(vcpu_op(VMM_VCPUOP_get_runstate_info, 0, 0), -VMM_EFAULT);
	assert_int_equal(vcpu_op(VMM_VCPUOP_get_runstate_info, 0, VMM_GUEST_BASE - 48), -VMM_EFAULT);
	assert_int_equal(vcpu_op(VMM_VCPUOP_get_runstate_info, 0, 0xE0000000u), -VMM_EFAULT);
	assert_int_equal(vcpu_op(VMM_VCPUOP_get_runstate_info, 0, UINT32_MAX - 8), -VMM_EFAULT);
	/* The wrapper's number and argument order. */
	assert_int_equal(VMM_HC_vcpu_op, 24);
}

/*
 * x runs 3 ms, yields; y runs 5 ms, blocks; x runs 2 ms: x has run 5 ms,
 * waited 5 ms, blocked 0, and entered "running" when it got the CPU back.
 * y is woken 4 ms after it blocked and runs: it has been blocked exactly 4 ms.
 */
static void test_exact_accounting(void **state)
{
	struct vmm_vcpu_runstate_info x0, x1, y0, y1;
	struct domain *x, *y;
	uint64_t back;

	(void)state;
	schedule();
	x = current;
	y = x == a ? b : a;
	x0 = get();
	assert_int_equal(x0.state, VMM_RUNSTATE_running);
	assert_int_equal(x0.pad, 0);
	assert_true(x0.time[VMM_RUNSTATE_offline] == 0);

	advance_ms(3);
	assert_int_equal(hypercall_dispatch(VMM_HC_sched_op, VMM_SCHEDOP_yield, 0, 0, 0), 0);
	assert_ptr_equal(current, y);
	y0 = get();
	advance_ms(5);
	assert_int_equal(hypercall_dispatch(VMM_HC_sched_op, VMM_SCHEDOP_block, 0, 0, 0), 0);
	assert_ptr_equal(current, x);
	back = time_now();
	advance_ms(2);
	x1 = get();
	assert_true(x1.time[VMM_RUNSTATE_running] - x0.time[VMM_RUNSTATE_running] == 5 * MS);
	assert_true(x1.time[VMM_RUNSTATE_runnable] - x0.time[VMM_RUNSTATE_runnable] == 5 * MS);
	assert_true(x1.time[VMM_RUNSTATE_blocked] == x0.time[VMM_RUNSTATE_blocked]);
	assert_true(sum(&x1) - sum(&x0) == 10 * MS);
	assert_true(x1.state_entry_time == back);

	advance_ms(2);
	schedule_wake(y); /* e.g. its timer: blocked from 8 to 12 ms after x0 */
	assert_int_equal(hypercall_dispatch(VMM_HC_sched_op, VMM_SCHEDOP_yield, 0, 0, 0), 0);
	assert_ptr_equal(current, y);
	y1 = get();
	assert_true(y1.time[VMM_RUNSTATE_blocked] - y0.time[VMM_RUNSTATE_blocked] == 4 * MS);
	assert_true(y1.time[VMM_RUNSTATE_running] - y0.time[VMM_RUNSTATE_running] == 5 * MS);
	/* From y0 (3 ms after x0) to y1 (12 ms): 5 running, 4 blocked, and no
	 * wait after its wake-up (x yielded at once). */
	assert_true(sum(&y1) - sum(&y0) == 9 * MS);
	assert_true(y1.time[VMM_RUNSTATE_runnable] == y0.time[VMM_RUNSTATE_runnable]);
	assert_true(y1.state_entry_time == time_now());
}

/* Many random steps: every entry is non-decreasing, the sum grows by the
 * time that passed, and running never exceeds the CPU time the hypervisor
 * reports. */
static void test_monotonic(void **state)
{
	struct vmm_vcpu_runstate_info last[2];
	uint64_t last_now[2];
	uint32_t seed = 12345;
	int i, k;

	(void)state;
	schedule();
	memset(last, 0, sizeof(last));
	memset(last_now, 0, sizeof(last_now));
	for (i = 0; i < 5000; i++) {
		struct vmm_vcpu_runstate_info r;
		int me = current == a ? 0 : 1;
		uint64_t now;

		seed = seed * 1103515245u + 12345u;
		fake_hw.counter += (seed >> 8) % (3 * TICKS_PER_MS);
		r = get();
		now = time_now();
		for (k = 0; k < 4; k++)
			assert_true(r.time[k] >= last[me].time[k]);
		if (last_now[me])
			assert_true(sum(&r) - sum(&last[me]) == now - last_now[me]);
		assert_true(r.state_entry_time <= now);
		assert_true(r.time[VMM_RUNSTATE_running] ==
			    current->cpu_time_ns + (now - current->run_start_ns));
		last[me] = r;
		last_now[me] = now;
		switch ((seed >> 20) % 4) {
		case 0:
			hypercall_dispatch(VMM_HC_sched_op, VMM_SCHEDOP_yield, 0, 0, 0);
			break;
		case 1: {
			struct domain *other = current == a ? b : a;

			if (other->state == DOMAIN_RUNNABLE)
				hypercall_dispatch(VMM_HC_sched_op, VMM_SCHEDOP_block, 0, 0, 0);
			break;
		}
		case 2:
			schedule_wake(a);
			schedule_wake(b);
			schedule_if_needed();
			break;
		default:
			schedule_timer_interrupt();
			schedule_if_needed();
			break;
		}
		assert_non_null(current);
	}
}

/*
 * A later domain in the same slot starts afresh: nothing blocked or waited
 * before its first wake-up is counted. (The domain table does not reuse a
 * dead domain's slot today, so this drives the accounting directly.)
 */
static void test_slot_reuse_starts_afresh(void **state)
{
	static struct domain old, new;
	struct vmm_vcpu_runstate_info r;

	(void)state;
	old.slot = new.slot = VMM_MAX_DOMAINS - 1;
	old.id = 100;
	new.id = 101;
	runstate_wake(&old, 1 * MS);
	runstate_block(&old, 2 * MS);
	runstate_wake(&old, 5 * MS);
	old.run_start_ns = 5 * MS;
	runstate_get(&old, 6 * MS, &r);
	assert_true(r.time[VMM_RUNSTATE_blocked] == 3 * MS);
	assert_true(sum(&r) == 5 * MS);
	runstate_block(&old, 7 * MS);

	runstate_wake(&new, 20 * MS);
	new.run_start_ns = 21 * MS;
	runstate_get(&new, 24 * MS, &r);
	assert_true(r.time[VMM_RUNSTATE_blocked] == 0);
	assert_true(r.time[VMM_RUNSTATE_running] == 3 * MS);
	assert_true(r.time[VMM_RUNSTATE_runnable] == 1 * MS);
	assert_true(sum(&r) == 4 * MS);
	assert_true(r.state_entry_time == 21 * MS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_exact_accounting),
		cmocka_unit_test(test_monotonic),
		cmocka_unit_test(test_slot_reuse_starts_afresh),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
