/*
 * Virtual kernel/user modes and the trap bounce (core/vtrap.c, with the
 * hypercall slow path, the fault path, the upcall and restore_trap_frame):
 * transitions and their DACR values, set_trap_table validation, and the
 * bounce frame of every trap kind from both modes; fast system calls (the
 * flag, the words entry.S reads, the C bounce and return and their CPSR
 * rules).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arm.h"
#include "event.h"
#include "hypercall.h"
#include "test_domain.h"
#include "trap.h"
#include "vtrap.h"
#include "vmm/mmu.h"

#define MEM_END   (VMM_GUEST_BASE + (1u << 20))
#define TABLE_VA  (VMM_GUEST_BASE + 0x40000u)
#define KSTACK    (VMM_GUEST_BASE + 0x30000u)   /* kernel stack top */
#define USTACK    (VMM_GUEST_BASE + 0x50000u)
#define H_SYSCALL (VMM_GUEST_BASE + 0x9000u)
#define H_UNDEF   (VMM_GUEST_BASE + 0x9101u)    /* Thumb handler */
#define H_PABT    (VMM_GUEST_BASE + 0x9200u)
#define H_DABT    (VMM_GUEST_BASE + 0x9300u)

/* Trap kinds of entry.S (trap.c). */
#define KIND_DABT 0
#define KIND_PABT 1
#define KIND_UNDEF 2

static struct domain *d, *other;
static const int kernel_table_tag, user_table_tag, user_fast_table_tag;

static int group_setup(void **state)
{
	(void)state;
	test_core_boot();
	vtrap_init(&kernel_table_tag, &user_table_tag, &user_fast_table_tag);
	return 0;
}

static uint32_t svc_table_of(const struct domain *x)
{
	return *(const uint32_t *)((const uint8_t *)x->frame + FRAME_SIZE + FRAME_SVC_TABLE);
}

static void put_table(const struct vmm_trap_table *t)
{
	memcpy(test_guest_ptr(d, TABLE_VA), t, sizeof(*t));
}

static const struct vmm_trap_table full_table = {
	.handler = { H_SYSCALL, H_UNDEF, H_PABT, H_DABT },
	.kernel_sp = KSTACK,
};

/* d is reused while it lives (domain slots are not reused in a program). */
static int setup(void **state)
{
	(void)state;
	if (!other)
		other = test_domain_create("other", 0);
	if (!d || d->state == DOMAIN_DEAD)
		d = test_domain_create("d", 0);
	assert_non_null(d);
	assert_non_null(other);
	current = d;
	memset(&d->traps, 0, sizeof(d->traps));
	d->trap_flags = 0;
	vtrap_set_mode(d, VMM_VMODE_KERNEL);
	d->hctx.vfp_on = 0;
	d->event_callback = 0;
	memset(d->frame, 0, sizeof(*d->frame));
	d->frame->cpsr = PSR_MODE_USR | PSR_F;
	fake_console_clear();
	put_table(&full_table);
	return 0;
}

static long call(uint32_t nr, uint32_t a0, uint32_t a1)
{
	d->frame->r[7] = nr;
	return hypercall_dispatch(nr, a0, a1, 0, 0);
}

/* Puts d in virtual user mode running at pc with sp, through restore_trap_frame. */
static void enter_user(uint32_t pc, uint32_t sp)
{
	struct vmm_trap_frame u;

	memset(&u, 0, sizeof(u));
	u.pc = pc;
	u.sp = sp;
	u.r[0] = 0x11;
	u.cpsr = PSR_MODE_USR | VMM_PSR_VUSER;
	memcpy(test_guest_ptr(d, USTACK), &u, sizeof(u));
	assert_int_equal(call(VMM_HC_restore_trap_frame, USTACK, 0), 0x11);
	assert_int_equal(vtrap_mode(d), VMM_VMODE_USER);
}

static const struct vmm_trap_bounce *bounce_at(uint32_t va)
{
	return test_guest_ptr(d, va);
}

static void test_new_domain_is_kernel_mode(void **state)
{
	(void)state;
	assert_int_equal(vtrap_mode(d), VMM_VMODE_KERNEL);
	assert_int_equal(d->shared->vcpu_info.vmode, VMM_VMODE_KERNEL);
	assert_int_equal(d->hctx.dacr, VTRAP_DACR_KERNEL);
	assert_int_equal(svc_table_of(d), (uint32_t)(uintptr_t)&kernel_table_tag);
}

/* DACR: ARM domain 2 (guest kernel) no access in user mode only; 0 and 1 client in both. */
static void test_dacr_values(void **state)
{
	(void)state;
	assert_int_equal((VTRAP_DACR_KERNEL >> (2 * VMM_ARM_DOMAIN_GUEST_KERNEL)) & 3u, 1u);
	assert_int_equal((VTRAP_DACR_USER >> (2 * VMM_ARM_DOMAIN_GUEST_KERNEL)) & 3u, 0u);
	assert_int_equal((VTRAP_DACR_USER >> (2 * VMM_ARM_DOMAIN_GUEST_USER)) & 3u, 1u);
	assert_int_equal((VTRAP_DACR_USER >> (2 * VMM_ARM_DOMAIN_HYP)) & 3u, 1u);
	assert_int_equal((VTRAP_DACR_KERNEL >> (2 * VMM_ARM_DOMAIN_HYP)) & 3u, 1u);
	assert_int_equal((VTRAP_DACR_KERNEL >> (2 * VMM_ARM_DOMAIN_GUEST_USER)) & 3u, 1u);
}

