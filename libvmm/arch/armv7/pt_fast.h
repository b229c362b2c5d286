/*
 * Layout facts arch/armv7/pt_fast.S relies on, for the assembler and for
 * the C checks in pt_fast_layout.c (a change of struct domain, pt_space,
 * pt_fast or frame that moves them fails the build there).
 */
#ifndef VMM_ARCH_ARMV7_PT_FAST_H
#define VMM_ARCH_ARMV7_PT_FAST_H

/* offsetof(struct domain, pt.fast): an ADD immediate (8 bits rotated). */
#define PT_FAST_DOMAIN_OFFSET 416

/* The fields of struct pt_fast, in LDM order (r3-r12), 4 bytes each. */
#define PT_FAST_WORDS 10

#endif /* VMM_ARCH_ARMV7_PT_FAST_H */
