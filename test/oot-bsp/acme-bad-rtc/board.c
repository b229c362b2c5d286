/*
 * ACME virt with one defect a port can have: the RTC hook reads nothing and
 * reports the epoch. Every hook but vmm_port_rtc_read() is acme-virt's.
 */
#define vmm_port_rtc_read acme_rtc_read_unused
#include "../acme-virt/board.c"
#undef vmm_port_rtc_read

uint32_t acme_rtc_read_unused(void);

uint32_t vmm_port_rtc_read(void) { return 0; }
