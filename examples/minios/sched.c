/*
 * libvmm Mini-OS: threads and a preemptive round-robin scheduler.
 *
 * Every thread's context is a struct vmm_trap_frame. A thread that is not
 * running has its context in thread->frame; the running thread's context is
 * in the CPU. Switches happen two ways, both resuming through the
 * hypervisor's restore_trap_frame (which restores all registers incl.
 * pc/cpsr/Thumb bit atomically and clears evtchn_upcall_mask):
 *
 *  - Cooperative (schedule(), msleep(), sleep_on(), exit_thread()), in thread
 *    context with events masked: minios_switch_frame() saves the caller as a
 *    frame that returns from the call and resumes the next thread's frame.
 *  - Preemptive, in the upcall (events masked by the hypervisor): the frame
 *    the hypervisor pushed (*f) is copied into the current thread and the
 *    next thread's frame is copied into *f; upcall.S then restores *f.
 *
 * The timer VIRQ (VMM_VIRQ_TIMER, bound in init_sched()) drives preemption: set_timer_op is armed
 * at the earliest of the running thread's slice end (only if another thread
 * is runnable) and the sleepers' wake-up times. The idle thread blocks the
 * domain (sched_op block) when nothing is runnable.
 *
 * All scheduler state is only touched with events masked.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <minios/os.h>
#include <minios/console.h>
#include <minios/events.h>
#include <minios/sched.h>
#include <minios/time.h>

#define PSR_MODE_USR 0x10u
#define PSR_T_BIT    0x20u
#define STACK_MAGIC  0x4b415453u	/* "STAK" at the lowest stack word */

static struct thread *current_thread;
static struct thread *idle_thread;     /* list anchor; never exits */
static struct thread *zombies;         /* exited detached threads to free */
static int scheduler_running;
static s_time_t timer_programmed;      /* deadline given to set_timer_op, 0: none */
static unsigned int next_thread_id;

struct thread *get_current(void)
{
	return current_thread;
}

int sched_running(void)
{
	return scheduler_running;
}

/* ------------------------------------------------------------ helpers */

static void check_stack(const struct thread *t)
{
	if (unlikely(*(const volatile uint32_t *)t->stack != STACK_MAGIC))
		minios_panic("thread \"%s\" overflowed its stack (0x%08lx)\n",
			     t->name, (unsigned long)(uintptr_t)t->stack);
}

static void wake_sleepers(s_time_t now)
{
	struct thread *t = idle_thread;

	do {
		if (!t->runnable && t->wakeup_time != 0 && t->wakeup_time <= now) {
			t->wakeup_time = 0;
			t->runnable = 1;
		}
		t = t->next;
	} while (t != idle_thread);
}

static int other_runnable(const struct thread *cur)
{
	const struct thread *t = idle_thread->next;

	for (; t != idle_thread; t = t->next)
		if (t != cur && t->runnable)
			return 1;
	return 0;
}

/* Round robin: the first runnable thread after prev, else prev, else idle. */
static struct thread *pick_next(struct thread *prev)
{
	struct thread *t;

	for (t = prev->next; t != prev; t = t->next)
		if (t != idle_thread && t->runnable)
			return t;
	if (prev != idle_thread && prev->runnable)
		return prev;
	return idle_thread;
}

/* Arms the domain timer for the next scheduling decision. */
static void program_timer(void)
{
	s_time_t deadline = 0;
	const struct thread *t = idle_thread;

	if (current_thread != idle_thread && other_runnable(current_thread))
		deadline = current_thread->slice_end;
	do {
		if (!t->runnable && t->wakeup_time != 0 &&
		    (deadline == 0 || t->wakeup_time < deadline))
			deadline = t->wakeup_time;
		t = t->next;
	} while (t != idle_thread);

	if (deadline != timer_programmed) {
		timer_programmed = deadline;
		/* 0 cancels; a deadline in the past fires at once. */
		(void)HYPERVISOR_set_timer_op((uint64_t)deadline);
	}
}

static void timer_handler(unsigned int port, struct vmm_trap_frame *f)
{
	(void)port;
	(void)f;
	/* The one-shot timer is spent; sched_upcall() re-arms it. */
	timer_programmed = 0;
}

/* ------------------------------------------------------------ switching */

/* Thread context, events masked. Returns (events masked) when prev runs again. */
static void switch_to(struct thread *prev, struct thread *next, s_time_t now)
{
	check_stack(prev);
	check_stack(next);
	current_thread = next;
	next->slice_end = now + SCHED_TIME_SLICE;
	program_timer();
	/* No C code between these: the compiler may not touch the VFP
	 * registers once next's are loaded. */
	minios_fp_save(&prev->fp);
	minios_fp_load(&next->fp);
	minios_switch_frame(&prev->frame, &next->frame);
	/* Resumed by whoever switched back to us; restore_trap_frame cleared
	 * the mask. current_thread == prev again. */
	local_irq_disable();
}

