/*
 * bsp/qemu-virt with a third device region of 8 KiB (the porting guide asks
 * for whole, aligned MiB): libvmm must map the two good regions before it
 * (the console works), never the bad one, and stop the boot with a [VMM]
 * error and exit code 4 (core/port_check.c) instead of mapping a wrong
 * section. Used by the qemu.baddev test only.
 */
#define VIRT_EXTRA_DEVICES { .phys = 0x0A000000u, .size = 0x00002000u },
#define VIRT_NR_EXTRA_DEVICES 1
#include "../../../../bsp/qemu-virt/board.c"