static void test_restore_to_user_and_back(void **state)
{
	unsigned int writes;

	(void)state;
	assert_int_equal(call(VMM_HC_set_trap_table, TABLE_VA, 0), 0);
	writes = fake_cpu.dacr_writes;
	enter_user(0xC0020000u, 0xC0021000u);
	assert_int_equal(d->shared->vcpu_info.vmode, VMM_VMODE_USER);
	assert_int_equal(fake_cpu.dacr, VTRAP_DACR_USER);       /* d runs: written now */
	assert_int_equal(fake_cpu.dacr_writes, writes + 1);
	assert_int_equal(d->hctx.dacr, VTRAP_DACR_USER);
	assert_int_equal(svc_table_of(d), (uint32_t)(uintptr_t)&user_table_tag);
	assert_int_equal(d->frame->cpsr & VMM_PSR_VUSER, 0);    /* never reaches the CPU */
	assert_int_equal(d->frame->cpsr & PSR_MODE_MASK, PSR_MODE_USR);
	/* a syscall bounces back into kernel mode */
	vtrap_user_svc(0, 0, 0, 0);
	assert_int_equal(vtrap_mode(d), VMM_VMODE_KERNEL);
	assert_int_equal(fake_cpu.dacr, VTRAP_DACR_KERNEL);
	assert_int_equal(svc_table_of(d), (uint32_t)(uintptr_t)&kernel_table_tag);
	/* a frame without the bit stays in kernel mode: no DACR write */
	writes = fake_cpu.dacr_writes;
	memset(test_guest_ptr(d, USTACK), 0, sizeof(struct vmm_trap_frame));
	call(VMM_HC_restore_trap_frame, USTACK, 0);
	assert_int_equal(vtrap_mode(d), VMM_VMODE_KERNEL);
	assert_int_equal(fake_cpu.dacr_writes, writes);
}

/* The DACR goes with the domain on a switch. */
static void test_dacr_follows_switch(void **state)
{
	(void)state;
	call(VMM_HC_set_trap_table, TABLE_VA, 0);
	enter_user(0xC0020000u, 0xC0021000u);
	current = other;
	arch_switch(&d->hctx, &other->hctx);
	assert_int_equal(fake_cpu.dacr, VTRAP_DACR_KERNEL);
	current = d;
	arch_switch(&other->hctx, &d->hctx);
	assert_int_equal(fake_cpu.dacr, VTRAP_DACR_USER);
	/* a domain not running changes mode without touching the register */
	vtrap_set_mode(other, VMM_VMODE_USER);
	assert_int_equal(fake_cpu.dacr, VTRAP_DACR_USER);
	assert_int_equal(other->hctx.dacr, VTRAP_DACR_USER);
	vtrap_set_mode(d, VMM_VMODE_KERNEL);
	assert_int_equal(fake_cpu.dacr, VTRAP_DACR_KERNEL);
}

static void test_set_trap_table_validation(void **state)
{
	struct vmm_trap_table t;
	unsigned int i;

	(void)state;
	assert_int_equal(call(VMM_HC_set_trap_table, TABLE_VA, 0), 0);
	assert_int_equal(d->traps.handler[VMM_TRAP_undefined], H_UNDEF);
	assert_int_equal(d->traps.kernel_sp, KSTACK);
	/* the table itself: last valid place and first invalid */
	memcpy(test_guest_ptr(d, MEM_END - sizeof(t)), &full_table, sizeof(t));
	assert_int_equal(call(VMM_HC_set_trap_table, MEM_END - sizeof(t), 0), 0);
	assert_int_equal(call(VMM_HC_set_trap_table, MEM_END - sizeof(t) + 1, 0), -VMM_EFAULT);
	assert_int_equal(call(VMM_HC_set_trap_table, VMM_GUEST_BASE - 4, 0), -VMM_EFAULT);
	assert_int_equal(call(VMM_HC_set_trap_table, 0xE0100000u, 0), -VMM_EFAULT);
	/* each handler: last valid word, first invalid, hypervisor memory */
	for (i = 0; i < VMM_TRAP_NR; i++) {
		t = full_table;
		t.handler[i] = MEM_END - 4;
		put_table(&t);
		assert_int_equal(call(VMM_HC_set_trap_table, TABLE_VA, 0), 0);
		t.handler[i] = MEM_END - 3; /* Thumb bit: the word at MEM_END - 4 */
		put_table(&t);
		assert_int_equal(call(VMM_HC_set_trap_table, TABLE_VA, 0), 0);
		t.handler[i] = MEM_END;
		put_table(&t);
		assert_int_equal(call(VMM_HC_set_trap_table, TABLE_VA, 0), -VMM_EFAULT);
		t.handler[i] = VMM_GUEST_BASE - 4;
		put_table(&t);
		assert_int_equal(call(VMM_HC_set_trap_table, TABLE_VA, 0), -VMM_EFAULT);
		t.handler[i] = 0xE0000000u;
		put_table(&t);
		assert_int_equal(call(VMM_HC_set_trap_table, TABLE_VA, 0), -VMM_EFAULT);
		assert_int_equal(d->traps.handler[i], MEM_END - 3); /* refusals change nothing */
	}
	/* kernel stack: top of memory is the last valid, alignment, below memory */
	t = full_table;
	t.kernel_sp = MEM_END;
	put_table(&t);
	assert_int_equal(call(VMM_HC_set_trap_table, TABLE_VA, 0), 0);
	t.kernel_sp = MEM_END + 8;
	put_table(&t);
	assert_int_equal(call(VMM_HC_set_trap_table, TABLE_VA, 0), -VMM_EFAULT);
	t.kernel_sp = VMM_GUEST_BASE + 8;
	put_table(&t);
	assert_int_equal(call(VMM_HC_set_trap_table, TABLE_VA, 0), 0);
	t.kernel_sp = VMM_GUEST_BASE;
	put_table(&t);
	assert_int_equal(call(VMM_HC_set_trap_table, TABLE_VA, 0), -VMM_EFAULT);
	t.kernel_sp = KSTACK + 4;
	put_table(&t);
	assert_int_equal(call(VMM_HC_set_trap_table, TABLE_VA, 0), -VMM_EINVAL);
	assert_int_equal(d->traps.kernel_sp, VMM_GUEST_BASE + 8);
	assert_non_null(strstr(fake_hw.console, "[VMM] dom"));
	assert_non_null(strstr(fake_hw.console, "set_trap_table"));
	/* kernel_sp 0: no kernel stack, accepted; a trap from user mode then crashes */
	t = full_table;
	t.kernel_sp = 0;
	put_table(&t);
	assert_int_equal(call(VMM_HC_set_trap_table, TABLE_VA, 0), 0);
	assert_int_equal(d->traps.kernel_sp, 0);
	/* 0 clears every handler */
	assert_int_equal(call(VMM_HC_set_trap_table, 0, 0), 0);
	for (i = 0; i < VMM_TRAP_NR; i++)
		assert_int_equal(d->traps.handler[i], 0);
	assert_int_equal(d->traps.kernel_sp, 0);
}

