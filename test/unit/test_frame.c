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
		/* IT bits: test_sanitize_it_bits */
		assert_int_equal(f.cpsr & PSR_GUEST_MASK & ~PSR_IT_MASK, asked[i] & PSR_GUEST_MASK & ~PSR_IT_MASK);
		assert_int_equal(f.pc, (asked[i] & PSR_T) ? 0xC0008002u : 0xC0008000u);
		assert_true(arch_frame_from_guest(&f));
	}
}

/* ITSTATE byte `it` as CPSR bits: IT[1:0] in bits 26:25, IT[7:2] in bits 15:10. */
static uint32_t cpsr_it(uint32_t it)
{
	return ((it & 0x3u) << 25) | ((it >> 2) << 10);
}

/* IT bits survive only in Thumb state and only as an ITSTATE an IT instruction can produce. */
static void test_sanitize_it_bits(void **state)
{
	static const struct { uint32_t thumb, it, kept; } cases[] = {
		{ 1, 0x01u, 1 },   /* IT[0] alone: condition 0000, last of four */
		{ 1, 0x02u, 1 },
		{ 1, 0x04u, 1 },
		{ 1, 0x08u, 1 },   /* EQ, one instruction */
		{ 1, 0x0fu, 1 },
		{ 1, 0xdfu, 1 },   /* LE with every mask bit: the last condition below "always" */
		{ 1, 0xe8u, 1 },   /* AL, one instruction */
		{ 1, 0xe4u, 1 },   /* AL, two: ITT AL */
		{ 1, 0xe1u, 1 },   /* AL, four */
		{ 1, 0xf0u, 0 },   /* IT[3:0] = 0 with the condition bits set */
		{ 1, 0x10u, 0 },   /* IT[4] alone */
		{ 1, 0xf8u, 0 },   /* condition 1111 now */
		{ 1, 0xffu, 0 },   /* every IT bit */
		{ 1, 0xecu, 0 },   /* AL then 1111 (an "else" of always) */
		{ 1, 0xe6u, 0 },   /* AL, an "else" two instructions on */
		{ 1, 0xe3u, 0 },   /* AL, an "else" in the last place */
		{ 1, 0xfcu, 0 },
		{ 0, 0x08u, 0 },   /* ARM state: no IT bits at all */
		{ 0, 0xe8u, 0 },
		{ 0, 0xffu, 0 },
	};
	struct vmm_trap_frame f;
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t t = cases[i].thumb ? PSR_T : 0;

		memset(&f, 0, sizeof(f));
		f.cpsr = t | cpsr_it(cases[i].it) | 0xf00f0000u; /* flags and GE stay whatever happens */
		f.pc = 0xC0008000u;
		arch_frame_sanitize(&f);
		assert_int_equal(f.cpsr & PSR_IT_MASK, cases[i].kept ? cpsr_it(cases[i].it) : 0);
		assert_int_equal(f.cpsr & 0xf00f0000u, 0xf00f0000u);
		assert_int_equal(f.cpsr & PSR_T, t);
	}
}

static void test_retry_undef_rewinds_by_state(void **state)
{
	struct vmm_trap_frame f = { .pc = 0xC0008004u, .cpsr = PSR_MODE_USR | PSR_F };

	(void)state;
	arch_frame_retry_undef(&f);
	assert_int_equal(f.pc, 0xC0008000u);
	f.pc = 0xC0008002u;
	f.cpsr |= PSR_T;
	arch_frame_retry_undef(&f);
	assert_int_equal(f.pc, 0xC0008000u);
}

static void test_from_guest_is_usr_only(void **state)
{
	struct vmm_trap_frame f = { .cpsr = PSR_MODE_SVC | PSR_F };

	(void)state;
	assert_false(arch_frame_from_guest(&f));
	f.cpsr = PSR_MODE_USR | PSR_F | PSR_I;
	assert_true(arch_frame_from_guest(&f));
}

/* DFSR.FS is bits 10 and 3:0: only 0b10110 and 0b11000 are asynchronous
 * (their DFAR is stale); the domain (7:4), WnR (11) and ExT (12) bits do
 * not change that. */
static void test_dfsr_async(void **state)
{
	(void)state;
	assert_true(arch_dfsr_async(0x406));   /* async external abort */
	assert_true(arch_dfsr_async(0x408));   /* async parity error */
	assert_true(arch_dfsr_async(0x1cf6));  /* ExT, WnR, domain 15, FS 0b10110 */
	assert_false(arch_dfsr_async(0x405));  /* FS 0b10101: one below */
	assert_false(arch_dfsr_async(0x407));  /* one above the first */
	assert_false(arch_dfsr_async(0x409));  /* one above the second */
	assert_false(arch_dfsr_async(0x006));  /* 0b00110: access flag, section (bit 10 clear) */
	assert_false(arch_dfsr_async(0x008));  /* 0b01000: synchronous external abort */
	assert_false(arch_dfsr_async(0x005));  /* translation fault */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_frame_masks_fiqs),
		cmocka_unit_test(test_entry_masks_fiqs_in_arm_and_thumb),
		cmocka_unit_test(test_sanitize_forces_fiqs_masked),
		cmocka_unit_test(test_dfsr_async),
		cmocka_unit_test(test_from_guest_is_usr_only),
		cmocka_unit_test(test_sanitize_it_bits),
		cmocka_unit_test(test_retry_undef_rewinds_by_state),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
