# QEMU vexpress-a9, Cortex-A9 MPCore. Read by vmm_add_bsp() in cmake/libvmm.cmake.
set(VMM_BSP_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/board.c
    ${VMM_BSP_DRIVERS_DIR}/gicv2.c
    ${VMM_BSP_DRIVERS_DIR}/pl011.c
    ${VMM_BSP_DRIVERS_DIR}/pl031.c
    ${VMM_BSP_DRIVERS_DIR}/a9_global_timer.c
    ${VMM_BSP_DRIVERS_DIR}/semihosting.c)
# The core: compiles the BSP and the library objects of its images with
# -mcpu=cortex-a9 and links bsp/cpu/cortex-a9.c (the CPU hooks of vmm/port.h).
set(VMM_BSP_CPU cortex-a9)
set(VMM_BSP_RAM_BASE 0x60000000)
set(VMM_BSP_RAM_SIZE 0x08000000)   # 128 MiB, matches -m below
set(VMM_BSP_QEMU_ARGS -M vexpress-a9 -cpu cortex-a9 -m 128M)
# QEMU 7.2's cortex-a9 has no PMU (no ARM_FEATURE_PMU: PMCCNTR reads 0), so
# the PMCCNTR benchmark is skipped. Real Cortex-A9 silicon has one.
set(VMM_BSP_HAS_PMU OFF)
