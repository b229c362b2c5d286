/* libvmm Mini-OS: threads, preemptive round-robin scheduler. */
#ifndef MINIOS_SCHED_H
#define MINIOS_SCHED_H

#include <stdint.h>
#include <vmm/abi.h>
#include <minios/time.h>

#define THREAD_STACK_SIZE   (8 * 1024)
#define THREAD_NAME_MAX     16
#define THREAD_LINEBUF_SIZE 160
/* Round-robin time slice of a running thread when others are runnable. */
#define SCHED_TIME_SLICE    MILLISECS(10)

/*
 * A thread's floating-point registers while it does not run (guests are
 * built hard-float for VFPv3-D16: d0-d15 and FPSCR are all the compiler
 * uses). Whoever resumes a thread loads its state first (switch_to, the
 * upcall's saved block), so a thread finds its registers as it left them.
 */
struct minios_fpstate {
	uint64_t d[16];
	uint32_t fpscr;
	uint32_t pad;
};

struct thread {
	char name[THREAD_NAME_MAX];
	unsigned int id;
	char *stack;                     /* THREAD_STACK_SIZE bytes, malloc'ed */
	struct vmm_trap_frame frame;     /* saved context while not running */
	struct minios_fpstate fp;        /* its VFP registers meanwhile */
	/* Changed by the upcall handler too: volatile. */
	volatile int runnable;
	volatile int exited;
	int joinable;
	volatile s_time_t wakeup_time;   /* 0: not sleeping */
	s_time_t slice_end;              /* end of the current time slice */
	const void *volatile wait_chan;  /* sleep_on() channel, NULL if none */
	void (*fn)(void *);
	void *arg;
	struct thread *next, *prev;      /* all live threads (circular) */
	struct thread *next_zombie;
	unsigned int linelen;            /* console_write_lines() buffer */
	char linebuf[THREAD_LINEBUF_SIZE];
};

/*
 * Creates a runnable thread running fn(arg) on an 8 KiB malloc'ed stack and
 * prints `Thread "<name>": pointer: 0x..., stack: 0x...`. When fn returns the
 * thread exits. create_thread's threads are detached (freed on exit); a
 * joinable thread stays allocated until join_thread(). NULL if out of memory.
 */
struct thread *create_thread(const char *name, void (*fn)(void *), void *arg);
struct thread *create_joinable_thread(const char *name, void (*fn)(void *), void *arg);
/* Waits for a joinable thread to exit and frees it. 0, or -1 if not joinable. */
int join_thread(struct thread *t);

void exit_thread(void) __attribute__((noreturn));

/* Yields the CPU to the next runnable thread (round robin), if any. */
void schedule(void);
/* Sleeps the current thread for at least ms milliseconds (0: yield). */
void msleep(uint32_t ms);

/*
 * Sleeps on a channel until wake_up(chan) or, if timeout_ns > 0, until that
 * much time passed. Returns 1 if woken by wake_up, 0 on timeout.
 * wake_up() may be called from event handlers (upcall context).
 */
int sleep_on(const void *chan, s_time_t timeout_ns);
void wake_up(const void *chan);

/* Mini-OS style: make a thread (not) runnable. */
void wake(struct thread *t);
void block(struct thread *t);

struct thread *get_current(void);
int sched_running(void);

void init_sched(void);
/* Switches from the boot context to the idle thread; never returns. */
void run_idle_thread(void) __attribute__((noreturn));

/* Called by the upcall handler after the event handlers ran: may replace *f
 * and *fp (the interrupted VFP registers, which upcall.S saved and loads
 * back) with another thread's context (preemption). */
void sched_upcall(struct vmm_trap_frame *f, struct minios_fpstate *fp);

/* switch.S: VFP registers (d0-d15, FPSCR) to and from *fp. */
void minios_fp_save(struct minios_fpstate *fp);
void minios_fp_load(const struct minios_fpstate *fp);

/* switch.S: saves the caller's context into *save (resuming there returns
 * from this call) and resumes *resume via HYPERVISOR_restore_trap_frame. */
void minios_switch_frame(struct vmm_trap_frame *save, struct vmm_trap_frame *resume);

#endif /* MINIOS_SCHED_H */
