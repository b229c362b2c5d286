/*
 * Hypercall dispatch and handlers against hostile arguments, guest memory
 * checks, event delivery and the upcall/restore_trap_frame path.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "event.h"
#include "guest_access.h"
#include "hypercall.h"
#include "test_domain.h"
#include "vmm/guest_info.h"

static struct domain *priv, *plain;

static int group_setup(void **state)
{
	(void)state;
	test_core_boot();
	plain = test_domain_create("plain", 0);
	priv = test_domain_create("priv", VMM_DOMCFG_PRIVILEGED);
	return priv && plain ? 0 : -1;
}

static int setup(void **state)
{
	(void)state;
	current = plain;
	fake_console_clear();
	return 0;
}

static long call(uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2)
{
	current->frame->r[7] = nr;
	return hypercall_dispatch(nr, a0, a1, a2, 0);
}

static void test_table_is_complete(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i <= VMM_HC_COUNT; i++)
		assert_non_null(hypercall_table[i]);
}

static void test_unknown_numbers_are_rejected_and_logged_once(void **state)
{
	static const uint32_t bad[] = {VMM_HC_COUNT, 99, 0x7fffffffu, 0xffffffffu};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(call(bad[i], 1, 2, 3), -VMM_ENOSYS);
	assert_non_null(strstr(fake_hw.console, "[VMM] dom0: hypercall 99 (unknown) is not available") ||
			strstr(fake_hw.console, "hypercall 34 (unknown) is not available"));
	fake_console_clear();
	assert_int_equal(call(VMM_HC_vm_assist, 0, 0, 0), -VMM_ENOSYS);
	assert_non_null(strstr(fake_hw.console, "vm_assist"));
	fake_console_clear();
	assert_int_equal(call(VMM_HC_vm_assist, 0, 0, 0), -VMM_ENOSYS);
	assert_int_equal(fake_hw.console_len, 0); /* logged once per number */
}

static void test_xen_version(void **state)
{
	char *buf = (char *)test_guest_ptr(plain, VMM_GUEST_BASE + 0x9000);

	(void)state;
	assert_int_equal(call(VMM_HC_xen_version, VMM_XENVER_version, 0, 0), VMM_ABI_VERSION);
	assert_int_equal(call(VMM_HC_xen_version, VMM_XENVER_extraversion, VMM_GUEST_BASE + 0x9000, 0), 0);
	assert_string_equal(buf, "-libvmm");
	assert_int_equal(call(VMM_HC_xen_version, VMM_XENVER_extraversion, 0xE0000000u, 0), -VMM_EFAULT);
	assert_int_equal(call(VMM_HC_xen_version, 1234, 0, 0), -VMM_EINVAL);
	assert_non_null(strstr(fake_hw.console, "[VMM] dom"));
}

static void test_console_write_checks_buffer(void **state)
{
	uint32_t end = VMM_GUEST_BASE + plain->mem_size;

	(void)state;
	memcpy(test_guest_ptr(plain, VMM_GUEST_BASE + 0x9000), "hi there\n", 9);
	assert_int_equal(call(VMM_HC_console_io, VMM_CONSOLEIO_write, 9, VMM_GUEST_BASE + 0x9000), 9);
	assert_non_null(strstr(fake_hw.console, "] hi there\n"));
	assert_int_equal(call(VMM_HC_console_io, VMM_CONSOLEIO_write, 8, end - 4), -VMM_EFAULT);
	assert_int_equal(call(VMM_HC_console_io, VMM_CONSOLEIO_write, 4, end - 4), 4);
	assert_int_equal(call(VMM_HC_console_io, VMM_CONSOLEIO_write, 4, 0xBFFFFFFEu), -VMM_EFAULT);
	assert_int_equal(call(VMM_HC_console_io, VMM_CONSOLEIO_write, 4096, 0xFFFFF000u), -VMM_EFAULT);
	assert_int_equal(call(VMM_HC_console_io, VMM_CONSOLEIO_write, 4097, VMM_GUEST_BASE), -VMM_E2BIG);
	assert_int_equal(call(VMM_HC_console_io, 7, 1, VMM_GUEST_BASE), -VMM_EINVAL);
}

