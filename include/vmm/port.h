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
 * other hook except vmm_port_console_putc() (which must work after this).
 */
void vmm_port_init(void);

/* ----------------------------------------------------------------- console */

/* Writes one byte to the hypervisor console, waiting while the FIFO is full. */
void vmm_port_console_putc(char c);

/* Reads one received byte if any: returns 0..255, or -1 if none is waiting. */
int vmm_port_console_getc(void);

/* The interrupt number of the console's receive interrupt (for vmm_port_irq_*). */
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
 */
uint64_t vmm_port_counter_read(void);
uint32_t vmm_port_counter_freq(void);

/*
 * Programs the one-shot timer to interrupt when the counter reaches `count`
 * (a value in the past fires at once). Replaces any earlier setting.
 */
void vmm_port_timer_set(uint64_t count);

/* Stops the one-shot timer and clears a pending expiry. */
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
