/*
 * Domains: a guest with its memory, translation table, hypervisor stack,
 * saved context, event state, timer and console line.
 *
 * Single vcpu per domain. Domain ids grow from 0 and are never reused
 * (thesis 5.2.2); a dead domain's memory returns to the allocator and its
 * storage slot is reused (domain_kill(), domain_reap()).
 */
#ifndef VMM_CORE_DOMAIN_H
#define VMM_CORE_DOMAIN_H

#include <stdbool.h>
#include <stdint.h>

#include "arch.h"
#include "asid.h"
#include "console.h"
#include "p2m.h"
#include "pt_table.h"
#include "evtchn.h"
#include "sched.h"
#include "vmm/config.h"
#include "vmm/guest_info.h"

#ifndef VMM_MAX_DOMAINS
#define VMM_MAX_DOMAINS 16
#endif

/* The hypervisor stack of a domain: 2.5 KiB, so that the struct with it fits in
 * one frame (domain.c; issue 9, the hypervisor's RAM). Deepest use measured in
 * every QEMU test (hostile guests, memory_op, grants, the two-domain example,
 * with the cold code in Thumb-2; the stack painted at creation and read at death
 * and power-off): 1032 bytes. Bound from GCC's call graph with frame sizes
 * (-fcallgraph-info=su, every indirect call taken as its deepest possible
 * target, hypercalls run with IRQs masked so nothing nests): about 1.9 KiB with
 * the trap frame, the 60 bytes above it and libc's leaf frames. The one thing
 * that can nest is an asynchronous abort (entry.S dabt_hypervisor: its 132-byte
 * frame and gap, vmm_trap_hyp_data_abort() and vmm_log_now() with its 128-byte
 * buffer), about 0.5 KiB more: about 2.4 KiB at worst. The lowest word holds a
 * canary that domain reaping checks (DOMAIN_STACK_CANARY). */
#define DOMAIN_STACK_SIZE 2560
#define DOMAIN_STACK_CANARY 0x5354414bu /* "STAK" */
#define DOMAIN_NAME_MAX   16

enum domain_state {
	DOMAIN_FREE = 0,   /* slot unused */
	DOMAIN_RUNNABLE,   /* wants the CPU (running or waiting for it) */
	DOMAIN_BLOCKED,    /* sched_op(block): waits for an event or its timer */
	DOMAIN_DEAD,       /* shut down or crashed; never runs again */
};

struct domain {
	/*
	 * Hot: every context switch (core/schedule.c) reads or writes these.
	 * First, so that they sit within the short (8-bit) offsets of the
	 * 64-bit loads and stores, not behind the stack.
	 */
	enum domain_state state;
	unsigned int slot;                 /* index in the domain table */
	uint32_t flags;                    /* VMM_DOMCFG_* */
	struct vmm_shared_info *shared;
	uint64_t cpu_time_ns;              /* CPU time used, up to the last switch-out */
	uint64_t run_start_ns;             /* when it was last switched in */
	/* hypervisor thread of the vcpu; the guest frame is at the top of stack */
	struct arch_hctx hctx;
	struct sched_entity sched;

	uint32_t id;
	char name[DOMAIN_NAME_MAX];
	char tag[DOMAIN_NAME_MAX];         /* console tag, "domN" */

	/*
	 * Memory (domain_build.h): pfns 0..max_pages-1 at VMM_GUEST_BASE in the
	 * guest, backed by the machine frames p2m names (not necessarily contiguous).
	 */
	uint32_t mem_size;                 /* bytes: max_pages * 4 KiB */
	uint32_t max_pages;                /* reservation: the configured size */
	uint32_t tot_pages;                /* pfns backed now */
	uint32_t init_pages;               /* pfns backed at boot (config mem_initial); 0: max_pages */
	/* Three words where the flat p2m list's pointer, frame and order were:
	 * pt.fast below stays at PT_FAST_DOMAIN_OFFSET (arch/armv7/pt_fast.h)
	 * and everything else where it was (the hot paths' offsets). */
	uint32_t unknown_hypercalls_logged;/* bit n: number n already logged once */
	uint32_t rejections_logged;        /* rate limit of hypercall_reject() lines */
	uint32_t promised;                 /* frames kept back for it at creation (domain.c) */
	uint32_t l1_mfn;                   /* initial L1 table (4 frames, pinned) */
	uint32_t nr_pt_frames;             /* table frames the builder took */
	uint32_t p2m_list_va;              /* guest copy of the p2m list (start info), 0 if none */
	uint32_t self_mfn;                 /* first of the frames this struct lives in */
	/* Validated page tables (pt_table.h): set up by the builder over the
	 * initial L1 (pt_domain_init()); ops is NULL until then. */
	struct pt_space pt;
	struct asid_cache asids;           /* address spaces (L1 tables) with their ASIDs */

