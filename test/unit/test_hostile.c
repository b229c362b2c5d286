/*
 * Hostile-guest review (docs/security-review.md): the holes found, each at
 * its last accepted and first refused value.
 *
 * - The hypervisor's writes into guest memory (guest_copy_to) never reach a
 *   page-table frame: a grant copy, an event_channel_op result, a multicall
 *   result or a dom0_op/memory_op write-back there would store entries
 *   pt_table never checked (any machine frame mapped).
 * - The shared-info frame, which the hypervisor writes for the domain's
 *   whole life (event bits the guest sets itself), can never be pinned as a
 *   page table even after the guest unmapped pfn 0.
 * - set_foreground_domain's console line is rate-limited.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "test_domain.h"

#include "arch.h"
#include "console.h"
#include "evtchn_hcall.h"
#include "frametable.h"
#include "grant_glue.h"
#include "guest_access.h"
#include "dom0_hcall.h"
#include "hypercall.h"
#include "log.h"
#include "memory_op.h"
#include "pt_table.h"
#include "policy.h"
#include "vmm/acm.h"
#include "vmm/physdev.h"
#include "vmm/abi.h"
#include "vmm/dom0_op.h"
#include "vmm/grant_table.h"
#include "vmm/memory_op.h"
#include "vmm/mmu.h"

#define MIB (1u << 20)
#define PFN_VA(pfn) (VMM_GUEST_BASE + (pfn) * 4096u)
#define ARG_VA  PFN_VA(0x10)   /* an argument struct (boot memory) */
#define LIST_VA PFN_VA(0x11)   /* an extent list (boot memory) */
#define DATA_VA PFN_VA(0x12)   /* data a hostile guest wants written (boot memory) */
#define PREV_PFN 299u          /* populated, ordinary data */
#define TABLE_PFN 300u         /* populated, then pinned as an L2 table */
#define TABLE_VA PFN_VA(TABLE_PFN)

static struct vmm_domain_config cfgs[4];
static struct domain *d, *other;
static uint32_t table_mfn;

static struct domain *make_domain(struct vmm_domain_config *c, const char *name, uint32_t size,
				  uint32_t initial, uint32_t flags)
{
	struct domain *dom;

	memset(c, 0, sizeof(*c));
	c->name = name;
	c->image = test_elf;
	c->image_end = test_elf + sizeof(test_elf);
	c->mem_size = size;
	c->mem_initial = initial;
	c->flags = flags;
	dom = domain_create(c);
	assert_non_null(dom);
	schedule_wake(dom);
	return dom;
}

static long populate1(uint32_t pfn)
{
	struct vmm_memory_reservation *r = test_guest_ptr(d, ARG_VA);

	memset(r, 0, sizeof(*r));
	r->extent_start = LIST_VA;
	r->nr_extents = 1;
	r->domid = VMM_DOMID_SELF;
	*(uint32_t *)test_guest_ptr(d, LIST_VA) = pfn;
	return memory_op(d, VMM_MEMOP_populate_physmap, ARG_VA);
}

static uint32_t *table_word(uint32_t i)
{
	return (uint32_t *)test_guest_ptr(d, TABLE_VA) + i;
}

/* A privileged 8 MiB domain (1 MiB at boot) with pfn 300 pinned as an L2 table
 * (scrubbed: 1024 fault entries, a table any guest may pin) and pfn 299 data. */
static int setup(void **state)
{
	(void)state;
	test_core_boot();
	fake_console_clear();
	d = make_domain(&cfgs[0], "hostile", 8 * MIB, 1 * MIB, VMM_DOMCFG_PRIVILEGED);
	other = make_domain(&cfgs[1], "other", 1 * MIB, 0, 0);
	current = d;
	assert_int_equal(populate1(PREV_PFN), 1);
	assert_int_equal(populate1(TABLE_PFN), 1);
	table_mfn = domain_pfn_to_mfn(d, TABLE_PFN);
	assert_int_equal(pt_pin_l2(&d->pt, table_mfn), 0);
	d->rejections_logged = 0;
	return 0;
}

