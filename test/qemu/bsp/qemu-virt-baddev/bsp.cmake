# Test variant of bsp/qemu-virt whose device table breaks the rules (see
# board.c): the boot must stop with a clear [VMM] error and exit code 4.
get_filename_component(VMM_BSP_DRIVERS_DIR ${CMAKE_CURRENT_LIST_DIR}/../../../../bsp/drivers ABSOLUTE)
set(VMM_BSP_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/board.c
    ${VMM_BSP_DRIVERS_DIR}/gicv2.c
    ${VMM_BSP_DRIVERS_DIR}/pl011.c
    ${VMM_BSP_DRIVERS_DIR}/pl031.c
    ${VMM_BSP_DRIVERS_DIR}/arm_generic_timer.c
    ${VMM_BSP_DRIVERS_DIR}/semihosting.c)
set(VMM_BSP_RAM_BASE 0x40000000)
set(VMM_BSP_RAM_SIZE 0x08000000)
set(VMM_BSP_QEMU_ARGS -M virt -cpu cortex-a15 -m 128M)
