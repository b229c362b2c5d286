/*
 * Grant benchmarks (docs/performance.md, "Grant tables"), PMCCNTR under
 * -icount shift=0 (instructions). dom1 (command line "granter") grants a
 * ring page and a data page to dom0 and waits until dom0 is done with them;
 * dom0 plays both ring ends on them, so the figures are the hypervisor's
 * grant work and the ring code without domain switches or event delivery
 * (those are the event-channel benchmarks):
 *   - map_grant_ref + unmap_grant_ref of one page (minimum of 64);
 *   - ring throughput, bytes per 1,000 instructions, 64-byte and 4 KiB
 *     messages: the front end queues requests in batches of 16 (Mini-OS
 *     ring, examples/minios/ring.c), the back end takes each message's bytes
 *     into its own buffer either through a mapped grant (memcpy from the
 *     mapping) or with grant copy (one batched grant_table_op per 16
 *     messages), answers, and the front end reads the answers.
 */
#include "probe_grant.h"
#include "probe_lib.h"
#include "minios/ring.h"
#include "vmm/grant_table.h"

void probe_main(const struct vmm_start_info *si);

void *memset(void *d, int c, unsigned int n);
void *memcpy(void *d, const void *s, unsigned int n);

void *memset(void *d, int c, unsigned int n)
{
	unsigned char *p = d;

	while (n--)
		*p++ = (unsigned char)c;
	return d;
}

void *memcpy(void *d, const void *s, unsigned int n)
{
	uint32_t *dw = d;
	const uint32_t *sw = s;
	unsigned char *db;
	const unsigned char *sb;

	if (!(((uint32_t)d | (uint32_t)s) & 3u)) {
		for (; n >= 4; n -= 4)
			*dw++ = *sw++;
	}
	db = (unsigned char *)dw;
	sb = (const unsigned char *)sw;
	while (n--)
		*db++ = *sb++;
	return d;
}

#define RING_REF  1u
#define DATA_REF  2u
#define MAP_VA    0x40000000u   /* the ring as the back end sees it */
#define DATA_VA   0x40001000u   /* the 4 KiB data page as the back end sees it */
#define BATCH     16u

static uint8_t table[4096] __attribute__((aligned(4096)));
static uint8_t ring_page[4096] __attribute__((aligned(4096)));
static uint8_t data_page[4096] __attribute__((aligned(4096)));
static uint8_t back_buf[4096] __attribute__((aligned(8)));
static const uint32_t *p2m;
static uint32_t self;
#define BENCH_DOM   0u
#define GRANTER_DOM 1u

static uint32_t mfn_of(const void *p)
{
	return p2m[((uint32_t)p - VMM_GUEST_BASE) >> 12];
}

static void grant(uint32_t ref, const void *page)
{
	volatile struct vmm_grant_entry *e = (volatile struct vmm_grant_entry *)table + ref;

	e->frame = mfn_of(page);
	e->domid = BENCH_DOM;
	__sync_synchronize();
	e->flags = VMM_GTF_permit_access;
}

struct rsp {
	uint32_t id, status;
};

static struct vmm_gnttab_copy copies[BATCH];

/*
 * Moves `n` messages of `len` bytes through the ring and returns the
 * instructions it took. 64-byte messages live in the request slots; 4 KiB
 * ones in the data page (the request names it). mapped: the back end reads
 * through its mappings; else with grant copy.
 */
static uint32_t ring_run(uint32_t n, uint32_t len, int mapped)
{
	struct ring_front f;
	struct ring_back b;
	uint32_t sent = 0, t0, t1, i, k;
	uint8_t *back_ring = (uint8_t *)MAP_VA;

	ring_shared_init((struct ring_shared *)MAP_VA);
	ring_front_init(&f, (void *)MAP_VA, 4096, 64);
	ring_back_init(&b, back_ring, 4096, 64);
	t0 = probe_ccnt();
	while (sent < n) {
		for (k = 0; k < BATCH; k++) {
			uint32_t *req = ring_front_next_req(&f);

			req[0] = sent + k;
			if (len <= 60)
				memcpy(req + 1, back_buf, len);
			ring_front_queue(&f);
		}
		ring_front_push(&f);
		/* back end: take the batch */
		for (k = 0; ring_back_unconsumed(&b); k++) {
			const uint8_t *req = ring_back_peek_req(&b);
			uint32_t off = (uint32_t)(req - back_ring);

			if (mapped) {
				memcpy(back_buf, len <= 60 ? req + 4 : (const uint8_t *)DATA_VA, len);
			} else {
				copies[k].source.u = len <= 60 ? RING_REF : DATA_REF;
				copies[k].source.domid = GRANTER_DOM;
				copies[k].source.offset = (uint16_t)(len <= 60 ? off + 4u : 0u);
				copies[k].dest.u = (uint32_t)back_buf;
				copies[k].dest.domid = VMM_DOMID_SELF;
				copies[k].dest.offset = 0;
				copies[k].len = (uint16_t)len;
				copies[k].flags = VMM_GNTCOPY_source_gref;
			}
			ring_back_consume(&b);
		}
		if (!mapped && probe_gnttab(VMM_GNTTABOP_copy, copies, k) != 0)
			probe_puts("FAIL grant copy batch\n");
		for (i = 0; i < k; i++) {
			struct rsp *r = ring_back_next_rsp(&b);

			r->id = sent + i;
			r->status = mapped ? 0 : (uint32_t)copies[i].status;
			ring_back_queue(&b);
		}
		ring_back_push(&b);
		/* front end: read the answers */
		while (ring_front_unconsumed(&f)) {
			const struct rsp *r = ring_front_peek_rsp(&f);

			if (r->status != 0)
				probe_puts("FAIL a message was refused\n");
			ring_front_consume(&f);
		}
		sent += BATCH;
	}
	t1 = probe_ccnt();
	return t1 - t0;
}

