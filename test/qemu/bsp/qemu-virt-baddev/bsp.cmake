# Test variant of bsp/qemu-virt whose device table breaks the rules (see
# board.c): the boot must stop with a clear [VMM] error and exit code 4.
# Everything but board.c is bsp/qemu-virt's.
get_filename_component(VMM_BSP_DRIVERS_DIR ${CMAKE_CURRENT_LIST_DIR}/../../../../bsp/drivers ABSOLUTE)
set(baddev_dir ${CMAKE_CURRENT_LIST_DIR})
include(${CMAKE_CURRENT_LIST_DIR}/../../../../bsp/qemu-virt/bsp.cmake)
list(TRANSFORM VMM_BSP_SOURCES REPLACE ".*/board\\.c$" ${baddev_dir}/board.c)
