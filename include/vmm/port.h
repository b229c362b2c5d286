/*
 * The port layer: everything board-specific libvmm needs, in one place.
 *
 * A BSP (bsp/<board>/) implements every function declared here (the CPU
 * hooks come from the shared file bsp/cpu/<cpu>.c its bsp.cmake names) and
 * defines `vmm_board`. libvmm calls nothing else on the board; there is no
 * board conditional in the library. A hook a BSP forgets is a link error,
 * except the two optional console hooks vmm_port_console_try_putc() and
 * vmm_port_console_tx_irq(), the only ones with weak defaults in libvmm.
 * Order at boot: vmm_port_init(), the counter frequency (checked),
 * vmm_port_cpu_init(), then the others. docs/porting.md gives each hook's
 * contract and how to find the values for a new SoC.
 *
 * Common rules for every hook:
 *  - Called in a privileged mode (SVC) with IRQs masked, on one CPU, never
 *    re-entrantly (libvmm never nests interrupts); the one exception is
 *    vmm_port_console_putc() (see there), from an asynchronous abort.
 *  - vmm_port_init() is the first hook libvmm calls; every other hook,
 *    vmm_port_console_putc() included, is called only after it returned.
 *  - The MMU is on from vmm_port_init() onwards; devices are reached at the
 *    virtual addresses vmm_board.devices[] maps (see vmm_port_device_va()).
 *  - Hooks must not block longer than the hardware needs, must not call
 *    into libvmm except vmm_port_device_va(), and must not allocate memory.
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
#define VMM_MAX_BOARD_IRQS     8

/* ----------------------------------------------------------------- memory */

/*
 * One bank of RAM the hypervisor manages: physical base and size in bytes,
 * both multiples of VMM_RAM_BANK_ALIGN, ending at or below 4 GiB. Leave out
 * what other bus masters (DSPs, modems, secure firmware) own: libvmm hands
 * every byte of a bank to itself or to domains.
 */
struct vmm_ram_bank {
	uint32_t base;
	uint32_t size;
};

#define VMM_MAX_RAM_BANKS  4
#define VMM_RAM_BANK_ALIGN (1u << 20)   /* 1 MiB: banks are mapped as sections */
#define VMM_RAM_MAX_TOTAL  0x80000000u  /* 2 GiB over all banks */

/*
 * Static description of a board. The BSP defines exactly one, named vmm_board.
 * Field values come from the SoC's memory map (see docs/porting.md).
 */
struct vmm_board {
	const char *name;            /* printed in the boot log */
	/*
	 * RAM: 1..VMM_MAX_RAM_BANKS banks in any order, not overlapping, at most
	 * VMM_RAM_MAX_TOTAL bytes together. One bank must hold the hypervisor
	 * image (loaded at VMM_BSP_RAM_BASE + 1 MiB) and the RAM window
	 * start.S maps ([VMM_BSP_RAM_BASE, + min(VMM_BSP_RAM_SIZE, 256 MiB))).
	 * Checked at boot; a bad description stops the boot with a [VMM] line
	 * naming the bank (docs/porting.md).
	 */
	struct vmm_ram_bank ram[VMM_MAX_RAM_BANKS];
	unsigned int nr_ram_banks;
	/* Device register blocks, mapped in order at VMM_DEVICE_VA_BASE + 1 MiB * n.. */
	struct vmm_device_region devices[VMM_MAX_DEVICE_REGIONS];
	unsigned int nr_devices;
	/*
	 * The CPU has the ARMv7 PMU (PMCR, PMUSERENR, cycle counter). Without it
	 * libvmm never touches those registers and refuses domains configured
	 * with VMM_DOMCFG_PMU_USER. Use VMM_BSP_HAS_PMU (from bsp.cmake).
	 */
	bool has_pmu;
	/*
	 * How guests read the counter vmm_port_counter_read() returns, without
	 * the hypervisor (VMM_GUEST_COUNTER_*; see "Guest counter" in the time
	 * section below). 0 (VMM_GUEST_COUNTER_NONE) if the field is left out.
	 */
	uint32_t guest_counter;
	/*
	 * Interrupts the board handles itself in vmm_port_irq_handle() (a
	 * counter-extension or watchdog line...), nr_board_irqs of them, at most
	 * VMM_MAX_BOARD_IRQS: the static config may not give one of them to a
	 * domain (a pirq would claim it first and the board's handler would
	 * never run); such a config is refused at boot. Leave out if none.
	 */
	unsigned int board_irqs[VMM_MAX_BOARD_IRQS];
	unsigned int nr_board_irqs;
};