static int teardown(void **state)
{
	unsigned int i;

	(void)state;
	current = NULL;
	for (i = 0; i < VMM_MAX_DOMAINS; i++) {
		struct domain *dom = domain_at(i);

		if (dom)
			domain_kill(dom, VMM_SHUTDOWN_poweroff);
	}
	domain_reap();
	return 0;
}

static void assert_table_untouched(void)
{
	uint32_t i;

	for (i = 0; i < 1024; i++)
		assert_int_equal(*table_word(i), 0);
}

/* ------------------------------------------------------------ guest_copy_to */

static void test_copy_to_stops_at_a_table_frame(void **state)
{
	uint32_t val = 0xAAAAAAAAu, two[2] = { 0x11111111u, 0x22222222u }, got;
	uint32_t *last_prev = (uint32_t *)test_guest_ptr(d, TABLE_VA - 4);

	(void)state;
	*last_prev = 0;
	/* last valid: the 4 bytes right below the table page */
	assert_true(guest_range_writable(d, TABLE_VA - 4, 4));
	assert_int_equal(guest_copy_to(d, TABLE_VA - 4, &val, 4), 0);
	assert_int_equal(*last_prev, 0xAAAAAAAAu);
	/* first invalid: one more byte reaches the table; nothing is written */
	assert_false(guest_range_writable(d, TABLE_VA - 4, 5));
	assert_int_equal(guest_copy_to(d, TABLE_VA - 4, two, 8), -VMM_EFAULT);
	assert_int_equal(*last_prev, 0xAAAAAAAAu);
	assert_int_equal(guest_copy_to(d, TABLE_VA, &val, 4), -VMM_EFAULT);
	assert_int_equal(guest_copy_to(d, TABLE_VA + 4092, &val, 4), -VMM_EFAULT);
	assert_table_untouched();
	/* reading its own tables stays allowed; readable is not writable */
	assert_true(guest_range_accessible(d, TABLE_VA, 4096));
	assert_int_equal(guest_copy_from(d, &got, TABLE_VA, 4), 0);
	/* an unpinned (data) frame is writable again */
	assert_int_equal(pt_unpin(&d->pt, table_mfn), 0);
	assert_int_equal(guest_copy_to(d, TABLE_VA, &val, 4), 0);
	assert_int_equal(*table_word(0), 0xAAAAAAAAu);
}

/* The hot paths' direct mapping (the send's port, the upcall frame) takes
 * exactly the one-page ranges the copies take, and nothing else. */