	struct vmm_trap_frame *frame;

	/* virtual CPU (core/vtrap.c): the guest kernel's trap table; the mode
	 * is hctx.dacr's (vtrap_mode()), vcpu_info.vmode only a copy */
	struct vmm_trap_table traps;
	uint32_t trap_flags;               /* VMM_TRAPTABLE_* given with it */

	/* events and time */
	uint32_t event_callback;           /* 0: none registered */
	uint64_t timer_deadline;           /* 0: no timer armed */

	/* VFP/NEON registers while another domain owns the FPU (core/vcpu_state.c) */
	struct arch_vfp_state vfp;
	/* event channels and the access policy (evtchn.h, policy.h) */
	struct evtchn_table evtchn;
	uint32_t policy_types;             /* types the domain carries */
	uint32_t policy_peers;             /* types it may talk to (all without policy) */

	struct console_line console;
	int shutdown_reason;               /* VMM_SHUTDOWN_*, valid when DEAD */
	uint32_t promised_window;          /* ... of `promised` (beside max_pages): hypervisor frames, from the window */
	/* where a dead domain's teardown stands (domain_mem_teardown_step()) */
	uint8_t teardown_phase;
	uint32_t teardown_cursor;
	/* pfn -> mfn (p2m.h): p2m_lookup(), domain_pfn_to_mfn(), p2m_set(). Last,
	 * where three of the counters now beside max_pages were: no other member moved. */
	struct p2m p2m;
	uint8_t stack[DOMAIN_STACK_SIZE] __attribute__((aligned(8)));
};

/*
 * Frames the live domains may still take (static partitioning): each one's
 * unbacked reservation plus the hypervisor frames its use can add. A domain
 * is only created if the RAM left covers this sum with its own share added
 * ("its N MiB reservation does not fit the RAM left" otherwise); a dead
 * domain's share goes back.
 */
uint32_t domain_frames_promised(void);

/* The domain the CPU is running (NULL in the idle loop). */
extern struct domain *current;

/* Looks up a live (not FREE, not DEAD) domain by id; NULL if none. */
struct domain *domain_find(uint32_t id);

/* Iterates over slots: returns slot i's domain or NULL if free. */
struct domain *domain_at(unsigned int slot);

/*
 * Builds a domain from a config entry: checks the entry and the ELF, takes
 * memory, loads the image, fills start/shared info and the initial context.
 * Returns the new domain (not yet runnable), or NULL after logging why.
 */
struct domain *domain_create(const struct vmm_domain_config *cfg);

/*
 * Marks d dead with a reason, flushes its console line and logs it, and
 * starts giving its memory back to the allocator (domain_mem_teardown_step():
 * data frames, tables, p2m leaves, shared-info mapping; scrubbed before anyone
 * gets them again), for at most VMM_TEARDOWN_STEP_NS; domain_reap() does the
 * rest. A domain other than `current` whose teardown finished also loses its
 * storage and its slot at once. The current domain (dying in its own
 * hypercall or trap) is left for the idle loop: the CPU switches there
 * (schedule_leave_dead(), so on the target this call does not return), which
 * finishes (domain_reap()) and picks the next domain.
 */
void domain_kill(struct domain *d, int reason);

/*
 * Hypervisor time one call of domain_kill() or domain_reap() spends on dead
 * domains' memory: a dead domain's pinned tables are only bounded by its
 * frames' reference counts (thousands of tables a guest pinned one hypercall
 * at a time), so their teardown goes in steps between which interrupts are
 * taken and domains run.
 */
#define VMM_TEARDOWN_STEP_NS 1000000u /* 1 ms */

/*
 * Goes on with the teardown of every dead domain but `current` for up to
 * VMM_TEARDOWN_STEP_NS, freeing the storage (struct and hypervisor stack)
 * and the slot of each one done, with one line each giving the free memory
 * after it. True if work is left (call again: the idle loop does, taking
 * interrupts in between, before it waits or powers off). Called by the idle
 * loop and before a slot is taken.
 */
bool domain_reap(void);

/* Number of domains not FREE and not DEAD. */
unsigned int domain_live_count(void);

/* True if any dead domain shut down with a reason other than poweroff/reboot. */
bool domain_any_failed(void);

#endif /* VMM_CORE_DOMAIN_H */
