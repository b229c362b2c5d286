/*
 * event_channel_op (hypercall 16, vmm/event_channel.h).
 */
#ifndef VMM_CORE_EVTCHN_HCALL_H
#define VMM_CORE_EVTCHN_HCALL_H

#include <stdint.h>

long hc_event_channel_op(uint32_t cmd, uint32_t arg, uint32_t a2, uint32_t a3);

#endif /* VMM_CORE_EVTCHN_HCALL_H */