static void test_page_map_boundaries(void **state)
{
	uint32_t end = VMM_GUEST_BASE + other->mem_size, val = 0;
	void *p;

	(void)state;
	/* a write: last valid right below the table, first invalid reaches it */
	p = guest_page_map(d, TABLE_VA - 4, 4, true);
	assert_ptr_equal(p, test_guest_ptr(d, TABLE_VA - 4));
	guest_page_unmap(p);
	assert_null(guest_page_map(d, TABLE_VA - 4, 5, true));
	assert_null(guest_page_map(d, TABLE_VA, 4, true));
	assert_null(guest_page_map(d, TABLE_VA + 4092, 4, true));
	/* reading a table is allowed (as guest_copy_from()) */
	p = guest_page_map(d, TABLE_VA, 4, false);
	assert_non_null(p);
	guest_page_unmap(p);
	/* one page at most: a whole page is fine, one byte more crosses */
	p = guest_page_map(d, PFN_VA(PREV_PFN), 4096, true);
	assert_non_null(p);
	guest_page_unmap(p);
	assert_null(guest_page_map(d, PFN_VA(PREV_PFN), 4097, true));
	assert_null(guest_page_map(d, PFN_VA(PREV_PFN) + 1, 4096, true));
	assert_null(guest_page_map(d, PFN_VA(PREV_PFN), 0, true));
	/* unpopulated pfns, below the base, past the end */
	assert_null(guest_page_map(d, PFN_VA(TABLE_PFN + 1), 4, false));
	assert_null(guest_page_map(d, VMM_GUEST_BASE - 4, 4, false));
	p = guest_page_map(d, VMM_GUEST_BASE, 4, false);
	assert_non_null(p);
	guest_page_unmap(p);
	p = guest_page_map(other, end - 4, 4, true);
	assert_non_null(p);
	guest_page_unmap(p);
	assert_null(guest_page_map(other, end, 4, true));
	assert_null(guest_page_map(other, end - 4, 5, true));
	assert_null(guest_page_map(other, 0xFFFFFFFCu, 4, false));
	/* guest_read_u32() rides on it: last valid word, first invalid */
	*(uint32_t *)test_guest_ptr(other, end - 4) = 0x12345678u;
	assert_int_equal(guest_read_u32(other, end - 4, &val), 0);
	assert_int_equal(val, 0x12345678u);
	assert_int_equal(guest_read_u32(other, end, &val), -VMM_EFAULT);
	assert_int_equal(guest_read_u32(d, PFN_VA(TABLE_PFN + 1), &val), -VMM_EFAULT);
	/* its own checks (no guest_page_map() call): below the base, the last
	 * word of the address space, an unaligned word across the end (the
	 * copy's path), a page table (reads allowed) */
	assert_int_equal(guest_read_u32(other, VMM_GUEST_BASE - 4, &val), -VMM_EFAULT);
	assert_int_equal(guest_read_u32(other, 0xFFFFFFFCu, &val), -VMM_EFAULT);
	assert_int_equal(guest_read_u32(other, end - 2, &val), -VMM_EFAULT);
	assert_int_equal(guest_read_u32(other, end - 5, &val), 0);
	assert_int_equal(guest_read_u32(d, PFN_VA(TABLE_PFN), &val), 0);
	assert_int_equal(arch_temp_maps_in_use(), 0); /* every mapping released */
}

/* ------------------------------------------------------------ handlers that write results */

/* Grant copy local -> local: the dest is the guest's own table. */
static void test_grant_copy_into_a_table_refused(void **state)
{
	struct vmm_gnttab_copy *op = test_guest_ptr(d, ARG_VA);
	uint32_t *evil = test_guest_ptr(d, DATA_VA);

	(void)state;
	/* a small page of machine frame 0 (hypervisor memory), read/write */
	evil[0] = 0x00000032u | (3u << 4);
	memset(op, 0, sizeof(*op));
	op->source.u = DATA_VA;
	op->source.domid = VMM_DOMID_SELF;
	op->dest.u = TABLE_VA - 4; /* last valid: ends right below the table */
	op->dest.domid = VMM_DOMID_SELF;
	op->len = 4;
	assert_int_equal(grant_table_op(d, VMM_GNTTABOP_copy, ARG_VA, 1), 0);
	assert_int_equal(op->status, 0);
	op->dest.u = TABLE_VA - 3; /* first invalid: its last byte is the table's */
	assert_int_equal(grant_table_op(d, VMM_GNTTABOP_copy, ARG_VA, 1), 0);
	assert_int_equal(op->status, -VMM_EFAULT);
	op->dest.u = TABLE_VA;
	assert_int_equal(grant_table_op(d, VMM_GNTTABOP_copy, ARG_VA, 1), 0);
	assert_int_equal(op->status, -VMM_EFAULT);
	assert_table_untouched();
}

/* An event-channel command whose struct lies in a table: the port number
 * written back would be an unchecked entry. Refused before any port is made. */
