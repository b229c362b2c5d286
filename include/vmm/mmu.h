/*
 * libvmm guest page-table ABI: mmu_update (1), update_va_mapping (14),
 * mmuext_op (26) and multicall (13). docs/abi.md and docs/memory.md are the
 * reference; this header defines the structures and values.
 *
 * A guest owns its page tables but cannot write them: once a table is
 * pinned, its frames are read-only to the guest and every change goes
 * through these calls, each entry checked against the rules of
 * docs/memory.md ("Guest page tables"). Addresses of table entries and of
 * mapped frames are machine addresses (32 bits, ARMv7-A short descriptors).
 *
 * Self-standing, no compiler extensions (guests include it with any
 * toolchain).
 */
#ifndef VMM_MMU_H
#define VMM_MMU_H

#include <stdint.h>

/* "The calling domain" where a call takes a domain id (the only value accepted so far). */
#define VMM_DOMID_SELF 0x7FF0u

/* First virtual address the hypervisor keeps in every address space: no
 * guest entry may map at or above it (-VMM_EPERM). */
#define VMM_HYPERVISOR_VA_BASE 0xE0000000u

/*
 * ARM domains (the 4-bit domain field of every L1 entry; DACR gives each
 * domain's access). The hypervisor writes the field, never the guest: it
 * follows from the virtual address the entry translates, so the virtual
 * kernel/user modes (issue 10) switch a guest's access to its kernel with
 * one DACR write and no TLB flush.
 *   VA below VMM_GUEST_KERNEL_VA_BASE              -> VMM_ARM_DOMAIN_GUEST_USER
 *   VMM_GUEST_KERNEL_VA_BASE..VMM_HYPERVISOR_VA_BASE -> VMM_ARM_DOMAIN_GUEST_KERNEL
 *   VMM_HYPERVISOR_VA_BASE and up                  -> VMM_ARM_DOMAIN_HYP
 */
#define VMM_GUEST_KERNEL_VA_BASE    0xC0000000u
#define VMM_ARM_DOMAIN_HYP          0u
#define VMM_ARM_DOMAIN_GUEST_USER   1u
#define VMM_ARM_DOMAIN_GUEST_KERNEL 2u

/* ---------------------------------------------------------------------------
 * mmu_update(reqs, count, done, domid)
 *   reqs:  guest address of `count` struct vmm_mmu_update, done in order.
 *   count: 0..VMM_MMU_UPDATE_MAX (-VMM_E2BIG above, nothing done).
 *   done:  guest address of a uint32_t that receives the number of requests
 *          done (also on error), or 0 for none. Written before anything is
 *          done: if it is outside the caller's memory, -VMM_EFAULT, nothing done.
 *   domid: VMM_DOMID_SELF (anything else: -VMM_EPERM).
 * Returns 0 when all were done, else the error of the first request refused;
 * that request and the ones after it are untouched.
 */
struct vmm_mmu_update {
	uint32_t ptr; /* machine address of the entry (4-byte aligned) | VMM_MMU_* command in bits 1:0 */
	uint32_t val; /* the new descriptor */
};

#define VMM_MMU_NORMAL_PT_UPDATE 0u /* write val into the pinned table entry at ptr & ~3 */
#define VMM_MMU_CMD_MASK         3u /* commands 1..3 are reserved: -VMM_EINVAL */
#define VMM_MMU_UPDATE_MAX       256u

/* ---------------------------------------------------------------------------
 * update_va_mapping(va, val, flags)
 *   Writes val into the L2 entry that translates va in the current address
 *   space (the L1 entry of va must point at an L2 table: -VMM_EINVAL
 *   otherwise; va at or above VMM_HYPERVISOR_VA_BASE: -VMM_EPERM), with the
 *   rules of mmu_update, then flushes the TLB as flags ask. Returns 0 or the
 *   error (nothing changed).
 */
#define VMM_UVMF_NONE        0u /* no flush asked for */
#define VMM_UVMF_INVLPG      1u /* flush va's translation (this address space) */
#define VMM_UVMF_TLB_FLUSH   2u /* flush the whole address space */
#define VMM_UVMF_FLUSH_MASK  3u /* 3 and any other bit: -VMM_EINVAL */

/* ---------------------------------------------------------------------------
 * mmuext_op(ops, count, done, domid): like mmu_update, over
 * struct vmm_mmuext_op; count up to VMM_MMUEXT_OP_MAX.
 */
struct vmm_mmuext_op {
	uint32_t cmd;  /* VMM_MMUEXT_* */
	uint32_t arg1; /* machine frame number (pin/unpin/new base) or virtual address (invlpg) */
	uint32_t arg2; /* length for SYNC_ICACHE; otherwise reserved, must be 0 (-VMM_EINVAL) */
};

