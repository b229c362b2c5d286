/*
 * Domain construction and bookkeeping (see domain.h).
 */
#include "domain.h"

#include <string.h>

#include "config_check.h"
#include "domain_build.h"
#include "elf_loader.h"
#include "evtchn.h"
#include "format.h"
#include "grant_glue.h"
#include "log.h"
#include "mm.h"
#include "p2m.h"
#include "policy.h"
#include "schedule.h"
#include "time.h"
#include "vcpu_state.h"
#include "vtrap.h"
#include "vmm/abi.h"
#include "vmm/port.h"

struct domain *current;

/*
 * Slots hold domains built in frames from the allocator (struct domain with
 * its hypervisor stack, DOMAIN_STRUCT_ORDER frames, from the linear window):
 * nothing per slot sits in the image. NULL: never used.
 */
static struct domain *domains[VMM_MAX_DOMAINS];
static uint32_t next_domid;
/* Outlives the dead domains' storage: the image's exit status needs it. */
static bool any_domain_failed;
/* Dead domains whose storage waits for domain_reap(): the idle loop's test is one load. */
static unsigned int nr_unreaped;
/* Frames the live domains may still take: their unbacked reservations plus
 * the hypervisor frames their use can add (see domain_promise()). */
static uint32_t frames_promised;

#define DOMAIN_STRUCT_ORDER 0u
_Static_assert(sizeof(struct domain) <= (4096u << DOMAIN_STRUCT_ORDER), "struct domain outgrew its frames");

struct domain *domain_at(unsigned int slot)
{
	if (slot >= VMM_MAX_DOMAINS || domains[slot] == NULL || domains[slot]->state == DOMAIN_FREE)
		return NULL;
	return domains[slot];
}

static bool domain_live(const struct domain *d)
{
	return d->state != DOMAIN_FREE && d->state != DOMAIN_DEAD;
}

struct domain *domain_find(uint32_t id)
{
	unsigned int i;

	for (i = 0; i < VMM_MAX_DOMAINS; i++)
		if (domains[i] && domain_live(domains[i]) && domains[i]->id == id)
			return domains[i];
	return NULL;
}

unsigned int domain_live_count(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < VMM_MAX_DOMAINS; i++)
		n += domains[i] && domain_live(domains[i]);
	return n;
}

bool domain_any_failed(void)
{
	return any_domain_failed;
}

/* A never-used slot with fresh, zeroed storage, or NULL (*no_mem tells why). */
static struct domain *domain_slot_alloc(bool *no_mem)
{
	unsigned int i;
	uint32_t mfn;
	struct domain *d;

	*no_mem = false;
	domain_reap(); /* dead domains' slots become free */
	for (i = 0; i < VMM_MAX_DOMAINS; i++)
		if (domains[i] == NULL)
			break;
	if (i == VMM_MAX_DOMAINS)
		return NULL;
	if (mm_alloc(DOMAIN_STRUCT_ORDER, FRAME_OWNER_HYP, MM_LINEAR, &mfn) != 0) {
		*no_mem = true;
		return NULL;
	}
	d = arch_phys_to_hv(mfn << MM_PAGE_SHIFT); /* scrubbed by the allocator */
	*(uint32_t *)d->stack = DOMAIN_STACK_CANARY;
	d->slot = i;
	d->self_mfn = mfn;
	domains[i] = d;
	return d;
}

static void domain_slot_free(struct domain *d)
{
	/* A stack that ran over its bottom has overwritten the structure below it: say so,
	 * and fail the image's exit status (the tests catch it). */
	if (*(const uint32_t *)d->stack != DOMAIN_STACK_CANARY) {
		vmm_log("dom%u: PANIC: hypervisor stack overflow (%u bytes)", (unsigned)d->id,
			(unsigned)DOMAIN_STACK_SIZE);
		any_domain_failed = true;
	}
	domains[d->slot] = NULL;
	mm_free(d->self_mfn, DOMAIN_STRUCT_ORDER);
}

