/*
 * The port layer: everything board-specific libvmm needs, in one place.
 *
 * A BSP (bsp/<board>/) implements every function declared here and defines
 * `vmm_board`. libvmm calls nothing else on the board; there is no board
 * conditional in the library. docs/porting.md gives each hook's contract and
 * how to find the values for a new SoC.
 *
 * Common rules for every hook:
 *  - Called in a privileged mode (SVC) with IRQs masked, on one CPU.
 *  - The MMU is on from vmm_port_init() onwards; devices are reached at the
 *    virtual addresses vmm_board.devices[] maps (see vmm_port_device_va()).
 *  - Hooks must not block longer than the hardware needs, must not call back
 *    into libvmm except vmm_irq_handler() paths documented below, and must not
 *    allocate memory.
 */
#ifndef VMM_PORT_H
#define VMM_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One block of device registers the hypervisor maps (PL1-only, device memory). */
struct vmm_device_region {
	uint32_t phys;   /* physical base, 1 MiB aligned */
	uint32_t size;   /* bytes, multiple of 1 MiB */
};

#define VMM_MAX_DEVICE_REGIONS 8

/*
 * Static description of a board. The BSP defines exactly one, named vmm_board.
 * Field values come from the SoC's memory map (see docs/porting.md).
 */
struct vmm_board {
	const char *name;            /* printed in the boot log */
	uint32_t ram_base;           /* physical address of the RAM bank the image runs in */
	uint32_t ram_size;           /* bytes of that RAM bank the hypervisor may hand out */
	/* Device register blocks, mapped in order at VMM_DEVICE_VA_BASE + 1 MiB * n.. */
	struct vmm_device_region devices[VMM_MAX_DEVICE_REGIONS];
	unsigned int nr_devices;
	/*
	 * The CPU has the ARMv7 PMU (PMCR, PMUSERENR, cycle counter). Without it
	 * libvmm never touches those registers and refuses domains configured
	 * with VMM_DOMCFG_PMU_USER. Use VMM_BSP_HAS_PMU (from bsp.cmake).
	 */
	bool has_pmu;
};

extern const struct vmm_board vmm_board;

/* Where device regions appear in the hypervisor's address space. */
#define VMM_DEVICE_VA_BASE 0xF0000000u

/*
 * Translates a device physical address (inside one of vmm_board.devices) to
 * the virtual address the hypervisor uses once the MMU is on. Returns 0 if the
 * address is not in a mapped device region. Provided by libvmm.
 */
uintptr_t vmm_port_device_va(uint32_t phys);

/* ----------------------------------------------------------------- boot */

/*
 * Brings up the board's devices: interrupt controller (all sources disabled,
 * priorities and routing to this CPU), timer (stopped), UART (enabled, RX
 * interrupt source configured but disabled). Called once, MMU on, before any
 * other hook except the console output hooks (putc, try_putc: they must
 * work after this).
 */
void vmm_port_init(void);

/* ----------------------------------------------------------------- console */

/*
 * libvmm keeps console output in a buffer (core/console.c) and never waits on
 * the wire while it runs: it sends with vmm_port_console_try_putc() while
 * the UART accepts bytes, and refills the UART from its transmit interrupt,
 * enabled with vmm_port_console_tx_irq() only while output is waiting. The
 * blocking vmm_port_console_putc() is used only to drain the buffer before
 * vmm_port_poweroff(). Receive and transmit share vmm_port_console_irq().
 * UART FIFOs should be on (they are what lets input survive a masked stretch
 * and output leave in bursts); docs/porting.md, "Console", has the numbers.
 */

/* Writes one byte to the hypervisor console, waiting while the FIFO is full. */
void vmm_port_console_putc(char c);

/*
 * Writes one byte if the UART can take it now: true if it did, false if its
 * transmit FIFO is full (nothing written). Never waits. Optional: libvmm has
 * a weak default calling vmm_port_console_putc() (blocking, the hypervisor
 * then stalls on the wire); define it in board.c to override.
 */
bool vmm_port_console_try_putc(char c);

/*
 * Enables (true) or disables (false) the UART's transmit interrupt, raised on
 * vmm_port_console_irq() while the transmit FIFO has room (at or below its
 * trigger level). libvmm enables it only while output waits and disables it
 * once the buffer is empty, so a level interrupt that stays asserted while
 * the FIFO has room is fine. Optional, like try_putc (weak no-op default).
 */
