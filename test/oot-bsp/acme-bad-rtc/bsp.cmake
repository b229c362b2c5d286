# ACME virt with a broken RTC hook (board.c): the port kit must report the
# port as failed (test portkit.oot-bsp-broken). Everything else is acme-virt.
include(${CMAKE_CURRENT_LIST_DIR}/../acme-virt/bsp.cmake)
list(REMOVE_AT VMM_BSP_SOURCES 0)
list(APPEND VMM_BSP_SOURCES ${CMAKE_CURRENT_LIST_DIR}/board.c)