/*
 * An ARM-state handler (bit 0 clear) must be word aligned: the bounce, the
 * fast bounce (entry.S) and the upcall enter it by an exception return, which
 * is UNPREDICTABLE (at PL1, where the hypervisor runs it) for an ARM-state pc
 * with bit 1 set. Thumb handlers (bit 0 set) may sit on any halfword. Each
 * handler: +0 and +1, +3 accepted, +2 refused with nothing changed.
 */
static void test_set_trap_table_arm_alignment(void **state)
{
	struct vmm_trap_table t;
	unsigned int i;

	(void)state;
	for (i = 0; i < VMM_TRAP_NR; i++) {
		t = full_table;
		t.handler[i] = H_PABT + 0x40;
		put_table(&t);
		assert_int_equal(call(VMM_HC_set_trap_table, TABLE_VA, VMM_TRAPTABLE_fast_syscall), 0);
		t.handler[i] = H_PABT + 0x41;
		put_table(&t);
		assert_int_equal(call(VMM_HC_set_trap_table, TABLE_VA, VMM_TRAPTABLE_fast_syscall), 0);
		t.handler[i] = H_PABT + 0x43;
		put_table(&t);
		assert_int_equal(call(VMM_HC_set_trap_table, TABLE_VA, VMM_TRAPTABLE_fast_syscall), 0);
		fake_console_clear();
		t.handler[i] = H_PABT + 0x42;
		put_table(&t);
		assert_int_equal(call(VMM_HC_set_trap_table, TABLE_VA, VMM_TRAPTABLE_fast_syscall), -VMM_EINVAL);
		assert_int_equal(d->traps.handler[i], H_PABT + 0x43); /* refusals change nothing */
		assert_non_null(strstr(fake_hw.console, "set_trap_table"));
	}
}

/* Every fault kind from kernel mode: pushed below the interrupted sp. */
static void test_fault_bounce_from_kernel(void **state)
{
	static const struct { int kind; unsigned int trap; uint32_t handler; } kinds[] = {
		{ KIND_DABT, VMM_TRAP_data_abort, H_DABT },
		{ KIND_PABT, VMM_TRAP_prefetch_abort, H_PABT },
		{ KIND_UNDEF, VMM_TRAP_undefined, H_UNDEF },
	};
	unsigned int i;

	(void)state;
	call(VMM_HC_set_trap_table, TABLE_VA, 0);
	for (i = 0; i < 3; i++) {
		struct vmm_trap_frame *f = d->frame, saved;
		const struct vmm_trap_bounce *b;
		uint32_t expect_va = (0xC0061004u - VMM_TRAP_BOUNCE_SIZE) & ~7u;

		memset(f, 0, sizeof(*f));
		f->sp = 0xC0061004u;
		f->pc = 0xC0009004u;
		f->r[5] = 0x55;
		f->cpsr = PSR_MODE_USR | PSR_F | 0x80000000u;
		saved = *f;
		if (kinds[i].kind == KIND_UNDEF)
			d->hctx.vfp_on = 1; /* the FPU is on: a real undefined instruction */
		vmm_trap_fault(f, kinds[i].kind);
		d->hctx.vfp_on = 0;
		assert_int_equal(d->state, DOMAIN_RUNNABLE);
		assert_int_equal(f->pc, kinds[i].handler & ~1u);
		assert_int_equal(f->cpsr & PSR_T, kinds[i].handler & 1u ? PSR_T : 0);
		assert_int_equal(f->sp, expect_va);
		assert_int_equal(f->r[0], expect_va);
		b = bounce_at(expect_va);
		assert_int_equal(b->trap, kinds[i].trap);
		assert_int_equal(b->frame.r[5], 0x55);
		assert_int_equal(b->frame.sp, saved.sp);
		assert_int_equal(b->frame.cpsr, saved.cpsr);           /* no VMM_PSR_VUSER */
		if (kinds[i].kind == KIND_UNDEF) {
			assert_int_equal(b->frame.pc, 0xC0009000u);     /* the instruction */
			assert_int_equal(b->address, 0xC0009000u);
			assert_int_equal(b->status, 0);
		} else {
			assert_int_equal(b->frame.pc, 0xC0009004u);
			assert_int_equal(b->address, 0xdead0000u);     /* fake DFAR/IFAR */
			assert_int_equal(b->status, 5u);
		}
		assert_int_equal(b->reserved, 0);
		assert_int_equal(vtrap_mode(d), VMM_VMODE_KERNEL);
	}
}

