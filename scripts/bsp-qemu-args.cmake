# Prints a BSP's QEMU machine arguments (VMM_BSP_QEMU_ARGS), one per line,
# as CMake reads them: bsp.cmake may spread them over lines, comment them and
# use ${CMAKE_CURRENT_LIST_DIR} (e.g. for a -dtb file in the BSP folder).
#   cmake -DBSP=<bsp-dir> -P bsp-qemu-args.cmake
# bsp.cmake is read in script mode: it may use set(), if() and the like, the
# commands a BSP needs; it must not define targets.
if(NOT BSP OR NOT EXISTS "${BSP}/bsp.cmake")
  message(FATAL_ERROR "bsp-qemu-args: no bsp.cmake in '${BSP}'")
endif()
include("${BSP}/bsp.cmake")
string(REPLACE ";" "\n" lines "${VMM_BSP_QEMU_ARGS}")
if(lines)
  file(WRITE /dev/stdout "${lines}\n")
endif()
