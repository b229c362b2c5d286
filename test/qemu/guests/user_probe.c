/*
 * Virtual kernel/user mode probe: this guest is a tiny kernel with a trap
 * table and one user process in its own pages below 0xC0000000 (ARM domain
 * 1, guest user). The kernel gives up its second MiB, pins one frame of it
 * as an L2 table, hooks that at USER_VA and maps two more frames there with
 * update_va_mapping (the process's code and its data/stack page), copies the
 * process's code in (position-independent assembly below) and enters it with
 * restore_trap_frame (VMM_PSR_VUSER set).
 * The process makes system calls (write, yield, exit: numbers of this
 * probe's own in r7, `svc #0`), tries a hypercall (console_io with svc #0x82:
 * must arrive here as a system call, never reach the hypervisor), runs an
 * undefined instruction (bounced to the kernel's handler, which skips it)
 * and reads a kernel variable (>= 0xC0000000: ARM domain 2, no access in
 * virtual user mode): the data abort reaches the kernel's handler with the
 * variable's address, and the process checks the load never completed.
 * "role=bench" (PMU access): instructions from a user `svc` to the first
 * instruction of the kernel's handler, and from the handler's
 * restore_trap_frame `svc` to the next user instruction (minimum of 64,
 * minus the cost of the counter read itself, as bench_hypercall.c); the
 * handler leaves its counter reads in the user data page.
 * "role=fast": the same process with fast system calls (set_trap_table flag
 * VMM_TRAPTABLE_fast_syscall: no frame, the user's sp/lr/pc/cpsr in
 * vcpu_info.syscall, r0-r12 live, return by `svc #0x83`), then a second one
 * that checks its registers survive a system call both ways, that the
 * return sanitises a hostile CPSR (mode, IT bits without T, J, E, A, I, F,
 * the VUSER bit, a pc off by 2) on the assembly path and on the C path (with
 * events masked), and that `svc #0x83` from user mode is a system call.
 * "role=badstack": fast system calls with a kernel stack in the domain but
 * unmapped: the handler's first store faults, and so does the data-abort
 * bounce below it, which the hypervisor must crash (only this domain).
 * "role=nested": the user process reads hypervisor memory and so does the
 * data-abort handler; the nested bounces walk down the kernel stack until
 * the frame no longer fits in the domain, which the hypervisor must crash
 * (and only this domain).
 *
 * Needs 2 MiB, 1 MiB aligned in machine memory (a section per MiB).
 */
#include "probe_lib.h"
#include "vmm/mmu.h"

#define SYS_write   1
#define SYS_yield   2
#define SYS_exit    3
#define SYS_check   4   /* fast: r1-r6, r8-r12 arrive as 1..12 */
#define SYS_hostile 5   /* fast: return with a hostile CPSR and pc | 2 */
#define SYS_report  6   /* fast: 0 if the CPSR the user ran with is sane */
#define SYS_hostile_slow 8 /* SYS_hostile with events masked: the C return */
#define SYS_imm     9   /* returns the SVC's immediate */

#define USER_VA       0x40000000u           /* code page; L1 entry 0x400 (ARM domain 1) */
#define USER_DATA     (USER_VA + 0x1000u)   /* data page: bench results, stack below its top */
#define USER_STACK    (USER_VA + 0x2000u)
#define USER_SENTINEL 0x5a5aa5a5u           /* r1 across the refused load */
#define MIB           0x100000u
#define SMALL_RW(mfn) (((mfn) << 12) | VMM_PTE_L2_SMALL | VMM_PTE_SMALL_NORMAL | VMM_PTE_SMALL_NG | VMM_PTE_SMALL_RW)

void probe_main(const struct vmm_start_info *si);
void trap_entry_syscall(void);
void trap_entry_undef(void);
void trap_entry_abort(void);
void trap_entry_nested(void);
void trap_entry_bench(void);
void trap_entry_fast(void);
void kernel_trap_fast(struct vmm_trap_bounce *b);
extern const char user_code_start[], user_code_end[], user_bench_start[], user_bench_end[];
extern const char user_fast_start[], user_fast_end[];
extern const char user_nested_start[], user_nested_end[];
void kernel_trap(struct vmm_trap_bounce *b);
void kernel_resume(void) __attribute__((noreturn));

