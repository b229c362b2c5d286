/*
 * Virtual kernel/user mode probe: this guest is a tiny kernel with a trap
 * table and one user "process" it enters with restore_trap_frame
 * (VMM_PSR_VUSER set). The process makes system calls (write, yield, exit:
 * numbers of this probe's own in r7, `svc #0`), tries a hypercall
 * (console_io with svc #0x82: must arrive here as a system call, never reach
 * the hypervisor), and runs an undefined instruction (bounced to the
 * kernel's handler, which skips it).
 * "role=bench" (PMU access): instructions from a user `svc` to the first
 * instruction of the kernel's handler, and from the handler's
 * restore_trap_frame `svc` to the next user instruction (minimum of 64,
 * minus the cost of the counter read itself, as bench_hypercall.c).
 * "role=nested": the data-abort handler faults itself; the nested bounces
 * walk down the kernel stack until the frame no longer fits in the domain,
 * which the hypervisor must crash (and only this domain).
 *
 * The process runs from the kernel's own pages: with ARM domain fields not
 * yet written by the page-table code, guest pages are reachable from both
 * virtual modes (docs/architecture.md, "Virtual kernel and user modes").
 */
#include "probe_lib.h"

#define SYS_write 1
#define SYS_yield 2
#define SYS_exit  3

void probe_main(const struct vmm_start_info *si);
void trap_entry_syscall(void);
void trap_entry_undef(void);
void trap_entry_abort(void);
void trap_entry_nested(void);
void trap_entry_bench(void);
void user_main(void);
void user_bench(void);
volatile uint32_t bench_t[2]; /* handler entry, handler's return svc */
static long user_syscall(uint32_t nr, uint32_t a0, uint32_t a1);
/* User side of role=bench; the result goes out by the exit system call. */
void user_bench(void)
{
	uint32_t e0, e1, t0, t3, bounce = ~0u, ret = ~0u, empty = ~0u;
	int i;

	for (i = 0; i < 64; i++) {
		__asm__ volatile("mrc p15, 0, %0, c9, c13, 0\n\tmrc p15, 0, %1, c9, c13, 0"
				 : "=&r"(e0), "=&r"(e1));
		if (e1 - e0 < empty)
			empty = e1 - e0;
		__asm__ volatile("mov r7, #0\n\t"
				 "mrc p15, 0, %0, c9, c13, 0\n\t"
				 "svc #0\n\t"
				 "mrc p15, 0, %1, c9, c13, 0"
				 : "=&r"(t0), "=&r"(t3) :: "r0", "r1", "r2", "r3", "r4", "r7", "memory");
		if (bench_t[0] - t0 < bounce)
			bounce = bench_t[0] - t0;
		if (t3 - bench_t[1] < ret)
			ret = t3 - bench_t[1];
	}
	bench_t[0] = bounce - empty;
	bench_t[1] = ret - empty;
	user_syscall(SYS_exit, 0, 0); /* trap_entry_bench passes it to kernel_trap */
}

void kernel_trap(struct vmm_trap_bounce *b);
void kernel_resume(void) __attribute__((noreturn));

static uint64_t kernel_stack[1024];
static uint64_t user_stack[512];
static struct vmm_trap_table table;
static struct vmm_trap_frame user_frame;
static int syscalls, undefs, hypercall_tries;

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
	/* role=bench: counter at entry (t1) and right before the return (t2) */
	"	.global trap_entry_bench\n"
	"trap_entry_bench:\n"
	"	mrc	p15, 0, r1, c9, c13, 0\n"
	"	ldr	r3, [r0, #28]\n"        /* frame.r[7]: SYS_exit goes the normal way */
	"	cmp	r3, #3\n"
	"	beq	trap_entry_syscall\n"
	"	ldr	r2, =bench_t\n"
	"	str	r1, [r2]\n"
	"	mov	r7, #23\n"
	"	mrc	p15, 0, r1, c9, c13, 0\n"
	"	str	r1, [r2, #4]\n"
	"	svc	#0x82\n"
	"	b	.\n"
	"	.ltorg\n"
	/* role=nested: the handler itself reads hypervisor memory */
	"	.global trap_entry_nested\n"
	"trap_entry_nested:\n"
	"	mov	r1, #0xE0000000\n"
	"	ldr	r1, [r1]\n"
	"	b	.\n");

