/*
 * Per-domain CPU state (core/vcpu_state.c): lazy VFP switching and the
 * thread registers, against the fake CPU (test/fake/fake_port.c models
 * arch_switch's TPIDR swap and FPU switch-off).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arm.h"
#include "test_domain.h"
#include "vcpu_state.h"
#include "vmm/vcpu_op.h"

long hc_vcpu_op(uint32_t cmd, uint32_t vcpuid, uint32_t arg, uint32_t a3);

static struct domain *a, *b;

static int group_setup(void **state)
{
	(void)state;
	test_core_boot();
	b = test_domain_create("b", 0);
	a = test_domain_create("a", 0);
	return a && b ? 0 : -1;
}

static void reset_vcpu(struct domain *d)
{
	d->hctx.tpidrurw = d->hctx.tpidruro = d->hctx.vfp_on = 0;
	memset(&d->vfp, 0, sizeof(d->vfp));
}

static int setup(void **state)
{
	(void)state;
	memset(&fake_cpu, 0, sizeof(fake_cpu));
	fake_cpu.vfp_regs = 32;
	vcpu_state_init();
	reset_vcpu(a);
	reset_vcpu(b);
	current = a;
	return 0;
}

/* The undefined-instruction frame of an FPU instruction at pc (ARM or Thumb). */
static struct vmm_trap_frame undef_frame(uint32_t pc, bool thumb)
{
	struct vmm_trap_frame f;

	memset(&f, 0, sizeof(f));
	f.cpsr = PSR_MODE_USR | PSR_F | (thumb ? PSR_T : 0);
	f.pc = pc + (thumb ? 2 : 4); /* lr of the undefined-instruction exception */
	return f;
}

/* What the scheduler does: arch_switch from current to d. */
static void switch_to(struct domain *d)
{
	struct domain *prev = current;

	current = d;
	arch_switch(&prev->hctx, &d->hctx);
}

static void test_boot_leaves_fpu_off(void **state)
{
	(void)state;
	assert_int_equal(vcpu_vfp_regs(), 32);
	assert_false(fake_cpu.fpexc_en);
	assert_null(vcpu_vfp_owner());
	assert_true(fake_cpu.user_regs_init); /* ThumbEE locked at boot (vcpu_state_init) */
}

static void test_first_use_loads_and_retries(void **state)
{
	struct vmm_trap_frame f = undef_frame(0xC0009000u, false);

	(void)state;
	fake_cpu.d[3] = 0x1234; /* stale hardware content from before boot */
	assert_true(vcpu_vfp_trap(a, &f));
	assert_int_equal(f.pc, 0xC0009000u);          /* the instruction runs again */
	assert_true(fake_cpu.fpexc_en);
	assert_ptr_equal(vcpu_vfp_owner(), a);
	assert_int_equal(fake_cpu.vfp_loads, 1);
	assert_int_equal(fake_cpu.vfp_saves, 0);       /* nobody owned it */
	assert_int_equal(fake_cpu.d[3], 0);            /* a's fresh state: zeros */
	/* Already on: a second trap is a genuine undefined instruction. */
	f = undef_frame(0xC0009004u, false);
	assert_false(vcpu_vfp_trap(a, &f));
	assert_int_equal(f.pc, 0xC0009008u);           /* left alone for the fault path */
}

static void test_thumb_retry(void **state)
{
	struct vmm_trap_frame f = undef_frame(0xC000A002u, true);

	(void)state;
	assert_true(vcpu_vfp_trap(a, &f));
	assert_int_equal(f.pc, 0xC000A002u);
}

static void test_two_domains_keep_their_registers(void **state)
{
	struct vmm_trap_frame f = undef_frame(0xC0009000u, false);
	unsigned int i;

	(void)state;
	assert_true(vcpu_vfp_trap(a, &f));
	for (i = 0; i < 32; i++)
		fake_cpu.d[i] = 0xA000 + i;
	fake_cpu.fpscr = 0x03000000u;
	switch_to(b);
	assert_false(fake_cpu.fpexc_en);               /* switched off for b */
	f = undef_frame(0xC0009000u, false);
	assert_true(vcpu_vfp_trap(b, &f));
	assert_int_equal(fake_cpu.vfp_saves, 1);       /* a's state went to a->vfp */
	for (i = 0; i < 32; i++)
		assert_int_equal(fake_cpu.d[i], 0);    /* nothing of a's */
	assert_int_equal(fake_cpu.fpscr, 0);
	fake_cpu.d[31] = 0xB031;
	switch_to(a);
	f = undef_frame(0xC0009000u, false);
	assert_true(vcpu_vfp_trap(a, &f));
	for (i = 0; i < 32; i++)
		assert_int_equal(fake_cpu.d[i], 0xA000 + i);
	assert_int_equal(fake_cpu.fpscr, 0x03000000u);
	assert_int_equal(b->vfp.d[31], 0xB031);
}

/* The owner comes back without anyone else using the FPU: no copy at all. */
static void test_owner_returns_without_copy(void **state)
{
	struct vmm_trap_frame f = undef_frame(0xC0009000u, false);

	(void)state;
	assert_true(vcpu_vfp_trap(a, &f));
	switch_to(b);
	switch_to(a);
	assert_false(fake_cpu.fpexc_en);
	f = undef_frame(0xC0009000u, false);
	assert_true(vcpu_vfp_trap(a, &f));
	assert_int_equal(fake_cpu.vfp_loads, 1);
	assert_int_equal(fake_cpu.vfp_saves, 0);
	assert_int_equal(fake_cpu.vfp_enables, 1);
}

