/*
 * Cortex-A9 global timer driver (see a9_global_timer.h). Register layout:
 * Cortex-A9 MPCore TRM, "Global timer registers"; QEMU hw/timer/a9gtimer.c.
 */
#include "a9_global_timer.h"

#include <stdbool.h>

#include "mmio.h"
#include "vmm/port.h"

#define GT_COUNTER_LO 0x00
#define GT_COUNTER_HI 0x04
#define GT_CONTROL    0x08
#define GT_STATUS     0x0c
#define GT_COMP_LO    0x10
#define GT_COMP_HI    0x14
#define GT_AUTOINC    0x18

#define GT_CTL_TIMER_EN (1u << 0)
#define GT_CTL_COMP_EN  (1u << 1)
#define GT_CTL_IRQ_EN   (1u << 2)
#define GT_STATUS_EVENT (1u << 0)

static uintptr_t gt;

void a9_global_timer_init(uint32_t phys)
{
	gt = vmm_port_device_va(phys);
	mmio_write32(gt + GT_CONTROL, 0);
	/* Increment 0: a true one-shot even where the auto-increment bit is
	 * decoded as bit 2, the IRQ enable (QEMU's a9gtimer.h does). */
	mmio_write32(gt + GT_AUTOINC, 0);
	mmio_write32(gt + GT_STATUS, GT_STATUS_EVENT);
	mmio_write32(gt + GT_CONTROL, GT_CTL_TIMER_EN);
}

uint64_t a9_global_timer_count(void)
{
	uint32_t hi, lo;

	/* The halves are separate reads: retry if the upper one moved. */
	do {
		hi = mmio_read32(gt + GT_COUNTER_HI);
		lo = mmio_read32(gt + GT_COUNTER_LO);
	} while (mmio_read32(gt + GT_COUNTER_HI) != hi);
	return ((uint64_t)hi << 32) | lo;
}

static void a9_global_timer_program(uint64_t cmp)
{
	/* Comparator off while its halves change, so no half-written value fires. */
	a9_global_timer_stop();
	mmio_write32(gt + GT_COMP_LO, (uint32_t)cmp);
	mmio_write32(gt + GT_COMP_HI, (uint32_t)(cmp >> 32));
	mmio_write32(gt + GT_CONTROL, GT_CTL_TIMER_EN | GT_CTL_COMP_EN | GT_CTL_IRQ_EN);
}

/* The counter, read after the comparator was armed, has yet to reach it: it
 * must pass through the value with the comparator on, so even an
 * equality-only comparator fires. Equal counts as missed (the counter may
 * have arrived before the comparator was armed and not moved since). */
static inline bool a9_comparator_ahead(uint64_t now, uint64_t cmp)
{
	return now < cmp;
}

void a9_global_timer_set(uint64_t count)
{
	uint64_t cmp = count;
	uint64_t ahead = A9_GLOBAL_TIMER_MIN_AHEAD;

	/*
	 * Before r2p0 the comparator fires only when the counter EQUALS it, and
	 * libvmm often asks for a deadline already reached. Read the counter
	 * after enabling the comparator: if it is still below, the counter must
	 * pass through the value with the comparator on, so it fires on every
	 * revision. Otherwise aim a little ahead of the counter instead (later
	 * than `count`: never early), further each time the register accesses
	 * outran the margin.
	 */
	for (;;) {
		uint64_t now;

		a9_global_timer_program(cmp);
		now = a9_global_timer_count();
		if (a9_comparator_ahead(now, cmp))
			return;
		cmp = now + ahead;
		if (ahead < A9_GLOBAL_TIMER_MAX_AHEAD)
			ahead *= 2;
	}
}

void a9_global_timer_stop(void)
{
	mmio_write32(gt + GT_CONTROL, GT_CTL_TIMER_EN);
	mmio_write32(gt + GT_STATUS, GT_STATUS_EVENT);
}
