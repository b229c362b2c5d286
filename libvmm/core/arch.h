/*
 * What the board-neutral core needs from the CPU architecture layer.
 * Implemented by libvmm/arch/armv7 on target and by test/fake_arch.c on the
 * host, so the whole core can be unit-tested.
 */
#ifndef VMM_CORE_ARCH_H
#define VMM_CORE_ARCH_H

#include <stdbool.h>
#include <stdint.h>

#include "vmm/abi.h"

struct asid_space;
struct asid_cache;

/*
 * Callee-saved state of a vcpu's hypervisor thread (see arch_switch), and
 * the per-domain user registers arch_switch swaps with it: TPIDRURW (saved
 * and loaded), TPIDRURO (saved from the register, which set_tls keeps equal, and loaded; set through arch_set_tpidruro() by the
 * guest kernel's set_tls), vfp_on, non-zero while FPEXC.EN is set for
 * this vcpu (lazy VFP, core/vcpu_state.c): arch_switch then turns the FPU
 * off, and dacr, the DACR of the vcpu's virtual mode (core/vtrap.c).
 * The two thread registers sit right below r4 so that arch_switch saves and
 * loads them in the same stm/ldm as the callee-saved registers.
 * Offsets are fixed (HCTX_* in arch/armv7/arm.h, checked in vfp.c).
 */
struct arch_hctx {
	uint32_t tpidrurw;
	uint32_t tpidruro;  /* with tpidrurw, right below r4: one stm/ldm moves both */
	uint32_t r4_r11[8];
	uint32_t sp;
	uint32_t lr;
	uint32_t vfp_on;
	uint32_t dacr;      /* the domain's DACR (virtual mode), loaded by arch_switch */
};

/* The DACR the boot code sets (every ARM domain client): the idle context's
 * and a new vcpu's until its virtual mode is set. */
#define ARCH_DACR_BOOT 0x55555555u

/*
 * VFP/NEON register file of one domain (arch/armv7/vfp.S): d0-d31 (d16-d31
 * only on cores with 32 D registers), FPSCR, FPEXC (EN clear as stored),
 * FPINST/FPINST2 (only meaningful with FPEXC.EX set).
 */
struct arch_vfp_state {
	uint64_t d[32];
	uint32_t fpscr;
	uint32_t fpexc;
	uint32_t fpinst;
	uint32_t fpinst2;
};

/*
 * Lazy VFP primitives (arch/armv7/vfp.S; modelled in test/fake/):
 * arch_vfp_init() enables cp10/cp11 access with FPEXC.EN clear and returns
 * the number of D registers (32 or 16), 0 without a VFP;
 * arch_vfp_save() stores the register file (EN clear on entry, set on
 * return); arch_vfp_load() loads one and sets EN; arch_vfp_enable() sets EN
 * over the registers as they are.
 */
unsigned int arch_vfp_init(void);
void arch_vfp_save(struct arch_vfp_state *s);
void arch_vfp_load(const struct arch_vfp_state *s);
void arch_vfp_enable(void);

/* Writes TPIDRURO (user read-only thread register) of the running domain. */
void arch_set_tpidruro(uint32_t v);

/* Writes DACR (ARM domain access) for the running domain's virtual mode. */
void arch_set_dacr(uint32_t v);

/*
 * Stores trap frame f (17 words) at guest address va, 4-byte aligned, in
 * the running domain's current address space with the domain's own rights
 * (unprivileged stores, STRT): the words land only where the domain could
 * store itself, so never in one of its page tables (it maps those
 * read-only) nor in the hypervisor or another domain. For the upcall frame
 * push of `current` (its tables and DACR are installed, even if written
 * just before without a barrier). 0, or -VMM_EFAULT if a store faulted
 * (the words before it may be written: the caller crashes the domain).
 */
int arch_guest_push_frame(uint32_t va, const struct vmm_trap_frame *f);

/* Stores the SVC dispatch table for a vcpu's virtual mode in the word above
 * its trap frame, where the hypercall fast path (entry.S) loads it. */
void arch_frame_set_svc_table(struct vmm_trap_frame *f, const void *table);

/*
 * The words above a vcpu's trap frame (arch/armv7/arm.h FRAME_*), read by
 * the SVC paths of entry.S: the fast syscall bounce and return take
 * everything they store from here (hypervisor memory, set by core/vtrap.c
 * whenever the trap table or the mode changes), so they need no C. Pointers
 * are stored as 32-bit words (truncated in host tests).
 */
