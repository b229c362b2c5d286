/*
 * libvmm Mini-OS: one user-mode process at a time (minios/user.h).
 *
 * The trap handlers are entered by the hypervisor on this process's kernel
 * stack (the trap table's kernel_sp: a region of the calling thread's stack
 * below minios_user_run's frame). System calls take the fast path (vmm/abi.h
 * "Fast system calls"): the entry finds the process's r0-r12 live and its
 * sp, lr, pc and CPSR in vcpu_info.syscall, copies both into a struct
 * vmm_trap_frame on the stack (the save area is only good until the next
 * system call, and a yield runs other threads), serves the call, puts the
 * context back and returns with `svc #0x83`. Faults arrive with r0 = sp =
 * struct vmm_trap_bounce and kill the process. Exit and fatal traps
 * longjmp back to minios_user_run.
 */
#include <errno.h>
#include <setjmp.h>
#include <stddef.h>
#include <string.h>

#include <minios/os.h>
#include <minios/console.h>
#include <minios/sched.h>
#include <minios/user.h>
#include <vmm/mmu.h>

#define MIB           0x100000u
#define USER_DATA     (MINIOS_USER_VA + VMM_PAGE_SIZE)
#define USER_END      (MINIOS_USER_VA + 2u * VMM_PAGE_SIZE)
#define WRITE_MAX     256u
#define SMALL_RW(mfn) (((mfn) << 12) | VMM_PTE_L2_SMALL | VMM_PTE_SMALL_NORMAL | \
		       VMM_PTE_SMALL_NG | VMM_PTE_SMALL_RW)

void minios_user_trap_entry(void);
void minios_user_trap(struct vmm_trap_bounce *b);
void minios_user_syscall_entry(void);
void minios_user_syscall(struct vmm_trap_frame *f);
void *_sbrk(ptrdiff_t incr); /* syscalls.c */

static jmp_buf user_exit;
static int user_space_ready;
static struct vmm_trap_table user_traps;
static struct vmm_trap_frame user_frame;

/* Entry of every trap kind: C handler, then resume the (edited) frame. */
__asm__(
	"	.arm\n"
	"	.global minios_user_trap_entry\n"
	"minios_user_trap_entry:\n"
	"	mov	r4, r0\n"
	"	bl	minios_user_trap\n"
	"	mov	r0, r4\n"
	"	mov	r7, #23\n"              /* VMM_HC_restore_trap_frame */
	"	svc	#0x82\n"
	"	mov	r1, r4\n"
	"	bl	minios_restore_failed\n"
	"	b	.\n");

_Static_assert(VMM_GUEST_SHARED_INFO + offsetof(struct vmm_shared_info, vcpu_info) +
	       offsetof(struct vmm_vcpu_info, syscall) == 0xc0000004u, "the save area's address below");

/* Fast system call entry: a struct vmm_trap_frame (68 bytes; 72 keep sp
 * 8-byte aligned) from the live registers and the save area, the C
 * handler, the (edited) context back, the fast return. */
__asm__(
	"	.arm\n"
	"	.global minios_user_syscall_entry\n"
	"minios_user_syscall_entry:\n"
	"	sub	sp, sp, #72\n"
	"	stmia	sp, {r0-r12}\n"
	"	movw	r4, #:lower16:0xc0000004\n"   /* vcpu_info.syscall */
	"	movt	r4, #:upper16:0xc0000004\n"
	"	ldmia	r4, {r5-r8}\n"
	"	add	r9, sp, #52\n"
	"	stmia	r9, {r5-r8}\n"
	"	mov	r0, sp\n"
	"	bl	minios_user_syscall\n"
	"	add	r9, sp, #52\n"
	"	ldmia	r9, {r5-r8}\n"
	"	movw	r4, #:lower16:0xc0000004\n"
	"	movt	r4, #:upper16:0xc0000004\n"
	"	stmia	r4, {r5-r8}\n"
	"	ldmia	sp, {r0-r12}\n"
	"	add	sp, sp, #72\n"
	"	svc	#0x83\n"                    /* VMM_SYSCALL_RETURN_SVC */
	"	b	.\n");

static int user_fail(const char *what, long rc)
{
	printk("minios user: cannot %s (%ld)\n", what, rc);
	return -1;
}

static long mmu_update1(uint32_t ptr, uint32_t val)
{
	static struct vmm_mmu_update req;

	req.ptr = ptr;
	req.val = val;
	return HYPERVISOR_mmu_update(&req, 1, 0, VMM_DOMID_SELF);
}

static long mmuext2(uint32_t cmd, uint32_t arg1, uint32_t arg2)
{
	static struct vmm_mmuext_op op;

	op.cmd = cmd;
	op.arg1 = arg1;
	op.arg2 = arg2;
	return HYPERVISOR_mmuext_op(&op, 1, 0, VMM_DOMID_SELF);
}

/*
 * Once: the last MiB leaves the heap and the kernel's map; its first frame
 * is pinned as an L2 at MINIOS_USER_VA, the next two are the user pages.
 */
