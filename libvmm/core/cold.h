/*
 * VMM_COLD: a cold function in a file that also holds hot paths (table
 * pinning, set-up and rare hypercalls beside the page-table, grant and
 * trap fast paths). GCC optimizes it for size, never inlines it (GCC would
 * inline a Thumb function into ARM code) and places it apart; on the
 * target the build adds Thumb-2 (VMM_COLD_THUMB=1, libvmm/CMakeLists.txt),
 * as for the files that are cold as a whole, while the hot code around it
 * stays ARM. The hypervisor's RAM use counts the code (issue 9).
 */
#ifndef VMM_CORE_COLD_H
#define VMM_CORE_COLD_H

#if defined(VMM_COLD_THUMB) && VMM_COLD_THUMB
#define VMM_COLD __attribute__((cold, noinline, target("thumb")))
#else
#define VMM_COLD __attribute__((cold, noinline))
#endif

#endif /* VMM_CORE_COLD_H */