/* Every trap kind from user mode: on the kernel stack, VMM_PSR_VUSER set, kernel mode after. */
static void test_bounce_from_user(void **state)
{
	static const struct { int kind; unsigned int trap; uint32_t handler; } kinds[] = {
		{ KIND_DABT, VMM_TRAP_data_abort, H_DABT },
		{ KIND_PABT, VMM_TRAP_prefetch_abort, H_PABT },
		{ KIND_UNDEF, VMM_TRAP_undefined, H_UNDEF },
		{ -1, VMM_TRAP_syscall, H_SYSCALL },
	};
	uint32_t expect_va = (KSTACK - VMM_TRAP_BOUNCE_SIZE) & ~7u;
	unsigned int i;

	(void)state;
	call(VMM_HC_set_trap_table, TABLE_VA, 0);
	for (i = 0; i < 4; i++) {
		const struct vmm_trap_bounce *b;

		enter_user(0xC0020008u, 0xC0021000u);
		if (kinds[i].kind == KIND_UNDEF)
			d->hctx.vfp_on = 1;
		if (kinds[i].kind >= 0)
			vmm_trap_fault(d->frame, kinds[i].kind);
		else
			assert_int_equal(vtrap_user_svc(1, 2, 3, 4), (long)expect_va);
		d->hctx.vfp_on = 0;
		assert_int_equal(vtrap_mode(d), VMM_VMODE_KERNEL);
		assert_int_equal(fake_cpu.dacr, VTRAP_DACR_KERNEL);
		assert_int_equal(d->frame->sp, expect_va);
		assert_int_equal(d->frame->pc, kinds[i].handler & ~1u);
		b = bounce_at(expect_va);
		assert_int_equal(b->trap, kinds[i].trap);
		assert_int_equal(b->frame.sp, 0xC0021000u);
		assert_true(b->frame.cpsr & VMM_PSR_VUSER);
		if (kinds[i].trap == VMM_TRAP_syscall) {
			assert_int_equal(b->frame.pc, 0xC0020008u);     /* resumes after the SVC */
			assert_int_equal(b->address, 0xC0020004u);
			assert_int_equal(b->status, VMM_HYPERCALL_SVC);
		}
	}
}

/* The slow path in user mode: any immediate, and svc #0x82, is a system
 * call; the hypercall it names is not executed. */
static void test_user_svc_slow_path(void **state)
{
	static const uint32_t insns[] = { 0xEF000000u, 0xEF000082u, 0x1F000082u, 0xEFFFFFFFu };
	uint32_t expect_va = (KSTACK - VMM_TRAP_BOUNCE_SIZE) & ~7u;
	unsigned int i;

	(void)state;
	call(VMM_HC_set_trap_table, TABLE_VA, 0);
	for (i = 0; i < 4; i++) {
		const struct vmm_trap_bounce *b;

		memcpy(test_guest_ptr(d, 0xC0020004u), &insns[i], 4);
		enter_user(0xC0020008u, 0xC0021000u);
		d->frame->r[7] = VMM_HC_console_io;
		d->frame->r[0] = VMM_CONSOLEIO_write;
		d->frame->r[1] = 4;
		d->frame->r[2] = 0xC0020004u;
		fake_console_clear();
		hypercall_slow(d->frame);
		assert_int_equal(fake_hw.console_len, 0);               /* nothing printed */
		b = bounce_at(expect_va);
		assert_int_equal(b->trap, VMM_TRAP_syscall);
		assert_int_equal(b->status, insns[i] & 0xFFFFFFu);
		assert_int_equal(b->frame.r[7], VMM_HC_console_io);
		assert_int_equal(d->frame->r[0], expect_va);
		assert_int_equal(vtrap_mode(d), VMM_VMODE_KERNEL);
	}
	/* Thumb svc: immediate from the halfword */
	{
		uint16_t half = 0xDF05u;
		struct vmm_trap_frame u;

		memcpy(test_guest_ptr(d, 0xC0020010u), &half, 2);
		memset(&u, 0, sizeof(u));
		u.pc = 0xC0020012u;
		u.cpsr = PSR_MODE_USR | PSR_T | VMM_PSR_VUSER;
		memcpy(test_guest_ptr(d, USTACK), &u, sizeof(u));
		call(VMM_HC_restore_trap_frame, USTACK, 0);
		hypercall_slow(d->frame);
		assert_int_equal(bounce_at(expect_va)->status, 5);
		assert_int_equal(bounce_at(expect_va)->address, 0xC0020010u);
	}
}

/* In kernel mode the same SVCs are hypercalls as before. */
static void test_kernel_svc_is_hypercall(void **state)
{
	uint32_t insn = 0xEF000082u;

	(void)state;
	memcpy(test_guest_ptr(d, 0xC0020004u), &insn, 4);
	memcpy(test_guest_ptr(d, 0xC0020010u), "ok\n", 3);
	d->frame->pc = 0xC0020008u;
	d->frame->cpsr = PSR_MODE_USR | PSR_F;
	d->frame->r[7] = VMM_HC_console_io;
	d->frame->r[0] = VMM_CONSOLEIO_write;
	d->frame->r[1] = 3;
	d->frame->r[2] = 0xC0020010u;
	hypercall_slow(d->frame);
	assert_int_equal(d->frame->r[0], 3);
}

static void test_no_handler_crashes(void **state)
{
	(void)state;
	/* kernel mode fault without a table: crashed as before */
	vmm_trap_fault(d->frame, KIND_DABT);
	assert_int_equal(d->state, DOMAIN_DEAD);
	assert_non_null(strstr(fake_hw.console, "data abort"));
	assert_non_null(strstr(fake_hw.console, "domain crashed"));
	assert_int_equal(other->state, DOMAIN_RUNNABLE);
}

