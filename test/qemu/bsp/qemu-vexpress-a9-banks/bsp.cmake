# Test variant of bsp/qemu-vexpress-a9 with RAM in two banks and a hole: the
# image bank (64 MiB at 0x60000000, all of it in the hypervisor's linear
# window) and 128 MiB at 0x68000000, which the hypervisor reaches only through
# its temporary mappings. Domain memory comes from the second bank first.
# (QEMU's low-RAM alias at 0 cannot serve as a bank: the NOR flash alias
# overlaps it and takes the writes.)
get_filename_component(VMM_BSP_DRIVERS_DIR ${CMAKE_CURRENT_LIST_DIR}/../../../../bsp/drivers ABSOLUTE)
set(VMM_BSP_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/board.c
    ${VMM_BSP_DRIVERS_DIR}/gicv2.c
    ${VMM_BSP_DRIVERS_DIR}/pl011.c
    ${VMM_BSP_DRIVERS_DIR}/pl031.c
    ${VMM_BSP_DRIVERS_DIR}/a9_global_timer.c
    ${VMM_BSP_DRIVERS_DIR}/semihosting.c)
set(VMM_BSP_RAM_BASE 0x60000000)
set(VMM_BSP_RAM_SIZE 0x04000000)   # the image bank: 64 MiB
set(VMM_BSP_QEMU_ARGS -M vexpress-a9 -cpu cortex-a9 -m 256M)
set(VMM_BSP_HAS_PMU OFF)
