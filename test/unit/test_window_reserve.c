/*
 * Static partitioning on a board whose RAM does not all lie in the
 * hypervisor's linear window (review 4): the hypervisor frames a domain's
 * promise covers (event-channel buckets, grant state, m2p pages, frame-table
 * blocks) can only come from the window, so a domain must not be able to
 * drain the window with its own frames while free frames are left outside
 * it. Hostile recipe: fill the outside with single frames, keep every other
 * one (moved onto a compact range of pfns, so that aligned pfn ranges stay
 * free), give the rest back, then populate order-1 extents: no order-1 run
 * is left outside, so before the fix every one came from the window.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "test_domain.h"

#include "grant_glue.h"
#include "memory_op.h"
#include "vmm/grant_table.h"
#include "vmm/memory_op.h"

#define MIB (1u << 20)
#define WINDOW (40 * MIB)
#define ARG_VA  (VMM_GUEST_BASE + 0x10000u)  /* boot memory of each domain */
#define LIST_VA (VMM_GUEST_BASE + 0x11000u)
#define TEMP_PFN 0xC00u                      /* the hog's temporary frames from here */
#define KEEP_PFN 0x100u                      /* ... the ones it keeps from here */

static struct vmm_domain_config cfgs[2], late_cfg;

static struct domain *make(struct vmm_domain_config *c, const char *name, uint32_t size)
{
	struct domain *d;

	memset(c, 0, sizeof(*c));
	c->name = name;
	c->image = test_elf;
	c->image_end = test_elf + sizeof(test_elf);
	c->mem_size = size;
	c->mem_initial = 1 * MIB;
	d = domain_create(c);
	assert_non_null(d);
	schedule_wake(d);
	return d;
}

static bool mfn_in_window(uint32_t mfn)
{
	return (mfn << 12) - FAKE_RAM_BASE < fake_window_size;
}

/* memory_op populate/decrease of one extent; the result (1 or an error). */
static long memop1(struct domain *d, uint32_t cmd, uint32_t pfn, uint32_t order)
{
	struct vmm_memory_reservation *r = test_guest_ptr(d, ARG_VA);

	memset(r, 0, sizeof(*r));
	r->extent_start = LIST_VA;
	r->nr_extents = 1;
	r->extent_order = order;
	r->domid = VMM_DOMID_SELF;
	*(uint32_t *)test_guest_ptr(d, LIST_VA) = pfn;
	current = d;
	return memory_op(d, cmd, ARG_VA);
}

