/*
 * libvmm Mini-OS: one user-mode process at a time (virtual user mode,
 * docs/architecture.md "Virtual kernel and user modes").
 *
 * minios_user_run() gives the process its own pages below 0xC0000000 (ARM
 * domain 1, so in virtual user mode the kernel's pages are out of reach):
 * the domain's last MiB is taken from the heap once, its first frame becomes
 * a pinned L2 table hooked at MINIOS_USER_VA, the next two frames are
 * mapped there read/write as the code page (the `len` bytes of `code`,
 * position-independent ARM code, copied in) and the data/stack page
 * (MINIOS_USER_VA + 0x1000, sp at its top). The calling thread enters the
 * code in virtual user mode with r0 = arg, r1 = arg2, and blocks until the
 * process exits or is killed; traps from the process run on this thread's
 * stack, so other threads keep running while it makes system calls.
 *
 * System calls: `svc` (any immediate; hypercalls are not possible from user
 * mode) with the number in r7, arguments in r0..r2, result in r0; every
 * other register is preserved. They take libvmm's fast path (vmm/abi.h
 * "Fast system calls": no frame, return by `svc #0x83`):
 *   MINIOS_SYS_write (buf, len): prints up to 256 bytes of the process's
 *     memory on the console; -EFAULT if the buffer is not in its pages;
 *   MINIOS_SYS_yield: lets the other threads run; 0;
 *   MINIOS_SYS_exit (code): ends the process, minios_user_run returns code
 *     (0..255);
 *   other numbers: -ENOSYS.
 * An undefined instruction or an abort (e.g. a read of kernel memory) kills
 * the process with a report line; minios_user_run then returns
 * MINIOS_USER_KILLED.
 *
 * Returns the exit code, MINIOS_USER_KILLED, or -1 if the user space cannot
 * be set up (too little memory, heap already in the last MiB, code larger
 * than a page, a hypercall refused: reported with printk).
 */
#ifndef MINIOS_USER_H
#define MINIOS_USER_H

#include <stddef.h>
#include <stdint.h>

#define MINIOS_USER_VA     0x40000000u
#define MINIOS_SYS_write   1u
#define MINIOS_SYS_yield   2u
#define MINIOS_SYS_exit    3u
#define MINIOS_USER_KILLED (-2)

int minios_user_run(const void *code, size_t len, uint32_t arg, uint32_t arg2);

#endif /* MINIOS_USER_H */
