/*
 * Helpers for host tests that need real domains: a minimal valid guest ELF
 * and a one-call domain factory on top of the fake port.
 * Include once per test program (defines static functions).
 */
#ifndef VMM_TEST_DOMAIN_H
#define VMM_TEST_DOMAIN_H

#include <stdlib.h>
#include <string.h>

#include "domain.h"
#include "domain_build.h"
#include "evtchn.h"
#include "fake_port.h"
#include "mm.h"
#include "schedule.h"
#include "time.h"

/* A 52+32+16 byte ELF: one PT_LOAD of 16 bytes at 0xC0008000, entry there. */
static uint8_t test_elf[52 + 32 + 16];

static void test_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void test_build_elf(void)
{
	uint8_t *e = test_elf, *ph = test_elf + 52;

	memset(test_elf, 0, sizeof(test_elf));
	memcpy(e, "\x7f" "ELF", 4);
	e[4] = 1; /* ELFCLASS32 */
	e[5] = 1; /* little-endian */
	e[6] = 1; /* EV_CURRENT */
	e[16] = 2; /* ET_EXEC */
	e[18] = 40; /* EM_ARM */
	e[20] = 1;
	test_put32(e + 24, 0xC0008000u);
	e[28] = 52; /* e_phoff */
	e[40] = 52; /* e_ehsize */
	e[42] = 32; /* e_phentsize */
	e[44] = 1; /* e_phnum */
	test_put32(ph + 0, 1); /* PT_LOAD */
	test_put32(ph + 4, 84);
	test_put32(ph + 8, 0xC0008000u);
	test_put32(ph + 12, 0xC0008000u);
	test_put32(ph + 16, 16);
	test_put32(ph + 20, 0x100);
	memset(test_elf + 84, 0xe7, 16);
}

/*
 * Resets the fake hardware and boots the core far enough to create domains.
 * The frame tables are built once per program: domains made by earlier
 * tests live in frames and stay valid.
 */
static void test_core_boot(void)
{
	static int mm_ready;
	struct arch_hv_layout lay;
	char why[96];

	fake_reset();
	test_build_elf();
	time_init();
	if (!mm_ready) {
		arch_hv_layout(&lay);
		if (mm_init(vmm_board.ram, vmm_board.nr_ram_banks, &lay, why, sizeof(why)) != 0)
			abort();
		mm_ready = 1;
	}
	schedule_init(0, 0, 0);
}

/* Hypervisor pointer to guest address va of d (the rest of its page follows). */
static inline void *test_guest_ptr(const struct domain *d, uint32_t va)
{
	uint32_t mfn = domain_pfn_to_mfn(d, (va - VMM_GUEST_BASE) >> 12);

	if (mfn == MM_PFN_NONE)
		abort();
	return fake_phys_ptr((mfn << 12) | (va & 0xFFFu));
}

/* Ports test_domain_create() binds, as a booting guest would. */
#define TEST_PORT_TIMER   1  /* VMM_VIRQ_TIMER */
#define TEST_PORT_CONSOLE 2  /* VMM_VIRQ_CONSOLE */

/* Creates a runnable 1 MiB domain named `name` with no port bound and makes it current. */
static struct domain *test_domain_create_bare(const char *name, uint32_t flags, uint32_t types)
{
	static struct vmm_domain_config cfgs[VMM_MAX_DOMAINS];
	static unsigned int n;
	struct vmm_domain_config *c = &cfgs[n++ % VMM_MAX_DOMAINS];
	struct domain *d;

	memset(c, 0, sizeof(*c));
	c->name = name;
	c->image = test_elf;
	c->image_end = test_elf + sizeof(test_elf);
	c->mem_size = 1u << 20;
	c->flags = flags;
	c->types = types;
	d = domain_create(c);
	if (d) {
		schedule_wake(d);
		current = d;
	}
	return d;
}

/* test_domain_create_bare() with the timer and console VIRQs bound to
 * TEST_PORT_TIMER and TEST_PORT_CONSOLE. */
static inline struct domain *test_domain_create(const char *name, uint32_t flags)
{
	struct domain *d = test_domain_create_bare(name, flags, 0);
	struct vmm_evtchn_bind_virq timer = {.virq = VMM_VIRQ_TIMER};
	struct vmm_evtchn_bind_virq console = {.virq = VMM_VIRQ_CONSOLE};

	if (d && (evtchn_bind_virq(d, &timer) != 0 || timer.port != TEST_PORT_TIMER ||
		  evtchn_bind_virq(d, &console) != 0 || console.port != TEST_PORT_CONSOLE))
		abort();
	return d;
}

#endif /* VMM_TEST_DOMAIN_H */