/* Bytes of guest memory mapped from VMM_GUEST_BASE at boot. */
static uint32_t domain_boot_bytes(const struct domain *d)
{
	return domain_boot_pages(d) << MM_PAGE_SHIFT;
}

static void domain_fill_start_info(struct domain *d, struct vmm_start_info *si,
				   const struct vmm_domain_config *cfg, const struct elf_load_result *img)
{
	memset(si, 0, sizeof(*si));
	strncpy(si->magic, VMM_START_INFO_MAGIC, sizeof(si->magic) - 1);
	si->domid = d->id;
	si->nr_pages = domain_boot_pages(d); /* the rest of max_pages: memory_op */
	si->shared_info = VMM_GUEST_SHARED_INFO;
	si->flags = (cfg->flags & VMM_DOMCFG_PRIVILEGED) ? VMM_SIF_PRIVILEGED : 0;
	if (d->id == 0)
		si->flags |= VMM_SIF_INITDOMAIN;
	si->mem_base = VMM_GUEST_BASE;
	si->image_start = img->image_start;
	si->image_end = img->image_end;
	si->boot_stack = VMM_GUEST_BOOT_STACK;
	strncpy(si->name, d->name, sizeof(si->name) - 1);
	if (cfg->cmdline)
		strncpy(si->cmd_line, cfg->cmdline, sizeof(si->cmd_line) - 1);
	si->p2m_list = d->p2m_list_va;
	si->pt_base_mfn = d->l1_mfn;
}

/*
 * The guest's copy of the p2m list, on the first page boundary at or after
 * the image, if it fits in the domain's memory (guest_info.h).
 */
static void domain_copy_p2m_list(struct domain *d, uint8_t *mem, const struct elf_load_result *img)
{
	uint64_t va = ((uint64_t)img->image_end + VMM_PAGE_SIZE - 1) & ~(uint64_t)(VMM_PAGE_SIZE - 1);
	uint64_t bytes = (uint64_t)domain_boot_pages(d) * sizeof(uint32_t);

	d->p2m_list_va = 0;
	if (va < VMM_GUEST_BASE || va + bytes > (uint64_t)VMM_GUEST_BASE + domain_boot_bytes(d))
		return;
	/* Flat, as guests have always seen it (guest_info.h), whatever the hypervisor's own form. */
	p2m_copy_out(&d->p2m, (uint32_t *)(void *)(mem + (va - VMM_GUEST_BASE)), domain_boot_pages(d));
	d->p2m_list_va = (uint32_t)va;
}

static void domain_fill_frame(struct domain *d, uint32_t entry)
{
	struct vmm_trap_frame *f;

	f = arch_frame_at_stack_top(d->stack + DOMAIN_STACK_SIZE, &d->shared->vcpu_info);
	arch_frame_set_entry(f, entry, VMM_GUEST_BOOT_STACK, VMM_GUEST_START_INFO);
	d->frame = f;
	arch_hctx_init(&d->hctx, f);
	vtrap_set_mode(d, VMM_VMODE_KERNEL); /* DACR, SVC table, vcpu_info.vmode */
}

static void domain_fill_shared_info(struct domain *d)
{
	memset(d->shared, 0, sizeof(*d->shared));
	d->shared->vcpu_info.evtchn_upcall_mask = 1; /* masked until the guest is ready */
	d->shared->vcpu_info.vmode = VMM_VMODE_KERNEL;
	time_publish_wallclock(d->shared);
	time_publish(d->shared, 0);
}

static void domain_sched_params(const struct vmm_sched_config *c, struct sched_params *p)
{
	p->weight = c->weight ? c->weight : 1;
	p->warp_enabled = c->warp;
	p->warp_ns = (uint64_t)c->warp_us * 1000;
	p->warp_limit_ns = (uint64_t)c->warp_limit_us * 1000;
	p->unwarp_ns = (uint64_t)c->unwarp_us * 1000;
}