static void test_console_read_only_foreground(void **state)
{
	char *dst = (char *)test_guest_ptr(priv, VMM_GUEST_BASE + 0xA000);

	(void)state;
	current = priv;
	assert_int_equal(call(VMM_HC_set_foreground_domain, priv->id, 0, 0), 0);
	console_rx_push('k'); /* typed for priv, the foreground domain */
	current = plain;
	assert_int_equal(call(VMM_HC_console_io, VMM_CONSOLEIO_read, 4, VMM_GUEST_BASE + 0xA000), -VMM_EPERM);
	current = priv;
	assert_int_equal(call(VMM_HC_console_io, VMM_CONSOLEIO_read, 4, 0xE0000000u), -VMM_EFAULT);
	assert_int_equal(call(VMM_HC_console_io, VMM_CONSOLEIO_read, 4, VMM_GUEST_BASE + 0xA000), 1);
	assert_int_equal(dst[0], 'k');
	assert_int_equal(call(VMM_HC_console_io, VMM_CONSOLEIO_read, 4, VMM_GUEST_BASE + 0xA000), 0);
}

static void test_foreground_needs_privilege(void **state)
{
	(void)state;
	assert_int_equal(call(VMM_HC_set_foreground_domain, priv->id, 0, 0), -VMM_EPERM);
	current = priv;
	assert_int_equal(call(VMM_HC_set_foreground_domain, 4242, 0, 0), -VMM_ESRCH);
	assert_int_equal(call(VMM_HC_set_foreground_domain, plain->id, 0, 0), 0);
	assert_int_equal(console_foreground(), plain->id);
	assert_int_equal(call(VMM_HC_set_foreground_domain, 0, 0, 0), 0);
}

static void test_sched_op_rejects_bad_commands(void **state)
{
	(void)state;
	assert_int_equal(call(VMM_HC_sched_op, 77, 0, 0), -VMM_EINVAL);
	assert_int_equal(call(VMM_HC_sched_op, VMM_SCHEDOP_shutdown, VMM_SHUTDOWN_suspend, 0), -VMM_EINVAL);
	assert_int_equal(call(VMM_HC_sched_op, VMM_SCHEDOP_shutdown, 1000, 0), -VMM_EINVAL);
	assert_int_equal(plain->state, DOMAIN_RUNNABLE);
}

static void test_guest_ranges(void **state)
{
	uint32_t size = plain->mem_size;

	(void)state;
	assert_true(guest_range_valid(plain, VMM_GUEST_BASE, size));
	assert_false(guest_range_valid(plain, VMM_GUEST_BASE, size + 1));
	assert_false(guest_range_valid(plain, VMM_GUEST_BASE - 1, 1));
	assert_false(guest_range_valid(plain, VMM_GUEST_BASE + size, 0));
	assert_true(guest_range_valid(plain, VMM_GUEST_BASE + size - 1, 1));
	assert_false(guest_range_valid(plain, VMM_GUEST_BASE + 16, 0xFFFFFFF8u));
	assert_false(guest_range_accessible(plain, 0, 4));
}

static void test_set_callbacks(void **state)
{
	(void)state;
	assert_int_equal(call(VMM_HC_set_callbacks, 0xE0000000u, 0, 0), -VMM_EFAULT);
	assert_int_equal(call(VMM_HC_set_callbacks, VMM_GUEST_BASE + 0x8000, 0x10, 0), -VMM_EFAULT);
	assert_int_equal(call(VMM_HC_set_callbacks, 0, 0, 0), -VMM_EFAULT);
	assert_int_equal(call(VMM_HC_set_callbacks, VMM_GUEST_BASE + 0x8001, 0, 0), 0);
	assert_int_equal(plain->event_callback, VMM_GUEST_BASE + 0x8001);
	/* An ARM-state entry (bit 0 clear) must be word aligned: bit 1 set would
	 * make the upcall's exception return UNPREDICTABLE. Thumb: any halfword. */
	assert_int_equal(call(VMM_HC_set_callbacks, VMM_GUEST_BASE + 0x8000, 0, 0), 0);
	assert_int_equal(call(VMM_HC_set_callbacks, VMM_GUEST_BASE + 0x8003, 0, 0), 0);
	assert_int_equal(plain->event_callback, VMM_GUEST_BASE + 0x8003);
	fake_console_clear();
	assert_int_equal(call(VMM_HC_set_callbacks, VMM_GUEST_BASE + 0x8002, 0, 0), -VMM_EINVAL);
	assert_int_equal(plain->event_callback, VMM_GUEST_BASE + 0x8003); /* unchanged */
	assert_non_null(strstr(fake_hw.console, "set_callbacks"));
}

