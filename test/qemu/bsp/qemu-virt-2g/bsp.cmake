# Test variant of bsp/qemu-virt with 2 GiB of RAM (the most QEMU's virt
# machine gives a 32-bit guest below its PCI window), for big domains.
get_filename_component(VMM_BSP_DRIVERS_DIR ${CMAKE_CURRENT_LIST_DIR}/../../../../bsp/drivers ABSOLUTE)
include(${CMAKE_CURRENT_LIST_DIR}/../../../../bsp/qemu-virt/bsp.cmake)
set(VMM_BSP_RAM_SIZE 0x80000000)   # 2 GiB
set(VMM_BSP_QEMU_ARGS -M virt -cpu cortex-a15 -m 2G)