#define VMM_MMUEXT_PIN_L1_TABLE   0u /* arg1: first of 4 frames, 16 KiB aligned (frame % 4 == 0) */
#define VMM_MMUEXT_PIN_L2_TABLE   1u /* arg1: a frame holding four 1 KiB L2 tables */
#define VMM_MMUEXT_UNPIN_TABLE    4u /* arg1: a pinned L1 (its first frame) or L2 frame */
#define VMM_MMUEXT_NEW_BASEPTR    5u /* arg1: a pinned L1: the domain's address space from now on */
#define VMM_MMUEXT_TLB_FLUSH_LOCAL 6u /* flush the current address space's TLB entries */
#define VMM_MMUEXT_INVLPG_LOCAL   7u /* arg1: virtual address to flush */
/* arg1: virtual address, arg2: length in bytes (1..VMM_SYNC_ICACHE_MAX): makes
 * instruction fetches see what the guest wrote there (cleans the data cache
 * to the point of unification, invalidates the instruction cache and branch
 * predictor). Every page of the range must be mapped in the current address
 * space (-VMM_EFAULT), below VMM_HYPERVISOR_VA_BASE (-VMM_EPERM). For loaders,
 * JITs and Thumb stubs: USR mode cannot do cache maintenance itself. */
#define VMM_MMUEXT_SYNC_ICACHE    32u
#define VMM_SYNC_ICACHE_MAX       (1u << 20)
#define VMM_MMUEXT_OP_MAX         64u

/*
 * Hypervisor time one mmuext_op or multicall may take (the hypervisor is not
 * preemptible): once a batch has run this long, it stops before its next
 * element with -VMM_EAGAIN (at least one element always runs). mmuext_op:
 * the op not run is the one `done` counts up to; re-issue from there.
 * multicall: the first entry not run gets result -VMM_EAGAIN (it and the
 * ones after it were not run; a batched mmuext_op stopped by the budget
 * reports -VMM_EAGAIN and its own `done`). Ordinary batches finish in far
 * less; only batches of costly ops (pins of tables full of sections, large
 * SYNC_ICACHE ranges, big populates) reach it.
 */
#define VMM_BATCH_BUDGET_NS      5000000u /* 5 ms */

/*
 * Section entries one L1 table may hold, for a domain whose maximum
 * reservation is `max_pages` pages: twice what maps all of its memory once,
 * plus 16. A pin of an L1 with more (mmuext_op pin_l1_table) and an
 * mmu_update that would add one more to a pinned L1 fail with -VMM_E2BIG.
 * Each section takes counts on 256 frames: the limit keeps one pin or unpin
 * about as long as mapping the domain's own memory, where an L1 aliasing
 * one MiB 3584 times would hold the CPU for ~917k frame updates.
 */
#define VMM_L1_SECTION_LIMIT(max_pages) (2u * (((max_pages) + 255u) / 256u) + 16u)

/* ---------------------------------------------------------------------------
 * multicall(calls, count)
 *   Runs `count` (0..VMM_MULTICALL_MAX, else -VMM_E2BIG) calls in order in one
 *   trap and stores each call's return value in its `result`. A call that
 *   fails does not stop the others. Only the calls listed in docs/abi.md may
 *   be batched (mmu_update, update_va_mapping, mmuext_op, memory_op,
 *   xen_version, console_io, set_timer_op); any other op gets result
 *   -VMM_EINVAL. Returns 0, or -VMM_EFAULT if an entry cannot be read or its
 *   result cannot be written (the calls before it have run), or -VMM_EAGAIN
 *   if it used up VMM_BATCH_BUDGET_NS (above) before an entry.
 */
struct vmm_multicall_entry {
	uint32_t op;      /* hypercall number (VMM_HC_*) */
	int32_t result;   /* written by the hypervisor: the call's return value */
	uint32_t args[4]; /* r0..r3 of the call */
};

#define VMM_MULTICALL_MAX 64u

/* ---------------------------------------------------------------------------
 * ARMv7-A short-descriptor fields a guest needs to build accepted entries
 * (TEX remap and the access flag are off). See docs/memory.md for the rules.
 */
#define VMM_PTE_L1_SECTION  0x00002u /* L1 section: frame base in bits 31:20 */
#define VMM_PTE_L1_TABLE    0x00001u /* L1 entry pointing at an L2 table: base in bits 31:10 */
#define VMM_PTE_L2_SMALL    0x00002u /* L2 4 KiB page: frame base in bits 31:12 */
/* The one memory type accepted: normal, inner and outer write-back write-allocate, not shareable. */
#define VMM_PTE_SECT_NORMAL 0x0100Cu /* TEX=001 C=1 B=1 */
#define VMM_PTE_SMALL_NORMAL 0x0004Cu /* TEX=001 C=1 B=1 */
#define VMM_PTE_SECT_RW     0x00C00u /* AP[2:0]=011: read/write */
#define VMM_PTE_SECT_RO     0x08C00u /* AP[2:0]=111: read-only */
#define VMM_PTE_SECT_NG     0x20000u /* not global: required */
#define VMM_PTE_SECT_XN     0x00010u
#define VMM_PTE_SMALL_RW    0x00030u
#define VMM_PTE_SMALL_RO    0x00230u
#define VMM_PTE_SMALL_NG    0x00800u /* required */
#define VMM_PTE_SMALL_XN    0x00001u

#endif /* VMM_MMU_H */