static void test_hog_cannot_drain_the_window(void **state)
{
	struct vmm_gnttab_query_size *q;
	struct domain *victim, *hog;
	uint32_t pfn, end, keep = KEEP_PFN, mfn, taken = 0, nr, port;
	long rc = 0;

	(void)state;
	victim = make(&cfgs[0], "victim", 2 * MIB);
	hog = make(&cfgs[1], "hog", 56 * MIB);
	/* Every free frame outside the window to the hog, one at a time. */
	for (pfn = TEMP_PFN; pfn < hog->max_pages; pfn++) {
		assert_int_equal(memop1(hog, VMM_MEMOP_populate_physmap, pfn, 0), 1);
		if (mfn_in_window(domain_pfn_to_mfn(hog, pfn))) {
			assert_int_equal(memop1(hog, VMM_MEMOP_decrease_reservation, pfn, 0), 1);
			break;
		}
	}
	end = pfn;
	assert_true(end < hog->max_pages); /* the outside is full */
	/* Every other one moved onto KEEP_PFN..: given back, and taken at once again
	 * (the only free frame outside), the rest given back. */
	for (pfn = TEMP_PFN; pfn < end; pfn++) {
		mfn = domain_pfn_to_mfn(hog, pfn);
		if (mfn & 1u)
			continue;
		assert_int_equal(memop1(hog, VMM_MEMOP_decrease_reservation, pfn, 0), 1);
		assert_int_equal(memop1(hog, VMM_MEMOP_populate_physmap, keep, 0), 1);
		assert_int_equal(domain_pfn_to_mfn(hog, keep), mfn);
		keep++;
	}
	assert_true(keep <= TEMP_PFN);
	for (pfn = TEMP_PFN; pfn < end; pfn++)
		if (domain_pfn_to_mfn(hog, pfn) != MM_PFN_NONE)
			assert_int_equal(memop1(hog, VMM_MEMOP_decrease_reservation, pfn, 0), 1);
	/* Now no order-1 run is free outside: the hog's order-1 extents. */
	for (pfn = TEMP_PFN; pfn + 2 <= hog->max_pages; pfn += 2) {
		rc = memop1(hog, VMM_MEMOP_populate_physmap, pfn, 1);
		if (rc != 1)
			break;
		assert_true(mfn_in_window(domain_pfn_to_mfn(hog, pfn)));
		taken += 2;
	}
	/* It stops where the window keeps the victim's share (its reservation is not used up). */
	assert_int_equal(rc, -VMM_ENOMEM);
	assert_true(hog->tot_pages < hog->max_pages);
	assert_true(mm_window_free_frames() >= mm_window_reserved());
	nr = mm_free_frames();
	print_message("hog: %u window frames taken, %u free frames left\n", (unsigned)taken, (unsigned)nr);
	/* The victim's first grant call takes its grant state: one window frame. */
	q = test_guest_ptr(victim, ARG_VA);
	memset(q, 0, sizeof(*q));
	q->dom = VMM_DOMID_SELF;
	current = victim;
	assert_int_equal(grant_table_op(victim, VMM_GNTTABOP_query_size, ARG_VA, 1), 0);
	assert_int_equal(q->status, 0);
	/* Its ports up to the last one: every bucket. */
	for (port = 1; port < VMM_NR_EVENT_PORTS; port++) {
		struct vmm_evtchn_bind_ipi ipi = {.vcpu = VMM_EVTCHN_VCPU0};

		assert_int_equal(evtchn_bind_ipi(victim, &ipi), 0);
		assert_int_equal(ipi.port, port);
	}
	/* And the rest of its reservation, frame by frame (runs are not promised). */
	for (pfn = 256; pfn < victim->max_pages; pfn++)
		assert_int_equal(memop1(victim, VMM_MEMOP_populate_physmap, pfn, 0), 1);
	assert_int_equal(victim->tot_pages, victim->max_pages);
	/* A domain created now must find its own share of the window too: with
	 * room for its build but not for its promise, it is refused. */
	for (pfn = TEMP_PFN; mm_window_free_frames() < mm_window_reserved() + 40; pfn += 2)
		if (domain_pfn_to_mfn(hog, pfn) != MM_PFN_NONE)
			assert_int_equal(memop1(hog, VMM_MEMOP_decrease_reservation, pfn, 1), 1);
	fake_console_clear();
	memset(&late_cfg, 0, sizeof(late_cfg));
	late_cfg.name = "late";
	late_cfg.image = test_elf;
	late_cfg.image_end = test_elf + sizeof(test_elf);
	late_cfg.mem_size = 4 * MIB;
	late_cfg.mem_initial = 1 * MIB;
	assert_null(domain_create(&late_cfg));
	assert_non_null(strstr(fake_hw.console, "does not fit the RAM left"));
	domain_kill(hog, VMM_SHUTDOWN_poweroff);
	domain_kill(victim, VMM_SHUTDOWN_poweroff);
	assert_int_equal(mm_window_reserved(), 0);
}

/*
 * A small window and plenty of RAM outside it: domains are created while
 * the window can still give every one of them its hypervisor frames, and
 * refused once it cannot; every domain created gets all of them.
 */