static void test_event_send_sets_bits_unless_masked(void **state)
{
	struct vmm_shared_info *s = plain->shared;

	(void)state;
	memset(s->evtchn_pending, 0, sizeof(s->evtchn_pending));
	s->vcpu_info.evtchn_pending_sel = 0;
	s->vcpu_info.evtchn_upcall_pending = 0;
	s->evtchn_mask[1] = 1u << 3; /* port 35 masked */
	event_send(plain, 35);
	assert_int_equal(s->evtchn_pending[1], 1u << 3);
	assert_int_equal(s->vcpu_info.evtchn_upcall_pending, 0);
	event_send(plain, TEST_PORT_TIMER);
	assert_int_equal(s->evtchn_pending[0], 1u << TEST_PORT_TIMER);
	assert_int_equal(s->vcpu_info.evtchn_pending_sel, 1u);
	assert_int_equal(s->vcpu_info.evtchn_upcall_pending, 1);
	event_send(plain, VMM_NR_EVENT_PORTS); /* out of range: ignored */
	event_send(plain, 0xffffffffu);
	s->evtchn_mask[1] = 0;
}

static void test_upcall_pushes_frame_and_restore_sanitises(void **state)
{
	struct vmm_trap_frame *f = plain->frame, before, *pushed;
	uint32_t sp = VMM_GUEST_BASE + 0x20004;
	unsigned int i;

	(void)state;
	plain->event_callback = VMM_GUEST_BASE + 0x8101; /* Thumb entry */
	for (i = 0; i < 13; i++)
		f->r[i] = 100 + i;
	f->sp = sp;
	f->lr = 0xC0001234u;
	f->pc = 0xC0008040u;
	f->cpsr = 0x10 | 0x60000000u;
	before = *f;
	plain->shared->vcpu_info.evtchn_upcall_mask = 0;
	event_upcall_enter(f);

	pushed = (struct vmm_trap_frame *)test_guest_ptr(plain, (sp - 68) & ~7u);
	assert_memory_equal(pushed, &before, sizeof(before));
	assert_int_equal(f->pc, VMM_GUEST_BASE + 0x8100);
	assert_int_equal(f->cpsr, 0x10 | 0x40 | 0x20); /* USR, FIQs masked, Thumb */
	assert_int_equal(f->sp, (sp - 68) & ~7u);
	assert_int_equal(f->r[0], f->sp);
	assert_int_equal(plain->shared->vcpu_info.evtchn_upcall_mask, 1);

	/* the guest edits the frame to try to enter SVC mode with IRQs off */
	pushed->cpsr = 0x13 | 0x80 | 0x40 | 0x80000000u;
	pushed->pc = 0xC0008003u;
	pushed->r[0] = 55;
	assert_int_equal(call(VMM_HC_restore_trap_frame, f->sp, 0, 0), 55);
	assert_int_equal(f->cpsr, 0x10 | 0x40 | 0x80000000u); /* IRQs on, FIQs still masked */
	assert_int_equal(f->pc, 0xC0008000u);
	assert_int_equal(f->r[1], 101);
	assert_int_equal(f->sp, sp);
	assert_int_equal(plain->shared->vcpu_info.evtchn_upcall_mask, 0);
	assert_int_equal(call(VMM_HC_restore_trap_frame, VMM_GUEST_BASE + plain->mem_size - 4, 0, 0), -VMM_EFAULT);
}

static void test_upcall_with_bad_stack_crashes_only_that_domain(void **state)
{
	jmp_buf off;

	(void)state;
	plain->event_callback = VMM_GUEST_BASE + 0x8000;
	plain->frame->sp = 0xE0000100u; /* stack pointing into the hypervisor */
	fake_hw.poweroff_jump = &off;
	if (setjmp(off) == 0)
		event_upcall_enter(plain->frame);
	fake_hw.poweroff_jump = NULL;
	assert_int_equal(plain->state, DOMAIN_DEAD);
	assert_int_equal(plain->shutdown_reason, VMM_SHUTDOWN_crash);
	assert_int_equal(priv->state, DOMAIN_RUNNABLE);
	assert_non_null(strstr(fake_hw.console, "upcall stack 0xe0000100 not writable by the domain"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_table_is_complete, setup),
		cmocka_unit_test_setup(test_unknown_numbers_are_rejected_and_logged_once, setup),
		cmocka_unit_test_setup(test_xen_version, setup),
		cmocka_unit_test_setup(test_console_write_checks_buffer, setup),
		cmocka_unit_test_setup(test_console_read_only_foreground, setup),
		cmocka_unit_test_setup(test_foreground_needs_privilege, setup),
		cmocka_unit_test_setup(test_sched_op_rejects_bad_commands, setup),
		cmocka_unit_test_setup(test_guest_ranges, setup),
		cmocka_unit_test_setup(test_set_callbacks, setup),
		cmocka_unit_test_setup(test_event_send_sets_bits_unless_masked, setup),
		cmocka_unit_test_setup(test_upcall_pushes_frame_and_restore_sanitises, setup),
		cmocka_unit_test_setup(test_upcall_with_bad_stack_crashes_only_that_domain, setup),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