extern const struct vmm_board vmm_board;

/* Where device regions appear in the hypervisor's address space: one after
 * the other from VMM_DEVICE_VA_BASE, VMM_DEVICE_VA_SIZE bytes (255 MiB) in
 * all. libvmm checks vmm_board.devices at boot (at most
 * VMM_MAX_DEVICE_REGIONS, each non-empty, phys and size multiples of 1 MiB,
 * not past 4 GiB, together within the window): a region that breaks a rule
 * and every one after it are not mapped (vmm_port_device_va() returns 0 for
 * them, so no driver reaches the wrong registers), and the boot stops with
 * "[VMM] boot: device region #n ...; cannot start" (exit code 4). */
#define VMM_DEVICE_VA_BASE 0xF0000000u
#define VMM_DEVICE_VA_SIZE 0x0FF00000u

/*
 * Translates a device physical address (inside one of vmm_board.devices) to
 * the virtual address the hypervisor uses once the MMU is on. Returns 0 if the
 * address is not in a mapped device region. Provided by libvmm.
 */
uintptr_t vmm_port_device_va(uint32_t phys);

/* ----------------------------------------------------------------- boot */

/*
 * Brings up the board's devices: interrupt controller (every source libvmm
 * uses disabled, routed to this CPU's IRQ input), timer (stopped), counter
 * (running), UART (enabled, FIFOs on, raising its receive interrupt on
 * vmm_port_console_irq() once libvmm enables that line; transmit interrupt
 * off until vmm_port_console_tx_irq(true)), and any device
 * the board runs itself (its interrupts enabled here, see
 * vmm_port_irq_handle()). Called once, MMU on, before any other hook;
 * the console output hooks (putc, try_putc) must work as soon as it returns.
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

/*
 * Writes one byte to the hypervisor console, waiting while the FIFO is full.
 * Besides the drain before power-off, libvmm calls it for the few lines it
 * logs from an asynchronous abort taken while the hypervisor ran, which may
 * have interrupted any port call, vmm_port_console_try_putc() included: keep
 * it a plain poll-and-write of the UART with no state of its own.
 */
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

/*
 * The interrupt contract, for any interrupt controller (GIC or not).
 *
 * Interrupt numbers are the BSP's own (e.g. the controller's input line),
 * 0..INT_MAX, used consistently by every hook below and by
 * vmm_port_timer_irq() / vmm_port_console_irq().
 *
 * How libvmm uses them: the hypervisor runs with IRQs masked and never nests
 * interrupts. When the CPU's IRQ line is raised while a guest runs, libvmm
 * calls vmm_port_irq_ack() once, runs the handler of the number it returns
 * (timer, console, or the board's vmm_port_irq_handle()), calls
 * vmm_port_irq_eoi() with that number and returns to a domain; another
 * interrupt still pending raises the IRQ line again at once. When the idle
 * loop wakes from WFI, it calls vmm_port_irq_ack() until it returns -1,
 * handling each number the same way. An interrupt nobody owns is disabled
 * with vmm_port_irq_disable() (after its EOI) and logged once.
 *
 * Priorities and preemption play no part: any order among interrupts pending
 * together is correct, since each one is handled as soon as it is claimed.
 * The controller must only let every source libvmm enables reach the CPU's
 * IRQ input (a GIC: priority above the CPU interface's mask). FIQs are not
 * part of this contract: libvmm keeps them masked (CPSR.F = 1) in guests, in
 * the hypervisor and in the idle loop, so a source routed to FIQ stays
 * pending and is never served (docs/porting.md, "FIQ policy").
 */

/*
 * Enables/disables delivery of interrupt `irq` to this CPU. A disabled
 * source never makes vmm_port_irq_ack() return it, pending or not.
 */
void vmm_port_irq_enable(unsigned int irq);
void vmm_port_irq_disable(unsigned int irq);

/*
 * Claims one pending, enabled interrupt and returns its number, or -1 if
 * none is pending (also when the CPU's IRQ line was raised by a source that
 * has deasserted since: a spurious interrupt is just -1, with no EOI).
 * Until vmm_port_irq_eoi() for it, the claimed interrupt must not be
 * returned again, whatever its line does; after the EOI it is returned again
 * if it is (still, or again) pending.
 *  - A controller with acknowledge/EOI registers (GIC: IAR/EOIR) reads the
 *    acknowledge register; its "spurious" ID maps to -1.
 *  - A controller without them: scan its pending-and-enabled status, pick
 *    one (any order), mask it, and for an edge-latched source clear the latch
 *    here, before the handler runs, so that an edge arriving during the
 *    handler is latched again and not lost.
 * Level-triggered sources are silenced by their handler (libvmm's timer
 * handler reprograms the timer with vmm_port_timer_set() for a deadline in
 * the future, or calls vmm_port_timer_stop(); the console handler drains
 * vmm_port_console_getc(), the board's handler clears its device) before
 * the EOI, so a level still asserted after the EOI is a new interrupt.
 */
