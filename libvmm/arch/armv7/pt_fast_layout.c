/*
 * Build-time checks of what the assembly fast path (pt_fast.S) assumes
 * about the C structures it reads and writes.
 */
#include <stddef.h>

#include "domain.h"
#include "frametable.h"
#include "pt_fast.h"
#include "vmm/mmu.h"

_Static_assert(offsetof(struct domain, pt.fast) == PT_FAST_DOMAIN_OFFSET, "PT_FAST_DOMAIN_OFFSET");
_Static_assert(sizeof(struct pt_fast) == 4 * PT_FAST_WORDS, "struct pt_fast: ten words");
_Static_assert(offsetof(struct pt_fast, limit) == 0 && offsetof(struct pt_fast, owner_word) == 4 &&
		       offsetof(struct pt_fast, l1) == 8 && offsetof(struct pt_fast, lin_bias) == 12 &&
		       offsetof(struct pt_fast, lin_va) == 16 && offsetof(struct pt_fast, lin_words) == 20 &&
		       offsetof(struct pt_fast, dir) == 24 && offsetof(struct pt_fast, zone_bias) == 28 &&
		       offsetof(struct pt_fast, zone_nr) == 32 && offsetof(struct pt_fast, ones) == 36,
	       "struct pt_fast: the register order of pt_fast.S");
/* A frame as two little-endian words: owner | type << 16 | free_order << 24, type_count | refcount << 16. */
_Static_assert(offsetof(struct frame, owner) == 0 && offsetof(struct frame, type) == 2 &&
		       offsetof(struct frame, free_order) == 3 && offsetof(struct frame, u.use.type_count) == 4 &&
		       offsetof(struct frame, u.use.refcount) == 6 && sizeof(struct frame) == 8,
	       "struct frame: the two words of pt_fast.S");
/* A chunk's directory entry: 8 bytes, the first word k * 8 KiB - block; 1024 entries of 8 bytes a chunk. */
_Static_assert(sizeof(struct frame_chunk) == 8 && offsetof(struct frame_chunk, neg) == 0 &&
		       FRAME_CHUNK_SHIFT == 10 && FRAME_CHUNK_BYTES == 8192,
	       "struct frame_chunk: the directory load of pt_fast.S");
/* The assembly's +1 of both counts wraps exactly at FRAME_COUNT_MAX (USUB16's GE bits). */
_Static_assert(FRAME_COUNT_MAX == 0xFFFFu, "16-bit counts");
/* The flags compare (below 2: NONE or INVLPG) and the INVLPG test (flags == 1). */
_Static_assert(VMM_UVMF_NONE == 0 && VMM_UVMF_INVLPG == 1 && VMM_UVMF_TLB_FLUSH == 2, "VMM_UVMF_*");