static void test_evtchn_result_into_a_table_refused(void **state)
{
	struct vmm_evtchn_bind_ipi *ipi = test_guest_ptr(d, TABLE_VA - sizeof(*ipi));
	uint32_t port;

	(void)state;
	memset(ipi, 0, sizeof(*ipi));
	/* last valid: the struct ends right below the table */
	assert_int_equal(hc_event_channel_op(VMM_EVTCHNOP_bind_ipi, TABLE_VA - sizeof(*ipi), 0, 0), 0);
	port = ipi->port;
	assert_true(port > 0);
	/* first invalid: one byte further */
	assert_int_equal(hc_event_channel_op(VMM_EVTCHNOP_bind_ipi, TABLE_VA - sizeof(*ipi) + 1, 0, 0),
			 -VMM_EFAULT);
	assert_int_equal(hc_event_channel_op(VMM_EVTCHNOP_bind_ipi, TABLE_VA, 0, 0), -VMM_EFAULT);
	assert_table_untouched();
	/* no port was allocated by the refused calls: the next one is port + 1 */
	assert_int_equal(hc_event_channel_op(VMM_EVTCHNOP_bind_ipi, TABLE_VA - sizeof(*ipi), 0, 0), 0);
	assert_int_equal(ipi->port, port + 1);
}

static long multicall(uint32_t calls, uint32_t count)
{
	d->frame->r[7] = VMM_HC_multicall;
	return hypercall_dispatch(VMM_HC_multicall, calls, count, 0, 0);
}

/* A multicall array in a table: the result word would be an unchecked entry. */
static void test_multicall_results_into_a_table_refused(void **state)
{
	struct vmm_multicall_entry *e = test_guest_ptr(d, TABLE_VA - sizeof(*e));

	(void)state;
	memset(e, 0, sizeof(*e));
	e->op = VMM_HC_xen_version; /* VMM_XENVER_version */
	e->result = 7;
	/* last valid: the entry ends right below the table */
	assert_int_equal(multicall(TABLE_VA - sizeof(*e), 1), 0);
	assert_int_equal(e->result, VMM_ABI_VERSION);
	/* first invalid: two entries, the second in the table (zeroes: set_trap_table) */
	assert_int_equal(multicall(TABLE_VA - sizeof(*e), 2), -VMM_EFAULT);
	assert_int_equal(multicall(TABLE_VA, 1), -VMM_EFAULT);
	assert_table_untouched();
}

/* An entry whose op word is the guest's but whose result word is the table's:
 * the call does not run (set_timer_op(0) would disarm the timer). */
static void test_multicall_call_not_run_if_result_unstorable(void **state)
{
	uint32_t *op_word = test_guest_ptr(d, TABLE_VA - 4);

	(void)state;
	d->frame->r[7] = VMM_HC_set_timer_op;
	assert_int_equal(hypercall_dispatch(VMM_HC_set_timer_op, 0xFFFFFFFFu, 0x7FFFFFFFu, 0, 0), 0);
	assert_true(d->timer_deadline != 0);
	*op_word = VMM_HC_set_timer_op; /* args (in the table): 0, 0 = disarm */
	assert_int_equal(multicall(TABLE_VA - 4, 1), -VMM_EFAULT);
	assert_true(d->timer_deadline != 0);
	assert_table_untouched();
}

/* dom0_op reads, changes the scheduler, then writes back: refused up front. */
static void test_dom0_op_in_a_table_refused(void **state)
{
	struct vmm_dom0_op *op = test_guest_ptr(d, TABLE_VA - sizeof(*op));

	(void)state;
	memset(op, 0, sizeof(*op));
	op->interface_version = VMM_DOM0_INTERFACE_VERSION;
	op->cmd = VMM_DOM0_SCHEDCTL;
	op->u.schedctl.sched_id = VMM_SCHED_BVT;
	op->u.schedctl.direction = VMM_SCHED_INFO_GET;
	assert_int_equal(hc_dom0_op(TABLE_VA - sizeof(*op), 0, 0, 0), 0);
	assert_true(op->u.schedctl.mcu_ns != 0);
	assert_int_equal(hc_dom0_op(TABLE_VA - sizeof(*op) + 1, 0, 0, 0), -VMM_EFAULT);
	assert_int_equal(hc_dom0_op(TABLE_VA, 0, 0, 0), -VMM_EFAULT);
	assert_table_untouched();
}

/* populate writes each new mfn into the extent list: a list in a table is refused
 * before any frame is taken. */
