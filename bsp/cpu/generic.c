/*
 * CPU hooks (vmm/port.h) for an ARMv7-A core that needs nothing beyond what
 * libvmm does for every core (BPIALL on each domain switch). Right for the
 * Cortex-A5 and Cortex-A7 (not affected by branch-target injection), and
 * the fallback for a core with no file of its own here: check the core's
 * errata notice and security advisories before relying on it.
 */
#include <stddef.h>

#include "vmm/port.h"

const char *vmm_port_cpu_init(void) { return NULL; }
void vmm_port_cpu_switch(void) {}