/* Loads the payload through mem (guest address VMM_GUEST_BASE); on failure the reason is in why. */
static int domain_load_image(struct domain *d, uint8_t *mem, const struct vmm_domain_config *cfg,
			     struct elf_load_result *img, char *why, size_t len)
{
	struct elf_load_target target = {
		.va_base = VMM_GUEST_BASE,
		.size = domain_boot_bytes(d), /* what is mapped: the payload must fit */
		.load_min = VMM_GUEST_LOAD_MIN,
		.host = mem,
	};

	return elf_load(cfg->image, (size_t)(cfg->image_end - cfg->image), &target, img, why, len);
}

static void domain_log_layout(const struct domain *d, const struct elf_load_result *img)
{
	vmm_log("*** LOADING DOMAIN : %u (%s) ***", (unsigned)d->id, d->name);
	vmm_log("Memory: %u pages from %08x, L1 table at %08x, %u table frames, p2m list at %08x",
		(unsigned)d->tot_pages, (unsigned)(domain_pfn_to_mfn(d, 0) << 12), (unsigned)(d->l1_mfn << 12),
		(unsigned)d->nr_pt_frames, (unsigned)d->p2m_list_va);
	vmm_log("Loaded kernel: %08x->%08x", (unsigned)img->image_start, (unsigned)img->image_end);
	vmm_log("Shared info: %08x  Start info: %08x  Boot stack: %08x",
		VMM_GUEST_SHARED_INFO, VMM_GUEST_START_INFO, VMM_GUEST_BOOT_STACK);
	vmm_log("TOTAL: %08x->%08x", VMM_GUEST_BASE, (unsigned)(VMM_GUEST_BASE + domain_boot_bytes(d)));
	if (domain_boot_pages(d) < d->max_pages)
		vmm_log("Reservation: %u of at most %u pages (memory_op grows it)", (unsigned)d->tot_pages,
			(unsigned)d->max_pages);
	vmm_log("ENTRY ADDRESS: %08x", (unsigned)img->entry);
}

/*
 * What a new domain may still take after its boot memory: the rest of its
 * reservation (memory_op populate) and, at most, the hypervisor frames its
 * use adds: every event-channel bucket, its grant state (one frame), a p2m
 * leaf for every 4 MiB block of its reservation that has none yet (p2m.h:
 * a populate or decrease of part of a block needs one), and
 * for every 4 MiB chunk of RAM a populated frame may open, its
 * machine-to-physical chunk (one frame) and its frame-table block (two
 * frames, FRAME_CHUNK_BYTES): at most one chunk per frame it may populate,
 * never more than the RAM has (one per 4 MiB of each bank, plus one where a
 * bank starts mid-chunk). Any of these hypervisor frames may have to split
 * a wholly free chunk of the window, whose own block then costs two frames
 * more: counted once per chunk, and once for the buckets, grant state and
 * leaves.
 */
static uint32_t domain_later_frames(const struct domain *d)
{
	struct mm_usage u;
	uint32_t unbacked = d->max_pages - d->tot_pages, chunks;
	uint32_t leaves = p2m_blocks(d->max_pages) - d->p2m.nr_leaves;
	uint32_t block = FRAME_CHUNK_BYTES / (1u << MM_PAGE_SHIFT);
	uint32_t per_chunk = 1 + block + block; /* m2p page, block, a window split */

	mm_usage(&u);
	chunks = (u.ram_bytes >> 22) + VMM_MAX_RAM_BANKS;
	if (unbacked < chunks)
		chunks = unbacked;
	return unbacked + EVTCHN_NR_BUCKETS + 1 + leaves + block + chunks * per_chunk;
}

/*
 * Static partitioning: a domain is only created if the RAM left can back,
 * besides what it took, everything every live domain (itself included) may
 * still take, so no domain's populate, event channel or grant can ever fail
 * because another domain took its share. 0, or -VMM_ENOMEM with nothing
 * promised.
 */
static int domain_promise(struct domain *d)
{
	uint32_t later = domain_later_frames(d), free = mm_free_frames();
	uint32_t hyp = later - (d->max_pages - d->tot_pages);

	if (free < frames_promised || free - frames_promised < later)
		return -VMM_ENOMEM;
	/* The hypervisor frames come from the linear window only: kept there too. */
	if (mm_window_free_frames() < mm_window_reserved() + hyp)
		return -VMM_ENOMEM;
	d->promised = later;
	d->promised_window = hyp;
	frames_promised += later;
	mm_window_reserve(hyp);
	return 0;
}

