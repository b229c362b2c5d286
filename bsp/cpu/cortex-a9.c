/*
 * CPU hooks (vmm/port.h) for the Cortex-A9. BPIALL, which libvmm issues on
 * every domain switch, invalidates the A9's branch target cache and branch
 * history unconditionally (no ACTLR enable bit, unlike the A8 and A15), and
 * that is ARM's published branch-target-injection mitigation for this core:
 * nothing more to do per switch.
 *
 * Not handled here (see docs/porting.md, real-hardware checklist): the global
 * timer's equality-only comparator before r2p0, and erratum 754322 (DSB
 * before CONTEXTIDR writes, in libvmm's ASID switch).
 */
#include <stddef.h>

#include "vmm/port.h"

const char *vmm_port_cpu_init(void) { return NULL; }
void vmm_port_cpu_switch(void) {}
