# QEMU vexpress-a9 with time from the SP804 at 1 MHz (32-bit counter extended
# by counter32). Read by vmm_add_bsp() in cmake/libvmm.cmake.
set(VMM_BSP_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/board.c
    ${VMM_BSP_DRIVERS_DIR}/gicv2.c
    ${VMM_BSP_DRIVERS_DIR}/pl011.c
    ${VMM_BSP_DRIVERS_DIR}/pl031.c
    ${VMM_BSP_DRIVERS_DIR}/sp804.c
    ${VMM_BSP_DRIVERS_DIR}/counter32.c
    ${VMM_BSP_DRIVERS_DIR}/semihosting.c)
# The core: -mcpu=cortex-a9 and bsp/cpu/cortex-a9.c (see qemu-vexpress-a9).
set(VMM_BSP_CPU cortex-a9)
set(VMM_BSP_RAM_BASE 0x60000000)
set(VMM_BSP_RAM_SIZE 0x08000000)   # 128 MiB, matches -m below
set(VMM_BSP_QEMU_ARGS -M vexpress-a9 -cpu cortex-a9 -m 128M)
set(VMM_BSP_HAS_PMU OFF)           # QEMU 7.2's cortex-a9 has no PMU