struct arch_frame_extra {
	uint32_t vcpu_info;    /* hypervisor address of the domain's vcpu_info */
	uint32_t kernel_sp;    /* fast syscall bounce: the trap table's kernel_sp */
	uint32_t handler_pc;   /*   the syscall handler, bit 0 clear */
	uint32_t handler_cpsr; /*   its entry CPSR (USR, F, T from handler bit 0) */
	uint32_t dacr_kernel;  /*   DACR of virtual kernel mode */
	uint32_t kernel_table; /*   SVC table of virtual kernel mode */
	uint32_t zero;         /*   VMM_VMODE_KERNEL, for vcpu_info.vmode */
	uint32_t hctx_dacr;    /* &hctx.dacr of the vcpu (arch_switch loads it) */
	uint32_t user_table;   /* fast return: SVC table of virtual user mode */
	uint32_t dacr_user;    /*   DACR of virtual user mode */
	uint32_t cpsr_mask;    /*   CPSR bits a guest keeps in ARM state */
	uint32_t one;          /*   VMM_VMODE_USER, for vcpu_info.vmode */
	uint32_t svc_table;    /* SVC table of the current mode (arch_frame_set_svc_table) */
	uint32_t pad[2];       /* frame + extra: a multiple of 8 */
};
struct arch_frame_extra *arch_frame_extra(struct vmm_trap_frame *f);

/*
 * SVC table slot VMM_HC_COUNT + 1 (never a hypercall number: the fast path
 * clamps r7 to VMM_HC_COUNT) holds where an SVC other than `svc #0x82` goes
 * in that mode: arch_svc_other (decoded in C: hypercall_slow) or, in the
 * user table of a domain with fast system calls, arch_svc_user_bounce (the
 * assembly bounce). Labels of entry.S, jumped to, never called from C.
 */
void arch_svc_other(void);
void arch_svc_user_bounce(void);

/*
 * One-time boot setup of the user-visible CPU state that the hypervisor
 * does not switch: ThumbEE's TEEHBR made inaccessible from USR mode
 * (TEECR.XED) and zeroed where the core implements ThumbEE.
 */
void arch_user_regs_init(void);

/* Switches hypervisor threads: returns when someone switches back to prev. */
void arch_switch(struct arch_hctx *prev, struct arch_hctx *next);

/* Prepares a never-run vcpu: its first switch-in returns to the guest through
 * the frame at `frame` (which sits at the top of `frame`'s stack). */
void arch_hctx_init(struct arch_hctx *c, struct vmm_trap_frame *frame);

/*
 * Trap frames (pure functions, arch/armv7/frame.c):
 * arch_frame_at_stack_top() places a vcpu's frame at the top of its hypervisor
 * stack and records vcpu_info in the word above it (for the upcall check);
 * arch_frame_set_entry() makes a frame resume guest code at `entry` (ARM or
 * Thumb by bit 0) in USR mode with the given sp and r0, IRQs enabled and FIQs
 * masked (every guest frame masks FIQs: libvmm gives guests none);
 * arch_frame_sanitize() makes a guest-supplied frame safe to resume: keeps only
 * what a guest may choose in the CPSR (flags, IT, GE, Thumb bit), forces USR
 * mode with IRQs enabled and FIQs masked, and aligns pc for the instruction set;
 * arch_frame_from_guest() tells whether a trap came from guest (USR) code.
 */
struct vmm_trap_frame *arch_frame_at_stack_top(uint8_t *stack_top, void *vcpu_info);
/*
 * Whether a guest entry point (bit 0: Thumb) may be handed to
 * arch_frame_set_entry(): an ARM-state one must be word aligned (an
 * exception return to ARM state with pc bit 1 set is UNPREDICTABLE, and
 * the hypervisor executes it at PL1). Checked wherever a guest names one
 * (trap handlers, event callback, ELF entry), not on the entry paths.
 */
bool arch_entry_aligned(uint32_t entry);
void arch_frame_set_entry(struct vmm_trap_frame *f, uint32_t entry, uint32_t sp, uint32_t r0);
void arch_frame_sanitize(struct vmm_trap_frame *f);
bool arch_frame_from_guest(const struct vmm_trap_frame *f);

/* Makes a frame saved by an undefined-instruction trap resume at the
 * instruction that trapped (lazy VFP: run it again with the FPU on). */
void arch_frame_retry_undef(struct vmm_trap_frame *f);

/* Sleeps until an interrupt is pending (IRQs stay masked). */
void arch_wait_for_interrupt(void);

/* Finishes the hypervisor's own mappings (devices) once, at boot, and turns
 * off PL0 access to the PMU. */
void arch_mmu_init(void);

/*
 * Domain tables (built by core/domain_build.c in frames from the frame
 * table): arch_mmu_l1_copy_hyp() copies the hypervisor's half (entries for
 * 0xE0000000 and up) into a new L1 table; arch_mmu_domain_set() makes the
 * 16 KiB aligned L1 at l1_phys, with its address space `space` (from the
 * domain's ASID cache, asid_cache_get()), the table of `slot`. If that slot
 * is the one loaded -- the running domain switching to another of its
 * tables (mmuext_op NEW_BASEPTR), or the builder's window -- the table and
 * its ASID are loaded at once and in force on return. -VMM_EINVAL for a bad
 * slot, alignment or a NULL space (nothing changed).
 */
