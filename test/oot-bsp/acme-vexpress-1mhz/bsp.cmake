# ACME vexpress 1 MHz: an out-of-tree BSP whose only time source is a 1 MHz
# counter (issue 12's bar: exact deadlines at a rate that is not a
# power-of-two fraction of 1 GHz, built against the INSTALLED package). It
# runs on QEMU's `vexpress-a9` and takes time from the motherboard's first
# SP804 (32-bit, 1 MHz, extended to 64 bits by libvmm's counter32 helper),
# with the shared GICv2, PL011, PL031 and semihosting drivers shipped with
# libvmm (${VMM_BSP_DRIVERS_DIR}, found in the tree and when installed).
set(VMM_BSP_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/board.c
    ${VMM_BSP_DRIVERS_DIR}/gicv2.c
    ${VMM_BSP_DRIVERS_DIR}/pl011.c
    ${VMM_BSP_DRIVERS_DIR}/pl031.c
    ${VMM_BSP_DRIVERS_DIR}/sp804.c
    ${VMM_BSP_DRIVERS_DIR}/counter32.c
    ${VMM_BSP_DRIVERS_DIR}/semihosting.c)
set(VMM_BSP_CPU cortex-a9)
set(VMM_BSP_RAM_BASE 0x60000000)
set(VMM_BSP_RAM_SIZE 0x08000000)   # 128 MiB, matches -m below
set(VMM_BSP_QEMU_ARGS
    -M vexpress-a9   # A9 GIC, PL011 UART0, SP804 timers at 1 MHz, PL031 RTC
    -cpu cortex-a9
    -m 128M)
set(VMM_BSP_HAS_PMU OFF)           # QEMU's cortex-a9 has no PMU