int vmm_port_irq_ack(void);

/*
 * Ends the claim vmm_port_irq_ack() made on `irq` (a GIC: write EOIR; a
 * controller that masked on ack: unmask). Called exactly once per number
 * vmm_port_irq_ack() returned, after its handler, before the next ack.
 */
void vmm_port_irq_eoi(unsigned int irq);

/*
 * Board-owned interrupts. libvmm calls this for every acknowledged
 * interrupt that is neither vmm_port_timer_irq() nor vmm_port_console_irq()
 * (those two are libvmm's and never reach it), before its EOI. Returns true
 * if the board owns `irq` and has handled it (its device's condition
 * cleared, so a level source deasserts); false if the board does not own
 * it: libvmm then EOIs it, disables it and logs "unexpected interrupt N
 * disabled" once. A BSP enables its own interrupts itself, in
 * vmm_port_init(); they are taken whenever libvmm takes interrupts (while
 * guests run and while idle), with the common rules above (IRQs masked,
 * no call into libvmm, short). Every BSP defines this hook; one that owns
 * no interrupt returns false.
 */
bool vmm_port_irq_handle(unsigned int irq);

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

/*
 * Guest counter (vmm_board.guest_counter). Where guests can read the board
 * counter themselves, libvmm publishes its rate in every domain's
 * vcpu_time_info (vmm/guest_info.h) and guests compute system time from it:
 * libvmm then takes no periodic interrupt (a domain running alone runs
 * uninterrupted) and neither reads the clock nor publishes time when it
 * switches domains. Otherwise libvmm publishes system time on every entry to
 * a domain and refreshes it every 10 ms while one runs.
 *  - VMM_GUEST_COUNTER_NONE: guests cannot read the counter (e.g. the
 *    Cortex-A9 global timer: its registers are device memory the guests do
 *    not map).
 *  - VMM_GUEST_COUNTER_CNTVCT: vmm_port_counter_read() returns the ARM
 *    generic timer's virtual count CNTVCT, and vmm_port_init() made it
 *    readable from USR mode (CNTKCTL.PL0VCTEN = 1; leave the other CNTKCTL
 *    bits 0: guests must not reach the timers themselves).
 * Any other value is refused at boot (with a [VMM] line) and treated as NONE.
 */
#define VMM_GUEST_COUNTER_NONE   0u
#define VMM_GUEST_COUNTER_CNTVCT 1u

/* Wall-clock time from the board's RTC, seconds since the UNIX epoch. */
uint32_t vmm_port_rtc_read(void);

/* ----------------------------------------------------------------- CPU */

/*
 * Core-specific work, implemented once per CPU type in bsp/cpu/<cpu>.c
 * (cortex-a8.c, cortex-a9.c, cortex-a15.c, generic.c) and linked into the
 * image because the BSP names its core in bsp.cmake (VMM_BSP_CPU).
 *
 * vmm_port_cpu_init(): called once at boot, after vmm_port_init() and before
 * any domain is built.
 * Returns NULL, or a one-line message libvmm logs as "[VMM] cpu: <message>"
 * (e.g. a mitigation the firmware should have enabled and did not).
 *
 * vmm_port_cpu_switch(): called on every switch between two hypervisor
 * threads (domain to domain, domain to idle and back), after libvmm has
 * invalidated the branch predictor (BPIALL, done for every ARMv7-A core)
 * and before anything of the next domain runs. It does what this core needs
 * beyond that so that one domain cannot steer another's speculation
 * (Cortex-A15: ICIALLU). The exception return into the next guest is the
 * context synchronization, so no ISB is needed. Runs on the previous
 * thread's stack; may clobber r0-r3, r12 only (a normal C function).
 */
const char *vmm_port_cpu_init(void);
void vmm_port_cpu_switch(void);

/* ----------------------------------------------------------------- power */

/*
 * Powers the machine off (or stops it) reporting `code` (0 = success) where
 * the board can (under QEMU: semihosting exit status). Must not return.
 */
void vmm_port_poweroff(int code) __attribute__((noreturn));

#endif /* VMM_PORT_H */
