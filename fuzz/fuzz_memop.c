/*
 * libFuzzer harness over the hypercalls that change a domain's memory or
 * write into it: memory_op (populate, decrease, queries, raw arguments),
 * mmuext_op pin/unpin, mmu_update, update_va_mapping, multicall batches of
 * those, and the calls whose results the hypervisor stores in guest memory
 * (grant copy local to local, event_channel_op, vcpu_op runstate,
 * xen_version, console_io), with their pointers aimed at ordinary pages,
 * unbacked pages and page-table frames. The whole core runs against the
 * fake port (test/fake); one domain per input, built fresh.
 *
 * After every call: the result is 0, a count or a documented error; the
 * reservation is consistent (tot_pages <= max_pages and equals the backed
 * pfns; each backed pfn's frame is owned by the domain and maps back to
 * it); and every pinned table holds only entries the page-table rules
 * accept (pt_check), mapping only the domain's frames, never a page-table
 * frame writable, L1 table entries only pointing at pinned L2s. After each
 * input the domain dies and every frame must be back in the allocator.
 * Any violation aborts (a libFuzzer crash).
 *
 * Input: records of 14 bytes (op, sub, then three u32 LE fields), folded so
 * that most records name pfns near the boot/populated boundary.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frametable.h"
#include "grant_glue.h"
#include "hypercall.h"
#include "log.h"
#include "memory_op.h"
#include "pt_check.h"
#include "pt_table.h"
#include "test_domain.h"
#include "vmm/grant_table.h"
#include "vmm/memory_op.h"
#include "vmm/mmu.h"
#include "vmm/vcpu_op.h"

#define MEM_SIZE   (2u << 20)  /* 512 pfns */
#define MEM_BOOT   (1u << 20)  /* 256 backed and mapped at boot */
#define PFN_VA(p)  (VMM_GUEST_BASE + (uint32_t)(p) * 4096u)
#define ARG_VA     PFN_VA(0x10)
#define LIST_VA    PFN_VA(0x11)
#define DATA_VA    PFN_VA(0x12)

static struct domain *d;
static struct vmm_domain_config cfg;

