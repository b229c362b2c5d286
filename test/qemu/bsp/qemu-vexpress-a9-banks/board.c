/*
 * bsp/qemu-vexpress-a9 with two RAM banks (see bsp.cmake): 0x60000000 +
 * 64 MiB (image) and 0x68000000 + 128 MiB; QEMU has RAM in between, which
 * this variant leaves out to make a hole.
 */
#define VMM_BSP_RAM_BANKS \
	{ { .base = VMM_BSP_RAM_BASE, .size = VMM_BSP_RAM_SIZE }, \
	  { .base = 0x68000000u, .size = 0x08000000u } }
#define VMM_BSP_NR_RAM_BANKS 2
#include "../../../../bsp/qemu-vexpress-a9/board.c"