/* User code: only svc, no hypercall wrappers (those are for the kernel). */
static long user_syscall(uint32_t nr, uint32_t a0, uint32_t a1)
{
	register uint32_t r0 __asm__("r0") = a0;
	register uint32_t r1 __asm__("r1") = a1;
	register uint32_t r7 __asm__("r7") = nr;

	__asm__ volatile("svc #0" : "+r"(r0) : "r"(r1), "r"(r7) : "memory");
	return (long)r0;
}

static void user_write(const char *s)
{
	user_syscall(SYS_write, (uint32_t)(uintptr_t)s, probe_strlen(s));
}

void user_main(void)
{
	static const char msg[] = "FAIL: hypercall executed from user mode\n";
	register uint32_t r0 __asm__("r0") = VMM_CONSOLEIO_write;
	register uint32_t r1 __asm__("r1") = sizeof(msg) - 1;
	register uint32_t r2 __asm__("r2") = (uint32_t)(uintptr_t)msg;
	register uint32_t r7 __asm__("r7") = VMM_HC_console_io;

	user_write("user: hello from virtual user mode\n");
	__asm__ volatile("svc #0x82" : "+r"(r0) : "r"(r1), "r"(r2), "r"(r7) : "memory");
	if ((long)r0 == -VMM_ENOSYS)
		user_write("user: hypercall from user mode refused\n");
	user_syscall(SYS_yield, 0, 0);
	__asm__ volatile(".word 0xe7f000f0"); /* udf #0 */
	user_write("user: back after the undefined instruction\n");
	user_syscall(SYS_exit, 0, 0);
	user_write("FAIL: exit returned\n");
	for (;;)
		;
}

void kernel_trap(struct vmm_trap_bounce *b)
{
	struct vmm_trap_frame *f = &b->frame;

	if (!(f->cpsr & VMM_PSR_VUSER)) {
		probe_puts("FAIL: trap from kernel mode\n");
		probe_shutdown(VMM_SHUTDOWN_crash);
	}
	switch (b->trap) {
	case VMM_TRAP_syscall:
		syscalls++;
		switch (f->r[7]) {
		case SYS_write:
			f->r[0] = (uint32_t)HYPERVISOR_console_io(VMM_CONSOLEIO_write, (int)f->r[1],
								  (char *)(uintptr_t)f->r[0]);
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
	default:
		probe_puts("FAIL: unexpected trap ");
		probe_putd((long)b->trap);
		probe_puts(" at ");
		probe_putx(b->address);
		probe_puts("\n");
		probe_shutdown(VMM_SHUTDOWN_crash);
	}
}

/* The exit system call: back in the kernel for good (on the kernel stack). */
void kernel_resume(void)
{
	const struct vmm_vcpu_info *vi = &((struct vmm_shared_info *)VMM_GUEST_BASE)->vcpu_info;

	if (bench_t[0] || bench_t[1]) {
		probe_puts("bench: syscall bounce = ");
		probe_putd((long)bench_t[0]);
		probe_puts(" instructions\nbench: return to user = ");
		probe_putd((long)bench_t[1]);
		probe_puts(" instructions\n");
		probe_shutdown(VMM_SHUTDOWN_poweroff);
	}

	probe_expect("kernel: vmode is kernel after exit", vi->vmode, VMM_VMODE_KERNEL);
	probe_expect("kernel: system calls served", syscalls, 6);
	probe_expect("kernel: hypercall attempts seen as system calls", hypercall_tries, 1);
	probe_expect("kernel: undefined instructions bounced", undefs, 1);
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
	user_frame.pc = (uint32_t)(uintptr_t)user_main;
	user_frame.sp = (uint32_t)(uintptr_t)(user_stack + sizeof(user_stack) / sizeof(user_stack[0]));
	user_frame.cpsr = 0x10u | VMM_PSR_VUSER;
	if (probe_cmdline_has(si->cmd_line, "role=bench")) {
		table.handler[VMM_TRAP_syscall] = (uint32_t)(uintptr_t)trap_entry_bench;
		vmm_hypercall2(VMM_HC_set_trap_table, (uint32_t)(uintptr_t)&table, 0);
		user_frame.pc = (uint32_t)(uintptr_t)user_bench;
	}
	if (nested) {
		/* user code that reads hypervisor memory: the handler faults too */
		user_frame.pc = (uint32_t)(uintptr_t)trap_entry_nested;
		probe_puts("nested: entering user mode to fault\n");
	}
	HYPERVISOR_restore_trap_frame(&user_frame);
	probe_puts("FAIL: restore_trap_frame returned\n");
	probe_shutdown(VMM_SHUTDOWN_crash);
}