static void test_populate_list_in_a_table_refused(void **state)
{
	struct vmm_memory_reservation *r = test_guest_ptr(d, ARG_VA);
	uint32_t tot = d->tot_pages;

	(void)state;
	memset(r, 0, sizeof(*r));
	r->domid = VMM_DOMID_SELF;
	r->nr_extents = 1;
	r->extent_start = TABLE_VA - 4; /* last valid */
	*(uint32_t *)test_guest_ptr(d, TABLE_VA - 4) = 400;
	assert_int_equal(memory_op(d, VMM_MEMOP_populate_physmap, ARG_VA), 1);
	assert_int_equal(d->tot_pages, tot + 1);
	r->nr_extents = 2; /* first invalid: the second element is the table's */
	*(uint32_t *)test_guest_ptr(d, TABLE_VA - 4) = 401;
	assert_int_equal(memory_op(d, VMM_MEMOP_populate_physmap, ARG_VA), -VMM_EFAULT);
	assert_int_equal(r->nr_done, 0);
	assert_int_equal(d->tot_pages, tot + 1);
	assert_int_equal(domain_pfn_to_mfn(d, 401), MM_PFN_NONE);
	/* decrease only reads the list: a list in a table is fine */
	r->extent_start = TABLE_VA;
	r->nr_extents = 0;
	assert_int_equal(memory_op(d, VMM_MEMOP_decrease_reservation, ARG_VA), 0);
	assert_table_untouched();
}

/* console_io read into a table: refused before a byte leaves the receive buffer. */
static void test_console_read_into_a_table_refused(void **state)
{
	(void)state;
	d->frame->r[7] = VMM_HC_set_foreground_domain;
	assert_int_equal(hypercall_dispatch(VMM_HC_set_foreground_domain, d->id, 0, 0, 0), 0);
	console_rx_push('A');
	console_rx_push('B');
	d->frame->r[7] = VMM_HC_console_io;
	assert_int_equal(hypercall_dispatch(VMM_HC_console_io, VMM_CONSOLEIO_read, 2, TABLE_VA - 1, 0),
			 -VMM_EFAULT);
	assert_int_equal(console_rx_pending(), 2);
	assert_int_equal(hypercall_dispatch(VMM_HC_console_io, VMM_CONSOLEIO_read, 1, TABLE_VA - 1, 0), 1);
	assert_int_equal(console_rx_pending(), 1);
	assert_int_equal(hypercall_dispatch(VMM_HC_console_io, VMM_CONSOLEIO_read, 1, TABLE_VA - 1, 0), 1);
	assert_table_untouched();
}

/* The two calls that wrote their result back without checking it could be
 * stored: with the struct in a page-table frame they returned 0 and the
 * guest read stale bytes as the result. Now -EFAULT, nothing written. The
 * struct's last valid place ends right below the table; one byte more is
 * refused. */
static void test_query_results_into_a_table_refused(void **state)
{
	static const char *const names[] = { "only" };
	static const struct vmm_policy pol = { .type_names = names, .nr_types = 1 };
	struct vmm_physdev_irq_status_query *q;
	struct vmm_acm_type_name *n;

	(void)state;
	d->frame->r[7] = VMM_HC_physdev_op;
	q = test_guest_ptr(d, TABLE_VA - sizeof(*q));
	q->irq = 5;
	q->flags = 0xAAAAAAAAu;
	assert_int_equal(hypercall_dispatch(VMM_HC_physdev_op, VMM_PHYSDEVOP_irq_status_query,
					    TABLE_VA - sizeof(*q), 0, 0), 0);
	assert_int_equal(q->flags, 0); /* not bound: written */
	fake_console_clear();
	assert_int_equal(hypercall_dispatch(VMM_HC_physdev_op, VMM_PHYSDEVOP_irq_status_query,
					    TABLE_VA - sizeof(*q) + 1, 0, 0), -VMM_EFAULT);
	assert_non_null(strstr(fake_hw.console, "irq_status_query"));
	assert_table_untouched();

	policy_activate(&pol);
	d->frame->r[7] = VMM_HC_acm_op;
	n = test_guest_ptr(d, TABLE_VA - sizeof(*n));
	memset(n, 0x55, sizeof(*n));
	n->type = 0;
	assert_int_equal(hypercall_dispatch(VMM_HC_acm_op, VMM_ACMOP_get_type_name, TABLE_VA - sizeof(*n), 0, 0), 0);
	assert_string_equal(n->name, "only");
	fake_console_clear();
	assert_int_equal(hypercall_dispatch(VMM_HC_acm_op, VMM_ACMOP_get_type_name, TABLE_VA - sizeof(*n) + 1, 0, 0),
			 -VMM_EFAULT);
	assert_non_null(strstr(fake_hw.console, "acm_op"));
	policy_activate(NULL);
	assert_table_untouched();
}