/* Thread context, events masked on entry and on return. */
static void reschedule_masked(void)
{
	struct thread *prev = current_thread, *next;
	s_time_t now = NOW();

	wake_sleepers(now);
	next = pick_next(prev);
	if (next != prev) {
		switch_to(prev, next, now);
		return;
	}
	if (now >= prev->slice_end)
		prev->slice_end = now + SCHED_TIME_SLICE;
	program_timer();
}

/* Upcall context (events masked): preempt if due. */
void sched_upcall(struct vmm_trap_frame *f, struct minios_fpstate *fp)
{
	struct thread *prev = current_thread, *next;
	s_time_t now = NOW();

	wake_sleepers(now);
	if (prev == idle_thread || !prev->runnable || now >= prev->slice_end) {
		next = pick_next(prev);
		if (next != prev) {
			prev->frame = *f;
			prev->fp = *fp;
			check_stack(prev);
			check_stack(next);
			current_thread = next;
			next->slice_end = now + SCHED_TIME_SLICE;
			*f = next->frame;
			*fp = next->fp;
		} else if (now >= prev->slice_end) {
			prev->slice_end = now + SCHED_TIME_SLICE;
		}
	}
	program_timer();
}

void schedule(void)
{
	unsigned long flags;

	if (in_upcall())
		minios_panic("schedule() called in upcall context\n");
	if (!scheduler_running)
		return;
	flags = local_irq_save();
	reschedule_masked();
	local_irq_restore(flags);
}

void msleep(uint32_t ms)
{
	s_time_t until = NOW() + MILLISECS(ms);
	struct thread *t;
	unsigned long flags;

	if (!scheduler_running) {
		while (NOW() < until)
			block_domain(until);
		return;
	}
	if (ms == 0) {
		schedule();
		return;
	}
	if (in_upcall())
		minios_panic("msleep() called in upcall context\n");
	t = current_thread;
	flags = local_irq_save();
	while (NOW() < until) {
		t->wakeup_time = until;
		t->runnable = 0;
		reschedule_masked();
	}
	t->wakeup_time = 0;
	t->runnable = 1;
	local_irq_restore(flags);
}

int sleep_on(const void *chan, s_time_t timeout_ns)
{
	struct thread *t = current_thread;
	unsigned long flags;
	int woken;

	if (chan == NULL || in_upcall() || !scheduler_running || t == idle_thread)
		minios_panic("sleep_on(%p) not allowed here\n", chan);
	flags = local_irq_save();
	t->wait_chan = chan;
	t->wakeup_time = timeout_ns > 0 ? NOW() + timeout_ns : 0;
	t->runnable = 0;
	reschedule_masked();
	woken = (t->wait_chan == NULL);
	t->wait_chan = NULL;
	t->wakeup_time = 0;
	t->runnable = 1;
	local_irq_restore(flags);
	return woken;
}

void wake_up(const void *chan)
{
	unsigned long flags;
	struct thread *t;

	if (chan == NULL || idle_thread == NULL)
		return;
	flags = local_irq_save();
	t = idle_thread;
	do {
		if (t->wait_chan == chan) {
			t->wait_chan = NULL;
			t->wakeup_time = 0;
			t->runnable = 1;
		}
		t = t->next;
	} while (t != idle_thread);
	if (scheduler_running && !in_upcall())
		program_timer();
	local_irq_restore(flags);
}

void wake(struct thread *t)
{
	unsigned long flags = local_irq_save();

	t->wakeup_time = 0;
	t->runnable = 1;
	if (scheduler_running && !in_upcall())
		program_timer();
	local_irq_restore(flags);
}

void block(struct thread *t)
{
	unsigned long flags = local_irq_save();

	t->runnable = 0;
	local_irq_restore(flags);
}

/* ------------------------------------------------------------ threads */

static void reap_zombies(void)
{
	unsigned long flags = local_irq_save();
	struct thread *z = zombies, *n;

	zombies = NULL;
	local_irq_restore(flags);
	for (; z != NULL; z = n) {
		n = z->next_zombie;
		free(z->stack);
		free(z);
	}
}

static void list_add_tail(struct thread *t)
{
	if (idle_thread == NULL) {
		t->next = t->prev = t;
		return;
	}
	t->next = idle_thread;
	t->prev = idle_thread->prev;
	idle_thread->prev->next = t;
	idle_thread->prev = t;
}

static void list_del(struct thread *t)
{
	t->prev->next = t->next;
	t->next->prev = t->prev;
	t->next = t->prev = t;
}

/* First code of every thread: reached by restore_trap_frame, events on. */
static void thread_starter(struct thread *t) __attribute__((noreturn, used));
static void thread_starter(struct thread *t)
{
	t->fn(t->arg);
	exit_thread();
}