void arch_mmu_l1_copy_hyp(uint32_t *l1);
int arch_mmu_domain_set(unsigned int slot, uint32_t l1_phys, struct asid_space *space);

/*
 * The builder's view of a domain under construction: switches to table
 * `slot` (its ASID) and returns where the hypervisor now reaches guest
 * address VMM_GUEST_BASE, so the ELF loader writes through the domain's own
 * mappings whatever frames back them. arch_mmu_window_close() returns to
 * the table in use before. Not nested.
 */
void *arch_mmu_window_open(unsigned int slot);
void arch_mmu_window_close(void);

/*
 * Makes table `slot` current with its space's ASID (asid_activate(): a new
 * one if its generation is stale, the whole TLB invalidated when that opens
 * a generation), and gives PL0 access to the PMU cycle counter if pmu_user
 * (only ever true when vmm_board.has_pmu).
 */
void arch_mmu_activate(unsigned int slot, bool pmu_user);

/*
 * Discards the TLB entries of every space in the cache that holds an ASID
 * of the current generation, loaded or not: after a change to a table
 * (or an L2 several of them share) that removes or weakens a mapping.
 */
void arch_mmu_flush_spaces(const struct asid_cache *c);

/*
 * A dead domain's table is about to be freed: if it is in TTBR0 (the
 * domain was running, or ran last before the idle loop), the CPU moves to
 * the master table; the slot forgets its table and its ASID's TLB entries
 * are dropped, so nothing walks or caches the freed frames.
 */
void arch_mmu_domain_clear(unsigned int slot);

/*
 * Guest page tables (core/pt_ops.c): arch_mmu_hyp_entries() is the master
 * table's hypervisor half (L1 entries VMM_HYPERVISOR_VA_BASE >> 20 to 4095),
 * copied into every pinned guest L1; arch_pt_entry_sync() makes a table
 * entry the hypervisor just stored at hv visible to table walks (a clean to
 * the point of unification first on cores whose walks do not look into the
 * data cache, ID_MMFR3.CohWalk = 0, then a DSB); arch_mmu_flush_va()
 * discards `slot`'s TLB entry for va.
 */
const uint32_t *arch_mmu_hyp_entries(void);
void arch_pt_entry_sync(const uint32_t *hv);
/* arch_pt_entry_sync() for a whole range of table entries at hv (len bytes):
 * a table the checks accepted by reading it through the cache. */
void arch_pt_table_sync(const void *hv, uint32_t len);
/* Discards the whole instruction cache and branch predictor: after frames
 * changed owner at run time, so that no stale line of a previous owner's
 * code can be fetched by the new one (the scrub goes through the data side
 * only). */
void arch_icache_invalidate_all(void);
void arch_mmu_flush_va(unsigned int slot, uint32_t va);

/* Makes instruction fetches see code the hypervisor just wrote at hv[0..len). */
void arch_sync_icache(const void *hv, uint32_t len);

/* Cleans the data cache over hv[0..len) to the point of unification (tables written). */
void arch_clean_dcache(const void *hv, uint32_t len);

/* Hypervisor address of a physical address inside the linear window. */
void *arch_phys_to_hv(uint32_t phys);

/* Where the hypervisor sits in RAM (physical addresses, page aligned). */
struct arch_hv_layout {
	uint32_t image_base;   /* first byte of the loaded image */
	uint32_t image_end;    /* one past its .bss and boot tables */
	uint32_t payload_base; /* guest payloads inside the image: whole pages, */
	uint32_t payload_end;  /* dead once the domains are built */
	uint32_t window_base;  /* RAM mapped at the linear window (from start.S) */
	uint32_t window_size;
};
void arch_hv_layout(struct arch_hv_layout *l);

/*
 * Reaches any machine frame: a frame inside the linear window at its linear
 * address, any other through one of the slots of the temporary-mapping area
 * until arch_unmap_frame(). NULL if every slot is taken. The hypervisor's
 * virtual layout thus does not limit how much RAM it manages.
 */
void *arch_map_frame(uint32_t mfn);
void arch_unmap_frame(void *p);

/* Temporary-mapping slots in use (tests and leak checks). */
unsigned int arch_temp_maps_in_use(void);

/* Fault details after a data/prefetch abort (DFAR/DFSR or IFAR/IFSR). The
 * address of an asynchronous data abort is reported as 0: DFAR is not
 * written for one and still holds the last synchronous fault's address,
 * possibly another domain's or the hypervisor's. */
void arch_fault_info(int kind, uint32_t *address, uint32_t *status);

/* Whether a short-descriptor DFSR reports an asynchronous abort (FS 0b10110
 * external, 0b11000 parity), for which DFAR holds no address. */
bool arch_dfsr_async(uint32_t dfsr);

#endif /* VMM_CORE_ARCH_H */