/* Input typed for one foreground domain is never read by the next: a move
 * discards what is pending; staying put keeps it. */
static void test_foreground_switch_discards_unread_input(void **state)
{
	(void)state;
	d->frame->r[7] = VMM_HC_set_foreground_domain;
	assert_int_equal(hypercall_dispatch(VMM_HC_set_foreground_domain, d->id, 0, 0, 0), 0);
	console_rx_push('P');
	console_rx_push('I');
	console_rx_push('N');
	assert_int_equal(hypercall_dispatch(VMM_HC_set_foreground_domain, d->id, 0, 0, 0), 0);
	assert_int_equal(console_rx_pending(), 3); /* the same domain: kept */
	assert_int_equal(hypercall_dispatch(VMM_HC_set_foreground_domain, other->id, 0, 0, 0), 0);
	assert_int_equal(console_rx_pending(), 0);
	console_rx_push('x');
	assert_int_equal(console_rx_pending(), 1); /* new input goes to the new foreground */
	assert_int_equal(hypercall_dispatch(VMM_HC_set_foreground_domain, d->id, 0, 0, 0), 0);
	assert_int_equal(console_rx_pending(), 0);
}

/* ------------------------------------------------------------ shared info */

static void test_shared_info_frame_cannot_become_a_table(void **state)
{
	uint32_t mfn0 = domain_pfn_to_mfn(d, 0);
	struct frame_table *ft = mm_table(mfn0);
	const struct frame *f = mm_frame(mfn0);

	(void)state;
	/* the boot mapping's use plus the hypervisor's hold */
	assert_int_equal(f->type, FRAME_TYPE_WRITABLE);
	assert_int_equal(f->u.use.type_count, 2);
	assert_int_equal(f->u.use.refcount, 2);
	/* the guest unmaps pfn 0 and zeroes the page (it may: its own data) */
	assert_int_equal(frame_put_ref(ft, mfn0), 0);
	assert_int_equal(frame_put_type(ft, mfn0, FRAME_TYPE_WRITABLE), 0);
	memset(d->shared, 0, 4096);
	/* pinning it as a table is refused: the hold keeps it writable-typed */
	assert_int_equal(pt_pin_l2(&d->pt, mfn0), -VMM_EBUSY);
	assert_int_equal(f->type, FRAME_TYPE_WRITABLE);
	assert_int_equal(f->u.use.type_count, 1);
	/* and it cannot be given back */
	assert_int_equal(memory_pfn_release(d, 0), -VMM_EBUSY);
	/* restore the boot mapping's counts for the teardown */
	assert_int_equal(frame_get_type(ft, mfn0, (uint16_t)d->id, FRAME_TYPE_WRITABLE), 0);
	assert_int_equal(frame_get_ref(ft, mfn0, (uint16_t)d->id), 0);
}

/* A dead domain's shared-info frame goes back to the allocator with the rest. */
static void test_shared_info_hold_dropped_at_death(void **state)
{
	uint32_t mfn0 = domain_pfn_to_mfn(other, 0);

	(void)state;
	assert_int_equal(mm_frame(mfn0)->u.use.refcount, 2);
	domain_kill(other, VMM_SHUTDOWN_poweroff);
	domain_reap();
	assert_int_equal(mm_frame(mfn0)->owner, FRAME_OWNER_FREE);
}