static void die(const char *what)
{
	fprintf(stderr, "fuzz_memop: invariant broken: %s\n", what);
	abort();
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Mostly pfns around the end of boot memory and the populated range, sometimes edges or raw. */
static uint32_t fold_pfn(uint32_t x)
{
	switch (x >> 29) {
	case 0:
		return (MEM_SIZE >> 12) - 2 + (x & 3u); /* 510..513 */
	case 1:
		return x;
	case 2:
		return x & 3u;                          /* 0 (shared info) .. 3 */
	default:
		return 250u + x % 20u;                  /* 250..269 */
	}
}

/* The machine frame behind a pfn, or a raw number. */
static uint32_t fold_mfn(uint32_t x)
{
	uint32_t pfn = fold_pfn(x);

	if ((x & 7u) == 7u)
		return x >> 3;
	return pfn < d->max_pages && domain_pfn_to_mfn(d, pfn) != MM_PFN_NONE ? domain_pfn_to_mfn(d, pfn) : x;
}

/* A guest address: in a folded pfn (its start, its last word, or inside), or raw. */
static uint32_t fold_va(uint32_t x)
{
	uint32_t pfn = fold_pfn((x & 0xE0000000u) | ((x >> 2) & 0x1FFFFFFFu));

	switch (x & 3u) {
	case 0:
		return PFN_VA(pfn) + ((x >> 28) & 1u ? 4096u - 4u : 0u);
	case 1:
		return x;
	default:
		return PFN_VA(pfn) + ((x >> 14) & 0xFFCu);
	}
}

/* A descriptor: small page / L2 table pointer / section / fault / raw. */
static uint32_t fold_val(uint32_t x, uint32_t y, bool l1)
{
	uint32_t mfn = fold_mfn(y);

	switch (x & 3u) {
	case 0:
		return 0;
	case 1:
		return x;
	default:
		if (l1)
			return (x & 4u) ? (mfn << 12) | ((x >> 3) & 3u) << 10 | VMM_PTE_L1_TABLE
					: ((mfn << 12) & 0xFFF00000u) | VMM_PTE_L1_SECTION | VMM_PTE_SECT_NORMAL |
						  VMM_PTE_SECT_NG | ((x & 8u) ? VMM_PTE_SECT_RO : VMM_PTE_SECT_RW);
		return (mfn << 12) | VMM_PTE_L2_SMALL | VMM_PTE_SMALL_NORMAL | VMM_PTE_SMALL_NG |
		       ((x & 4u) ? VMM_PTE_SMALL_RO : VMM_PTE_SMALL_RW);
	}
}

static bool result_documented(long rc)
{
	if (rc >= 0)
		return true;
	switch (rc) {
	case -VMM_EPERM:
	case -VMM_ESRCH:
	case -VMM_EFAULT:
	case -VMM_EEXIST:
	case -VMM_EINVAL:
	case -VMM_ENOSPC:
	case -VMM_ENOMEM:
	case -VMM_EBUSY:
	case -VMM_E2BIG:
	case -VMM_ENOSYS:
		return true;
	default:
		return false;
	}
}

/* Writes words into guest memory if va's page is backed (the guest's own stores). */
static void put_words(uint32_t va, const uint32_t *w, unsigned int n)
{
	uint32_t pfn = (va - VMM_GUEST_BASE) >> 12;

	if (va < VMM_GUEST_BASE || pfn >= d->max_pages || domain_pfn_to_mfn(d, pfn) == MM_PFN_NONE ||
	    (va & 0xFFFu) + n * 4u > 4096u)
		return;
	/* a store through the guest's own mapping: never into a page table */
	{
		const struct frame *f = mm_frame(domain_pfn_to_mfn(d, pfn));

		if (f->u.use.type_count && (f->type == FRAME_TYPE_L1 || f->type == FRAME_TYPE_L2))
			return;
	}
	memcpy(test_guest_ptr(d, va), w, n * 4u);
}

static long hc(uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3)
{
	current = d;
	d->frame->r[7] = nr;
	return hypercall_dispatch(nr, a0, a1, a2, a3);
}

/* One memory_op reservation call: the struct at ARG_VA (or a folded va), the list at a folded va. */
static long reservation(uint32_t cmd, uint32_t x, uint32_t y, uint32_t z)
{
	uint32_t list_va = (z & 1u) ? fold_va(z >> 1) : LIST_VA;
	uint32_t arg_va = (z & 6u) == 6u ? fold_va(z >> 3) : ARG_VA;
	uint32_t r[6], l[2];

	l[0] = fold_pfn(x);
	l[1] = fold_pfn(y);
	r[0] = list_va;                                 /* extent_start */
	r[1] = (x >> 24) % 5u == 4u ? y : 1u + (y & 1u); /* nr_extents */
	r[2] = (y >> 24) % 4u == 3u ? x : (x >> 8) % 3u; /* extent_order */
	r[3] = (z >> 8) % 8u == 7u ? x : 0;             /* mem_flags */
	r[4] = (z >> 11) % 8u == 7u ? y : VMM_DOMID_SELF;
	r[5] = 0;
	put_words(list_va, l, 2);
	put_words(arg_va, r, 6);
	return hc(VMM_HC_memory_op, cmd, arg_va, 0, 0);
}

static long run_op(uint8_t op, uint8_t sub, uint32_t x, uint32_t y, uint32_t z)
{
	uint32_t w[12];

	switch (op % 12) {
	case 0:
		return reservation(VMM_MEMOP_populate_physmap, x, y, z);
	case 1:
		return reservation(VMM_MEMOP_decrease_reservation, x, y, z);
	case 2: /* queries and raw commands */
		return hc(VMM_HC_memory_op, sub % 8u, sub & 8u ? x : VMM_DOMID_SELF, 0, 0);
	case 3: { /* mmuext_op: pin L1/L2, unpin, new base, flushes, sync_icache */
		static const uint32_t cmds[] = {VMM_MMUEXT_PIN_L1_TABLE, VMM_MMUEXT_PIN_L2_TABLE,
						VMM_MMUEXT_UNPIN_TABLE, VMM_MMUEXT_NEW_BASEPTR,
						VMM_MMUEXT_TLB_FLUSH_LOCAL, VMM_MMUEXT_INVLPG_LOCAL,
						VMM_MMUEXT_SYNC_ICACHE};
		uint32_t cmd = cmds[sub % 7u];

		w[0] = cmd;
		w[1] = cmd == VMM_MMUEXT_PIN_L1_TABLE || cmd == VMM_MMUEXT_NEW_BASEPTR ? fold_mfn(x) & ~((y & 1u) ? 0u : 3u)
			: cmd == VMM_MMUEXT_INVLPG_LOCAL || cmd == VMM_MMUEXT_SYNC_ICACHE ? fold_va(x) : fold_mfn(x);
		w[2] = cmd == VMM_MMUEXT_SYNC_ICACHE ? y % 8192u : ((y >> 8) % 16u == 15u ? y : 0);
		put_words(DATA_VA, w, 3);
		return hc(VMM_HC_mmuext_op, (z & 1u) ? fold_va(z) : DATA_VA, 1, 0, VMM_DOMID_SELF);
	}
	case 4: { /* mmu_update: an L1 entry (guest half) or an entry of a folded frame */
		bool l1 = sub & 1u;
		uint32_t maddr = l1 ? (d->pt.base_mfn << 12) + ((VMM_GUEST_BASE >> 20) + (y % 4u)) * 4u
				    : (fold_mfn(y) << 12) + ((z >> 2) % 1024u) * 4u + ((z & 3u) == 3u);

		w[0] = maddr;
		w[1] = fold_val(x, z, l1);
		put_words(DATA_VA, w, 2);
		return hc(VMM_HC_mmu_update, DATA_VA, 1, (sub & 2u) ? fold_va(x) : 0, VMM_DOMID_SELF);
	}
	case 5: /* update_va_mapping */
		return hc(VMM_HC_update_va_mapping, fold_va(y) & ~0xFFFu, fold_val(x, z, false), sub % 4u, 0);
	case 6: { /* grant copy local -> local: data from DATA_VA into a folded va */
		w[0] = fold_val(x, y, (sub & 1u) != 0);
		w[1] = fold_val(y, x, (sub & 1u) != 0);
		put_words(DATA_VA + 64u, w, 2);
		w[0] = DATA_VA + 64u;            /* source.u */
		w[1] = VMM_DOMID_SELF;           /* source.domid, offset 0 */
		w[2] = fold_va(z);               /* dest.u */
		w[3] = VMM_DOMID_SELF;           /* dest.domid, offset 0 */
		w[4] = 1u + (sub >> 4) * 4u;     /* len 1..61, flags 0 */
		w[5] = 0;
		put_words(ARG_VA, w, 6);
		return hc(VMM_HC_grant_table_op, VMM_GNTTABOP_copy, (sub & 2u) ? fold_va(y) : ARG_VA, 1, 0);
	}
	case 7: /* event_channel_op with its struct at a folded va (bind_ipi writes the port back) */
		w[0] = 0;
		w[1] = 0;
		put_words(fold_va(x), w, 2);
		return hc(VMM_HC_event_channel_op, sub & 1u ? VMM_EVTCHNOP_bind_ipi : VMM_EVTCHNOP_status,
			  fold_va(x), 0, 0);
	case 8: { /* multicall: two entries at a folded va (or DATA_VA) */
		uint32_t at = (sub & 1u) ? fold_va(z) : DATA_VA;
		uint32_t ops[] = {VMM_HC_memory_op, VMM_HC_mmuext_op, VMM_HC_xen_version, VMM_HC_multicall,
				  VMM_HC_update_va_mapping, VMM_HC_console_io};

		w[0] = ops[(sub >> 1) % 6u];
		w[1] = 0;
		w[2] = w[0] == VMM_HC_memory_op ? VMM_MEMOP_decrease_reservation : fold_va(x);
		w[3] = w[0] == VMM_HC_memory_op ? ARG_VA : fold_val(y, x, false);
		w[4] = 0;
		w[5] = 0;
		w[6] = ops[(sub >> 4) % 6u];
		w[7] = 0;
		w[8] = w[6] == VMM_HC_xen_version ? VMM_XENVER_extraversion : fold_va(y);
		w[9] = fold_va(z);
		w[10] = 0;
		w[11] = 0;
		put_words(at, w, 12);
		return hc(VMM_HC_multicall, at, (z >> 30) + 1u, 0, 0);
	}
	case 9: /* vcpu_op runstate into a folded va */
		return hc(VMM_HC_vcpu_op, VMM_VCPUOP_get_runstate_info, 0, fold_va(x), 0);
	case 10: /* xen_version extraversion into a folded va */
		return hc(VMM_HC_xen_version, VMM_XENVER_extraversion, fold_va(x), 0, 0);
	default: /* console_io write from a folded va */
		return hc(VMM_HC_console_io, VMM_CONSOLEIO_write, y % 300u, fold_va(x), 0);
	}
}

/* ------------------------------------------------------------ invariants */

static bool frame_is_table(uint32_t mfn)
{
	const struct frame *f = mm_frame(mfn);

	return f && f->u.use.type_count && (f->type == FRAME_TYPE_L1 || f->type == FRAME_TYPE_L2);
}

static bool frame_is_pinned(uint32_t mfn, enum frame_type t)
{
	const struct frame *f = mm_frame(mfn);

	return f && f->type == t && f->u.use.type_count;
}

static bool owned(uint32_t mfn)
{
	const struct frame *f = mm_frame(mfn);

	return f && f->owner == d->id;
}

static void check_mapping(const struct pt_entry_info *e)
{
	uint32_t i;

	for (i = 0; i < e->nr; i++) {
		const struct frame *f = mm_frame(e->mfn + i);

		if (!owned(e->mfn + i))
			die("a pinned table maps a frame the domain does not own");
		/* an entry pt_table wrote holds a reference (and a writable use) */
		if (!f->u.use.refcount || (e->writable && (f->type != FRAME_TYPE_WRITABLE || !f->u.use.type_count)))
			die("a pinned table maps a frame without the counts of that mapping");
		if (e->writable && frame_is_table(e->mfn + i))
			die("a pinned table maps a page-table frame writable");
	}
}

static void check_l2(uint32_t mfn, void *arg)
{
	const uint32_t *t;
	uint32_t i;

	(void)arg;
	if (!frame_is_pinned(mfn, FRAME_TYPE_L2))
		return;
	t = fake_phys_ptr(mfn << 12);
	for (i = 0; i < 1024; i++) {
		struct pt_entry_info e;
		const char *why;

		if (pt_check_l2e(t[i], &e, &why) != 0)
			die("a pinned L2 holds an entry the rules refuse");
		check_mapping(&e);
	}
}

static void check_l1(uint32_t mfn, void *arg)
{
	const uint32_t *t;
	uint32_t i;

	(void)arg;
	if (mfn % 4u || !frame_is_pinned(mfn, FRAME_TYPE_L1))
		return;
	t = fake_phys_ptr(mfn << 12);
	for (i = 0; i < d->pt.hv_first; i++) {
		struct pt_entry_info e;
		const char *why;

		if (pt_check_l1e(t[i] & ~(0xFu << 5), &e, &why) != 0)
			die("a pinned L1 holds an entry the rules refuse");
		if (e.kind == PT_KIND_TABLE && (!owned(e.mfn) || !frame_is_pinned(e.mfn, FRAME_TYPE_L2)))
			die("an L1 entry points at something that is not a pinned L2 of the domain");
		check_mapping(&e);
	}
}

static void check_table(uint32_t mfn, void *arg)
{
	const struct frame *f = mm_frame(mfn);

	if (!f->u.use.type_count)
		return;
	if (f->type == FRAME_TYPE_L1)
		check_l1(mfn, arg);
	else if (f->type == FRAME_TYPE_L2)
		check_l2(mfn, arg);
}

static void check_memory(void)
{
	uint32_t pfn, backed = 0, cursor, mfn;

	if (d->tot_pages > d->max_pages)
		die("tot_pages above max_pages");
	for (pfn = 0; pfn < d->max_pages; pfn++) {
		mfn = domain_pfn_to_mfn(d, pfn);
		if (mfn == MM_PFN_NONE)
			continue;
		backed++;
		if (!owned(mfn) || mm_m2p(mfn) != pfn)
			die("a backed pfn's frame is not the domain's or maps back elsewhere");
	}
	if (backed != d->tot_pages)
		die("tot_pages is not the number of backed pfns");
	if (domain_pfn_to_mfn(d, 0) == MM_PFN_NONE)
		die("the shared-info pfn was given back");
	for (cursor = 0; (mfn = mm_owned_next((uint16_t)d->id, &cursor)) != MM_PFN_NONE;)
		check_table(mfn, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int booted;
	uint32_t free_before;

	if (!booted) {
		test_core_boot();
		booted = 1;
	}
	free_before = mm_free_frames();
	memset(&cfg, 0, sizeof(cfg));
	cfg.name = "fz";
	cfg.image = test_elf;
	cfg.image_end = test_elf + sizeof(test_elf);
	cfg.mem_size = MEM_SIZE;
	cfg.mem_initial = MEM_BOOT;
	d = domain_create(&cfg);
	if (!d)
		die("cannot build the domain");
	schedule_wake(d);
	d->rejections_logged = VMM_REJECT_LOG_LIMIT; /* quiet */
	for (; size >= 14; data += 14, size -= 14) {
		long rc = run_op(data[0], data[1], get32(data + 2), get32(data + 6), get32(data + 10));

		if (!result_documented(rc))
			die("undocumented result");
		check_memory();
		fake_console_clear();
	}
	current = NULL;
	domain_kill(d, VMM_SHUTDOWN_poweroff);
	domain_reap();
	if (mm_free_frames() != free_before)
		die("frames leaked by a dead domain");
	return 0;
}
