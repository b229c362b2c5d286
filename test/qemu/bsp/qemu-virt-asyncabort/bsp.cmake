# Test variant of bsp/qemu-virt that enters the hypervisor's data-abort
# vector as if an asynchronous abort had been taken while the hypervisor ran
# (board.c, async_abort_simulate.S): QEMU never raises one. Everything else
# is bsp/qemu-virt's.
get_filename_component(VMM_BSP_DRIVERS_DIR ${CMAKE_CURRENT_LIST_DIR}/../../../../bsp/drivers ABSOLUTE)
set(asyncabort_dir ${CMAKE_CURRENT_LIST_DIR})
include(${CMAKE_CURRENT_LIST_DIR}/../../../../bsp/qemu-virt/bsp.cmake)
list(TRANSFORM VMM_BSP_SOURCES REPLACE ".*/board\\.c$" ${asyncabort_dir}/board.c)
list(APPEND VMM_BSP_SOURCES ${asyncabort_dir}/async_abort_simulate.S)