static void report_ring(const char *what, uint32_t n, uint32_t len, int mapped)
{
	uint32_t instr = ring_run(n, len, mapped);
	uint64_t per_k = (uint64_t)n * len * 1000u / instr;

	probe_puts("ring ");
	probe_puts(what);
	probe_puts(" = ");
	probe_putd((long)per_k);
	probe_puts(" bytes per 1000 instructions (");
	probe_putd((long)instr);
	probe_puts(" instructions for ");
	probe_putd((long)n);
	probe_puts(" messages)\n");
}

/* dom1: grants the two pages to dom0, then waits until dom0 has mapped and unmapped the ring. */
static void granter(void)
{
	volatile struct vmm_grant_entry *ring = (volatile struct vmm_grant_entry *)table + RING_REF;
	int seen = 0;

	grant(RING_REF, ring_page);
	grant(DATA_REF, data_page);
	while (!seen || (ring->flags & VMM_GTF_reading)) {
		if (ring->flags & VMM_GTF_reading)
			seen = 1;
		HYPERVISOR_sched_op(VMM_SCHEDOP_yield, 0);
	}
	probe_puts("granter: done\n");
	probe_shutdown(VMM_SHUTDOWN_poweroff);
}

void probe_main(const struct vmm_start_info *si)
{
	static struct vmm_gnttab_setup_table setup;
	static uint32_t frame;
	uint32_t handle, ring_handle, data_handle, best = 0xffffffffu, t0, t1, i;

	p2m = (const uint32_t *)si->p2m_list;
	self = si->domid;
	if (probe_cmdline_has(si->cmd_line, "granter")) {
		frame = mfn_of(table);
		setup.dom = VMM_DOMID_SELF;
		setup.nr_frames = 1;
		setup.frame_list = (uint32_t)&frame;
		probe_expect("setup_table", probe_gnttab(VMM_GNTTABOP_setup_table, &setup, 1) ? -1 : setup.status, 0);
		granter();
	}
	probe_expect("own L2 at 0x40000000", probe_l2_setup(si, p2m, MAP_VA), 0);
	/* dom1 publishes its grants when it first runs */
	for (i = 0; i < 100 && probe_grant_map(GRANTER_DOM, DATA_REF, DATA_VA, &handle) != 0; i++)
		HYPERVISOR_sched_op(VMM_SCHEDOP_yield, 0);
	probe_expect("unmap", probe_grant_unmap(DATA_VA, handle), 0);
	for (i = 0; i < 64; i++) {
		t0 = probe_ccnt();
		probe_grant_map(GRANTER_DOM, DATA_REF, DATA_VA, &handle);
		probe_grant_unmap(DATA_VA, handle);
		t1 = probe_ccnt();
		if (t1 - t0 < best)
			best = t1 - t0;
	}
	probe_puts("grant map + unmap of one page = ");
	probe_putd((long)best);
	probe_puts(" instructions\n");
	probe_expect("map the ring", probe_grant_map(GRANTER_DOM, RING_REF, MAP_VA, &ring_handle), 0);
	probe_expect("map the data page", probe_grant_map(GRANTER_DOM, DATA_REF, DATA_VA, &data_handle), 0);
	report_ring("64 B mapped", 1024, 60, 1);
	report_ring("64 B copy", 1024, 60, 0);
	report_ring("4 KiB mapped", 256, 4096, 1);
	report_ring("4 KiB copy", 256, 4096, 0);
	probe_expect("unmap the ring", probe_grant_unmap(MAP_VA, ring_handle), 0);
	probe_expect("unmap the data page", probe_grant_unmap(DATA_VA, data_handle), 0);
	probe_puts(probe_failures ? "bench_grant: FAIL\n" : "bench_grant: done\n");
	probe_shutdown(probe_failures ? VMM_SHUTDOWN_crash : VMM_SHUTDOWN_poweroff);
}