static int user_space_build(void)
{
	const uint32_t *p2m = (const uint32_t *)(uintptr_t)start_info->p2m_list;
	uint32_t nr = start_info->nr_pages, l1 = start_info->pt_base_mfn << 12;
	uintptr_t last = VMM_GUEST_BASE + (uintptr_t)(nr - 256u) * VMM_PAGE_SIZE;
	unsigned long flags;
	uint32_t l2;
	long rc;

	if (nr < 512u || (nr & 255u))
		return user_fail("use the last MiB (domain memory not whole MiBs, at least 2)", 0);
	flags = local_irq_save();
	if ((uintptr_t)_sbrk(0) > last) {
		local_irq_restore(flags);
		return user_fail("take the last MiB (the heap reaches it)", 0);
	}
	minios_heap_limit = last;
	local_irq_restore(flags);
	l2 = p2m[nr - 256u];
	if ((rc = mmu_update1(l1 + 4u * (uint32_t)(last >> 20), 0)) != 0)
		return user_fail("unmap the last MiB", rc);
	if ((rc = mmuext2(VMM_MMUEXT_PIN_L2_TABLE, l2, 0)) != 0)
		return user_fail("pin the L2 table", rc);
	if ((rc = mmu_update1(l1 + 4u * (MINIOS_USER_VA >> 20), (l2 << 12) | VMM_PTE_L1_TABLE)) != 0)
		return user_fail("hook the L2 table", rc);
	if ((rc = HYPERVISOR_update_va_mapping(MINIOS_USER_VA, SMALL_RW(p2m[nr - 255u]), VMM_UVMF_INVLPG)) != 0 ||
	    (rc = HYPERVISOR_update_va_mapping(USER_DATA, SMALL_RW(p2m[nr - 254u]), VMM_UVMF_INVLPG)) != 0)
		return user_fail("map the user pages", rc);
	user_space_ready = 1;
	return 0;
}

/* Whether [va, va + len) lies in the process's pages. */
static int user_range_ok(uint32_t va, uint32_t len)
{
	return va - MINIOS_USER_VA < USER_END - MINIOS_USER_VA &&
	       len <= USER_END - va;
}

static long user_syscall(struct vmm_trap_frame *f)
{
	static char buf[WRITE_MAX];

	switch (f->r[7]) {
	case MINIOS_SYS_write:
		if (f->r[1] > WRITE_MAX || !user_range_ok(f->r[0], f->r[1]))
			return -EFAULT;
		memcpy(buf, (const void *)(uintptr_t)f->r[0], f->r[1]); /* copy in first */
		console_write(buf, f->r[1]);
		return (long)f->r[1];
	case MINIOS_SYS_yield:
		schedule();
		return 0;
	case MINIOS_SYS_exit:
		longjmp(user_exit, (int)(f->r[0] & 255u) + 1);
	default:
		return -ENOSYS;
	}
}

void minios_user_syscall(struct vmm_trap_frame *f)
{
	f->r[0] = (uint32_t)user_syscall(f);
}

void minios_user_trap(struct vmm_trap_bounce *b)
{
	static const char *const kinds[VMM_TRAP_NR] = {
		"system call", "undefined instruction", "prefetch abort", "data abort",
	};

	if (!(b->frame.cpsr & VMM_PSR_VUSER))
		minios_panic("%s at 0x%08lx in kernel mode\n",
			     b->trap < VMM_TRAP_NR ? kinds[b->trap] : "trap", (unsigned long)b->address);
	if (b->trap == VMM_TRAP_syscall) {
		b->frame.r[0] = (uint32_t)user_syscall(&b->frame);
		return;
	}
	printk("minios user: %s at 0x%08lx (pc 0x%08lx, status 0x%lx)%s: process killed\n",
	       b->trap < VMM_TRAP_NR ? kinds[b->trap] : "trap", (unsigned long)b->address,
	       (unsigned long)b->frame.pc, (unsigned long)b->status,
	       b->trap == VMM_TRAP_data_abort && b->address >= VMM_GUEST_BASE ?
			" reading kernel memory" : "");
	longjmp(user_exit, MINIOS_USER_KILLED + 1000);
}

int minios_user_run(const void *code, size_t len, uint32_t arg, uint32_t arg2)
{
	uint32_t sp_now;
	long rc;
	int r, i;

	if (len == 0 || len > VMM_PAGE_SIZE)
		return user_fail("load the code (size)", (long)len);
	if (!user_space_ready && user_space_build() != 0)
		return -1;
	memcpy((void *)MINIOS_USER_VA, code, len);
	memset((void *)USER_DATA, 0, VMM_PAGE_SIZE);
	if ((rc = mmuext2(VMM_MMUEXT_SYNC_ICACHE, MINIOS_USER_VA, (uint32_t)len)) != 0)
		return user_fail("sync the instruction cache", rc);

	r = setjmp(user_exit);
	if (r != 0)
		return r == MINIOS_USER_KILLED + 1000 ? MINIOS_USER_KILLED : r - 1;

	__asm__ volatile("mov %0, sp" : "=r"(sp_now));
	for (i = 0; i < VMM_TRAP_NR; i++)
		user_traps.handler[i] = (uint32_t)(uintptr_t)minios_user_trap_entry;
	user_traps.handler[VMM_TRAP_syscall] = (uint32_t)(uintptr_t)minios_user_syscall_entry;
	user_traps.kernel_sp = (sp_now - 64u) & ~7u; /* below this frame: the trap stack */
	if ((rc = vmm_hypercall2(VMM_HC_set_trap_table, (uint32_t)(uintptr_t)&user_traps,
				 VMM_TRAPTABLE_fast_syscall)) != 0)
		return user_fail("set the trap table", rc);
	memset(&user_frame, 0, sizeof(user_frame));
	user_frame.r[0] = arg;
	user_frame.r[1] = arg2;
	user_frame.sp = USER_END;
	user_frame.pc = MINIOS_USER_VA;
	user_frame.cpsr = 0x10u | VMM_PSR_VUSER;
	rc = HYPERVISOR_restore_trap_frame(&user_frame);
	return user_fail("enter user mode", rc);
}