/* ------------------------------------------------------------ log flooding */

static unsigned int count_of(const char *needle)
{
	const char *p = fake_hw.console;
	unsigned int n = 0;

	while ((p = strstr(p, needle)) != NULL) {
		n++;
		p += strlen(needle);
	}
	return n;
}

static void test_foreground_switch_lines_rate_limited(void **state)
{
	unsigned int i;

	(void)state;
	fake_console_clear();
	d->frame->r[7] = VMM_HC_set_foreground_domain;
	/* the same domain again changes nothing and logs nothing */
	assert_int_equal(hypercall_dispatch(VMM_HC_set_foreground_domain, d->id, 0, 0, 0), 0);
	assert_int_equal(hypercall_dispatch(VMM_HC_set_foreground_domain, d->id, 0, 0, 0), 0);
	fake_console_clear();
	assert_int_equal(hypercall_dispatch(VMM_HC_set_foreground_domain, d->id, 0, 0, 0), 0);
	assert_int_equal(count_of("console input now goes to"), 0);
	for (i = 0; i < 2 * VMM_REJECT_LOG_LIMIT; i++)
		assert_int_equal(hypercall_dispatch(VMM_HC_set_foreground_domain, i % 2 ? d->id : other->id, 0, 0, 0),
				 0);
	assert_int_equal(console_foreground(), d->id);
	/* at most the limit (earlier tests of this program may have used part of it) */
	assert_true(count_of("console input now goes to") <= VMM_REJECT_LOG_LIMIT);
	assert_int_equal(count_of("further console input switches are not logged"), 1);
	/* nothing after the notice */
	assert_null(strstr(strstr(fake_hw.console, "further console input switches are not logged"),
			   "console input now goes to"));
	fake_console_clear();
	assert_int_equal(hypercall_dispatch(VMM_HC_set_foreground_domain, other->id, 0, 0, 0), 0);
	assert_int_equal(fake_hw.console_len, 0);
	assert_int_equal(console_foreground(), other->id);
}

/* A domain flooding the console (UART stuck) still cannot crowd out the
 * [VMM] line of its own refused call, nor another domain's death notice. */
static void test_console_flood_keeps_hypervisor_lines(void **state)
{
	char *buf = test_guest_ptr(d, DATA_VA);
	unsigned int i;

	(void)state;
	for (i = 0; i < 4096; i++)
		buf[i] = (i % 64) == 63 ? '\n' : 'x';
	fake_hw.tx_room = 0;
	current = d;
	d->frame->r[7] = VMM_HC_console_io;
	for (i = 0; i < 4; i++) /* 4 x 4544 bytes tagged: twice the buffer */
		assert_int_equal(hypercall_dispatch(VMM_HC_console_io, VMM_CONSOLEIO_write, 4096, DATA_VA, 0), 4096);
	assert_int_equal(hypercall_dispatch(VMM_HC_console_io, 99, 0, 0, 0), -VMM_EINVAL);
	current = NULL;
	domain_kill(other, VMM_SHUTDOWN_crash);
	fake_hw.tx_room = -1;
	console_tx_kick();
	assert_non_null(strstr(fake_hw.console, "console_io: unknown command 99"));
	assert_non_null(strstr(fake_hw.console, "(other) shut down: crash"));
	assert_non_null(strstr(fake_hw.console, "line(s) dropped"));
}

/*
 * A dead domain's teardown goes in steps of at most VMM_TEARDOWN_STEP_NS:
 * with the clock moving 1 ms per read, each call does one unit (a table
 * unpinned, a frame freed); 33 pinned tables take more than 33 calls of
 * domain_reap(), the domain stays dead and unreaped meanwhile, the
 * bystander is untouched, and at the end nothing of it is left.
 */
