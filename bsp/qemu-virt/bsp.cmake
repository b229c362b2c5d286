# QEMU virt, Cortex-A15. Read by vmm_add_bsp() in cmake/libvmm.cmake.
set(VMM_BSP_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/board.c
    ${VMM_BSP_DRIVERS_DIR}/gicv2.c
    ${VMM_BSP_DRIVERS_DIR}/pl011.c
    ${VMM_BSP_DRIVERS_DIR}/pl031.c
    ${VMM_BSP_DRIVERS_DIR}/arm_generic_timer.c
    ${VMM_BSP_DRIVERS_DIR}/semihosting.c)
# The core: compiles the BSP and the library objects of its images with
# -mcpu=cortex-a15 and links bsp/cpu/cortex-a15.c (the CPU hooks of vmm/port.h).
set(VMM_BSP_CPU cortex-a15)
set(VMM_BSP_RAM_BASE 0x40000000)
set(VMM_BSP_RAM_SIZE 0x08000000)   # 128 MiB, matches -m below
set(VMM_BSP_QEMU_ARGS -M virt -cpu cortex-a15 -m 128M)
