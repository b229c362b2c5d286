/*
 * bsp/qemu-virt/board.c with vmm_board.guest_counter =
 * VMM_GUEST_COUNTER_NONE (see bsp.cmake).
 */
#include "vmm/port.h"

#define VIRT_GUEST_COUNTER VMM_GUEST_COUNTER_NONE
#include "../../../../bsp/qemu-virt/board.c"