static uint64_t kernel_stack[1024];
static struct vmm_trap_table table;
static struct vmm_trap_frame user_frame;
static int syscalls, undefs, hypercall_tries, kernel_reads, fast_entries, fast_checks;
static int fast_role;
volatile uint32_t kernel_secret = 0x600dc0deu; /* what the process tries to read */

/* Each entry: r0 = sp = the bounce frame; C handler; restore the frame. */
__asm__(
	"	.arm\n"
	"	.global trap_entry_syscall\n"
	"	.global trap_entry_undef\n"
	"	.global trap_entry_abort\n"
	"trap_entry_syscall:\n"
	"trap_entry_undef:\n"
	"trap_entry_abort:\n"
	"	mov	r4, r0\n"
	"	bl	kernel_trap\n"
	"	mov	r0, r4\n"
	"	mov	r7, #23\n"          /* restore_trap_frame */
	"	svc	#0x82\n"
	"	b	.\n"
	/* Fast system calls: sp = kernel stack, r0-r12 the user's. A struct
	 * vmm_trap_bounce (84 bytes, 88 keep sp 8-byte aligned) is built from
	 * the live registers and vcpu_info.syscall for kernel_trap; the
	 * (edited) context goes back to the save area, r0-r12 to the registers,
	 * and svc #0x83 returns. */
	"	.global trap_entry_fast\n"
	"trap_entry_fast:\n"
	"	sub	sp, sp, #88\n"
	"	stmia	sp, {r0-r12}\n"
	"	movw	r4, #:lower16:0xc0000004\n"  /* vcpu_info.syscall */
	"	movt	r4, #:upper16:0xc0000004\n"
	"	ldmia	r4, {r5-r8}\n"
	"	add	r9, sp, #52\n"
	"	stmia	r9, {r5-r8}\n"
	"	mov	r0, sp\n"
	"	bl	kernel_trap_fast\n"
	"	add	r9, sp, #52\n"
	"	ldmia	r9, {r5-r8}\n"
	"	movw	r4, #:lower16:0xc0000004\n"
	"	movt	r4, #:upper16:0xc0000004\n"
	"	stmia	r4, {r5-r8}\n"
	"	ldmia	sp, {r0-r12}\n"
	"	add	sp, sp, #88\n"
	"	svc	#0x83\n"
	"	b	.\n"
	/* role=bench (fast system calls): counter at entry (t1), bounce =
	 * t1 - the user's t0 (r4, live) in r2; the counter right before the
	 * return (t2) in r1: both reach the user in registers */
	"	.global trap_entry_bench\n"
	"trap_entry_bench:\n"
	"	mrc	p15, 0, r1, c9, c13, 0\n"
	"	cmp	r7, #3\n"              /* SYS_exit goes the normal way */
	"	beq	trap_entry_fast\n"
	"	sub	r2, r1, r4\n"
	"	mrc	p15, 0, r1, c9, c13, 0\n"
	"	svc	#0x83\n"
	"	b	.\n");

/*
 * The user process, copied to USER_VA: position-independent ARM code (adr
 * for its strings, nothing absolute but USER_* constants). r4 on entry: the
 * kernel variable to try.
 */
#define UWRITE(label, len) \
	"	adr	r0, " label "\n	mov	r1, #" len "\n	mov	r7, #1\n	svc	#0\n"