static void test_user_syscall_without_handler_crashes(void **state)
{
	struct vmm_trap_table t = full_table;

	(void)state;
	t.handler[VMM_TRAP_syscall] = 0;
	put_table(&t);
	call(VMM_HC_set_trap_table, TABLE_VA, 0);
	enter_user(0xC0020008u, 0xC0021000u);
	vtrap_user_svc(0, 0, 0, 0);
	assert_int_equal(d->state, DOMAIN_DEAD);
	assert_non_null(strstr(fake_hw.console, "system call at pc 0xc0020004 from user mode with no handler"));
	assert_int_equal(other->state, DOMAIN_RUNNABLE);
}

/* A fault while entering a handler (its stack outside the domain) crashes
 * the domain; nothing is written outside it. */
static void test_fault_during_handler_entry(void **state)
{
	(void)state;
	call(VMM_HC_set_trap_table, TABLE_VA, 0);
	d->frame->sp = VMM_GUEST_BASE + 16; /* a handler whose stack ran out */
	d->frame->cpsr = PSR_MODE_USR | PSR_F;
	vmm_trap_fault(d->frame, KIND_DABT);
	assert_int_equal(d->state, DOMAIN_DEAD);
	assert_non_null(strstr(fake_hw.console, "cannot enter the handler"));
	assert_int_equal(other->state, DOMAIN_RUNNABLE);
}

/* sp below the frame size (wrap-around) is refused the same way. */
static void test_bounce_stack_wrap(void **state)
{
	struct vmm_trap_frame f;

	(void)state;
	call(VMM_HC_set_trap_table, TABLE_VA, 0);
	memset(&f, 0, sizeof(f));
	f.sp = VMM_TRAP_BOUNCE_SIZE - 1;
	assert_int_equal(vtrap_bounce(d, &f, VMM_TRAP_data_abort, 0, 0), VTRAP_CRASHED);
}

static void test_user_trap_without_kernel_stack(void **state)
{
	struct vmm_trap_table t = full_table;

	(void)state;
	t.kernel_sp = 0;
	put_table(&t);
	call(VMM_HC_set_trap_table, TABLE_VA, 0);
	enter_user(0xC0020008u, 0xC0021000u);
	assert_int_equal(vtrap_bounce(d, d->frame, VMM_TRAP_data_abort, 0, 0), VTRAP_CRASHED);
	assert_int_equal(d->state, DOMAIN_DEAD);
}

static void test_unknown_trap_kind(void **state)
{
	struct vmm_trap_frame f;

	(void)state;
	call(VMM_HC_set_trap_table, TABLE_VA, 0);
	memset(&f, 0, sizeof(f));
	f.sp = KSTACK;
	assert_int_equal(vtrap_bounce(d, &f, VMM_TRAP_NR, 0, 0), VTRAP_NO_HANDLER);
	assert_int_equal(f.sp, KSTACK);
}

/* An upcall in user mode enters the callback on the kernel stack. */
static void test_upcall_from_user(void **state)
{
	uint32_t expect_va = (KSTACK - VMM_TRAP_FRAME_SIZE) & ~7u;
	const struct vmm_trap_frame *pushed;

	(void)state;
	call(VMM_HC_set_trap_table, TABLE_VA, 0);
	assert_int_equal(call(VMM_HC_set_callbacks, H_SYSCALL + 0x40, 0), 0);
	enter_user(0xC0020008u, 0xC0021000u);
	d->shared->vcpu_info.evtchn_upcall_mask = 0;
	event_upcall_enter(d->frame);
	assert_int_equal(vtrap_mode(d), VMM_VMODE_KERNEL);
	assert_int_equal(fake_cpu.dacr, VTRAP_DACR_KERNEL);
	assert_int_equal(d->frame->sp, expect_va);
	assert_int_equal(d->frame->pc, H_SYSCALL + 0x40);
	pushed = test_guest_ptr(d, expect_va);
	assert_true(pushed->cpsr & VMM_PSR_VUSER);
	assert_int_equal(pushed->sp, 0xC0021000u);
	/* restoring it goes back to user mode */
	assert_int_equal(call(VMM_HC_restore_trap_frame, expect_va, 0), 0x11);
	assert_int_equal(vtrap_mode(d), VMM_VMODE_USER);
	assert_int_equal(d->frame->pc, 0xC0020008u);
}

/* In kernel mode the upcall uses the interrupted stack, as before. */
static void test_upcall_from_kernel(void **state)
{
	(void)state;
	call(VMM_HC_set_trap_table, TABLE_VA, 0);
	call(VMM_HC_set_callbacks, H_SYSCALL, 0);
	d->frame->sp = 0xC0062000u;
	d->shared->vcpu_info.evtchn_upcall_mask = 0;
	event_upcall_enter(d->frame);
	assert_int_equal(d->frame->sp, (0xC0062000u - VMM_TRAP_FRAME_SIZE) & ~7u);
	assert_false(((const struct vmm_trap_frame *)test_guest_ptr(d, d->frame->sp))->cpsr & VMM_PSR_VUSER);
}

#define FAST VMM_TRAPTABLE_fast_syscall

/* set_trap_table's flags: 1 is the last valid value, 2 the first invalid. */
static void test_fast_flags_validation(void **state)
{
	(void)state;
	assert_int_equal(call(VMM_HC_set_trap_table, TABLE_VA, FAST), 0);
	assert_int_equal(d->trap_flags, FAST);
	assert_true(vtrap_fast_syscall(d));
	fake_console_clear();
	assert_int_equal(call(VMM_HC_set_trap_table, 0, FAST << 1), -VMM_EINVAL);
	assert_non_null(strstr(fake_hw.console, "unknown flags"));
	assert_int_equal(call(VMM_HC_set_trap_table, TABLE_VA, 0xffffffffu), -VMM_EINVAL);
	assert_int_equal(d->trap_flags, FAST);                   /* nothing changed */
	assert_int_equal(d->traps.kernel_sp, KSTACK);
	assert_int_equal(call(VMM_HC_set_trap_table, 0, 0), 0);  /* clears the flags too */
	assert_int_equal(d->trap_flags, 0);
	assert_false(vtrap_fast_syscall(d));
}

