# QEMU virt as if its guests could not read the counter (guest_counter NONE):
# the periodic 10 ms refresh of published time comes back, as on the
# Cortex-A9 board, on a board whose QEMU model has a PMU to measure it with.
# Benchmark images only (test/qemu/CMakeLists.txt).
include(${CMAKE_CURRENT_LIST_DIR}/../../../../bsp/qemu-virt/bsp.cmake)
list(REMOVE_AT VMM_BSP_SOURCES 0)
list(INSERT VMM_BSP_SOURCES 0 ${CMAKE_CURRENT_LIST_DIR}/board.c)
# repeated for scripts/qemu-boot.sh, which reads it from this file
set(VMM_BSP_QEMU_ARGS -M virt -cpu cortex-a15 -m 128M)
