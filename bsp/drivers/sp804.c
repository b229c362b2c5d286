/*
 * SP804 dual timer as counter + one-shot (see sp804.h). Register layout:
 * ARM DDI 0271 "SP804 Dual-Timer Module", section 3; QEMU hw/timer/arm_timer.c.
 */
#include "sp804.h"

#include <stdbool.h>

#include "counter32.h"
#include "mmio.h"
#include "vmm/port.h"

#define SP804_TIMER1 0x00          /* each timer's registers: */
#define SP804_TIMER2 0x20
#define SP804_LOAD    0x00
#define SP804_VALUE   0x04
#define SP804_CONTROL 0x08
#define SP804_INTCLR  0x0c

#define CTL_ONESHOT (1u << 0)
#define CTL_32BIT   (1u << 1)      /* prescaler bits 3:2 left 0: TIMCLK / 1 */
#define CTL_INTEN   (1u << 5)
#define CTL_ENABLE  (1u << 7)      /* TimerMode (bit 6) 0: free-running */

static uintptr_t sp804;
static struct counter32 sp804_counter;

void sp804_init(uint32_t phys)
{
	sp804 = vmm_port_device_va(phys);
	mmio_write32(sp804 + SP804_TIMER2 + SP804_CONTROL, 0);
	mmio_write32(sp804 + SP804_TIMER2 + SP804_INTCLR, 1);
	mmio_write32(sp804 + SP804_TIMER1 + SP804_CONTROL, 0);
	mmio_write32(sp804 + SP804_TIMER1 + SP804_INTCLR, 1);
	/* Free-running over all 32 bits: wraps 0 -> 0xffffffff, as counter32
	 * requires of a down-counter. Its interrupt stays off. */
	mmio_write32(sp804 + SP804_TIMER1 + SP804_LOAD, 0xffffffffu);
	mmio_write32(sp804 + SP804_TIMER1 + SP804_CONTROL, CTL_32BIT | CTL_ENABLE);
	counter32_init(&sp804_counter, mmio_read32(sp804 + SP804_TIMER1 + SP804_VALUE), true);
}

uint64_t sp804_count(void)
{
	return counter32_extend(&sp804_counter, mmio_read32(sp804 + SP804_TIMER1 + SP804_VALUE));
}

static inline bool sp804_deadline_reached(uint64_t now, uint64_t count)
{
	return count <= now;
}

/* Further than the read-rate rule lets the counter go unread. */
static inline bool sp804_beyond_read_gap(uint64_t now, uint64_t count)
{
	return count - now >= COUNTER32_MAX_READ_GAP;
}

uint32_t sp804_oneshot_ticks(uint64_t now, uint64_t count)
{
	/* Reached or passed: the shortest countdown (a load of 0 would not
	 * count at all on some implementations). */
	if (sp804_deadline_reached(now, count))
		return 1;
	if (sp804_beyond_read_gap(now, count))
		return COUNTER32_MAX_READ_GAP;
	return (uint32_t)(count - now);
}

/* (Re)starts timer 2 counting `ticks` down to its interrupt. */
static void sp804_oneshot_start(uint32_t ticks)
{
	mmio_write32(sp804 + SP804_TIMER2 + SP804_CONTROL, 0);
	mmio_write32(sp804 + SP804_TIMER2 + SP804_INTCLR, 1);
	mmio_write32(sp804 + SP804_TIMER2 + SP804_LOAD, ticks);
	mmio_write32(sp804 + SP804_TIMER2 + SP804_CONTROL,
		     CTL_ONESHOT | CTL_32BIT | CTL_INTEN | CTL_ENABLE);
}

void sp804_set(uint64_t count)
{
	/* Timer 2 shares timer 1's clock, so `ticks` of it end no earlier than
	 * the counter reaching `count`, whatever the phase of the two. */
	sp804_oneshot_start(sp804_oneshot_ticks(sp804_count(), count));
}

void sp804_stop(void)
{
	/* The interrupt clear deasserts the line before libvmm's EOI; the
	 * wake-up keeps the read-rate rule while libvmm has no deadline. */
	sp804_oneshot_start(COUNTER32_MAX_READ_GAP);
}