void vmm_port_console_tx_irq(bool enable);

/* Reads one received byte if any: returns 0..255, or -1 if none is waiting.
 * Reading the last waiting byte clears the receive interrupt condition. */
int vmm_port_console_getc(void);

/* The interrupt number of the console's receive and transmit interrupts (for
 * vmm_port_irq_*). When it fires libvmm refills the transmit FIFO and calls
 * vmm_port_console_getc() until it returns -1 (the whole receive FIFO). */
unsigned int vmm_port_console_irq(void);

/* ----------------------------------------------------------------- interrupts */

/* Enables/disables delivery of interrupt `irq` to this CPU. */
void vmm_port_irq_enable(unsigned int irq);
void vmm_port_irq_disable(unsigned int irq);

/*
 * Acknowledges the highest-priority pending interrupt and returns its number,
 * or -1 if none is pending (spurious). Every acknowledged interrupt is later
 * passed to vmm_port_irq_eoi().
 */
int vmm_port_irq_ack(void);
void vmm_port_irq_eoi(unsigned int irq);

/* ----------------------------------------------------------------- time */

/*
 * A free-running monotonic counter and its frequency. The counter must not
 * wrap within the system's uptime as seen through 64 bits, and must keep
 * counting while the CPU waits for interrupts.
 *
 * Narrow counters: a BSP whose hardware counter has only 32 bits extends it
 * in software (bsp/drivers/counter32.h). Read-rate rule: the extension needs
 * libvmm to read the counter at least once per half wrap period (2^31 ticks;
 * 35.8 min at 1 MHz). libvmm reads it on every timer interrupt but not while
 * it idles with the timer stopped, so the BSP guarantees the rate itself: its
 * vmm_port_timer_set() clamps a deadline further than half a wrap ahead (the
 * early interrupt is harmless, see below), and its vmm_port_timer_stop()
 * keeps such a wake-up armed. docs/porting.md, "Narrow counters".
 *
 * vmm_port_counter_freq(): in Hz, 32768 .. 1000000000 (VMM_PORT_FREQ_MIN ..
 * VMM_PORT_FREQ_MAX). libvmm checks it once at boot: a value outside the
 * range (e.g. a CNTFRQ the firmware left at 0) stops the boot with a [VMM]
 * error and vmm_port_poweroff(4) (exit code 4: unusable port values).
 */
uint64_t vmm_port_counter_read(void);
uint32_t vmm_port_counter_freq(void);

#define VMM_PORT_FREQ_MIN 32768u
#define VMM_PORT_FREQ_MAX 1000000000u

/*
 * Programs the one-shot timer to interrupt when the counter reaches `count`
 * (a value in the past, or equal to the counter, fires at once: compare
 * "counter >= count", never "=="). Replaces any earlier setting.
 *
 * Equality-only comparators (Cortex-A9 global timer before r2p0, many SoC
 * match registers) fire only when the counter passes through the exact
 * value, and libvmm often asks for one already passed. Such a driver must,
 * after programming, read the counter back and, if it has reached `count`,
 * program a near-future value instead (or pend the interrupt by hand), so
 * that the interrupt comes in any case; see a9_global_timer.c.
 *
 * An interrupt earlier than `count` is allowed (libvmm finds nothing due and
 * re-arms): this is how a narrow timer clamps a far deadline.
 */
void vmm_port_timer_set(uint64_t count);

/*
 * Stops the one-shot timer and clears a pending expiry: the interrupt line is
 * deasserted on return. A BSP with a narrow counter may leave (or re-arm) a
 * wake-up at most half a counter wrap ahead (see the read-rate rule above);
 * libvmm treats it as an early interrupt.
 */
void vmm_port_timer_stop(void);

/* The interrupt number of the one-shot timer. */
unsigned int vmm_port_timer_irq(void);

/* Wall-clock time from the board's RTC, seconds since the UNIX epoch. */
uint32_t vmm_port_rtc_read(void);

/* ----------------------------------------------------------------- power */

/*
 * Powers the machine off (or stops it) reporting `code` (0 = success) where
 * the board can (under QEMU: semihosting exit status). Must not return.
 */
void vmm_port_poweroff(int code) __attribute__((noreturn));

#endif /* VMM_PORT_H */
