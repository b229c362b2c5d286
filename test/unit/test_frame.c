/*
 * Trap frames (arch/armv7/frame.c): every frame a guest runs from has USR
 * mode, IRQs enabled and FIQs masked, whatever the guest hands back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arch.h"
#include "arm.h"

#define MODE_BITS 0x1fu

static uint32_t stack[64];

static struct vmm_trap_frame *fresh_frame(void)
{
	static uint32_t vcpu_info;

	memset(stack, 0xa5, sizeof(stack));
	return arch_frame_at_stack_top((uint8_t *)(stack + 64), &vcpu_info);
}

static void test_new_frame_masks_fiqs(void **state)
{
	struct vmm_trap_frame *f = fresh_frame();

	(void)state;
	assert_int_equal(f->cpsr, PSR_MODE_USR | PSR_F);
	assert_true(arch_frame_from_guest(f));
}

static void test_entry_masks_fiqs_in_arm_and_thumb(void **state)
{
	struct vmm_trap_frame *f = fresh_frame();

	(void)state;
	arch_frame_set_entry(f, 0xC0008000u, 0xC0100000u, 7);
	assert_int_equal(f->cpsr, PSR_MODE_USR | PSR_F);
	assert_int_equal(f->pc, 0xC0008000u);
	arch_frame_set_entry(f, 0xC0008001u, 0xC0100000u, 7);
	assert_int_equal(f->cpsr, PSR_MODE_USR | PSR_F | PSR_T);
	assert_int_equal(f->pc, 0xC0008000u);
}

/* Whatever CPSR a guest writes into a frame it hands back. */
static void test_sanitize_forces_fiqs_masked(void **state)
{
	static const uint32_t asked[] = {
		0x00000010u,                 /* USR, F clear: F gets set */
		0x00000050u,                 /* USR, F set: kept */
		0x000000d3u,                 /* SVC, I and F set */
		0x00000091u,                 /* FIQ mode, IRQs off, F clear */
		0x000001dfu,                 /* SYS, A I F */
		0xf80f0230u,                 /* every guest bit, E, Thumb */
		0xffffffffu,
		0x00000000u,
	};
	struct vmm_trap_frame f;
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(asked) / sizeof(asked[0]); i++) {
		memset(&f, 0, sizeof(f));
		f.cpsr = asked[i];
		f.pc = 0xC0008003u;
		arch_frame_sanitize(&f);
		assert_int_equal(f.cpsr & MODE_BITS, PSR_MODE_USR);
		assert_true(f.cpsr & PSR_F);                       /* FIQs masked */
		assert_false(f.cpsr & (PSR_I | PSR_A | PSR_E));     /* IRQs on, nothing else */
		assert_int_equal(f.cpsr & ~(PSR_GUEST_MASK | PSR_GUEST_FIXED), 0);
		assert_int_equal(f.cpsr & PSR_GUEST_MASK, asked[i] & PSR_GUEST_MASK);
		assert_int_equal(f.pc, (asked[i] & PSR_T) ? 0xC0008002u : 0xC0008000u);
		assert_true(arch_frame_from_guest(&f));
	}
}

static void test_from_guest_is_usr_only(void **state)
{
	struct vmm_trap_frame f = { .cpsr = PSR_MODE_SVC | PSR_F };

	(void)state;
	assert_false(arch_frame_from_guest(&f));
	f.cpsr = PSR_MODE_USR | PSR_F | PSR_I;
	assert_true(arch_frame_from_guest(&f));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_frame_masks_fiqs),
		cmocka_unit_test(test_entry_masks_fiqs_in_arm_and_thumb),
		cmocka_unit_test(test_sanitize_forces_fiqs_masked),
		cmocka_unit_test(test_from_guest_is_usr_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
