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

/*
 * Callee-saved state of a vcpu's hypervisor thread (see arch_switch), and
 * the per-domain user registers arch_switch swaps with it: TPIDRURW (saved
 * and loaded), TPIDRURO (loaded; set through arch_set_tpidruro() by the
 * guest kernel's set_tls), vfp_on, non-zero while FPEXC.EN is set for
 * this vcpu (lazy VFP, core/vcpu_state.c): arch_switch then turns the FPU
 * off, and dacr, the DACR of the vcpu's virtual mode (core/vtrap.c).
 * Offsets are fixed (HCTX_* in arch/armv7/arm.h, checked in vfp.c).
 */
struct arch_hctx {
	uint32_t r4_r11[8];
	uint32_t sp;
	uint32_t lr;
	uint32_t tpidrurw;
	uint32_t tpidruro;
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

/* Stores the SVC dispatch table for a vcpu's virtual mode in the word above
 * its trap frame, where the hypercall fast path (entry.S) loads it. */
void arch_frame_set_svc_table(struct vmm_trap_frame *f, const void *table);

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
 * 16 KiB aligned L1 at l1_phys the table of `slot` (-VMM_EINVAL for a bad
 * slot or alignment).
 */
void arch_mmu_l1_copy_hyp(uint32_t *l1);
int arch_mmu_domain_set(unsigned int slot, uint32_t l1_phys);

/*
 * The builder's view of a domain under construction: switches to table
 * `slot` (its ASID) and returns where the hypervisor now reaches guest
 * address VMM_GUEST_BASE, so the ELF loader writes through the domain's own
 * mappings whatever frames back them. arch_mmu_window_close() returns to
 * the table in use before. Not nested.
 */
void *arch_mmu_window_open(unsigned int slot);
void arch_mmu_window_close(void);

/* Makes table `slot` current (ASID slot + 1), and gives PL0 access to the PMU
 * cycle counter if pmu_user (only ever true when vmm_board.has_pmu). */
void arch_mmu_activate(unsigned int slot, bool pmu_user);

/* Discards stale TLB entries of `slot`'s ASID (before reusing the slot). */
void arch_mmu_flush_slot(unsigned int slot);

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

/* Fault details after a data/prefetch abort (DFAR/DFSR or IFAR/IFSR). */
void arch_fault_info(int kind, uint32_t *address, uint32_t *status);

#endif /* VMM_CORE_ARCH_H */