/* The fast path needs the flag, a syscall handler and a kernel stack; the
 * user SVC table says which (entry.S takes the bounce from it). */
static void test_fast_needs_handler_and_stack(void **state)
{
	struct vmm_trap_table t = full_table;

	(void)state;
	call(VMM_HC_set_trap_table, TABLE_VA, 0);
	assert_false(vtrap_fast_syscall(d));
	enter_user(0xC0020008u, 0xC0021000u);
	assert_int_equal(svc_table_of(d), (uint32_t)(uintptr_t)&user_table_tag);
	vtrap_set_mode(d, VMM_VMODE_KERNEL);
	call(VMM_HC_set_trap_table, TABLE_VA, FAST);
	enter_user(0xC0020008u, 0xC0021000u);
	assert_int_equal(svc_table_of(d), (uint32_t)(uintptr_t)&user_fast_table_tag);
	vtrap_set_mode(d, VMM_VMODE_KERNEL);
	t.handler[VMM_TRAP_syscall] = 0;
	put_table(&t);
	call(VMM_HC_set_trap_table, TABLE_VA, FAST);
	assert_false(vtrap_fast_syscall(d));
	enter_user(0xC0020008u, 0xC0021000u);
	assert_int_equal(svc_table_of(d), (uint32_t)(uintptr_t)&user_table_tag);
	vtrap_set_mode(d, VMM_VMODE_KERNEL);
	t = full_table;
	t.kernel_sp = 0;
	put_table(&t);
	call(VMM_HC_set_trap_table, TABLE_VA, FAST);
	assert_false(vtrap_fast_syscall(d));
}

/* The words above the frame that entry.S's fast paths store from. */
static void test_fast_extra_words(void **state)
{
	struct vmm_trap_table t = full_table;
	const struct arch_frame_extra *x = arch_frame_extra(d->frame);

	(void)state;
	call(VMM_HC_set_trap_table, TABLE_VA, FAST);
	assert_int_equal(x->vcpu_info, (uint32_t)(uintptr_t)&d->shared->vcpu_info);
	assert_int_equal(x->kernel_sp, KSTACK);
	assert_int_equal(x->handler_pc, H_SYSCALL);
	assert_int_equal(x->handler_cpsr, PSR_MODE_USR | PSR_F);
	assert_int_equal(x->dacr_kernel, VTRAP_DACR_KERNEL);
	assert_int_equal(x->dacr_user, VTRAP_DACR_USER);
	assert_int_equal(x->kernel_table, (uint32_t)(uintptr_t)&kernel_table_tag);
	assert_int_equal(x->user_table, (uint32_t)(uintptr_t)&user_fast_table_tag);
	assert_int_equal(x->hctx_dacr, (uint32_t)(uintptr_t)&d->hctx.dacr);
	assert_int_equal(x->cpsr_mask, 0xf80f0000u);             /* NZCVQ, GE */
	assert_int_equal(x->zero, VMM_VMODE_KERNEL);
	assert_int_equal(x->one, VMM_VMODE_USER);
	assert_int_equal(x->svc_table, (uint32_t)(uintptr_t)&kernel_table_tag);
	/* a Thumb handler: bit 0 becomes the T bit */
	t.handler[VMM_TRAP_syscall] = H_UNDEF;
	put_table(&t);
	call(VMM_HC_set_trap_table, TABLE_VA, FAST);
	assert_int_equal(x->handler_pc, H_UNDEF & ~1u);
	assert_int_equal(x->handler_cpsr, PSR_MODE_USR | PSR_F | PSR_T);
	/* without the flag the user table is the frame-bounce one */
	call(VMM_HC_set_trap_table, TABLE_VA, 0);
	assert_int_equal(x->user_table, (uint32_t)(uintptr_t)&user_table_tag);
}

/* Enters user mode with r[i] = 0x100 + i and the CPSR flags set. */
static void enter_user_regs(uint32_t pc)
{
	unsigned int i;

	enter_user(pc, 0xC0021000u);
	for (i = 0; i < 13; i++)
		d->frame->r[i] = 0x100u + i;
	d->frame->lr = 0xC0020100u;
	d->frame->cpsr |= 0xf0000000u;
}

/* The C bounce (an SVC entry.S leaves to C, e.g. svc #0x82 from user mode
 * or a Thumb caller): no frame, the save area, r0-r12 untouched. */