__asm__(
	"	.arm\n"
	"	.global user_code_start\n"
	"	.global user_code_end\n"
	"	.p2align 2\n"
	"user_code_start:\n"
	UWRITE("u_hello", "(u_hello_end - u_hello)")
	/* a hypercall (console_io write): must come back as -ENOSYS from the kernel */
	"	mov	r0, #0\n"               /* VMM_CONSOLEIO_write */
	"	mov	r1, #(u_fail_hc_end - u_fail_hc)\n"
	"	adr	r2, u_fail_hc\n"
	"	mov	r7, #18\n"              /* VMM_HC_console_io */
	"	svc	#0x82\n"
	"	cmn	r0, #38\n"              /* -VMM_ENOSYS */
	"	bne	1f\n"
	UWRITE("u_refused", "(u_refused_end - u_refused)")
	"1:	mov	r7, #2\n"               /* yield */
	"	svc	#0\n"
	"	.word	0xe7f000f0\n"           /* udf #0: skipped by the kernel */
	UWRITE("u_back", "(u_back_end - u_back)")
	/* read the kernel's variable: refused, the kernel skips the load */
	"	ldr	r1, =0x5a5aa5a5\n"
	"	ldr	r1, [r4]\n"
	"	ldr	r2, =0x5a5aa5a5\n"
	"	cmp	r1, r2\n"
	"	bne	2f\n"
	UWRITE("u_noread", "(u_noread_end - u_noread)")
	"	b	3f\n"
	"2:\n"
	UWRITE("u_fail_read", "(u_fail_read_end - u_fail_read)")
	"3:	mov	r7, #3\n"               /* exit */
	"	svc	#0\n"
	UWRITE("u_fail_exit", "(u_fail_exit_end - u_fail_exit)")
	"	b	.\n"
	"	.ltorg\n"
	"u_hello:	.ascii	\"user: hello from virtual user mode\\n\"\n"
	"u_hello_end:\n"
	"u_fail_hc:	.ascii	\"FAIL: hypercall executed from user mode\\n\"\n"
	"u_fail_hc_end:\n"
	"u_refused:	.ascii	\"user: hypercall from user mode refused\\n\"\n"
	"u_refused_end:\n"
	"u_back:	.ascii	\"user: back after the undefined instruction\\n\"\n"
	"u_back_end:\n"
	"u_noread:	.ascii	\"user: kernel memory not readable from user mode\\n\"\n"
	"u_noread_end:\n"
	"u_fail_read:	.ascii	\"FAIL: user mode read kernel memory\\n\"\n"
	"u_fail_read_end:\n"
	"u_fail_exit:	.ascii	\"FAIL: exit returned\\n\"\n"
	"u_fail_exit_end:\n"
	"	.p2align 2\n"
	"user_code_end:\n"

	/* role=bench: 64 rounds; results to the data page, then exit */
	"	.global user_bench_start\n"
	"	.global user_bench_end\n"
	"user_bench_start:\n"
	"	movw	r6, #:lower16:0x40001000\n"
	"	movt	r6, #:upper16:0x40001000\n"
	"	mov	r8, #64\n"
	"	mvn	r9, #0\n"               /* bounce minimum */
	"	mvn	r10, #0\n"              /* return minimum */
	"	mvn	r11, #0\n"              /* empty (two counter reads) minimum */
	"4:	mrc	p15, 0, r0, c9, c13, 0\n"
	"	mrc	p15, 0, r1, c9, c13, 0\n"
	"	sub	r1, r1, r0\n"
	"	cmp	r1, r11\n"
	"	movlo	r11, r1\n"
	"	mov	r7, #0\n"
	"	mrc	p15, 0, r4, c9, c13, 0\n"
	"	svc	#0\n"
	"	mrc	p15, 0, r5, c9, c13, 0\n"  /* r2: bounce, r1: t2 (the kernel's) */
	"	sub	r5, r5, r1\n"
	"	cmp	r2, r9\n"
	"	movlo	r9, r2\n"
	"	cmp	r5, r10\n"
	"	movlo	r10, r5\n"
	"	subs	r8, r8, #1\n"
	"	bne	4b\n"
	"	sub	r9, r9, r11\n"
	"	sub	r10, r10, r11\n"
	"	str	r9, [r6, #8]\n"
	"	str	r10, [r6, #12]\n"
	"	mov	r7, #3\n"
	"	svc	#0\n"
	"	b	.\n"
	"user_bench_end:\n"

	/* role=fast, second process: registers, hostile CPSRs, svc #0x83 */
	"	.global user_fast_start\n"
	"	.global user_fast_end\n"
	"user_fast_start:\n"
	"	mov	r1, #1\n	mov	r2, #2\n	mov	r3, #3\n	mov	r4, #4\n"
	"	mov	r5, #5\n	mov	r6, #6\n	mov	r8, #8\n	mov	r9, #9\n"
	"	mov	r10, #10\n	mov	r11, #11\n	mov	r12, #12\n"
	"	mov	r7, #4\n"              /* SYS_check */
	"	svc	#0\n"
	"	cmp	r0, #0\n	bne	5f\n"
	"	cmp	r1, #1\n	cmpeq	r2, #2\n	cmpeq	r3, #3\n	cmpeq	r4, #4\n"
	"	cmpeq	r5, #5\n	cmpeq	r6, #6\n	cmpeq	r7, #4\n	cmpeq	r8, #8\n"
	"	cmpeq	r9, #9\n	cmpeq	r10, #10\n	cmpeq	r11, #11\n	cmpeq	r12, #12\n"
	"	bne	5f\n"
	UWRITE("f_regs", "(f_regs_end - f_regs)")
	"	mov	r7, #5\n	svc	#0\n"      /* hostile CPSR, assembly return */
	"	mov	r7, #6\n	svc	#0\n"
	"	cmp	r0, #0\n	bne	6f\n"
	"	mov	r7, #8\n	svc	#0\n"      /* the same through C */
	"	mov	r7, #6\n	svc	#0\n"
	"	cmp	r0, #0\n	bne	6f\n"
	UWRITE("f_cpsr", "(f_cpsr_end - f_cpsr)")
	"	mov	r7, #9\n	svc	#0x83\n"   /* from user mode: a system call */
	"	cmp	r0, #0x83\n	bne	7f\n"
	UWRITE("f_83", "(f_83_end - f_83)")
	"	mov	r0, #0\n	mov	r7, #3\n	svc	#0\n"
	"5:\n"
	UWRITE("f_fail_regs", "(f_fail_regs_end - f_fail_regs)")
	"	b	8f\n"
	"6:\n"
	UWRITE("f_fail_cpsr", "(f_fail_cpsr_end - f_fail_cpsr)")
	"	b	8f\n"
	"7:\n"
	UWRITE("f_fail_83", "(f_fail_83_end - f_fail_83)")
	"8:	mov	r0, #1\n	mov	r7, #3\n	svc	#0\n"
	"	b	.\n"
	"f_regs:	.ascii	\"user: registers intact across a fast system call\\n\"\n"
	"f_regs_end:\n"
	"f_cpsr:	.ascii	\"user: hostile CPSRs sanitised by both returns\\n\"\n"
	"f_cpsr_end:\n"
	"f_83:	.ascii	\"user: svc #0x83 from user mode is a system call\\n\"\n"
	"f_83_end:\n"
	"f_fail_regs:	.ascii	\"FAIL: registers changed by a fast system call\\n\"\n"
	"f_fail_regs_end:\n"
	"f_fail_cpsr:	.ascii	\"FAIL: the return left a hostile CPSR\\n\"\n"
	"f_fail_cpsr_end:\n"
	"f_fail_83:	.ascii	\"FAIL: svc #0x83 from user mode was not a system call\\n\"\n"
	"f_fail_83_end:\n"
	"	.p2align 2\n"
	"user_fast_end:\n"

	/* role=nested: read hypervisor memory */
	"	.global user_nested_start\n"
	"	.global user_nested_end\n"
	"user_nested_start:\n"
	"	mov	r1, #0xE0000000\n"
	"	ldr	r1, [r1]\n"
	"	b	.\n"
	"user_nested_end:\n"
	/* the nested data-abort handler: the same read in virtual kernel mode */
	"	.global trap_entry_nested\n"
	"trap_entry_nested:\n"
	"	mov	r1, #0xE0000000\n"
	"	ldr	r1, [r1]\n"
	"	b	.\n");