static struct thread *do_create_thread(const char *name, void (*fn)(void *),
				       void *arg, int joinable)
{
	struct thread *t;
	uintptr_t entry = (uintptr_t)thread_starter;
	unsigned long flags;

	reap_zombies();
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return NULL;
	t->stack = malloc(THREAD_STACK_SIZE);
	if (t->stack == NULL) {
		free(t);
		return NULL;
	}
	strncpy(t->name, name != NULL ? name : "?", sizeof(t->name) - 1);
	*(uint32_t *)t->stack = STACK_MAGIC;
	t->fn = fn;
	t->arg = arg;
	t->joinable = joinable;

	/* Initial context: thread_starter(t) on top of the new stack. */
	t->frame.r[0] = (uint32_t)(uintptr_t)t;
	t->frame.sp = ((uint32_t)(uintptr_t)t->stack + THREAD_STACK_SIZE) & ~7u;
	t->frame.lr = 0;
	t->frame.pc = (uint32_t)(entry & ~(uintptr_t)1);
	t->frame.cpsr = PSR_MODE_USR | ((entry & 1) ? PSR_T_BIT : 0);
	t->runnable = 1;

	flags = local_irq_save();
	t->id = next_thread_id++;
	list_add_tail(t);
	if (scheduler_running && !in_upcall())
		program_timer();
	local_irq_restore(flags);

	printk("Thread \"%s\": pointer: 0x%08lx, stack: 0x%08lx\n", t->name,
	       (unsigned long)(uintptr_t)t, (unsigned long)(uintptr_t)t->stack);
	return t;
}

struct thread *create_thread(const char *name, void (*fn)(void *), void *arg)
{
	return do_create_thread(name, fn, arg, 0);
}

struct thread *create_joinable_thread(const char *name, void (*fn)(void *), void *arg)
{
	return do_create_thread(name, fn, arg, 1);
}

void exit_thread(void)
{
	struct thread *t = current_thread, *next;

	if (in_upcall() || !scheduler_running || t == idle_thread)
		minios_panic("exit_thread() not allowed here\n");
	console_flush();
	local_irq_disable();
	t->runnable = 0;
	t->exited = 1;
	t->wakeup_time = 0;
	t->wait_chan = NULL;
	if (t->joinable)
		wake_up(t);   /* the joiner sleeps on the thread itself */
	next = pick_next(t);
	list_del(t);
	if (!t->joinable) {
		t->next_zombie = zombies;
		zombies = t;
	}
	/* t stays allocated until another thread frees it, which can only
	 * happen after this switch: events are masked until the hypervisor
	 * resumes `next`. */
	current_thread = next;
	next->slice_end = NOW() + SCHED_TIME_SLICE;
	program_timer();
	minios_fp_load(&next->fp); /* whoever resumes a thread loads its VFP registers */
	minios_switch_frame(&t->frame, &next->frame);
	minios_panic("exited thread resumed\n");
}

int join_thread(struct thread *t)
{
	unsigned long flags;

	if (t == NULL || !t->joinable || t == current_thread)
		return -1;
	flags = local_irq_save();
	while (!t->exited)
		(void)sleep_on(t, 0);
	local_irq_restore(flags);
	free(t->stack);
	free(t);
	return 0;
}

/* ------------------------------------------------------------ idle */

static void idle_thread_fn(void *unused)
{
	(void)unused;
	for (;;) {
		unsigned long flags;

		reap_zombies();
		flags = local_irq_save();
		wake_sleepers(NOW());
		if (pick_next(idle_thread) != idle_thread) {
			reschedule_masked();
		} else {
			program_timer();
			/* Wakes on any pending event, masked or not; returns at
			 * once if one is already pending. */
			if (!*minios_upcall_pending_ptr())
				(void)HYPERVISOR_sched_op(VMM_SCHEDOP_block, 0);
		}
		/* Unmasking delivers the pending upcall, which switches to a
		 * thread that became runnable. */
		local_irq_restore(flags);
	}
}

void init_sched(void)
{
	idle_thread = create_thread("Idle", idle_thread_fn, NULL);
	if (idle_thread == NULL)
		minios_panic("cannot allocate the idle thread\n");
	if (bind_virq(VMM_VIRQ_TIMER, timer_handler) < 0)
		minios_panic("cannot bind the timer port\n");
}

void run_idle_thread(void)
{
	long rc;

	local_irq_disable();
	current_thread = idle_thread;
	idle_thread->slice_end = NOW() + SCHED_TIME_SLICE;
	scheduler_running = 1;
	program_timer();
	/* Leaves the boot stack for good; unmasks events. */
	minios_fp_load(&idle_thread->fp);
	rc = HYPERVISOR_restore_trap_frame(&idle_thread->frame);
	minios_panic("cannot start the idle thread: %ld\n", rc);
}