static void test_fast_bounce_c(void **state)
{
	static const uint32_t insns[] = { 0xEF000000u, 0xEF000082u, 0xEF000083u, 0x1F000000u };
	const struct vmm_syscall_save *sv = &d->shared->vcpu_info.syscall;
	uint8_t below[128], zero[128];
	unsigned int i, k;

	(void)state;
	memset(zero, 0, sizeof(zero));
	call(VMM_HC_set_trap_table, TABLE_VA, FAST);
	memset(test_guest_ptr(d, KSTACK - sizeof(below)), 0, sizeof(below));
	for (k = 0; k < 4; k++) {
		memcpy(test_guest_ptr(d, 0xC0020004u), &insns[k], 4);
		enter_user_regs(0xC0020008u);
		fake_console_clear();
		hypercall_slow(d->frame);
		assert_int_equal(fake_hw.console_len, 0);
		assert_int_equal(sv->sp, 0xC0021000u);
		assert_int_equal(sv->lr, 0xC0020100u);
		assert_int_equal(sv->pc, 0xC0020008u);
		assert_int_equal(sv->cpsr, 0xf0000000u | PSR_MODE_USR | PSR_F);
		assert_int_equal(d->frame->pc, H_SYSCALL);
		assert_int_equal(d->frame->sp, KSTACK);
		assert_int_equal(d->frame->lr, 0xC0020100u);
		assert_int_equal(d->frame->cpsr, PSR_MODE_USR | PSR_F);
		for (i = 0; i < 13; i++)
			assert_int_equal(d->frame->r[i], 0x100u + i);
		assert_int_equal(vtrap_mode(d), VMM_VMODE_KERNEL);
		assert_int_equal(d->shared->vcpu_info.vmode, VMM_VMODE_KERNEL);
		assert_int_equal(fake_cpu.dacr, VTRAP_DACR_KERNEL);
		assert_int_equal(svc_table_of(d), (uint32_t)(uintptr_t)&kernel_table_tag);
		/* nothing pushed on the kernel stack */
		assert_memory_equal(test_guest_ptr(d, KSTACK - sizeof(below)), zero, sizeof(zero));
	}
	/* the fast path's table entry (svc #0x82 in ARM state): r0 stays */
	enter_user_regs(0xC0020008u);
	assert_int_equal(vtrap_user_svc(0x100, 0, 0, 0), 0x100);
	assert_int_equal(d->frame->pc, H_SYSCALL);
}

/* The C return: the save area sanitised like restore_trap_frame, r0-r12 as
 * the kernel left them, user mode. */
static void test_fast_return_c(void **state)
{
	static const struct { uint32_t cpsr, pc, want_cpsr, want_pc; } cases[] = {
		/* SYS mode, IT without T, J, VUSER, E, A, I, F clear: USR | F, flags */
		{ 0xf710ff9fu, 0xC0020042u, 0xf0000050u, 0xC0020040u },
		/* GE and Q kept */
		{ 0x080f0010u, 0xC0020040u, 0x080f0050u, 0xC0020040u },
		/* Thumb with a valid ITSTATE: kept, pc to a halfword */
		{ 0x06000c30u, 0xC0020043u, 0x06000c70u, 0xC0020042u },
		/* Thumb, IT[3:0] zero but IT[7:4] set: the IT bits go */
		{ 0x0000f030u, 0xC0020043u, 0x00000070u, 0xC0020042u },
	};
	struct vmm_syscall_save *sv = &d->shared->vcpu_info.syscall;
	unsigned int i, k;

	(void)state;
	call(VMM_HC_set_trap_table, TABLE_VA, FAST);
	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		vtrap_set_mode(d, VMM_VMODE_KERNEL);
		for (i = 0; i < 13; i++)
			d->frame->r[i] = 0x200u + i;
		sv->sp = 0xC0021000u;
		sv->lr = 0xC0020100u;
		sv->pc = cases[k].pc;
		sv->cpsr = cases[k].cpsr;
		vtrap_syscall_return_slow(d->frame);
		assert_int_equal(d->frame->cpsr, cases[k].want_cpsr);
		assert_int_equal(d->frame->pc, cases[k].want_pc);
		assert_int_equal(d->frame->sp, 0xC0021000u);
		assert_int_equal(d->frame->lr, 0xC0020100u);
		for (i = 0; i < 13; i++)
			assert_int_equal(d->frame->r[i], 0x200u + i);
		assert_int_equal(vtrap_mode(d), VMM_VMODE_USER);
		assert_int_equal(d->shared->vcpu_info.vmode, VMM_VMODE_USER);
		assert_int_equal(fake_cpu.dacr, VTRAP_DACR_USER);
		assert_int_equal(svc_table_of(d), (uint32_t)(uintptr_t)&user_fast_table_tag);
	}
	/* a conditional svc #0x83 in kernel mode (decoded in C) returns too */
	{
		uint32_t insn = 0x1F000083u;

		vtrap_set_mode(d, VMM_VMODE_KERNEL);
		memcpy(test_guest_ptr(d, 0xC0020004u), &insn, 4);
		d->frame->pc = 0xC0020008u;
		d->frame->cpsr = PSR_MODE_USR | PSR_F;
		d->frame->r[0] = 7;
		sv->pc = 0xC0020040u;
		sv->cpsr = PSR_MODE_USR;
		hypercall_slow(d->frame);
		assert_int_equal(vtrap_mode(d), VMM_VMODE_USER);
		assert_int_equal(d->frame->pc, 0xC0020040u);
		assert_int_equal(d->frame->r[0], 7);
	}
}

/* svc #0x83 in user mode is a system call, not a return. */
static void test_fast_return_from_user_is_syscall(void **state)
{
	(void)state;
	call(VMM_HC_set_trap_table, TABLE_VA, FAST);
	enter_user_regs(0xC0020008u);
	d->shared->vcpu_info.syscall.pc = 0xC0020400u;  /* what a return would use */
	vtrap_syscall_return_slow(d->frame);
	assert_int_equal(vtrap_mode(d), VMM_VMODE_KERNEL);
	assert_int_equal(d->frame->pc, H_SYSCALL);
	assert_int_equal(d->shared->vcpu_info.syscall.pc, 0xC0020008u);
	/* and without the flag, the frame bounce */
	call(VMM_HC_set_trap_table, TABLE_VA, 0);
	enter_user_regs(0xC0020008u);
	vtrap_syscall_return_slow(d->frame);
	assert_int_equal(d->frame->sp, (KSTACK - VMM_TRAP_BOUNCE_SIZE) & ~7u);
	assert_int_equal(bounce_at(d->frame->sp)->status, VMM_SYSCALL_RETURN_SVC);
}