static void test_boot_keeps_every_domains_window_share(void **state)
{
	static struct vmm_domain_config c[VMM_MAX_DOMAINS];
	static char names[VMM_MAX_DOMAINS][8];
	struct domain *doms[VMM_MAX_DOMAINS];
	unsigned int n, i;
	uint32_t port;

	(void)state;
	fake_console_clear();
	for (n = 0; n < VMM_MAX_DOMAINS; n++) {
		memset(&c[n], 0, sizeof(c[n]));
		snprintf(names[n], sizeof(names[n]), "d%u", n);
		c[n].name = names[n];
		c[n].image = test_elf;
		c[n].image_end = test_elf + sizeof(test_elf);
		c[n].mem_size = 4 * MIB;
		c[n].mem_initial = 1 * MIB;
		doms[n] = domain_create(&c[n]);
		if (!doms[n])
			break;
		schedule_wake(doms[n]);
	}
	/* The window, not the RAM, decided: some were made, not all. */
	assert_true(n > 0 && n < VMM_MAX_DOMAINS);
	assert_true(mm_free_frames() - mm_window_free_frames() > 4 * 256);
	assert_non_null(strstr(fake_hw.console, "refused"));
	/* Every promise is covered by the window: what they may still take is free there. */
	assert_true(mm_window_free_frames() >= mm_window_reserved());
	for (i = 0; i < n; i++) {
		struct vmm_gnttab_query_size *q = test_guest_ptr(doms[i], ARG_VA);

		current = doms[i];
		for (port = 1; port < VMM_NR_EVENT_PORTS; port++) {
			struct vmm_evtchn_bind_ipi ipi = {.vcpu = VMM_EVTCHN_VCPU0};

			assert_int_equal(evtchn_bind_ipi(doms[i], &ipi), 0);
		}
		memset(q, 0, sizeof(*q));
		q->dom = VMM_DOMID_SELF;
		assert_int_equal(grant_table_op(doms[i], VMM_GNTTABOP_query_size, ARG_VA, 1), 0);
		assert_int_equal(q->status, 0);
	}
	current = NULL;
	for (i = 0; i < n; i++)
		domain_kill(doms[i], VMM_SHUTDOWN_poweroff);
	assert_int_equal(mm_window_reserved(), 0);
}

/*
 * The rule alone: with nothing free outside the window (here: no RAM outside
 * it), a domain's frame may come from the window below the reserve -- the
 * promises count every free frame then, the reserve only the hypervisor's
 * part of them, which may be partly used already -- while with frames free
 * outside it, a run that would go below the reserve is refused.
 */
static void test_window_rule(void **state)
{
	uint32_t mfn, free = mm_window_free_frames();

	(void)state;
	mm_window_reserve(free);
	assert_int_equal(mm_alloc(0, 5, 0, &mfn), 0);      /* all RAM is the window */
	assert_int_equal(mm_free(mfn, 0), 0);
	assert_int_equal(mm_alloc(0, 5, MM_LINEAR, &mfn), 0);
	assert_int_equal(mm_free(mfn, 0), 0);
	mm_window_unreserve(free);
	assert_int_equal(mm_window_reserved(), 0);
}

static void test_window_rule_with_ram_outside(void **state)
{
	uint32_t mfn, hyp, free;

	(void)state;
	free = mm_window_free_frames();
	assert_true(mm_free_frames() > free); /* frames free outside */
	mm_window_reserve(free - 2);
	assert_int_equal(mm_alloc(1, 5, MM_LINEAR, &mfn), 0);        /* leaves the reserve */
	assert_true(mfn_in_window(mfn));
	assert_int_equal(mm_alloc(0, 5, MM_LINEAR, &hyp), -VMM_ENOMEM); /* would not */
	assert_int_equal(mm_alloc(0, FRAME_OWNER_HYP, MM_LINEAR, &hyp), 0); /* the hypervisor's own */
	assert_int_equal(mm_free(hyp, 0), 0);
	assert_int_equal(mm_free(mfn, 1), 0);
	mm_window_unreserve(free - 2);
}

static int setup(void **state)
{
	(void)state;
	fake_window_size = WINDOW; /* before the first boot: the zones are built once */
	test_core_boot();
	return 0;
}

/* The zones again, with a `window` (no domain lives in the old ones). */
static int zones_again(uint32_t window)
{
	struct arch_hv_layout lay;
	char why[96];

	test_core_boot();
	fake_window_size = window;
	arch_hv_layout(&lay);
	return mm_init(vmm_board.ram, vmm_board.nr_ram_banks, &lay, why, sizeof(why));
}

static int setup_small_window(void **state)
{
	(void)state;
	return zones_again(4 * MIB);
}

static int setup_all_window(void **state)
{
	(void)state;
	return zones_again(FAKE_RAM_SIZE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_hog_cannot_drain_the_window, setup),
		cmocka_unit_test_setup(test_boot_keeps_every_domains_window_share, setup_small_window),
		cmocka_unit_test_setup(test_window_rule_with_ram_outside, setup_small_window),
		cmocka_unit_test_setup(test_window_rule, setup_all_window),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