/* A switch from a domain that never enabled the FPU leaves it as it is. */
static void test_switch_without_fpu_use(void **state)
{
	(void)state;
	fake_cpu.fpexc_en = false;
	switch_to(b);
	switch_to(a);
	assert_false(fake_cpu.fpexc_en);
	assert_int_equal(a->hctx.vfp_on, 0);
	assert_int_equal(b->hctx.vfp_on, 0);
}

static void test_dead_owner_is_not_saved(void **state)
{
	struct vmm_trap_frame f = undef_frame(0xC0009000u, false);
	struct domain *c = test_domain_create("c", 0);

	(void)state;
	assert_non_null(c);
	assert_true(vcpu_vfp_trap(c, &f));
	fake_cpu.d[0] = 0xdead;
	switch_to(b);
	domain_kill(c, VMM_SHUTDOWN_crash);
	assert_null(vcpu_vfp_owner());
	f = undef_frame(0xC0009000u, false);
	assert_true(vcpu_vfp_trap(b, &f));
	assert_int_equal(fake_cpu.vfp_saves, 0);
	assert_int_equal(fake_cpu.d[0], 0);            /* b loaded its own over it */
}

static void test_no_vfp_is_genuine_undef(void **state)
{
	struct vmm_trap_frame f = undef_frame(0xC0009000u, false);

	(void)state;
	fake_cpu.vfp_regs = 0;
	vcpu_state_init();
	assert_int_equal(vcpu_vfp_regs(), 0);
	assert_false(vcpu_vfp_trap(a, &f));
	assert_int_equal(f.pc, 0xC0009004u);
	assert_false(fake_cpu.fpexc_en);
}

static void test_d16_core_copies_16(void **state)
{
	struct vmm_trap_frame f = undef_frame(0xC0009000u, false);

	(void)state;
	fake_cpu.vfp_regs = 16;
	vcpu_state_init();
	assert_true(vcpu_vfp_trap(a, &f));
	fake_cpu.d[15] = 15;
	switch_to(b);
	f = undef_frame(0xC0009000u, false);
	assert_true(vcpu_vfp_trap(b, &f));
	assert_int_equal(a->vfp.d[15], 15);
	assert_int_equal(fake_cpu.d[15], 0);
}

/* TPIDRURW goes with the domain; the next finds its own value, not the other's. */
static void test_tpidrurw_switched(void **state)
{
	(void)state;
	fake_cpu.tpidrurw = 0xAAAA0001u;   /* a writes it */
	switch_to(b);
	assert_int_equal(fake_cpu.tpidrurw, 0);
	fake_cpu.tpidrurw = 0xBBBB0002u;
	switch_to(a);
	assert_int_equal(fake_cpu.tpidrurw, 0xAAAA0001u);
	switch_to(b);
	assert_int_equal(fake_cpu.tpidrurw, 0xBBBB0002u);
}

static void test_set_tls(void **state)
{
	(void)state;
	current = a;
	assert_int_equal(hc_vcpu_op(VMM_VCPUOP_set_tls, 0, 0xFFFFFFFFu, 0), 0);
	assert_int_equal(fake_cpu.tpidruro, 0xFFFFFFFFu);
	switch_to(b);
	assert_int_equal(fake_cpu.tpidruro, 0);       /* b's own (never set) */
	assert_int_equal(hc_vcpu_op(VMM_VCPUOP_set_tls, 0, 0, 0), 0);
	switch_to(a);
	assert_int_equal(fake_cpu.tpidruro, 0xFFFFFFFFu);
	/* Not the current domain: stored, the register untouched. */
	assert_int_equal(vcpu_set_tls(b, 7), 0);
	assert_int_equal(fake_cpu.tpidruro, 0xFFFFFFFFu);
	assert_int_equal(b->hctx.tpidruro, 7);
	/* vcpuid other than 0 and unknown commands are refused. */
	assert_int_equal(hc_vcpu_op(VMM_VCPUOP_set_tls, 1, 5, 0), -VMM_EINVAL);
	assert_int_equal(fake_cpu.tpidruro, 0xFFFFFFFFu);
	assert_int_equal(hc_vcpu_op(VMM_VCPUOP_set_tls + 1, 0, 5, 0), -VMM_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_boot_leaves_fpu_off, setup),
		cmocka_unit_test_setup(test_first_use_loads_and_retries, setup),
		cmocka_unit_test_setup(test_thumb_retry, setup),
		cmocka_unit_test_setup(test_two_domains_keep_their_registers, setup),
		cmocka_unit_test_setup(test_owner_returns_without_copy, setup),
		cmocka_unit_test_setup(test_switch_without_fpu_use, setup),
		cmocka_unit_test_setup(test_dead_owner_is_not_saved, setup),
		cmocka_unit_test_setup(test_no_vfp_is_genuine_undef, setup),
		cmocka_unit_test_setup(test_d16_core_copies_16, setup),
		cmocka_unit_test_setup(test_tpidrurw_switched, setup),
		cmocka_unit_test_setup(test_set_tls, setup),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