/* An upcall pending at the return is delivered on the way out (trap_return
 * calls event_upcall_enter): the interrupted context is the user's. */
static void test_fast_return_then_upcall(void **state)
{
	struct vmm_syscall_save *sv = &d->shared->vcpu_info.syscall;
	const struct vmm_trap_frame *pushed;
	uint32_t expect_va = (KSTACK - VMM_TRAP_FRAME_SIZE) & ~7u;

	(void)state;
	call(VMM_HC_set_trap_table, TABLE_VA, FAST);
	call(VMM_HC_set_callbacks, H_SYSCALL + 0x40, 0);
	sv->sp = 0xC0021000u;
	sv->lr = 0;
	sv->pc = 0xC0020040u;
	sv->cpsr = PSR_MODE_USR;
	d->frame->r[0] = 5;
	vtrap_syscall_return_slow(d->frame);
	d->shared->vcpu_info.evtchn_upcall_mask = 0;
	event_upcall_enter(d->frame);
	assert_int_equal(vtrap_mode(d), VMM_VMODE_KERNEL);
	assert_int_equal(d->frame->sp, expect_va);
	pushed = test_guest_ptr(d, expect_va);
	assert_true(pushed->cpsr & VMM_PSR_VUSER);
	assert_int_equal(pushed->pc, 0xC0020040u);
	assert_int_equal(pushed->r[0], 5);
}

/*
 * A data abort the hypervisor takes itself: an asynchronous one (either
 * encoding, with WnR set too) is counted and resumed, logged the first
 * TRAP_ASYNC_LOG_LIMIT times only; anything else powers off with code 2.
 */
static void test_hyp_data_abort(void **state)
{
	static const uint32_t async[] = { 0x406u, 0x408u, 0xc06u };
	struct vmm_trap_frame f = { .pc = 0xe0001234u, .cpsr = 0x1d3u };
	const char *line = "[VMM] asynchronous abort (status 0x406) while the hypervisor ran at pc 0xe0001234: resumed";
	const char *p;
	unsigned int i, lines = 0;
	jmp_buf off;

	(void)state;
	assert_int_equal(trap_hyp_async_aborts(), 0);
	for (i = 0; i < TRAP_ASYNC_LOG_LIMIT + 3; i++) {
		fake_hw.fault_status = async[i % 3];
		vmm_trap_hyp_data_abort(&f);
		assert_int_equal(trap_hyp_async_aborts(), i + 1);
		assert_int_equal(fake_hw.poweroff_code, -1);
	}
	for (p = fake_hw.console; (p = strstr(p, "[VMM] asynchronous abort")) != NULL; p++)
		lines++;
	assert_int_equal(lines, TRAP_ASYNC_LOG_LIMIT);
	assert_non_null(strstr(fake_hw.console, line));
	assert_non_null(strstr(fake_hw.console, "status 0x408"));
	assert_non_null(strstr(fake_hw.console, "further ones are only counted"));

	/* synchronous (a translation fault; FS 10110 without bit 10 is not async) */
	fake_hw.fault_status = 0x006u;
	fake_hw.poweroff_jump = &off;
	if (setjmp(off) == 0)
		vmm_trap_hyp_data_abort(&f);
	fake_hw.poweroff_jump = NULL;
	fake_hw.fault_status = 0;
	assert_int_equal(fake_hw.poweroff_code, 2);
	assert_int_equal(trap_hyp_async_aborts(), TRAP_ASYNC_LOG_LIMIT + 3);
	assert_non_null(strstr(fake_hw.console, "PANIC: data abort in the hypervisor at pc 0xe0001234"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_hyp_data_abort, setup),
		cmocka_unit_test_setup(test_new_domain_is_kernel_mode, setup),
		cmocka_unit_test_setup(test_dacr_values, setup),
		cmocka_unit_test_setup(test_restore_to_user_and_back, setup),
		cmocka_unit_test_setup(test_dacr_follows_switch, setup),
		cmocka_unit_test_setup(test_set_trap_table_validation, setup),
		cmocka_unit_test_setup(test_set_trap_table_arm_alignment, setup),
		cmocka_unit_test_setup(test_fault_bounce_from_kernel, setup),
		cmocka_unit_test_setup(test_bounce_from_user, setup),
		cmocka_unit_test_setup(test_user_svc_slow_path, setup),
		cmocka_unit_test_setup(test_kernel_svc_is_hypercall, setup),
		cmocka_unit_test_setup(test_no_handler_crashes, setup),
		cmocka_unit_test_setup(test_user_syscall_without_handler_crashes, setup),
		cmocka_unit_test_setup(test_fault_during_handler_entry, setup),
		cmocka_unit_test_setup(test_bounce_stack_wrap, setup),
		cmocka_unit_test_setup(test_unknown_trap_kind, setup),
		cmocka_unit_test_setup(test_user_trap_without_kernel_stack, setup),
		cmocka_unit_test_setup(test_upcall_from_user, setup),
		cmocka_unit_test_setup(test_upcall_from_kernel, setup),
		cmocka_unit_test_setup(test_fast_flags_validation, setup),
		cmocka_unit_test_setup(test_fast_needs_handler_and_stack, setup),
		cmocka_unit_test_setup(test_fast_extra_words, setup),
		cmocka_unit_test_setup(test_fast_bounce_c, setup),
		cmocka_unit_test_setup(test_fast_return_c, setup),
		cmocka_unit_test_setup(test_fast_return_from_user_is_syscall, setup),
		cmocka_unit_test_setup(test_fast_return_then_upcall, setup),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
