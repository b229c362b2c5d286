# Test variant of bsp/qemu-virt with RAM in two banks and a hole: the image
# bank (64 MiB, all of it in the hypervisor's linear window) and a second
# bank 192 MiB above it, which the hypervisor reaches only through its
# temporary mappings. Domain memory comes from the second bank first.
get_filename_component(VMM_BSP_DRIVERS_DIR ${CMAKE_CURRENT_LIST_DIR}/../../../../bsp/drivers ABSOLUTE)
set(VMM_BSP_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/board.c
    ${VMM_BSP_DRIVERS_DIR}/gicv2.c
    ${VMM_BSP_DRIVERS_DIR}/pl011.c
    ${VMM_BSP_DRIVERS_DIR}/pl031.c
    ${VMM_BSP_DRIVERS_DIR}/arm_generic_timer.c
    ${VMM_BSP_DRIVERS_DIR}/semihosting.c)
set(VMM_BSP_RAM_BASE 0x40000000)
set(VMM_BSP_RAM_SIZE 0x04000000)   # the image bank: 64 MiB
set(VMM_BSP_QEMU_ARGS -M virt -cpu cortex-a15 -m 512M)
