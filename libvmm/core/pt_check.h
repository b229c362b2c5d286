/*
 * Guest page-table entries: the ARMv7-A short-descriptor rules (issue 9).
 *
 * Pure decoding, no state: pt_check_l1e()/pt_check_l2e() tell whether a
 * value a guest wants in a table is one the hypervisor accepts, and what it
 * maps. Ownership and types of the frames it names are checked by
 * pt_table.c, which takes the references. The rules and their reasons are
 * in docs/memory.md ("Guest page tables"); the hypervisor runs with TEX
 * remap and the access flag off (SCTLR.TRE = SCTLR.AFE = 0), so TEX/C/B and
 * AP[2:0] are read directly.
 */
#ifndef VMM_CORE_PT_CHECK_H
#define VMM_CORE_PT_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "vmm/mmu.h"

/* Descriptor type, bits 1:0. */
#define PT_TYPE_MASK     0x3u
#define PT_L1_FAULT      0x0u
#define PT_L1_TABLE      0x1u
#define PT_L1_SECTION    0x2u
#define PT_L1_PXN_SECT   0x3u        /* section with PXN (LPAE cores only) */
#define PT_L2_FAULT      0x0u
#define PT_L2_LARGE      0x1u        /* 64 KiB page */
#define PT_L2_SMALL      0x2u        /* bit 0 is XN for small pages */

/* L1 page-table descriptor (points at a 1 KiB L2 table). */
#define PT_TABLE_PXN     (1u << 2)
#define PT_TABLE_NS      (1u << 3)
#define PT_TABLE_SBZ     (1u << 4)
#define PT_TABLE_IMP     (1u << 9)
#define PT_TABLE_ADDR    0xFFFFFC00u

/* L1 section. */
#define PT_SECT_B        (1u << 2)
#define PT_SECT_C        (1u << 3)
#define PT_SECT_XN       (1u << 4)
#define PT_SECT_IMP      (1u << 9)
#define PT_SECT_AP_SHIFT 10
#define PT_SECT_TEX_SHIFT 12
#define PT_SECT_APX      (1u << 15)
#define PT_SECT_S        (1u << 16)
#define PT_SECT_NG       (1u << 17)
#define PT_SECT_SUPER    (1u << 18)
#define PT_SECT_NS       (1u << 19)
#define PT_SECT_ADDR     0xFFF00000u
#define PT_SECT_MEM_MASK ((7u << PT_SECT_TEX_SHIFT) | PT_SECT_C | PT_SECT_B | PT_SECT_S)
#define PT_SECT_MEM_WBWA ((1u << PT_SECT_TEX_SHIFT) | PT_SECT_C | PT_SECT_B)

/* ARM domain field (sections and page-table descriptors): set by the hypervisor. */
#define PT_DOMAIN_SHIFT  5
#define PT_DOMAIN_MASK   (0xFu << PT_DOMAIN_SHIFT)

/* L2 small page. */
#define PT_SMALL_XN      (1u << 0)
#define PT_SMALL_B       (1u << 2)
#define PT_SMALL_C       (1u << 3)
#define PT_SMALL_AP_SHIFT 4
#define PT_SMALL_TEX_SHIFT 6
#define PT_SMALL_APX     (1u << 9)
#define PT_SMALL_S       (1u << 10)
#define PT_SMALL_NG      (1u << 11)
#define PT_SMALL_ADDR    0xFFFFF000u
#define PT_SMALL_MEM_MASK ((7u << PT_SMALL_TEX_SHIFT) | PT_SMALL_C | PT_SMALL_B | PT_SMALL_S)
#define PT_SMALL_MEM_WBWA ((1u << PT_SMALL_TEX_SHIFT) | PT_SMALL_C | PT_SMALL_B)

/* AP[2:0] values accepted (AFE = 0): PL0 read/write, and read-only everywhere. */
#define PT_AP_RW 0x3u
#define PT_AP_RO 0x7u

/* Table geometry. */
#define PT_L1_ENTRIES    4096u
#define PT_L1_FRAMES     4u          /* 16 KiB */
#define PT_L2_ENTRIES    256u        /* one 1 KiB table */
#define PT_L2_PER_FRAME  4u
#define PT_SECTION_FRAMES 256u       /* 1 MiB */

enum pt_kind {
	PT_KIND_FAULT,    /* maps nothing */
	PT_KIND_SECTION,  /* L1: 256 frames from `mfn` */
	PT_KIND_TABLE,    /* L1: points at the L2 table in frame `mfn` */
	PT_KIND_PAGE,     /* L2: one frame `mfn` */
};

/* What an accepted entry maps. */
struct pt_entry_info {
	enum pt_kind kind;
	uint32_t mfn;     /* first machine frame mapped, or the L2 table's frame */
	uint32_t nr;      /* frames mapped (256, 1, 0 for FAULT/TABLE) */
	bool writable;    /* PL0 may write: the frames are typed writable */
};

/*
 * Checks an L1 entry value. 0 with *info filled, or -VMM_EINVAL with *why
 * set to a static reason (supersection, PXN, NS, attributes, ...). The
 * domain field is not checked: the hypervisor overwrites it (pt_l1e_store).
 */
int pt_check_l1e(uint32_t val, struct pt_entry_info *info, const char **why);

/* The same for an L2 entry (large pages refused). */
int pt_check_l2e(uint32_t val, struct pt_entry_info *info, const char **why);

/*
 * The ARM domain of L1 entry `index` (it translates VA index << 20), by the
 * convention of vmm/mmu.h: guest user below VMM_GUEST_KERNEL_VA_BASE, guest
 * kernel up to VMM_HYPERVISOR_VA_BASE, the hypervisor's above. The guest
 * never chooses it: DACR then gives each range its access.
 */
static inline uint32_t pt_arm_domain_of(uint32_t index)
{
	if (index < (VMM_GUEST_KERNEL_VA_BASE >> 20))
		return VMM_ARM_DOMAIN_GUEST_USER;
	if (index < (VMM_HYPERVISOR_VA_BASE >> 20))
		return VMM_ARM_DOMAIN_GUEST_KERNEL;
	return VMM_ARM_DOMAIN_HYP;
}

/* The value stored for an accepted L1 entry: the guest's domain field replaced by `arm_domain`. */
static inline uint32_t pt_l1e_store(uint32_t val, uint32_t arm_domain)
{
	if ((val & PT_TYPE_MASK) == PT_L1_FAULT)
		return val;
	return (val & ~PT_DOMAIN_MASK) | ((arm_domain << PT_DOMAIN_SHIFT) & PT_DOMAIN_MASK);
}

#endif /* VMM_CORE_PT_CHECK_H */
