/*
 * update_va_mapping's fast path (issue 9 benchmark: at most 60 instructions
 * from the guest's svc to the instruction after it, trap included).
 *
 * long hc_update_va_mapping_fast(uint32_t va, uint32_t val, uint32_t flags, uint32_t a3)
 *
 * The read/write case of pt_update_va_fast() (core/pt_table.c, its C
 * reference, run by the host tests), with the same checks on the same
 * struct pt_fast block: flags NONE or INVLPG; va below the hypervisor with
 * a current L1 in the linear window; va's L1 entry a page-table entry whose
 * L2 lies in the window (the L1 is pinned, so the L2 is a pinned L2 of the
 * domain); that L2 entry empty; val a small page of the one read/write form
 * (normal WBWA, nG, AP = 3, APX = 0, XN free) of a frame in the zone of the
 * last lookup (counted from its first chunk), in a chunk with a block of
 * entries (frametable.h: a chunk without one has no owner), owned by the domain (free_order FRAME_NOT_HEAD, as every
 * owned frame has), typed writable or untyped with type count 0, neither
 * count at FRAME_COUNT_MAX. Then both counts + 1, type writable, the entry
 * stored and made visible to the table walker, and the INVLPG flush if
 * asked. Anything else -- read-only pages included -- goes, untouched, to
 * hc_update_va_mapping() with the same arguments: the C fast path, then the
 * general path, decide as if this code did not exist.
 *
 * The checks are chained with condition codes instead of a branch each:
 * from the first compare on, every instruction runs only while C = 0
 * ("lower": everything so far passed), a failing check sets C and the rest
 * of the chain is skipped up to the one BHS. Range and form checks are
 * unsigned compares of rotated values, so that stray low bits (a wrong
 * descriptor type, a wrong form) rotate into the top bits and fail the
 * range check with it:
 *   - L1 entry: (entry with the L2 index put into bits 2-9) - (lin_phys + 1)
 *     is the L2 entry's offset in the window iff the type bits were 01;
 *     ROR #2 turns any other low bits into a value above lin_words.
 *   - val: (val >> 1) - ((base_mfn << 11) | (form >> 1)) is idx << 11 iff
 *     bits 1-11 are the form (XN, bit 0, is shifted out; APX must be 0);
 *     ROR #11 turns any other low bits into a value >= 2^21 > zone_nr.
 *   - the entry: idx >> 10 indexes the chunk directory, whose first word is
 *     k * 8 KiB - block (0: no block); idx * 8 minus it is the entry, and
 *     the subtraction borrows (C = 0, the chain goes on) iff there is a
 *     block (frametable.h says why).
 * The frame's two words then decide the rest in one compare: word 0 must
 * equal owner_word (an untyped frame may differ in bit 16 when its type
 * count is 0), the old entry's type bits must be 0, and USUB16 by all-ones
 * adds 1 to both counts and sets the GE bits of a count that wraps (was at
 * FRAME_COUNT_MAX), which SEL turns into a non-zero byte.
 *
 * The walker sync is DCCMVAU + DSB on every core: the clean is harmless
 * where walks snoop the data cache (arch_pt_entry_sync() skips it there),
 * and cheaper in instructions than looking the rule up.
 */
#include "pt_fast.h"

	.syntax	unified
	.text
	.arm

	.global	hc_update_va_mapping_fast
	.type	hc_update_va_mapping_fast, %function
hc_update_va_mapping_fast:
	push	{r3-r11, lr}            /* ten words: the C stack stays 8-byte aligned */
	ldr	r12, =current
	ldr	r12, [r12]
	add	r12, r12, #PT_FAST_DOMAIN_OFFSET
	/* r3 limit, r4 owner_word, r5 l1, r6 lin_bias, r7 lin_va, r8 lin_words,
	 * r9 chunk directory, r10 zone_bias, r11 zone_nr, r12 all-ones */
	ldm	r12, {r3-r12}
	lsr	lr, r0, #20             /* L1 index */
	cmp	r2, #2                  /* flags: VMM_UVMF_NONE or VMM_UVMF_INVLPG */
	cmplo	lr, r3                  /* below the hypervisor, and a current L1 (limit 0 otherwise) */
	ldrlo	r3, [r5, lr, lsl #2]    /* L1 entry */
	lsrlo	lr, r0, #12             /* va's page: the L2 index, and INVLPG's address */
	bfilo	r3, lr, #2, #8          /* the L2 entry's machine address, the type bits kept */
	sublo	r3, r3, r6              /* its window offset (low bits 0 iff a page-table entry) */
	rsbslo	r6, r8, r3, ror #2      /* in the window, and a page-table entry */
	ldrlo	r6, [r7, r3]!           /* r6 = old L2 entry, r7 = its linear address */
	rsblo	r5, r10, r1, lsr #1     /* idx << 11 iff val has the read/write form */
	rsbslo	r3, r11, r5, ror #11    /* form, and the frame in the zone */
	lsrlo	r3, r5, #21             /* its chunk */
	ldrlo	r3, [r9, r3, lsl #3]    /* k * 8 KiB - block, 0 if none */
	rsbslo	r9, r3, r5, lsr #8      /* the frame's entry; no borrow (HS): no block */
	ldrdlo	r10, r11, [r9]          /* r10 owner/type/free_order, r11 type_count | refcount << 16 */
	bhs	1f
	eor	r10, r10, r4            /* 0 iff owned, typed writable, not a free run head */
	orr	r10, r10, r6, lsl #30   /* the old entry's type bits: it must be empty */
	lsls	r3, r11, #16            /* type count 0: */
	biceq	r10, r10, #0x10000      /* ... untyped is fine (FRAME_TYPE_NONE ^ WRITABLE) */
	usub16	r5, r11, r12            /* both counts + 1; GE where one was FRAME_COUNT_MAX */
	sel	r10, r12, r10           /* ... which makes r10 non-zero */
	cmp	r10, #0
	bne	1f
	strd	r4, r5, [r9]            /* type writable, counts + 1 */
	str	r1, [r7]                /* the entry */
	mcr	p15, 0, r7, c7, c11, 1  /* DCCMVAU: the walker sees it (see above) */
	dsb
	movs	r0, r2                  /* 0: done, unless INVLPG is asked */
	popeq	{r3-r11, pc}
	lsl	r0, lr, #12
	bl	hc_update_va_mapping_invlpg
	mov	r0, #0
	pop	{r3-r11, pc}
1:	/* not the fast case: nothing was changed, r0-r2 are the guest's */
	pop	{r3-r11, lr}
	b	hc_update_va_mapping
	.size	hc_update_va_mapping_fast, . - hc_update_va_mapping_fast
	.ltorg
