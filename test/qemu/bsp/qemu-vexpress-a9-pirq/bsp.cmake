# Test BSP: QEMU vexpress-a9 as bsp/qemu-vexpress-a9, plus the second SP804
# (GIC SPI 3 = IRQ 35) ticking at 1 kHz for a domain's physical IRQ.
# Built by test/qemu/CMakeLists.txt (qemu.pirq-vexpress-a9).
set(VMM_BSP_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/board.c
    ${VMM_BSP_DRIVERS_DIR}/gicv2.c
    ${VMM_BSP_DRIVERS_DIR}/pl011.c
    ${VMM_BSP_DRIVERS_DIR}/pl031.c
    ${VMM_BSP_DRIVERS_DIR}/a9_global_timer.c
    ${VMM_BSP_DRIVERS_DIR}/semihosting.c)
set(VMM_BSP_CPU cortex-a9)
set(VMM_BSP_RAM_BASE 0x60000000)
set(VMM_BSP_RAM_SIZE 0x08000000)
set(VMM_BSP_QEMU_ARGS -M vexpress-a9 -cpu cortex-a9 -m 128M)
set(VMM_BSP_HAS_PMU OFF)
