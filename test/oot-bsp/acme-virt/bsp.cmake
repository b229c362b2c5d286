# ACME virt: an out-of-tree BSP as a vendor would keep it in their own
# repository (the port kit's bar test, test/oot-bsp/). It runs on QEMU's
# `virt` board with its OWN interrupt-controller and timer drivers (this
# folder) and the shared PL011, PL031 and semihosting drivers of libvmm
# (${VMM_BSP_DRIVERS_DIR}, found by libvmm in the tree and when installed).
set(VMM_BSP_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/board.c
    ${CMAKE_CURRENT_LIST_DIR}/acme_gic.c
    ${CMAKE_CURRENT_LIST_DIR}/acme_timer.c
    ${VMM_BSP_DRIVERS_DIR}/pl011.c
    ${VMM_BSP_DRIVERS_DIR}/pl031.c
    ${VMM_BSP_DRIVERS_DIR}/semihosting.c)
# The core: -mcpu=cortex-a15 and libvmm's Cortex-A15 CPU hooks (found, like
# the shared drivers, from libvmm's own location).
set(VMM_BSP_CPU cortex-a15)
set(VMM_BSP_RAM_BASE 0x40000000)
set(VMM_BSP_RAM_SIZE 0x04000000)   # 64 MiB, matches -m below
# QEMU arguments over several lines, with comments: read by CMake.
set(VMM_BSP_QEMU_ARGS
    -M virt          # GICv2, PL011 at 0x09000000, PL031 at 0x09010000
    -cpu cortex-a15  # generic timer; its physical timer is PPI 30 on virt
    -m 64M)