static void user_fail(const char *what)
{
	probe_puts("FAIL: ");
	probe_puts(what);
	probe_puts("\n");
	probe_shutdown(VMM_SHUTDOWN_crash);
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
 * The process's address space (docs/memory.md, "Guest page tables"): the
 * kernel's second MiB unmapped, its first frame pinned as an L2 hooked at
 * USER_VA, the next two mapped read/write at USER_VA (code) and USER_DATA.
 */
static void user_space_build(const struct vmm_start_info *si)
{
	const uint32_t *p2m = (const uint32_t *)si->p2m_list;
	uint32_t l1 = si->pt_base_mfn << 12, l2 = p2m[256];

	if (si->nr_pages < 512)
		user_fail("needs 2 MiB");
	if (mmu_update1(l1 + 4u * ((VMM_GUEST_BASE + MIB) >> 20), 0))
		user_fail("unmap the second MiB");
	if (mmuext2(VMM_MMUEXT_PIN_L2_TABLE, l2, 0))
		user_fail("pin the L2");
	if (mmu_update1(l1 + 4u * (USER_VA >> 20), (l2 << 12) | VMM_PTE_L1_TABLE))
		user_fail("hook the L2 at USER_VA");
	if (HYPERVISOR_update_va_mapping(USER_VA, SMALL_RW(p2m[257]), VMM_UVMF_INVLPG) ||
	    HYPERVISOR_update_va_mapping(USER_DATA, SMALL_RW(p2m[258]), VMM_UVMF_INVLPG))
		user_fail("map the user pages");
}

/* Copies [start, end) to USER_VA (the kernel reaches ARM domain 1) and makes
 * it fetchable; clears the data page. */
static void user_load(const char *start, const char *end)
{
	volatile uint32_t *dst = (volatile uint32_t *)USER_VA;
	const uint32_t *src = (const uint32_t *)(uintptr_t)start;
	uint32_t i, n = (uint32_t)(end - start + 3) / 4;

	for (i = 0; i < n; i++)
		dst[i] = src[i];
	for (i = 0; i < 1024; i++)
		((volatile uint32_t *)USER_DATA)[i] = 0;
	if (mmuext2(VMM_MMUEXT_SYNC_ICACHE, USER_VA, n * 4))
		user_fail("sync the instruction cache");
}

static uint32_t exit_code;

void kernel_trap(struct vmm_trap_bounce *b)
{
	static char write_buf[128];
	struct vmm_vcpu_info *vi = &((struct vmm_shared_info *)VMM_GUEST_BASE)->vcpu_info;
	struct vmm_trap_frame *f = &b->frame;
	uint32_t i;

	if (!(f->cpsr & VMM_PSR_VUSER))
		user_fail("trap from kernel mode");
	if (f->pc - USER_VA >= 0x1000u)
		user_fail("trap from outside the user code page");
	switch (b->trap) {
	case VMM_TRAP_syscall:
		syscalls++;
		switch (f->r[7]) {
		case SYS_write:
			/* the buffer is the process's (user region only), copied in:
			 * console_io takes the domain's own memory */
			if (f->r[0] - USER_VA >= 0x2000u || f->r[1] > sizeof(write_buf) ||
			    f->r[1] > 0x2000u - (f->r[0] - USER_VA)) {
				f->r[0] = (uint32_t)-VMM_EFAULT;
				return;
			}
			for (i = 0; i < f->r[1]; i++)
				write_buf[i] = ((const volatile char *)(uintptr_t)f->r[0])[i];
			f->r[0] = (uint32_t)HYPERVISOR_console_io(VMM_CONSOLEIO_write, (int)f->r[1], write_buf);
			return;
		case SYS_yield:
			f->r[0] = (uint32_t)HYPERVISOR_sched_op(VMM_SCHEDOP_yield, 0);
			return;
		case SYS_exit:
			exit_code = f->r[0];
			kernel_resume();
		case SYS_check:
			fast_checks++;
			f->r[0] = 0;
			for (i = 1; i <= 12; i++)
				if (i != 7 && f->r[i] != i)
					f->r[0] = 1;
			return;
		case SYS_hostile:
		case SYS_hostile_slow:
			/* SYS mode, IT bits without T, J, VUSER, E, A, I set, F clear,
			 * and a pc the ARM state cannot have */
			f->cpsr = (f->cpsr & 0xf0000000u) | 0x0710ff9fu;
			f->pc |= 2u;
			if (f->r[7] == SYS_hostile_slow)
				vi->evtchn_upcall_mask = 1; /* the assembly return leaves this to C */
			f->r[0] = 0;
			return;
		case SYS_report:
			/* the CPSR the user ran with (the SPSR of this SVC): USR, F, nothing else */
			vi->evtchn_upcall_mask = 0;
			f->r[0] = (f->cpsr & ~VMM_PSR_VUSER & 0x07ffffffu) == 0x50u ? 0 : 1;
			return;
		case SYS_imm:
			f->r[0] = b->status;
			return;
		default:
			if (f->r[7] == VMM_HC_console_io && b->status == VMM_HYPERCALL_SVC)
				hypercall_tries++;
			f->r[0] = (uint32_t)-VMM_ENOSYS;
			return;
		}
	case VMM_TRAP_undefined:
		undefs++;
		probe_puts("kernel: undefined instruction at ");
		probe_putx(b->address);
		probe_puts(" from user mode, skipped\n");
		f->pc += 4;
		return;
	case VMM_TRAP_data_abort:
		if (b->address != (uint32_t)(uintptr_t)&kernel_secret)
			break;
		kernel_reads++;
		probe_puts("kernel: user read of kernel memory at ");
		probe_putx(b->address);
		probe_puts(" refused (fault status ");
		probe_putx(b->status);
		probe_puts("), skipped\n");
		f->pc += 4;
		return;
	default:
		break;
	}
	probe_puts("FAIL: unexpected trap ");
	probe_putd((long)b->trap);
	probe_puts(" at ");
	probe_putx(b->address);
	probe_puts("\n");
	probe_shutdown(VMM_SHUTDOWN_crash);
}

/* A fast system call (trap_entry_fast): the bounce kernel_trap expects,
 * built from the live registers and vcpu_info.syscall. */
void kernel_trap_fast(struct vmm_trap_bounce *b)
{
	const struct vmm_vcpu_info *vi = &((struct vmm_shared_info *)VMM_GUEST_BASE)->vcpu_info;

	fast_entries++;
	if (vi->vmode != VMM_VMODE_KERNEL)
		user_fail("vcpu_info.vmode not kernel in the syscall handler");
	if (b->frame.pc - USER_VA >= 0x1000u || (b->frame.cpsr & 0x1fu) != 0x10u)
		user_fail("vcpu_info.syscall does not hold the user context");
	b->trap = VMM_TRAP_syscall;
	b->address = b->frame.pc - 4;
	b->status = *(const volatile uint32_t *)(uintptr_t)b->address & 0x00ffffffu;
	b->reserved = 0;
	b->frame.cpsr |= VMM_PSR_VUSER; /* what kernel_trap checks; the return clears it */
	kernel_trap(b);
}

/* The exit system call: back in the kernel for good (on the kernel stack). */
void kernel_resume(void)
{
	const struct vmm_vcpu_info *vi = &((struct vmm_shared_info *)VMM_GUEST_BASE)->vcpu_info;
	const volatile uint32_t *bench = (const volatile uint32_t *)USER_DATA;
	int i;

	if (bench[2] || bench[3]) {
		probe_puts("bench: syscall bounce = ");
		probe_putd((long)bench[2]);
		probe_puts(" instructions\nbench: return to user = ");
		probe_putd((long)bench[3]);
		probe_puts(" instructions\n");
		probe_shutdown(VMM_SHUTDOWN_poweroff);
	}

	probe_expect("kernel: vmode is kernel after exit", vi->vmode, VMM_VMODE_KERNEL);
	if (fast_role == 1) {
		/* the first process is done: the second one, fast-only checks */
		fast_role = 2;
		user_load(user_fast_start, user_fast_end);
		for (i = 0; i < 13; i++)
			user_frame.r[i] = 0;
		user_frame.pc = USER_VA;
		user_frame.sp = USER_STACK;
		user_frame.cpsr = 0x10u | VMM_PSR_VUSER;
		HYPERVISOR_restore_trap_frame(&user_frame);
		user_fail("restore_trap_frame returned");
	}
	if (fast_role) {
		probe_expect("kernel: second process exit code", (long)exit_code, 0);
		probe_expect("kernel: fast system calls entered", fast_entries, 17);
		probe_expect("kernel: register checks", fast_checks, 1);
		syscalls -= 10; /* the second process's */
	}
	probe_expect("kernel: system calls served", syscalls, 7);
	probe_expect("kernel: hypercall attempts seen as system calls", hypercall_tries, 1);
	probe_expect("kernel: undefined instructions bounced", undefs, 1);
	probe_expect("kernel: kernel-memory reads caught", kernel_reads, 1);
	probe_expect("kernel: its variable unchanged", (long)kernel_secret, 0x600dc0de);
	if (probe_failures)
		probe_shutdown(VMM_SHUTDOWN_crash);
	probe_puts("user probe: all checks passed\n");
	probe_shutdown(VMM_SHUTDOWN_poweroff);
	for (;;)
		;
}

void probe_main(const struct vmm_start_info *si)
{
	struct vmm_vcpu_info *vi = &((struct vmm_shared_info *)VMM_GUEST_BASE)->vcpu_info;
	int nested = probe_cmdline_has(si->cmd_line, "role=nested");
	int badstack = probe_cmdline_has(si->cmd_line, "role=badstack");
	int bench = probe_cmdline_has(si->cmd_line, "role=bench");
	uint32_t flags;

	table.handler[VMM_TRAP_syscall] = (uint32_t)(uintptr_t)trap_entry_syscall;
	table.handler[VMM_TRAP_undefined] = (uint32_t)(uintptr_t)trap_entry_undef;
	table.handler[VMM_TRAP_prefetch_abort] = (uint32_t)(uintptr_t)trap_entry_abort;
	table.handler[VMM_TRAP_data_abort] = (uint32_t)(uintptr_t)(nested ? trap_entry_nested : trap_entry_abort);
	/* nested: a kernel stack low in memory, so the recursion leaves it soon */
	table.kernel_sp = nested ? VMM_GUEST_BASE + 0x2000u :
		(uint32_t)(uintptr_t)(kernel_stack + sizeof(kernel_stack) / sizeof(kernel_stack[0]));
	probe_expect("set_trap_table", vmm_hypercall2(VMM_HC_set_trap_table, (uint32_t)(uintptr_t)&table, 0), 0);
	probe_expect("set_trap_table refuses a handler outside memory",
		     (table.handler[1] = 0xE0000000u,
		      vmm_hypercall2(VMM_HC_set_trap_table, (uint32_t)(uintptr_t)&table, 0)), -VMM_EFAULT);
	table.handler[1] = (uint32_t)(uintptr_t)trap_entry_undef;
	probe_expect("set_trap_table again", vmm_hypercall2(VMM_HC_set_trap_table, (uint32_t)(uintptr_t)&table, 0), 0);
	fast_role = probe_cmdline_has(si->cmd_line, "role=fast");
	flags = (fast_role || badstack || bench) ? VMM_TRAPTABLE_fast_syscall : 0;
	if (flags) {
		table.handler[VMM_TRAP_syscall] = (uint32_t)(uintptr_t)trap_entry_fast;
		probe_expect("set_trap_table refuses unknown flags",
			     vmm_hypercall2(VMM_HC_set_trap_table, (uint32_t)(uintptr_t)&table,
					    VMM_TRAPTABLE_fast_syscall << 1), -VMM_EINVAL);
		probe_expect("set_trap_table refuses a kernel stack in the hypervisor",
			     (table.kernel_sp = 0xE0001000u,
			      vmm_hypercall2(VMM_HC_set_trap_table, (uint32_t)(uintptr_t)&table, flags)),
			     -VMM_EFAULT);
		table.kernel_sp = (uint32_t)(uintptr_t)(kernel_stack + sizeof(kernel_stack) / sizeof(kernel_stack[0]));
		if (badstack) {
			/* in the domain (accepted), unmapped once the user space is
			 * built; no data-abort handler: the handler's first store
			 * is a kernel fault with no handler */
			table.kernel_sp = VMM_GUEST_BASE + MIB + 0x1000u;
			table.handler[VMM_TRAP_data_abort] = 0;
		}
		probe_expect("set_trap_table with fast system calls",
			     vmm_hypercall2(VMM_HC_set_trap_table, (uint32_t)(uintptr_t)&table, flags), 0);
		vi->evtchn_upcall_mask = 0; /* no callback: nothing is delivered; the fast return needs 0 */
	}
	user_space_build(si);
	user_load(user_code_start, user_code_end);
	user_frame.pc = USER_VA;
	user_frame.sp = USER_STACK;
	user_frame.r[4] = (uint32_t)(uintptr_t)&kernel_secret;
	user_frame.cpsr = 0x10u | VMM_PSR_VUSER;
	if (bench) {
		table.handler[VMM_TRAP_syscall] = (uint32_t)(uintptr_t)trap_entry_bench;
		vmm_hypercall2(VMM_HC_set_trap_table, (uint32_t)(uintptr_t)&table, flags);
		user_load(user_bench_start, user_bench_end);
	}
	if (badstack)
		probe_puts("badstack: entering user mode, kernel stack unmapped\n");
	if (nested) {
		/* user code that reads hypervisor memory: the handler faults too */
		user_load(user_nested_start, user_nested_end);
		probe_puts("nested: entering user mode to fault\n");
	}
	HYPERVISOR_restore_trap_frame(&user_frame);
	user_fail("restore_trap_frame returned");
}
