/*
 * Guest page-table entry rules (see pt_check.h and docs/memory.md).
 *
 * Every check is a named helper so that the rule list in docs/memory.md
 * maps one to one onto this file.
 */
#include "pt_check.h"

#include <stddef.h>

#include "vmm/abi.h"

static inline uint32_t sect_ap(uint32_t val)
{
	return ((val >> PT_SECT_AP_SHIFT) & 3u) | ((val & PT_SECT_APX) ? 4u : 0u);
}

static inline uint32_t small_ap(uint32_t val)
{
	return ((val >> PT_SMALL_AP_SHIFT) & 3u) | ((val & PT_SMALL_APX) ? 4u : 0u);
}

/*
 * Guests run in USR mode, so only the PL0 permissions matter to them: full
 * read/write (011) or read-only (111). Everything else either gives PL0 no
 * access (useless to a guest), gives PL1 write access to a page the guest
 * may only read (010: a stray hypervisor write through a guest address
 * could then change a page table), or is the deprecated 110 encoding.
 */
static inline bool ap_allowed(uint32_t ap)
{
	return ap == PT_AP_RW || ap == PT_AP_RO;
}

/*
 * Only the memory type the hypervisor's own linear map uses (normal,
 * inner/outer write-back write-allocate, not shareable): a guest mapping
 * the same frame with another cacheability or shareability would be a
 * mismatched-attribute alias, and device or strongly-ordered types must
 * never reach RAM the hypervisor also caches.
 */
static inline bool sect_mem_allowed(uint32_t val)
{
	return (val & PT_SECT_MEM_MASK) == PT_SECT_MEM_WBWA;
}

static inline bool small_mem_allowed(uint32_t val)
{
	return (val & PT_SMALL_MEM_MASK) == PT_SMALL_MEM_WBWA;
}

/* Global entries would stay in the TLB across address spaces and domains. */
static inline bool sect_not_global(uint32_t val)
{
	return (val & PT_SECT_NG) != 0;
}

static inline bool small_not_global(uint32_t val)
{
	return (val & PT_SMALL_NG) != 0;
}

/* PXN is SBZ on cores without LPAE (A8, A9) and means nothing to USR code. */
static inline bool table_bits_clear(uint32_t val)
{
	return (val & (PT_TABLE_PXN | PT_TABLE_NS | PT_TABLE_SBZ | PT_TABLE_IMP)) == 0;
}

static int refuse(const char **why, const char *reason)
{
	*why = reason;
	return -VMM_EINVAL;
}

static int check_section(uint32_t val, struct pt_entry_info *info, const char **why)
{
	if (val & PT_SECT_SUPER)
		return refuse(why, "supersections are not supported");
	if (val & PT_SECT_NS)
		return refuse(why, "NS bit set");
	if (val & PT_SECT_IMP)
		return refuse(why, "implementation-defined bit 9 set");
	if (!sect_mem_allowed(val))
		return refuse(why, "memory type is not normal write-back non-shareable");
	if (!ap_allowed(sect_ap(val)))
		return refuse(why, "access permissions not read/write or read-only");
	if (!sect_not_global(val))
		return refuse(why, "global (nG clear) mapping");
	info->kind = PT_KIND_SECTION;
	info->mfn = (val & PT_SECT_ADDR) >> 12;
	info->nr = PT_SECTION_FRAMES;
	info->writable = sect_ap(val) == PT_AP_RW;
	return 0;
}

int pt_check_l1e(uint32_t val, struct pt_entry_info *info, const char **why)
{
	info->kind = PT_KIND_FAULT;
	info->mfn = 0;
	info->nr = 0;
	info->writable = false;
	switch (val & PT_TYPE_MASK) {
	case PT_L1_FAULT:
		return 0;
	case PT_L1_TABLE:
		if (!table_bits_clear(val))
			return refuse(why, "page-table descriptor with PXN, NS, bit 4 or bit 9 set");
		info->kind = PT_KIND_TABLE;
		info->mfn = val >> 12;
		return 0;
	case PT_L1_SECTION:
		return check_section(val, info, why);
	case PT_L1_PXN_SECT:
		return refuse(why, "PXN section (reserved encoding without LPAE)");
	default:
		return refuse(why, "unknown descriptor type");
	}
}

int pt_check_l2e(uint32_t val, struct pt_entry_info *info, const char **why)
{
	info->kind = PT_KIND_FAULT;
	info->mfn = 0;
	info->nr = 0;
	info->writable = false;
	switch (val & PT_TYPE_MASK) {
	case PT_L2_FAULT:
		return 0;
	case PT_L2_LARGE:
		return refuse(why, "large (64 KiB) pages are not supported");
	case PT_L2_SMALL:
	case PT_L2_SMALL | PT_SMALL_XN:
		if (!small_mem_allowed(val))
			return refuse(why, "memory type is not normal write-back non-shareable");
		if (!ap_allowed(small_ap(val)))
			return refuse(why, "access permissions not read/write or read-only");
		if (!small_not_global(val))
			return refuse(why, "global (nG clear) mapping");
		info->kind = PT_KIND_PAGE;
		info->mfn = val >> 12;
		info->nr = 1;
		info->writable = small_ap(val) == PT_AP_RW;
		return 0;
	default:
		return refuse(why, "unknown descriptor type");
	}
}
