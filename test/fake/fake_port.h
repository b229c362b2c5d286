/*
 * Host-side fake of the port layer (vmm/port.h) and the arch layer
 * (core/arch.h), so the core library runs in cmocka tests. Tests drive the
 * fake hardware through these variables and helpers.
 */
#ifndef VMM_TEST_FAKE_PORT_H
#define VMM_TEST_FAKE_PORT_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FAKE_CONSOLE_MAX 65536
#define FAKE_RAM_BASE 0x40000000u
#define FAKE_RAM_SIZE (64u << 20)
#define FAKE_PENDING_MAX 8
#define FAKE_IMAGE_OFFSET (1u << 20)    /* the fake hypervisor image: like the target's */
#define FAKE_IMAGE_SIZE (128u << 10)
#define FAKE_PAYLOAD_OFFSET (64u << 10) /* payload pages inside the fake image */
#define FAKE_PAYLOAD_SIZE (32u << 10)
#define FAKE_TEMP_SLOTS 256u
#define FAKE_HV_FIRST_ENTRY 0xE00u
#define FAKE_HV_ENTRY(e) (((uint32_t)(e) << 20) | 0x40eu) /* what "the master" holds */

struct asid_space;

/* The fake MMU: domain tables, temporary mappings, the builder's window. */
struct fake_mmu {
	uint32_t l1_phys[64];            /* arch_mmu_domain_set() per slot */
	struct asid_space *space[64];    /* ... and its address space */
	unsigned int tlb_flushes;        /* whole-TLB invalidations (new ASID generation) */
	unsigned int asid_flushes;       /* arch_mmu_flush_spaces() calls */
	unsigned int temp_in_use;        /* arch_map_frame() outside the window, not yet unmapped */
	unsigned int temp_maps;          /* such mappings ever made */
	uint64_t cleaned_bytes;          /* arch_clean_dcache() total */
	uint8_t *window;                 /* open builder window (a copy of the mapped memory) */
	uint32_t window_size;
	unsigned int window_slot;
	unsigned int window_opens;
	const struct asid_cache *flushed_cache; /* cache of the last arch_mmu_flush_spaces() */
	unsigned int cleared_slots;      /* arch_mmu_domain_clear() calls */
	unsigned int flush_va;           /* arch_mmu_flush_va() calls */
	unsigned int flushed_slot;       /* slot of the last flush */
	uint32_t flushed_va;             /* va of the last arch_mmu_flush_va() */
	unsigned int entry_syncs;        /* arch_pt_entry_sync() calls */
	unsigned int icache_invalidations; /* arch_icache_invalidate_all() calls */
	uint32_t table_sync_bytes;       /* bytes arch_pt_table_sync() made visible to the walker */
};

struct fake_hw {
	char console[FAKE_CONSOLE_MAX];  /* everything written to the UART */
	size_t console_len;
	const char *input;               /* bytes the UART "receives" */
	uint64_t counter;                /* board counter, freq below */
	uint32_t counter_freq;
	uint32_t rtc;
	uint64_t timer_count;            /* last vmm_port_timer_set() value */
	unsigned int timer_sets;         /* vmm_port_timer_set() calls */
	unsigned int counter_reads;      /* vmm_port_counter_read() calls */
	uint64_t counter_step;           /* added to counter after each read (0: time stands still) */
	bool timer_armed;
	int pending_irq;                 /* next vmm_port_irq_ack() result */
	int pending_more[FAKE_PENDING_MAX]; /* then these, in order (pending_nr of them) */
	unsigned int pending_nr;
	unsigned int irq_enabled[4];     /* bitmap of enabled interrupts 0..127 */
	int poweroff_code;               /* -1 until vmm_port_poweroff() */
	jmp_buf *poweroff_jump;          /* where vmm_port_poweroff() longjmps */
	unsigned int switches;           /* arch_switch() calls */
	unsigned int acks;               /* vmm_port_irq_ack() calls */
	unsigned int eois;               /* vmm_port_irq_eoi() calls */
	int last_eoi;                    /* irq of the last EOI */
	unsigned int timer_stops;        /* vmm_port_timer_stop() calls */
	bool timer_armed_at_eoi;         /* was the timer still armed when the timer irq was EOIed */
	unsigned int active_slot;        /* last arch_mmu_activate() slot */
	uint32_t active_asid;            /* ... and the ASID it loaded */
	/* UART transmit model: try_putc accepts tx_room more bytes (< 0: any
	 * number, the default), then reports the FIFO full. */
	int tx_room;
	bool tx_irq_on;                  /* vmm_port_console_tx_irq() state */
	unsigned int tx_irq_calls;       /* vmm_port_console_tx_irq() calls */
	unsigned int blocking_putcs;     /* vmm_port_console_putc() calls */
	unsigned int board_owned[4];     /* bitmap: interrupts vmm_port_irq_handle() claims */
	unsigned int board_calls;        /* vmm_port_irq_handle() calls */
	unsigned int board_handled;      /* ... that returned true */
	int last_board_irq;              /* irq of the last vmm_port_irq_handle() call */
	bool board_disabled_before_eoi;  /* an irq was disabled between its ack and EOI */
	int claimed;                     /* irq acked and not yet EOIed, or -1 */
	const char *cpu_warning;         /* what vmm_port_cpu_init() returns */
	unsigned int cpu_switches;       /* vmm_port_cpu_switch() calls */
	uint32_t fault_status;           /* what arch_fault_info() reports as status (0: 0x5) */
};

extern struct fake_hw fake_hw;

/* The fake CPU's user-visible registers (lazy VFP, thread registers). */
struct fake_cpu {
	unsigned int vfp_regs;           /* what arch_vfp_init() reports: 32, 16, 0 */
	bool fpexc_en;                   /* FPEXC.EN */
	uint64_t d[32];                  /* the register file */
	uint32_t fpscr;
	uint32_t tpidrurw, tpidruro;
	uint32_t dacr;
	unsigned int dacr_writes;
	unsigned int guest_pushes;  /* arch_guest_push_frame() calls (upcall frames) */
	unsigned int vfp_saves, vfp_loads, vfp_enables;
	bool user_regs_init;             /* arch_user_regs_init() ran */
};
extern struct fake_cpu fake_cpu;
extern uint8_t *fake_ram;            /* FAKE_RAM_SIZE bytes, "physical" 0x40000000 */
extern uint32_t fake_window_size;    /* bytes of fake RAM in the "linear window" */
extern struct fake_mmu fake_mmu;

/* Any fake RAM address, window or not (tests only: the core must map). */
void *fake_phys_ptr(uint32_t phys);

/* Physical address the fake MMU translates va to through the L1 at l1_phys, 0 if unmapped. */
uint32_t fake_walk(uint32_t l1_phys, uint32_t va);

/* Resets the fake hardware (62.5 MHz counter at 0, RTC 1.7e9, empty console). */
void fake_reset(void);

/* Makes `irq` pending after those already pending (ack order = queue order). */
void fake_irq_raise(int irq);

/* Makes vmm_port_irq_handle() claim (owned) or refuse `irq` (0..127). */
void fake_board_own(unsigned int irq, bool owned);

/* Clears the captured console output. */
void fake_console_clear(void);

#define FAKE_TIMER_IRQ 27
#define FAKE_UART_IRQ 33

#endif /* VMM_TEST_FAKE_PORT_H */