/* A dead or abandoned domain's promise goes back. */
static void domain_unpromise(struct domain *d)
{
	frames_promised -= d->promised;
	mm_window_unreserve(d->promised_window);
	d->promised = 0;
	d->promised_window = 0;
}

uint32_t domain_frames_promised(void)
{
	return frames_promised;
}

/* Undoes a half-built domain: returns its memory (scrubbed when reused) and slot. */
static void domain_abandon(struct domain *d)
{
	domain_unpromise(d);
	asid_cache_retire(&d->asids); /* before the struct goes back to the allocator */
	domain_mem_teardown(d);
	domain_slot_free(d);
}

/*
 * Loads the image and writes the start-info page and the guest's p2m list
 * through the domain's own tables (arch_mmu_window_open()), so the frames
 * behind them may lie anywhere. 0 or the ELF loader's error.
 */
static int domain_fill_memory(struct domain *d, const struct vmm_domain_config *cfg,
			      struct elf_load_result *img, char *why, size_t len)
{
	uint8_t *mem = arch_mmu_window_open(d->slot);
	int rc = domain_load_image(d, mem, cfg, img, why, len);

	if (rc == 0) {
		domain_copy_p2m_list(d, mem, img);
		domain_fill_start_info(d, (struct vmm_start_info *)(mem + (VMM_GUEST_START_INFO - VMM_GUEST_BASE)),
				       cfg, img);
		arch_sync_icache(mem, domain_boot_bytes(d));
	}
	arch_mmu_window_close();
	return rc;
}

struct domain *domain_create(const struct vmm_domain_config *cfg)
{
	struct elf_load_result img;
	struct sched_params sp;
	struct domain *d;
	char why[96];
	const char *name = cfg->name ? cfg->name : "?";
	bool no_mem;
	int rc;

	if ((cfg->flags & VMM_DOMCFG_PMU_USER) && !vmm_board.has_pmu) {
		vmm_log("domain '%s' refused: VMM_DOMCFG_PMU_USER but %s has no PMU", name, vmm_board.name);
		return NULL;
	}
	d = domain_slot_alloc(&no_mem);
	if (!d) {
		if (no_mem)
			vmm_log("domain '%s' refused: no hypervisor memory for its state", name);
		else
			vmm_log("domain '%s' refused: all %u domain slots in use", name, VMM_MAX_DOMAINS);
		return NULL;
	}
	strncpy(d->name, name, sizeof(d->name) - 1);
	d->flags = cfg->flags;
	d->mem_size = cfg->mem_size;
	policy_domain_init(d, cfg->types);
	d->init_pages = cfg->mem_initial >> MM_PAGE_SHIFT; /* 0: all of mem_size */
	d->id = next_domid; /* frames are owned by the id: set before taking any */

	rc = domain_mem_build(d, d->mem_size, why, sizeof(why));
	if (rc != 0) {
		vmm_log("domain '%s' refused: %u MiB: %s (%u MiB free)", name, (unsigned)(d->mem_size >> 20),
			why, (unsigned)(mm_free_frames() >> 8));
		domain_slot_free(d);
		return NULL;
	}
	if (domain_promise(d) != 0) {
		vmm_log("domain '%s' refused: its %u MiB reservation does not fit the RAM left "
			"(%u KiB free, %u KiB kept for earlier domains, %u KiB needed)", name,
			(unsigned)(d->mem_size >> 20), (unsigned)(mm_free_frames() << 2),
			(unsigned)(frames_promised << 2), (unsigned)(domain_later_frames(d) << 2));
		domain_abandon(d);
		return NULL;
	}
	rc = domain_fill_memory(d, cfg, &img, why, sizeof(why));
	if (rc != 0) {
		vmm_log("domain '%s' refused: bad payload image: %s", name, why);
		domain_abandon(d);
		return NULL;
	}

