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
 * "role=nested": the user process reads hypervisor memory and so does the
 * data-abort handler; the nested bounces walk down the kernel stack until
 * the frame no longer fits in the domain, which the hypervisor must crash
 * (and only this domain).
 *
 * Needs 2 MiB, 1 MiB aligned in machine memory (a section per MiB).
 */
#include "probe_lib.h"
#include "vmm/mmu.h"

#define SYS_write 1
#define SYS_yield 2
#define SYS_exit  3

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
extern const char user_code_start[], user_code_end[], user_bench_start[], user_bench_end[];
extern const char user_nested_start[], user_nested_end[];
void kernel_trap(struct vmm_trap_bounce *b);
void kernel_resume(void) __attribute__((noreturn));

static uint64_t kernel_stack[1024];
static struct vmm_trap_table table;
static struct vmm_trap_frame user_frame;
static int syscalls, undefs, hypercall_tries, kernel_reads;
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
	/* role=bench: counter at entry (t1) and right before the return (t2),
	 * stored in the user data page (reachable in virtual kernel mode) */
	"	.global trap_entry_bench\n"
	"trap_entry_bench:\n"
	"	mrc	p15, 0, r1, c9, c13, 0\n"
	"	ldr	r3, [r0, #28]\n"        /* frame.r[7]: SYS_exit goes the normal way */
	"	cmp	r3, #3\n"
	"	beq	trap_entry_syscall\n"
	"	movw	r2, #:lower16:0x40001000\n"
	"	movt	r2, #:upper16:0x40001000\n"
	"	str	r1, [r2]\n"
	"	mov	r7, #23\n"
	"	mrc	p15, 0, r1, c9, c13, 0\n"
	"	str	r1, [r2, #4]\n"
	"	svc	#0x82\n"
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
	"	mrc	p15, 0, r5, c9, c13, 0\n"
	"	ldr	r0, [r6]\n"
	"	sub	r0, r0, r4\n"
	"	cmp	r0, r9\n"
	"	movlo	r9, r0\n"
	"	ldr	r1, [r6, #4]\n"
	"	sub	r1, r5, r1\n"
	"	cmp	r1, r10\n"
	"	movlo	r10, r1\n"
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

void kernel_trap(struct vmm_trap_bounce *b)
{
	static char write_buf[128];
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
			kernel_resume();
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

/* The exit system call: back in the kernel for good (on the kernel stack). */
void kernel_resume(void)
{
	const struct vmm_vcpu_info *vi = &((struct vmm_shared_info *)VMM_GUEST_BASE)->vcpu_info;
	const volatile uint32_t *bench = (const volatile uint32_t *)USER_DATA;

	if (bench[2] || bench[3]) {
		probe_puts("bench: syscall bounce = ");
		probe_putd((long)bench[2]);
		probe_puts(" instructions\nbench: return to user = ");
		probe_putd((long)bench[3]);
		probe_puts(" instructions\n");
		probe_shutdown(VMM_SHUTDOWN_poweroff);
	}

	probe_expect("kernel: vmode is kernel after exit", vi->vmode, VMM_VMODE_KERNEL);
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
	int nested = probe_cmdline_has(si->cmd_line, "role=nested");

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
	user_space_build(si);
	user_load(user_code_start, user_code_end);
	user_frame.pc = USER_VA;
	user_frame.sp = USER_STACK;
	user_frame.r[4] = (uint32_t)(uintptr_t)&kernel_secret;
	user_frame.cpsr = 0x10u | VMM_PSR_VUSER;
	if (probe_cmdline_has(si->cmd_line, "role=bench")) {
		table.handler[VMM_TRAP_syscall] = (uint32_t)(uintptr_t)trap_entry_bench;
		vmm_hypercall2(VMM_HC_set_trap_table, (uint32_t)(uintptr_t)&table, 0);
		user_load(user_bench_start, user_bench_end);
	}
	if (nested) {
		/* user code that reads hypervisor memory: the handler faults too */
		user_load(user_nested_start, user_nested_end);
		probe_puts("nested: entering user mode to fault\n");
	}
	HYPERVISOR_restore_trap_frame(&user_frame);
	user_fail("restore_trap_frame returned");
}