static void test_death_teardown_in_steps(void **state)
{
	uint32_t pfn, steps = 0, cursor = 0, id = d->id;
	unsigned int slot = d->slot;

	(void)state;
	for (pfn = 400; pfn < 432; pfn++) {
		assert_int_equal(populate1(pfn), 1);
		assert_int_equal(pt_pin_l2(&d->pt, domain_pfn_to_mfn(d, pfn)), 0);
	}
	current = other;
	fake_hw.counter_step = 62500; /* 1 ms a read at 62.5 MHz */
	domain_kill(d, VMM_SHUTDOWN_crash);
	assert_ptr_equal(domain_at(slot), d);
	assert_int_equal(d->state, DOMAIN_DEAD);
	assert_true(domain_reap());
	steps = 1;
	while (domain_reap()) {
		assert_ptr_equal(domain_at(slot), d);
		assert_int_equal(other->state, DOMAIN_RUNNABLE);
		assert_true(++steps < 100000);
	}
	fake_hw.counter_step = 0;
	assert_true(steps > 33);
	assert_null(domain_at(slot));
	assert_int_equal(mm_owned_next((uint16_t)id, &cursor), MM_PFN_NONE);
	assert_non_null(strstr(fake_hw.console, "memory returned to the allocator"));
	assert_false(domain_reap()); /* nothing left: no more work */
	d = NULL;
}

/* The same with the clock standing still: all of it at once, the slot freed by domain_kill(). */
static void test_death_teardown_at_once(void **state)
{
	uint32_t cursor = 0, id = d->id;
	unsigned int slot = d->slot;

	(void)state;
	current = other;
	domain_kill(d, VMM_SHUTDOWN_crash);
	assert_null(domain_at(slot));
	assert_int_equal(mm_owned_next((uint16_t)id, &cursor), MM_PFN_NONE);
	assert_false(domain_reap());
	d = NULL;
}

/*
 * A frame of the dead domain freed between two teardown steps (a grantee's
 * last mapping of it gone: glue_orphan_put(), since domain_find() skips the
 * dead) and taken again by another owner must not be freed by the rest of
 * the teardown, which still finds it in the dead domain's p2m.
 */
static void test_death_teardown_spares_a_frame_reused_meanwhile(void **state)
{
	uint32_t x = domain_pfn_to_mfn(d, PREV_PFN), mfn = MM_PFN_NONE, taken[64];
	unsigned int n = 0, i;

	(void)state;
	current = other;
	fake_hw.counter_step = 62500; /* 1 ms a read: one unit a step */
	domain_kill(d, VMM_SHUTDOWN_crash);
	assert_int_equal(d->state, DOMAIN_DEAD);
	/* what glue_orphan_put() does when the last grant mapping goes */
	assert_int_equal(mm_free(x, 0), 0);
	/* the frame goes to the hypervisor (another domain's grant state, a p2m leaf...) */
	while (n < 64 && mm_alloc(0, FRAME_OWNER_HYP, 0, &mfn) == 0 && mfn != x)
		taken[n++] = mfn;
	assert_int_equal(mfn, x);
	while (domain_reap())
		;
	fake_hw.counter_step = 0;
	assert_int_equal(mm_frame(x)->owner, FRAME_OWNER_HYP); /* still the hypervisor's */
	assert_int_equal(mm_free(x, 0), 0);
	for (i = 0; i < n; i++)
		mm_free(taken[i], 0);
	d = NULL;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_death_teardown_in_steps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_death_teardown_at_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_death_teardown_spares_a_frame_reused_meanwhile, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copy_to_stops_at_a_table_frame, setup, teardown),
		cmocka_unit_test_setup_teardown(test_page_map_boundaries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_grant_copy_into_a_table_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_evtchn_result_into_a_table_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_multicall_results_into_a_table_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_multicall_call_not_run_if_result_unstorable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dom0_op_in_a_table_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_populate_list_in_a_table_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_console_read_into_a_table_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_query_results_into_a_table_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shared_info_frame_cannot_become_a_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shared_info_hold_dropped_at_death, setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreground_switch_lines_rate_limited, setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreground_switch_discards_unread_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_console_flood_keeps_hypervisor_lines, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