	domain_sched_params(&cfg->sched, &sp);
	vmm_snprintf(d->tag, sizeof(d->tag), "dom%u", (unsigned)d->id);
	rc = sched_add(&d->sched, d->id, &sp);
	if (rc != 0) {
		vmm_log("domain '%s' refused: scheduler parameters rejected (%d)", name, rc);
		domain_abandon(d);
		return NULL;
	}
	next_domid++;

	domain_fill_shared_info(d);
	domain_fill_frame(d, img.entry);
	d->state = DOMAIN_BLOCKED; /* made runnable by the boot code */
	domain_log_layout(d, &img);
	return d;
}

static const char *domain_reason_name(int reason)
{
	switch (reason) {
	case VMM_SHUTDOWN_poweroff:
		return "poweroff";
	case VMM_SHUTDOWN_reboot:
		return "reboot";
	case VMM_SHUTDOWN_crash:
		return "crash";
	default:
		return "unknown";
	}
}

/* A dead domain's storage (struct and hypervisor stack) back to the allocator; its slot is free. */
static void domain_slot_reap(struct domain *d)
{
	uint32_t id = d->id;

	domain_slot_free(d);
	vmm_log("dom%u: memory returned to the allocator (%u KiB free)", (unsigned)id,
		(unsigned)(mm_free_frames() << (MM_PAGE_SHIFT - 10)));
}

bool domain_reap(void)
{
	uint64_t deadline;
	unsigned int i;

	if (nr_unreaped == 0)
		return false;
	deadline = time_now() + VMM_TEARDOWN_STEP_NS;
	for (i = 0; i < VMM_MAX_DOMAINS; i++) {
		struct domain *d = domains[i];

		if (!d || d->state != DOMAIN_DEAD || d == current)
			continue;
		if (!domain_mem_teardown_step(d, deadline))
			return true; /* the rest at the next call */
		domain_slot_reap(d);
		nr_unreaped--;
	}
	return false;
}

void domain_kill(struct domain *d, int reason)
{
	uint64_t now, cpu_us;
	bool done;

	if (!domain_live(d))
		return;
	schedule_settle(); /* its CPU time and the scheduler's state, as of now */
	now = time_now();
	cpu_us = (d->cpu_time_ns + (d == current ? now - d->run_start_ns : 0)) / 1000;
	console_flush(&d->console, d->tag);
	if (d->state == DOMAIN_RUNNABLE)
		sched_sleep(&d->sched, now);
	sched_remove(&d->sched, now);
	d->state = DOMAIN_DEAD;
	d->shutdown_reason = reason;
	vcpu_state_release(d);
	asid_cache_retire(&d->asids); /* its ASIDs are never reused before a full flush */
	schedule_timer_cancel(d);
	evtchn_domain_destroy(d); /* peers go back to unbound, PIRQs are released */
	grant_domain_destroy(d);  /* its mappings go; its granted frames stay while mapped */
	if (reason != VMM_SHUTDOWN_poweroff && reason != VMM_SHUTDOWN_reboot)
		any_domain_failed = true;
	vmm_log("dom%u (%s) shut down: %s, %llu.%06llu s CPU of %llu.%06llu s", (unsigned)d->id, d->name,
		domain_reason_name(reason), (unsigned long long)(cpu_us / 1000000),
		(unsigned long long)(cpu_us % 1000000), (unsigned long long)(now / 1000000000),
		(unsigned long long)((now / 1000) % 1000000));
	/* Its memory and tables go back (off its table first), a step now and
	 * the rest from the idle loop (domain_reap()); the struct with the
	 * stack the CPU may be running on goes once nobody runs on it. */
	arch_mmu_domain_clear(d->slot);
	domain_unpromise(d);
	nr_unreaped++;
	done = domain_mem_teardown_step(d, now + VMM_TEARDOWN_STEP_NS);
	if (d == current)
		schedule_leave_dead(d); /* does not return on the target */
	else if (done) {
		domain_slot_reap(d);
		nr_unreaped--;
	}
}
