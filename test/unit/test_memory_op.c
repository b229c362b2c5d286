/*
 * memory_op (hypercall 12): reservation queries, populate/increase and
 * decrease, every validation with its last accepted and first refused
 * value, the boot with mem_initial below mem_size, dead domains giving
 * everything back, and random sequences checked against a reference model.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "test_domain.h"

#include "frametable.h"
#include "guest_access.h"
#include "hypercall.h"
#include "memory_op.h"
#include "vmm/abi.h"
#include "vmm/memory_op.h"
#include "vmm/mmu.h"

#define MIB (1u << 20)
#define PAGES_PER_MIB 256u
#define ARG_VA  (VMM_GUEST_BASE + 0x10000u) /* the struct vmm_memory_reservation */
#define LIST_VA (VMM_GUEST_BASE + 0x11000u) /* the extent list (up to 1024 entries: one page) */

static struct vmm_domain_config cfgs[VMM_MAX_DOMAINS];
static unsigned int cfg_next;
static struct domain *d;

/* A domain of `size` bytes with `initial` of them backed at boot (0: all). */
static struct domain *make_domain(const char *name, uint32_t size, uint32_t initial, uint32_t flags)
{
	struct vmm_domain_config *c = &cfgs[cfg_next++ % VMM_MAX_DOMAINS];
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

static int setup(void **state)
{
	(void)state;
	test_core_boot();
	d = make_domain("grow", 8 * MIB, 1 * MIB, 0);
	current = d;
	return 0;
}

/* Every test's domains die: their slots and memory come back for the next. */
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

static struct vmm_memory_reservation *arg_of(const struct domain *dom)
{
	return test_guest_ptr(dom, ARG_VA);
}

static uint32_t *list_of(const struct domain *dom)
{
	return test_guest_ptr(dom, LIST_VA);
}

/* Fills the reservation argument of dom; `list` (n entries) goes to LIST_VA. */
static void set_arg(const struct domain *dom, const uint32_t *list, uint32_t n, uint32_t order)
{
	struct vmm_memory_reservation *r = arg_of(dom);

	r->extent_start = LIST_VA;
	r->nr_extents = n;
	r->extent_order = order;
	r->mem_flags = 0;
	r->domid = VMM_DOMID_SELF;
	r->nr_done = 0xdeadu;
	if (list)
		memcpy(list_of(dom), list, n * sizeof(uint32_t));
}

static long populate(const uint32_t *list, uint32_t n, uint32_t order)
{
	set_arg(d, list, n, order);
	return memory_op(d, VMM_MEMOP_populate_physmap, ARG_VA);
}

static long decrease(const uint32_t *list, uint32_t n, uint32_t order)
{
	set_arg(d, list, n, order);
	return memory_op(d, VMM_MEMOP_decrease_reservation, ARG_VA);
}

static long populate1(uint32_t pfn)
{
	return populate(&pfn, 1, 0);
}

static long decrease1(uint32_t pfn)
{
	return decrease(&pfn, 1, 0);
}

static bool console_has(const char *s)
{
	return strstr(fake_hw.console, s) != NULL;
}

/* ------------------------------------------------------------ boot with mem_initial */

static void test_boot_backs_only_mem_initial(void **state)
{
	const struct vmm_start_info *si;
	uint32_t pfn;

	(void)state;
	assert_int_equal(d->max_pages, 2048);
	assert_int_equal(d->tot_pages, 256);
	for (pfn = 0; pfn < d->max_pages; pfn++)
		assert_int_equal(domain_pfn_to_mfn(d, pfn) != MM_PFN_NONE, pfn < 256);
	/* mapped exactly up to the last backed page */
	assert_int_not_equal(fake_walk(d->l1_mfn << 12, VMM_GUEST_BASE + MIB - 4096), 0);
	assert_int_equal(fake_walk(d->l1_mfn << 12, VMM_GUEST_BASE + MIB), 0);
	si = test_guest_ptr(d, VMM_GUEST_START_INFO);
	assert_int_equal(si->nr_pages, 256);
	assert_true(console_has("Reservation: 256 of at most 2048 pages"));
}

static void test_boot_without_mem_initial_backs_everything(void **state)
{
	struct domain *s = make_domain("static", 2 * MIB, 0, 0);
	const struct vmm_start_info *si = test_guest_ptr(s, VMM_GUEST_START_INFO);

	(void)state;
	assert_int_equal(s->tot_pages, 512);
	assert_int_equal(s->max_pages, 512);
	assert_int_equal(si->nr_pages, 512);
	assert_int_not_equal(fake_walk(s->l1_mfn << 12, VMM_GUEST_BASE + 2 * MIB - 4096), 0);
	/* mem_initial == mem_size is the same as 0 */
	s = make_domain("static2", 2 * MIB, 2 * MIB, 0);
	assert_int_equal(s->tot_pages, 512);
}

/* ------------------------------------------------------------ queries */

static void test_reservation_queries(void **state)
{
	struct domain *priv = make_domain("priv", 1 * MIB, 0, VMM_DOMCFG_PRIVILEGED);

	(void)state;
	assert_int_equal(memory_op(d, VMM_MEMOP_current_reservation, VMM_DOMID_SELF), 256);
	assert_int_equal(memory_op(d, VMM_MEMOP_maximum_reservation, VMM_DOMID_SELF), 2048);
	assert_int_equal(memory_op(d, VMM_MEMOP_current_reservation, d->id), 256);
	assert_int_equal(memory_op(d, VMM_MEMOP_maximum_reservation, d->id), 2048);
	/* another domain: unprivileged refused whatever the id, privileged served */
	assert_int_equal(memory_op(d, VMM_MEMOP_current_reservation, priv->id), -VMM_EPERM);
	assert_int_equal(memory_op(d, VMM_MEMOP_maximum_reservation, 0xFFFFFFFFu), -VMM_EPERM);
	assert_int_equal(memory_op(priv, VMM_MEMOP_current_reservation, d->id), 256);
	assert_int_equal(memory_op(priv, VMM_MEMOP_maximum_reservation, d->id), 2048);
	assert_int_equal(memory_op(priv, VMM_MEMOP_current_reservation, 0x7FEFu), -VMM_ESRCH);
	assert_int_equal(memory_op(priv, VMM_MEMOP_maximum_reservation, 0xFFFFFFFFu), -VMM_ESRCH);
	/* through the dispatcher's table, for `current` */
	current = d;
	assert_int_equal(hypercall_dispatch(VMM_HC_memory_op, VMM_MEMOP_maximum_reservation, VMM_DOMID_SELF, 0, 0),
			 2048);
}

static void test_unknown_commands(void **state)
{
	static const uint32_t bad[] = { 2, 5, 7, 0x80000000u, 0xFFFFFFFFu };
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(memory_op(d, bad[i], ARG_VA), -VMM_EINVAL);
	assert_true(console_has("memory_op: unknown command 2"));
}

/* ------------------------------------------------------------ populate */

static void test_populate_backs_pfns_and_returns_mfns(void **state)
{
	uint32_t list[3] = { 256, 700, 2047 }, free0 = mm_free_frames(), i;
	const uint32_t *out;

	(void)state;
	assert_int_equal(populate(list, 3, 0), 3);
	assert_int_equal(arg_of(d)->nr_done, 3);
	assert_int_equal(d->tot_pages, 259);
	/* and the p2m leaf of pfn 2047's block (block 0 has one since boot: 1 MiB of 4) */
	assert_int_equal(d->p2m.nr_leaves, 2);
	assert_int_equal(mm_free_frames(), free0 - 3 - 1);
	out = list_of(d);
	for (i = 0; i < 3; i++) {
		const struct frame *f = mm_frame(out[i]);
		const uint8_t *p = fake_phys_ptr(out[i] << 12);
		uint32_t b;

		assert_int_equal(domain_pfn_to_mfn(d, list[i]), out[i]);
		assert_int_equal(mm_m2p(out[i]), list[i]);
		assert_int_equal(f->owner, d->id);
		assert_int_equal(f->u.use.type_count, 0); /* mapped nowhere: the guest maps it */
		assert_int_equal(f->u.use.refcount, 0);
		for (b = 0; b < 4096; b++)
			assert_int_equal(p[b], 0);
	}
	/* increase_reservation is the same operation */
	list[0] = 257;
	set_arg(d, list, 1, 0);
	assert_int_equal(memory_op(d, VMM_MEMOP_increase_reservation, ARG_VA), 1);
	assert_int_equal(domain_pfn_to_mfn(d, 257), list_of(d)[0]);
	/* a guest copy through the hypervisor now reaches the new pfn */
	assert_true(guest_range_accessible(d, VMM_GUEST_BASE + 700 * 4096, 4096));
	assert_false(guest_range_accessible(d, VMM_GUEST_BASE + 701 * 4096, 1));
}

/* Frames a call hands over may hold a previous owner's code, scrubbed
 * through the data side only: the instruction cache is discarded once per
 * call that took any, never for one that took none. */
static void test_populate_discards_stale_instructions(void **state)
{
	uint32_t list[3] = { 300, 301, 302 };

	(void)state;
	fake_mmu.icache_invalidations = 0;
	assert_int_equal(populate1(0), -VMM_EEXIST); /* nothing taken */
	assert_int_equal(populate1(2048), -VMM_EINVAL);
	assert_int_equal(fake_mmu.icache_invalidations, 0);
	assert_int_equal(populate(list, 3, 0), 3);
	assert_int_equal(fake_mmu.icache_invalidations, 1);
	list[0] = 303;
	list[1] = 0; /* refused after one taken: still discarded */
	assert_int_equal(populate(list, 2, 0), -VMM_EEXIST);
	assert_int_equal(fake_mmu.icache_invalidations, 2);
	list[0] = 300; /* giving frames back takes none */
	set_arg(d, list, 1, 0);
	assert_int_equal(memory_op(d, VMM_MEMOP_decrease_reservation, ARG_VA), 1);
	assert_int_equal(fake_mmu.icache_invalidations, 2);
}

static void test_populate_order_gives_contiguous_runs(void **state)
{
	uint32_t list[2] = { 512, 768 }, i, k;

	(void)state;
	assert_int_equal(populate(list, 2, 8), 2);
	for (k = 0; k < 2; k++) {
		uint32_t mfn = list_of(d)[k];

		assert_int_equal(mfn & 255, 0); /* aligned: a section can map it */
		for (i = 0; i < 256; i++)
			assert_int_equal(domain_pfn_to_mfn(d, list[k] + i), mfn + i);
	}
	assert_int_equal(d->tot_pages, 256 + 512);
	/* misaligned for the order: first invalid after the last valid */
	list[0] = 1024 + 1;
	assert_int_equal(populate(list, 1, 1), -VMM_EINVAL);
	list[0] = 1024;
	assert_int_equal(populate(list, 1, 1), 1);
}

static void test_populate_refusals(void **state)
{
	uint32_t list[3];

	(void)state;
	/* pfn range: max_pages - 1 is the last valid, max_pages the first invalid */
	assert_int_equal(populate1(2048), -VMM_EINVAL);
	assert_int_equal(populate1(0x80000000u), -VMM_EINVAL);
	assert_int_equal(populate1(0xFFFFFFFFu), -VMM_EINVAL);
	/* the last extent of the reservation (up to pfn 2047), and the next */
	list[0] = 2048 - 4;
	assert_int_equal(populate(list, 1, 2), 1);
	assert_int_not_equal(domain_pfn_to_mfn(d, 2047), MM_PFN_NONE);
	list[0] = 2048;
	assert_int_equal(populate(list, 1, 2), -VMM_EINVAL);
	/* backed already (a boot page; the last boot page; one just populated) */
	assert_int_equal(populate1(0), -VMM_EEXIST);
	assert_int_equal(populate1(255), -VMM_EEXIST);
	assert_int_equal(populate1(2047), -VMM_EEXIST);
	/* order-1 extents half backed (first or second pfn): nothing taken */
	list[0] = 254;
	assert_int_equal(populate(list, 1, 1), -VMM_EEXIST);
	assert_int_equal(populate1(301), 1);
	list[0] = 300;
	assert_int_equal(populate(list, 1, 1), -VMM_EEXIST);
	assert_int_equal(domain_pfn_to_mfn(d, 300), MM_PFN_NONE);
	assert_int_equal(d->tot_pages, 256 + 4 + 1);
	d->rejections_logged = 0;
	assert_int_equal(populate1(255), -VMM_EEXIST);
	assert_true(console_has("memory_op populate: pfn 0xff is backed already"));
}

static void test_populate_stops_at_first_refusal(void **state)
{
	uint32_t list[3] = { 300, 0, 301 };

	(void)state;
	assert_int_equal(populate(list, 3, 0), -VMM_EEXIST);
	assert_int_equal(arg_of(d)->nr_done, 1);
	assert_int_not_equal(domain_pfn_to_mfn(d, 300), MM_PFN_NONE);
	assert_int_equal(domain_pfn_to_mfn(d, 301), MM_PFN_NONE); /* after the refused one: untouched */
	assert_int_equal(list_of(d)[0], domain_pfn_to_mfn(d, 300));
	assert_int_equal(list_of(d)[1], 0); /* the refused element is not written */
	assert_int_equal(list_of(d)[2], 301);
}

static void test_populate_fills_the_reservation_exactly(void **state)
{
	uint32_t list[256], pfn, n = 0;

	(void)state;
	d = make_domain("small", 2 * MIB, 1 * MIB, 0);
	for (pfn = 256; pfn < 511; pfn++)
		list[n++] = pfn;
	assert_int_equal(populate(list, n, 0), 255);
	assert_int_equal(d->tot_pages, 511);
	assert_int_equal(populate1(511), 1); /* the last page of the reservation */
	assert_int_equal(d->tot_pages, d->max_pages);
	/* nothing more: every pfn is backed, the next one is past max_pages */
	assert_int_equal(populate1(511), -VMM_EEXIST);
	assert_int_equal(populate1(512), -VMM_EINVAL);
	assert_int_equal(d->tot_pages, d->max_pages);
}

static uint32_t hoard[FAKE_RAM_SIZE >> 12];

static void test_populate_without_free_memory(void **state)
{
	uint32_t n = 0, i, list[1] = { 400 };

	(void)state;
	while (mm_alloc(0, FRAME_OWNER_HYP, 0, &hoard[n]) == 0)
		n++;
	assert_int_equal(populate(list, 1, 0), -VMM_ENOMEM);
	assert_int_equal(arg_of(d)->nr_done, 0);
	assert_int_equal(domain_pfn_to_mfn(d, 400), MM_PFN_NONE);
	assert_int_equal(d->tot_pages, 256);
	for (i = 0; i < n; i++)
		assert_int_equal(mm_free(hoard[i], 0), 0);
	assert_int_equal(populate(list, 1, 0), 1);
}

/* ------------------------------------------------------------ argument checks */

static void test_extent_count_limits(void **state)
{
	static uint32_t list[VMM_MEMOP_MAX_EXTENTS + 1];
	static const uint32_t too_many[] = { VMM_MEMOP_MAX_EXTENTS + 1, 0x80000000u, 0xFFFFFFFFu };
	uint32_t i;

	(void)state;
	assert_int_equal(populate(NULL, 0, 0), 0);
	assert_int_equal(arg_of(d)->nr_done, 0);
	for (i = 0; i < VMM_MEMOP_MAX_EXTENTS + 1; i++)
		list[i] = 256 + i;
	for (i = 0; i < sizeof(too_many) / sizeof(too_many[0]); i++) {
		set_arg(d, list, VMM_MEMOP_MAX_EXTENTS + 1, 0);
		arg_of(d)->nr_extents = too_many[i];
		assert_int_equal(memory_op(d, VMM_MEMOP_populate_physmap, ARG_VA), -VMM_E2BIG);
		assert_int_equal(arg_of(d)->nr_done, 0);
		assert_int_equal(d->tot_pages, 256);
		arg_of(d)->nr_done = 0xdead;
		assert_int_equal(memory_op(d, VMM_MEMOP_decrease_reservation, ARG_VA), -VMM_E2BIG);
		assert_int_equal(arg_of(d)->nr_done, 0);
	}
	/* the largest list is accepted */
	assert_int_equal(populate(list, VMM_MEMOP_MAX_EXTENTS, 0), VMM_MEMOP_MAX_EXTENTS);
	assert_int_equal(d->tot_pages, 256 + VMM_MEMOP_MAX_EXTENTS);
	assert_int_equal(decrease(list, VMM_MEMOP_MAX_EXTENTS, 0), VMM_MEMOP_MAX_EXTENTS);
	assert_int_equal(d->tot_pages, 256);
}

static void test_extent_order_and_page_limits(void **state)
{
	uint32_t list[5] = { 256, 512, 768, 1024, 1280 };

	(void)state;
	/* 5 MiB in one call: more than VMM_MEMOP_MAX_PAGES */
	assert_int_equal(populate(list, 5, 8), -VMM_E2BIG);
	assert_int_equal(d->tot_pages, 256);
	assert_int_equal(populate(list, 4, 8), 4); /* exactly VMM_MEMOP_MAX_PAGES */
	/* order: VMM_MEMOP_MAX_ORDER is the last valid */
	list[0] = 1536;
	assert_int_equal(populate(list, 1, VMM_MEMOP_MAX_ORDER + 1), -VMM_EINVAL);
	assert_int_equal(populate(list, 1, 0x80000000u), -VMM_EINVAL);
	assert_int_equal(populate(list, 1, 0xFFFFFFFFu), -VMM_EINVAL);
	assert_int_equal(decrease(list, 1, VMM_MEMOP_MAX_ORDER + 1), -VMM_EINVAL);
	assert_int_equal(populate(list, 1, VMM_MEMOP_MAX_ORDER), 1);
	assert_int_equal(decrease(list, 1, VMM_MEMOP_MAX_ORDER), 1);
	/* 2^(order) extents of the maximum order pass MAX_PAGES by one extent */
	list[0] = 1536;
	list[1] = 1537;
	assert_int_equal(populate(list, 2, 9), -VMM_EINVAL);
	assert_int_equal(populate(list, 2, 0), 2);
}

static void test_flags_and_domid(void **state)
{
	struct domain *other = make_domain("other", 1 * MIB, 0, VMM_DOMCFG_PRIVILEGED);
	struct vmm_memory_reservation *r;
	uint32_t list[1] = { 256 };

	(void)state;
	set_arg(d, list, 1, 0);
	r = arg_of(d);
	r->mem_flags = 1;
	assert_int_equal(memory_op(d, VMM_MEMOP_populate_physmap, ARG_VA), -VMM_EINVAL);
	r->mem_flags = 0x80000000u;
	assert_int_equal(memory_op(d, VMM_MEMOP_decrease_reservation, ARG_VA), -VMM_EINVAL);
	r->mem_flags = 0;
	r->domid = other->id;
	assert_int_equal(memory_op(d, VMM_MEMOP_populate_physmap, ARG_VA), -VMM_EPERM);
	r->domid = 0xFFFFFFFFu;
	assert_int_equal(memory_op(d, VMM_MEMOP_populate_physmap, ARG_VA), -VMM_EPERM);
	r->domid = VMM_DOMID_SELF + 1;
	assert_int_equal(memory_op(d, VMM_MEMOP_decrease_reservation, ARG_VA), -VMM_EPERM);
	assert_int_equal(d->tot_pages, 256);
	/* even a privileged domain changes only its own reservation */
	set_arg(other, list, 1, 0);
	arg_of(other)->domid = d->id;
	assert_int_equal(memory_op(other, VMM_MEMOP_populate_physmap, ARG_VA), -VMM_EPERM);
	/* the caller's own id is the same as SELF */
	r->domid = d->id;
	assert_int_equal(memory_op(d, VMM_MEMOP_populate_physmap, ARG_VA), 1);
}

static void test_guest_pointers(void **state)
{
	const uint32_t end = VMM_GUEST_BASE + MIB; /* end of the backed memory */
	const uint32_t sz = (uint32_t)sizeof(struct vmm_memory_reservation);
	struct vmm_memory_reservation *r;
	uint32_t list[1] = { 256 };
	uint32_t *tail;

	(void)state;
	/* the argument: the last position inside backed memory, and one byte on */
	set_arg(d, list, 0, 0);
	memcpy(test_guest_ptr(d, end - sz), arg_of(d), sz);
	assert_int_equal(memory_op(d, VMM_MEMOP_populate_physmap, end - sz), 0);
	assert_int_equal(memory_op(d, VMM_MEMOP_populate_physmap, end - sz + 1), -VMM_EFAULT);
	assert_int_equal(memory_op(d, VMM_MEMOP_decrease_reservation, VMM_GUEST_BASE - sz), -VMM_EFAULT);
	assert_int_equal(memory_op(d, VMM_MEMOP_populate_physmap, 0), -VMM_EFAULT);
	assert_int_equal(memory_op(d, VMM_MEMOP_populate_physmap, 0xFFFFFFFFu), -VMM_EFAULT);
	/* the extent list: ending exactly at the end of backed memory, and one entry more */
	set_arg(d, NULL, 1, 0);
	r = arg_of(d);
	tail = test_guest_ptr(d, end - 4);
	*tail = 300;
	r->extent_start = end - 4;
	assert_int_equal(memory_op(d, VMM_MEMOP_populate_physmap, ARG_VA), 1);
	assert_int_equal(*tail, domain_pfn_to_mfn(d, 300));
	r->extent_start = end - 4;
	r->nr_extents = 2;
	assert_int_equal(memory_op(d, VMM_MEMOP_populate_physmap, ARG_VA), -VMM_EFAULT);
	r->extent_start = end - 2; /* straddles the end */
	r->nr_extents = 1;
	assert_int_equal(memory_op(d, VMM_MEMOP_decrease_reservation, ARG_VA), -VMM_EFAULT);
	r->extent_start = VMM_GUEST_BASE - 4;
	assert_int_equal(memory_op(d, VMM_MEMOP_populate_physmap, ARG_VA), -VMM_EFAULT);
	r->extent_start = 0xFFFFFFFCu;
	assert_int_equal(memory_op(d, VMM_MEMOP_populate_physmap, ARG_VA), -VMM_EFAULT);
	/* inside the domain's maximum but not backed: refused too */
	r->extent_start = end + 4096;
	assert_int_equal(memory_op(d, VMM_MEMOP_populate_physmap, ARG_VA), -VMM_EFAULT);
	assert_int_equal(r->nr_done, 0);
	/* no extents: the list pointer is not looked at */
	r->extent_start = 0;
	r->nr_extents = 0;
	assert_int_equal(memory_op(d, VMM_MEMOP_populate_physmap, ARG_VA), 0);
	assert_int_equal(d->tot_pages, 257);
}

/* ------------------------------------------------------------ decrease */

static void test_decrease_gives_frames_back(void **state)
{
	uint32_t list[2] = { 300, 301 }, free0 = mm_free_frames(), mfn;
	uint32_t *p;

	(void)state;
	assert_int_equal(populate(list, 2, 0), 2);
	mfn = domain_pfn_to_mfn(d, 300);
	p = fake_phys_ptr(mfn << 12);
	p[7] = 0x5ec7e7u; /* the guest's data */
	assert_int_equal(decrease1(300), 1);
	assert_int_equal(arg_of(d)->nr_done, 1);
	assert_int_equal(list_of(d)[0], 300); /* decrease writes nothing back */
	assert_int_equal(domain_pfn_to_mfn(d, 300), MM_PFN_NONE);
	assert_int_equal(mm_m2p(mfn), MM_PFN_NONE);
	assert_int_equal(mm_frame(mfn)->owner, FRAME_OWNER_FREE);
	assert_int_equal(d->tot_pages, 257);
	assert_int_equal(mm_free_frames(), free0 - 1);
	assert_false(guest_range_accessible(d, VMM_GUEST_BASE + 300 * 4096, 1));
	/* given back, then taken again (by anyone): scrubbed */
	assert_int_equal(mm_alloc(0, FRAME_OWNER_HYP, 0, &mfn), 0);
	assert_int_equal(mm_free(mfn, 0), 0);
	assert_int_equal(populate1(300), 1);
	assert_int_equal(((uint32_t *)fake_phys_ptr(domain_pfn_to_mfn(d, 300) << 12))[7], 0);
	assert_int_equal(decrease(list, 2, 0), 2);
	assert_int_equal(mm_free_frames(), free0);
	assert_int_equal(d->tot_pages, 256);
}

static void test_decrease_refuses_frames_in_use(void **state)
{
	uint32_t list[2] = { 310, 311 }, mfn0 = domain_pfn_to_mfn(d, 0);
	struct frame_table *ft;
	uint32_t mfn;

	(void)state;
	/* boot pages are mapped by the initial tables */
	assert_int_equal(decrease1(5), -VMM_EBUSY);
	assert_int_equal(decrease1(255), -VMM_EBUSY);
	assert_int_equal(d->tot_pages, 256);
	d->rejections_logged = 0;
	assert_int_equal(decrease1(7), -VMM_EBUSY);
	assert_true(console_has("memory_op decrease: pfn 0x7 is still mapped or typed"));
	/* pfn 0 (shared info) stays even if the guest unmapped it */
	ft = mm_table(mfn0);
	assert_int_equal(frame_put_ref(ft, mfn0), 0);
	assert_int_equal(frame_put_type(ft, mfn0, FRAME_TYPE_WRITABLE), 0);
	assert_int_equal(decrease1(0), -VMM_EBUSY);
	assert_int_equal(domain_pfn_to_mfn(d, 0), mfn0);
	assert_int_equal(frame_get_type(ft, mfn0, (uint16_t)d->id, FRAME_TYPE_WRITABLE), 0);
	assert_int_equal(frame_get_ref(ft, mfn0, (uint16_t)d->id), 0);
	/* unbacked, out of range */
	assert_int_equal(decrease1(400), -VMM_EINVAL);
	assert_int_equal(decrease1(2048), -VMM_EINVAL);
	assert_int_equal(decrease1(0xFFFFFFFFu), -VMM_EINVAL);
	/* typed only (a page table), referenced only (a mapping) */
	assert_int_equal(populate(list, 2, 0), 2);
	mfn = domain_pfn_to_mfn(d, 311);
	ft = mm_table(mfn);
	assert_int_equal(frame_get_type(ft, mfn, (uint16_t)d->id, FRAME_TYPE_L2), 0);
	assert_int_equal(decrease1(311), -VMM_EBUSY);
	/* order-1 extent with one busy frame: all or nothing */
	list[0] = 310;
	assert_int_equal(decrease(list, 1, 1), -VMM_EBUSY);
	assert_int_not_equal(domain_pfn_to_mfn(d, 310), MM_PFN_NONE);
	assert_int_equal(frame_put_type(ft, mfn, FRAME_TYPE_L2), 0);
	assert_int_equal(frame_get_ref(ft, mfn, (uint16_t)d->id), 0);
	assert_int_equal(decrease1(311), -VMM_EBUSY);
	assert_int_equal(frame_put_ref(ft, mfn), 0);
	assert_int_equal(decrease1(311), 1);
	/* order-1 extent with one unbacked pfn: all or nothing */
	list[0] = 310;
	assert_int_equal(decrease(list, 1, 1), -VMM_EINVAL);
	assert_int_not_equal(domain_pfn_to_mfn(d, 310), MM_PFN_NONE);
	assert_int_equal(decrease1(310), 1);
	assert_int_equal(d->tot_pages, 256);
}

/* The caller gives back the page its own extent list or argument lives in. */
static void test_decrease_of_the_callers_own_buffers(void **state)
{
	uint32_t list[2] = { 400, 401 }, va400 = VMM_GUEST_BASE + 400 * 4096, *l;
	struct vmm_memory_reservation *r;

	(void)state;
	assert_int_equal(populate(list, 2, 0), 2);
	/* list in pfn 400, first element frees pfn 400: the second cannot be read */
	l = test_guest_ptr(d, va400);
	l[0] = 400;
	l[1] = 401;
	set_arg(d, NULL, 2, 0);
	arg_of(d)->extent_start = va400;
	assert_int_equal(memory_op(d, VMM_MEMOP_decrease_reservation, ARG_VA), -VMM_EFAULT);
	assert_int_equal(arg_of(d)->nr_done, 1);
	assert_int_equal(domain_pfn_to_mfn(d, 400), MM_PFN_NONE);
	assert_int_not_equal(domain_pfn_to_mfn(d, 401), MM_PFN_NONE);
	/* the argument itself in pfn 401, which the call frees: the result still says so */
	r = test_guest_ptr(d, VMM_GUEST_BASE + 401 * 4096);
	memset(r, 0, sizeof(*r));
	r->extent_start = LIST_VA;
	r->nr_extents = 1;
	r->domid = VMM_DOMID_SELF;
	list_of(d)[0] = 401;
	assert_int_equal(memory_op(d, VMM_MEMOP_decrease_reservation, VMM_GUEST_BASE + 401 * 4096), 1);
	assert_int_equal(d->tot_pages, 256);
}

/* ------------------------------------------------------------ static partitioning */

/* A domain whose reservation (what it may still populate, plus the
 * hypervisor frames its use can add) does not fit the RAM left after the
 * shares already promised is refused at creation: no domain can take
 * another's share, however much it populates. The last domain that fits
 * and the first that does not; a dead domain's share comes back. */
static void test_reservations_never_overcommit(void **state)
{
	struct vmm_domain_config c = { .name = "late", .image = test_elf, .image_end = test_elf + sizeof(test_elf) };
	uint32_t promised0 = domain_frames_promised(), list[1] = { 300 };
	struct domain *big, *e;
	uint32_t mib;

	(void)state;
	/* "grow" (setup): 8 MiB, 1 MiB at boot: the other 7 MiB and more are kept */
	assert_true(promised0 > 7 * 256);
	/* the largest 1 MiB-at-boot domain that still fits, found from above */
	for (mib = FAKE_RAM_SIZE >> 20; mib > 1; mib--) {
		c.mem_size = mib * MIB;
		c.mem_initial = 1 * MIB;
		big = domain_create(&c);
		if (big)
			break;
		assert_true(console_has("refused: its "));
		assert_true(console_has(" MiB reservation does not fit the RAM left"));
	}
	assert_non_null(big);
	assert_true(mib < (FAKE_RAM_SIZE >> 20) - 8); /* refused for "grow"'s share, not the RAM size */
	assert_true(mm_free_frames() >= domain_frames_promised()); /* everyone can take everything */
	/* one MiB more does not fit next to it */
	c.mem_size = 1 * MIB;
	c.mem_initial = 0;
	e = domain_create(&c);
	if (e) /* a 1 MiB domain may fit the rounding slack: then the next does not */
		assert_null(domain_create(&c));
	/* "big" populates all it may: still nothing of "grow"'s share is gone */
	d = big;
	current = big;
	for (list[0] = 256; list[0] < big->max_pages; list[0]++)
		assert_int_equal(populate(list, 1, 0), 1);
	d = domain_at(0);
	current = d;
	list[0] = 300;
	assert_int_equal(populate(list, 1, 0), 1); /* "grow" still gets its own */
	/* a dead domain's share comes back: the same size fits again */
	domain_kill(big, VMM_SHUTDOWN_poweroff);
	if (e)
		domain_kill(e, VMM_SHUTDOWN_poweroff);
	assert_true(domain_frames_promised() <= promised0);
	c.mem_size = mib * MIB;
	c.mem_initial = 1 * MIB;
	big = domain_create(&c);
	assert_non_null(big);
	domain_kill(big, VMM_SHUTDOWN_poweroff);
}

/* ------------------------------------------------------------ p2m leaves */

/* Takes every free frame of the linear window (where p2m leaves come from); returns how many. */
static uint32_t take_window(uint32_t *held, uint32_t max)
{
	uint32_t n = 0;

	while (n < max && mm_alloc(0, FRAME_OWNER_HYP, MM_LINEAR, &held[n]) == 0)
		n++;
	assert_true(n < max);
	return n;
}

static void give_window(const uint32_t *held, uint32_t n)
{
	while (n)
		assert_int_equal(mm_free(held[--n], 0), 0);
}

static uint32_t p2m_word(const struct domain *dom, uint32_t block)
{
	return dom->p2m.dir[block];
}

/*
 * 4 MiB at boot (block 0: one run, no leaf); block 1 a leaf while a MiB of
 * it is populated, one run once the builder backs it whole (as at boot). A
 * decrease of one page splits it into a leaf, the page populated again (the
 * same frame: the allocator's last freed frame) joins it back.
 */
static void test_decrease_splits_a_run_and_populate_joins_it(void **state)
{
	uint32_t list[1] = { 1280 }, free0, mfn, i;

	(void)state;
	d = make_domain("runs", 8 * MIB, 4 * MIB, 0);
	current = d;
	assert_int_equal(p2m_word(d, 0) & P2M_TAG_MASK, P2M_RUN);
	assert_int_equal(p2m_word(d, 1), P2M_EMPTY);
	assert_int_equal(d->p2m.nr_leaves, 0);
	free0 = mm_free_frames();
	assert_int_equal(populate(list, 1, 8), 1);
	assert_int_equal(p2m_word(d, 1) & P2M_TAG_MASK, P2M_LEAF);
	assert_int_equal(d->p2m.nr_leaves, 1);
	assert_int_equal(mm_free_frames(), free0 - 256 - 1); /* and the leaf */
	assert_int_equal(decrease(list, 1, 8), 1);
	assert_int_equal(p2m_word(d, 1), P2M_EMPTY); /* nothing left in it: the leaf back */
	assert_int_equal(d->p2m.nr_leaves, 0);
	assert_int_equal(mm_free_frames(), free0);
	/* the whole block in one run: no leaf */
	assert_int_equal(domain_mem_take(d, 1024, 10), 0);
	assert_int_equal(p2m_word(d, 1) & P2M_TAG_MASK, P2M_RUN);
	assert_int_equal(d->p2m.nr_leaves, 0);
	/* a wholly free chunk: its m2p page and block of frame entries came with it */
	assert_int_equal(mm_free_frames(), free0 - 1024 - 3);
	free0 = mm_free_frames();
	mfn = domain_pfn_to_mfn(d, 1024);
	for (i = 0; i < 1024; i++)
		assert_int_equal(domain_pfn_to_mfn(d, 1024 + i), mfn + i);
	/* one page of the run back: a leaf holds the rest */
	assert_int_equal(decrease1(1500), 1);
	assert_int_equal(p2m_word(d, 1) & P2M_TAG_MASK, P2M_LEAF);
	assert_int_equal(d->p2m.nr_leaves, 1);
	assert_int_equal(mm_free_frames(), free0 + 1 - 1);
	assert_int_equal(mm_m2p(mfn + 476), MM_PFN_NONE);
	for (i = 0; i < 1024; i++)
		assert_int_equal(domain_pfn_to_mfn(d, 1024 + i), i == 476 ? MM_PFN_NONE : mfn + i);
	/* populated again: the freed frame comes back, the block is one run again */
	assert_int_equal(populate1(1500), 1);
	assert_int_equal(list_of(d)[0], mfn + 476);
	assert_int_equal(p2m_word(d, 1), ((mfn << 12) | P2M_RUN));
	assert_int_equal(d->p2m.nr_leaves, 0);
	assert_int_equal(mm_free_frames(), free0);
	assert_int_equal(mm_m2p(mfn + 476), 1500);
	/* the guest reads through the run */
	*(uint32_t *)test_guest_ptr(d, VMM_GUEST_BASE + 1500 * 4096 + 8) = 0x600dcafe;
	assert_int_equal(guest_read_u32(d, VMM_GUEST_BASE + 1500 * 4096 + 8, &i), 0);
	assert_int_equal(i, 0x600dcafe);
}

/*
 * A leaf the hypervisor cannot have (only if the promise were broken: the
 * test takes the window's frames behind its back) refuses the operation
 * before anything changes.
 */
static void test_no_leaf_frame_refuses_and_changes_nothing(void **state)
{
	static uint32_t held[FAKE_RAM_SIZE >> 12];
	uint32_t n, free0, tot0, mfn;

	(void)state;
	d = make_domain("starved", 12 * MIB, 4 * MIB, 0);
	current = d;
	assert_int_equal(domain_mem_take(d, 1024, 10), 0); /* block 1: one run */
	assert_int_equal(p2m_word(d, 1) & P2M_TAG_MASK, P2M_RUN);
	mfn = domain_pfn_to_mfn(d, 1500);
	n = take_window(held, FAKE_RAM_SIZE >> 12);
	free0 = mm_free_frames();
	tot0 = d->tot_pages;
	/* decrease of part of a run */
	assert_int_equal(decrease1(1500), -VMM_ENOMEM);
	assert_true(console_has("no frame for the p2m leaf of pfn 0x5dc"));
	assert_int_equal(arg_of(d)->nr_done, 0);
	assert_int_equal(memory_pfn_release(d, 1500), -VMM_ENOMEM);
	assert_int_equal(domain_pfn_to_mfn(d, 1500), mfn);
	assert_int_equal(mm_m2p(mfn), 1500);
	assert_int_equal(mm_frame(mfn)->owner, d->id);
	assert_int_equal(p2m_word(d, 1) & P2M_TAG_MASK, P2M_RUN);
	assert_int_equal(d->tot_pages, tot0);
	assert_int_equal(mm_free_frames(), free0);
	/* populate of part of an empty block */
	assert_int_equal(populate1(2100), -VMM_ENOMEM);
	assert_int_equal(domain_pfn_to_mfn(d, 2100), MM_PFN_NONE);
	assert_int_equal(p2m_word(d, 2), P2M_EMPTY);
	assert_int_equal(d->tot_pages, tot0);
	assert_int_equal(mm_free_frames(), free0);
	give_window(held, n);
	/* with a frame: both go through */
	assert_int_equal(decrease1(1500), 1);
	assert_int_equal(d->p2m.nr_leaves, 1);
	assert_int_equal(memory_pfn_release(d, 1501), 0);
	assert_int_equal(domain_pfn_to_mfn(d, 1501), MM_PFN_NONE);
	assert_int_equal(populate1(2100), 1);
	assert_int_equal(d->p2m.nr_leaves, 2);
	assert_int_equal(d->tot_pages, tot0 - 1);
}

/*
 * The promise counts a leaf for every block that has none: the frames a
 * domain's leaves may ever take are kept for it at creation.
 */
static void test_promise_counts_p2m_leaves(void **state)
{
	uint32_t before, fixed = EVTCHN_NR_BUCKETS + 1 + FRAME_CHUNK_BYTES / 4096, unbacked, chunks;
	struct domain *e;
	struct mm_usage u;

	(void)state;
	/* all of it at boot: two runs, no leaf yet, nothing unbacked */
	before = domain_frames_promised();
	e = make_domain("full", 8 * MIB, 0, 0);
	assert_int_equal(e->p2m.nr_leaves, 0);
	assert_int_equal(e->tot_pages, e->max_pages);
	assert_int_equal(domain_frames_promised() - before, fixed + 2);
	domain_kill(e, VMM_SHUTDOWN_poweroff);
	assert_int_equal(domain_frames_promised(), before);
	/* "grow" (setup): 1 MiB of 8 at boot, block 0's leaf taken already, block 1's kept */
	assert_int_equal(d->p2m.nr_leaves, 1);
	mm_usage(&u);
	unbacked = d->max_pages - d->tot_pages;
	chunks = (u.ram_bytes >> 22) + VMM_MAX_RAM_BANKS; /* each: m2p, block, window split */
	assert_true(chunks < unbacked);
	assert_int_equal(d->promised, unbacked + fixed + 1 + chunks * (1 + 2 * FRAME_CHUNK_BYTES / 4096));
}

/* ------------------------------------------------------------ dead domains */

/*
 * A teardown in steps (the clock moving 1 ms per read: a frame a step)
 * clears each p2m block whole once its frames are freed, without a leaf, so
 * between steps no entry of a finished block names a freed frame; the
 * leaf of the last block goes with the map at the end.
 */
static void test_teardown_in_steps_clears_block_by_block(void **state)
{
	uint32_t free0, steps = 0, seen = 0;
	unsigned int slot;
	struct domain *e;

	(void)state;
	free0 = mm_free_frames();
	e = make_domain("steps", 12 * MIB, 8 * MIB, 0);
	slot = e->slot;
	d = e;
	assert_int_equal(p2m_word(e, 0) & P2M_TAG_MASK, P2M_RUN);
	assert_int_equal(p2m_word(e, 1) & P2M_TAG_MASK, P2M_RUN);
	assert_int_equal(populate1(2048 + 5), 1);
	assert_int_equal(p2m_word(e, 2) & P2M_TAG_MASK, P2M_LEAF);
	fake_hw.counter_step = 62500; /* 1 ms a read at 62.5 MHz */
	domain_kill(e, VMM_SHUTDOWN_poweroff);
	while (domain_reap()) {
		assert_true(++steps < 100000);
		if (domain_at(slot) != e || e->p2m.dir == NULL)
			continue;
		/* block 0 done, block 1 not yet: the first is empty already */
		if (p2m_word(e, 0) == P2M_EMPTY && (p2m_word(e, 1) & P2M_TAG_MASK) == P2M_RUN) {
			assert_true(e->tot_pages >= 1 && e->tot_pages <= 1024 + 1); /* block 1 going, pfn 2053 */
			assert_int_equal(e->p2m.nr_leaves, 1);
			seen++;
		}
	}
	fake_hw.counter_step = 0;
	assert_true(seen > 100);
	assert_null(domain_at(slot));
	assert_int_equal(mm_free_frames(), free0);
}

static void test_dead_domain_returns_everything(void **state)
{
	uint32_t free0, list[3] = { 256, 512, 1000 }, id;
	unsigned int slot;
	struct domain *e;

	(void)state;
	free0 = mm_free_frames();
	e = make_domain("victim", 4 * MIB, 1 * MIB, 0);
	slot = e->slot;
	id = e->id;
	d = e;
	assert_int_equal(populate(list, 1, 8), 1);
	assert_int_equal(populate(&list[2], 1, 0), 1);
	assert_true(mm_free_frames() < free0);
	assert_int_equal(e->p2m.nr_leaves, 1); /* block 0: 1 MiB of 4 at boot; its leaf goes too */
	domain_kill(e, VMM_SHUTDOWN_crash); /* not current: everything back at once */
	assert_int_equal(mm_free_frames(), free0);
	assert_null(domain_at(slot));
	assert_int_equal(fake_mmu.l1_phys[slot], 0);
	assert_true(console_has("memory returned to the allocator"));
	assert_true(domain_any_failed());
	/* the slot is reused, the id is not */
	e = make_domain("next", 4 * MIB, 0, 0);
	assert_int_equal(e->slot, slot);
	assert_true(e->id > id);
	domain_kill(e, VMM_SHUTDOWN_poweroff);
	assert_int_equal(mm_free_frames(), free0);
}

static void test_current_domain_dies_and_idle_reaps(void **state)
{
	uint32_t free0, cleared;
	unsigned int slot;
	struct domain *e;

	(void)state;
	free0 = mm_free_frames();
	e = make_domain("self", 2 * MIB, 1 * MIB, 0);
	slot = e->slot;
	d = e;
	assert_int_equal(populate1(300), 1);
	current = e;
	cleared = fake_mmu.cleared_slots;
	domain_kill(e, VMM_SHUTDOWN_poweroff); /* as sched_op(shutdown) does */
	assert_int_equal(fake_mmu.cleared_slots, cleared + 1); /* off its table before freeing it */
	assert_null(current);                                   /* left for the idle loop */
	/* memory back; the struct with the stack it ran on waits for the idle loop */
	assert_ptr_equal(domain_at(slot), e);
	assert_true(e->state == DOMAIN_DEAD);
	assert_int_equal(e->tot_pages, 0);
	assert_int_equal(mm_free_frames(), free0 - 1); /* struct domain with its stack: one frame */
	domain_reap();
	assert_null(domain_at(slot));
	assert_int_equal(mm_free_frames(), free0);
}

/* A hypervisor stack that ran over its bottom (into struct domain) is reported when the
 * domain is reaped, and fails the image's exit status. */
static void test_stack_overflow_reported_at_reaping(void **state)
{
	struct domain *e;

	(void)state;
	e = make_domain("deep", 1 * MIB, 0, 0);
	assert_int_equal(*(uint32_t *)e->stack, DOMAIN_STACK_CANARY);
	e->stack[1] = 0; /* what a too deep call chain would leave */
	domain_kill(e, VMM_SHUTDOWN_poweroff);
	assert_true(console_has("PANIC: hypervisor stack overflow"));
	assert_true(domain_any_failed());
}

/* A slot left by a domain that died while current is taken again without the idle loop. */
static void test_slot_of_a_dead_current_domain_is_reused(void **state)
{
	unsigned int n = 0;
	struct domain *e;

	(void)state;
	e = make_domain("self", 1 * MIB, 0, 0);
	current = e;
	domain_kill(e, VMM_SHUTDOWN_poweroff);
	assert_ptr_equal(domain_at(e->slot), e); /* storage kept: nobody reaped yet */
	/* d holds one slot; all the others, e's included, can be had */
	while (n < VMM_MAX_DOMAINS - 1) {
		struct vmm_domain_config *c = &cfgs[cfg_next++ % VMM_MAX_DOMAINS];

		memset(c, 0, sizeof(*c));
		c->name = "fill";
		c->image = test_elf;
		c->image_end = test_elf + sizeof(test_elf);
		c->mem_size = 1 * MIB;
		assert_non_null(domain_create(c));
		n++;
	}
}

/* init_pages never passes max_pages (the builder clamps, whatever the caller set). */
static void test_boot_pages_clamped_to_the_maximum(void **state)
{
	struct domain *x = calloc(1, sizeof(*x));
	uint32_t free0 = mm_free_frames();
	char why[96];

	(void)state;
	x->id = 0x7000;
	x->slot = VMM_MAX_DOMAINS - 1;
	x->init_pages = 512;
	assert_int_equal(domain_mem_build(x, 1 * MIB, why, sizeof(why)), 0);
	assert_int_equal(x->tot_pages, 256);
	assert_int_equal(domain_boot_pages(x), 256);
	domain_mem_teardown(x);
	assert_int_equal(mm_free_frames(), free0);
	free(x);
}

static void test_every_slot_is_reusable(void **state)
{
	struct domain *all[VMM_MAX_DOMAINS];
	uint32_t free0;
	unsigned int round, i, n;

	(void)state;
	teardown(NULL); /* every slot free */
	free0 = mm_free_frames();
	for (round = 0; round < 3; round++) {
		for (n = 0; n < VMM_MAX_DOMAINS; n++) {
			struct vmm_domain_config *c = &cfgs[cfg_next++ % VMM_MAX_DOMAINS];

			memset(c, 0, sizeof(*c));
			c->name = "many";
			c->image = test_elf;
			c->image_end = test_elf + sizeof(test_elf);
			c->mem_size = 2 * MIB;
			c->mem_initial = 1 * MIB;
			all[n] = domain_create(c);
			assert_non_null(all[n]);
		}
		for (i = 0; i < n; i++)
			domain_kill(all[i], VMM_SHUTDOWN_poweroff);
		assert_int_equal(mm_free_frames(), free0);
	}
}

/* ------------------------------------------------------------ random sequences */

enum model_state { M_UNBACKED, M_BACKED, M_MAPPED };

static uint32_t rng = 12345;

static uint32_t rnd(uint32_t n)
{
	rng = rng * 1103515245u + 12345u;
	return (rng >> 8) % n;
}

static long model_extent(const enum model_state *m, uint32_t max, bool pop, uint32_t pfn, uint32_t order)
{
	uint32_t n = 1u << order, i;

	if ((pfn & (n - 1)) != 0 || pfn >= max || n > max - pfn)
		return -VMM_EINVAL;
	for (i = 0; i < n; i++) {
		if (pop && m[pfn + i] != M_UNBACKED)
			return -VMM_EEXIST;
		if (!pop && m[pfn + i] == M_UNBACKED)
			return -VMM_EINVAL;
		if (!pop && (m[pfn + i] == M_MAPPED || pfn + i == 0))
			return -VMM_EBUSY;
	}
	return 0;
}

/* The first aligned extent from `from` on (wrapping) whose pages are populated and unmapped, or `from`. */
static uint32_t backed_extent(const enum model_state *m, uint32_t order, uint32_t from)
{
	uint32_t n = 1u << order, k, i, pfn;

	for (k = 0; k < 1024; k += n) {
		pfn = ((from & ~(n - 1)) + k) % 1024;
		for (i = 0; i < n && m[pfn + i] == M_BACKED; i++)
			;
		if (i == n)
			return pfn;
	}
	return from;
}

/*
 * Frames neither free nor in the hypervisor's tables: what domains
 * hold. Machine-to-physical pieces (mm.c) come and go with domain frames in
 * a new 4 MiB, so the free count alone moves by more than the domain's pages.
 */
static uint32_t frames_free_or_tables(void)
{
	struct mm_usage u;

	mm_usage(&u);
	return mm_free_frames() + u.table_bytes / 4096u;
}

static void model_check(const enum model_state *m, uint32_t free0)
{
	uint32_t pfn, backed = 0;

	for (pfn = 0; pfn < d->max_pages; pfn++) {
		uint32_t mfn = domain_pfn_to_mfn(d, pfn);

		assert_int_equal(mfn != MM_PFN_NONE, m[pfn] != M_UNBACKED);
		if (mfn == MM_PFN_NONE)
			continue;
		backed++;
		assert_int_equal(mm_m2p(mfn), pfn);
		assert_int_equal(mm_frame(mfn)->owner, d->id);
		assert_int_equal(mm_frame(mfn)->u.use.refcount != 0, m[pfn] == M_MAPPED);
	}
	assert_int_equal(d->tot_pages, backed);
	assert_int_equal(frames_free_or_tables(), free0 - (backed - 256));
}

static void test_random_sequences_match_the_model(void **state)
{
	static enum model_state m[1024];
	uint32_t free0, free_before, step, pfn, outcomes[2][64] = { { 0 } };
	struct domain *e;

	(void)state;
	free_before = mm_free_frames();
	e = make_domain("random", 4 * MIB, 1 * MIB, 0);
	d = e;
	free0 = frames_free_or_tables();
	for (pfn = 0; pfn < 1024; pfn++)
		m[pfn] = pfn < 256 ? M_MAPPED : M_UNBACKED;
	for (step = 0; step < 4000; step++) {
		uint32_t op = rnd(10), order = rnd(3), n = 1 + rnd(4), list[4], i;
		long want = 0, got;
		uint32_t done = 0;

		if (op < 2) { /* the guest maps or unmaps a populated page */
			uint32_t mfn;

			pfn = 256 + rnd(768);
			mfn = domain_pfn_to_mfn(d, pfn);
			if (m[pfn] == M_BACKED) {
				assert_int_equal(frame_get_ref(mm_table(mfn), mfn, (uint16_t)d->id), 0);
				m[pfn] = M_MAPPED;
			} else if (m[pfn] == M_MAPPED) {
				assert_int_equal(frame_put_ref(mm_table(mfn), mfn), 0);
				m[pfn] = M_BACKED;
			}
			model_check(m, free0);
			continue;
		}
		for (i = 0; i < n; i++) {
			/* mostly aligned extents in range, some misaligned or past the end;
			 * decreases mostly aim at a populated page */
			pfn = rnd(16) == 0 ? rnd(1100) : rnd(1024) & ~((1u << order) - 1);
			if (op >= 6 && rnd(4) != 0)
				pfn = backed_extent(m, order, pfn);
			list[i] = pfn;
		}
		for (i = 0; i < n && want == 0; i++) {
			want = model_extent(m, 1024, op < 6, list[i], order);
			if (want == 0) {
				uint32_t k;

				for (k = 0; k < (1u << order); k++)
					m[list[i] + k] = op < 6 ? M_BACKED : M_UNBACKED;
				done++;
			}
		}
		got = op < 6 ? populate(list, n, order) : decrease(list, n, order);
		assert_int_equal(got, want == 0 ? (long)n : want);
		assert_int_equal(arg_of(d)->nr_done, done);
		model_check(m, free0);
		outcomes[op < 6][-want]++;
	}
	/* the sequence reached every outcome, so the model was really compared */
	assert_true(outcomes[1][0] > 100 && outcomes[0][0] > 100);
	assert_true(outcomes[1][VMM_EEXIST] > 0 && outcomes[1][VMM_EINVAL] > 0);
	assert_true(outcomes[0][VMM_EBUSY] > 0 && outcomes[0][VMM_EINVAL] > 0);
	/* every mapping dropped, then the domain dies: the free count is back */
	for (pfn = 256; pfn < 1024; pfn++)
		if (m[pfn] == M_MAPPED) {
			uint32_t mfn = domain_pfn_to_mfn(d, pfn);

			assert_int_equal(frame_put_ref(mm_table(mfn), mfn), 0);
		}
	domain_kill(e, VMM_SHUTDOWN_poweroff);
	assert_int_equal(mm_free_frames(), free_before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_boot_backs_only_mem_initial, setup, teardown),
		cmocka_unit_test_setup_teardown(test_boot_without_mem_initial_backs_everything, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reservation_queries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_commands, setup, teardown),
		cmocka_unit_test_setup_teardown(test_populate_backs_pfns_and_returns_mfns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_populate_discards_stale_instructions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reservations_never_overcommit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_populate_order_gives_contiguous_runs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_populate_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_populate_stops_at_first_refusal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_populate_fills_the_reservation_exactly, setup, teardown),
		cmocka_unit_test_setup_teardown(test_populate_without_free_memory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extent_count_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extent_order_and_page_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flags_and_domid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_guest_pointers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decrease_gives_frames_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decrease_refuses_frames_in_use, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decrease_of_the_callers_own_buffers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decrease_splits_a_run_and_populate_joins_it, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_leaf_frame_refuses_and_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_promise_counts_p2m_leaves, setup, teardown),
		cmocka_unit_test_setup_teardown(test_teardown_in_steps_clears_block_by_block, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dead_domain_returns_everything, setup, teardown),
		cmocka_unit_test_setup_teardown(test_current_domain_dies_and_idle_reaps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_slot_of_a_dead_current_domain_is_reused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stack_overflow_reported_at_reaping, setup, teardown),
		cmocka_unit_test_setup_teardown(test_boot_pages_clamped_to_the_maximum, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_slot_is_reusable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random_sequences_match_the_model, setup, teardown),
	};

	(void)test_domain_create; /* test_domain.h's other helper, not needed here */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
