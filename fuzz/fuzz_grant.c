/*
 * libFuzzer harness over grant_table_op arguments: sequences of
 * setup_table, query_size, map, unmap, copy and raw batch calls from three
 * domains, plus the granters rewriting their entries, against the fake
 * environment of test/unit/grant_fake.h. After every call:
 *   - every frame's reference and type counts equal what the tables and the
 *     live mappings imply (1 + 1 per table use + 1 per mapping; the type
 *     count only for writable ones);
 *   - the mappings the page-table fake holds are exactly the grantees'
 *     maptrack entries, none read/write of a read-only mapping;
 *   - every grant in use has exactly the in-use bits its pins say;
 *   - no frame_map() is left unbalanced.
 * At the end everything is unmapped and every count is back to its start.
 * Any violation aborts (a libFuzzer crash).
 *
 * The granters rewrite entries at will (frame, grantee, type, read-only,
 * unknown bits) but, like a correct guest, leave the in-use bits alone
 * (forged ones are a unit test).
 *
 * Input: records of 11 bytes (op, caller, a: u8, b: u32 LE, c: u32 LE),
 * folded so that most name valid domains, refs and addresses.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grant_fake.h"
#include "log.h"

long vmm_vreject(uint32_t domid, uint32_t *logged, long err, const char *fmt, va_list ap)
{
	(void)domid;
	(void)fmt;
	(void)ap;
	++*logged;
	return err;
}

long vmm_reject(uint32_t domid, uint32_t *logged, long err, const char *fmt, ...)
{
	(void)domid;
	(void)fmt;
	++*logged;
	return err;
}

static void die(const char *what)
{
	fprintf(stderr, "fuzz_grant: invariant broken: %s\n", what);
	abort();
}

static void check(void)
{
	uint32_t want_ref[GF_NR], want_type[GF_NR];
	uint32_t d, i, j, maps = 0, live = 0;

	if (gf_mapped_now)
		die("frame_map without frame_unmap");
	for (i = 0; i < GF_NR; i++)
		want_ref[i] = want_type[i] = i < GF_NDOM * GF_PER_DOM ? 1u : 0u;
	for (d = 1; d <= GF_NDOM; d++) {
		struct gnttab *gt = &gf_gt[d];

		for (i = 0; i < gt->nr_frames; i++) {
			want_ref[gt->frames[i] - GF_BASE]++;
			want_type[gt->frames[i] - GF_BASE]++;
		}
		for (i = 0; i < VMM_GNTTAB_MAPTRACK_MAX; i++) {
			struct gnttab_maptrack *m = &gt->maptrack[i];
			struct gf_map *g;

			if (!m->used)
				continue;
			maps++;
			want_ref[m->frame - GF_BASE]++;
			if (!m->readonly)
				want_type[m->frame - GF_BASE]++;
			g = gf_map_find(d, m->va);
			if (!g || g->mfn != m->frame || g->readonly != m->readonly)
				die("maptrack entry without its page-table mapping");
			if (m->granter && frame_get(&gf_ft, m->frame)->owner != m->granter->domid)
				die("mapped frame not the granter's");
		}
		for (i = 0; i < GNTTAB_ACTIVE_MAX; i++) {
			struct gnttab_active *a = &gt->active[i];
			struct vmm_grant_entry e;
			uint32_t ro = 0, rw = 0, dd;

			if (!a->ro_pins && !a->rw_pins)
				continue;
			for (dd = 1; dd <= GF_NDOM; dd++)
				for (j = 0; j < VMM_GNTTAB_MAPTRACK_MAX; j++) {
					struct gnttab_maptrack *m = &gf_gt[dd].maptrack[j];
					if (m->granter == gt && m->ref == a->ref) {
						if (m->frame != a->frame)
							die("mapping of another frame than the grant in use");
						m->readonly ? ro++ : rw++;
					}
				}
			if (ro != a->ro_pins || rw != a->rw_pins)
				die("pin counts differ from the mappings");
			e = gf_entry_get(d, a->ref);
			if (!(e.flags & VMM_GTF_reading) || !!(e.flags & VMM_GTF_writing) != (rw != 0))
				die("in-use bits not exact");
		}
	}
	for (i = 0; i < GF_MAPS; i++)
		live += gf_maps[i].used;
	if (live != maps)
		die("page-table mappings without a maptrack entry");
	for (i = 0; i < GF_NR; i++) {
		const struct frame *f = frame_get(&gf_ft, GF_BASE + i);

		if (f->u.use.refcount != want_ref[i])
			die("reference count");
		if (f->u.use.type_count != want_type[i])
			die("type count");
		if (f->u.use.type_count && f->type != FRAME_TYPE_WRITABLE)
			die("type");
	}
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Mostly a live domain, sometimes anything. */
static uint16_t fold_dom(uint8_t a)
{
	switch (a & 7u) {
	case 0: return VMM_DOMID_SELF;
	case 7: return (uint16_t)(a << 8 | a);
	default: return (uint16_t)(1u + a % GF_NDOM);
	}
}

static void step(const uint8_t *r)
{
	uint32_t caller = 1u + r[1] % GF_NDOM, a = r[2], b = le32(r + 3), c = le32(r + 7);
	struct gnttab *gt = &gf_gt[caller];

	switch (r[0] % 7u) {
	case 0: { /* setup_table on frames of the caller (or b raw) */
		uint32_t n = a & 0x80 ? b : 1u + a % VMM_GNTTAB_MAX_FRAMES, i, list[VMM_GNTTAB_MAX_FRAMES];
		struct vmm_gnttab_setup_table op = { fold_dom(r[1]), 0, n, GF_GVA + 0x3F00u, 0 };

		for (i = 0; i < VMM_GNTTAB_MAX_FRAMES; i++)
			list[i] = c & 0x80000000u ? c + i : gf_mfn(caller, (c + i) % GF_PER_DOM);
		memcpy(&gf_guest[caller][0x3F00], list, sizeof(list));
		gnttab_setup_table(gt, &op);
		break;
	}
	case 1: { /* the granter writes an entry (any fields; the in-use bits it leaves alone) */
		uint32_t ref;
		uint16_t inuse;

		if (!gt->nr_frames)
			break;
		ref = (a & 0x40 ? b : b % 16u) % GNTTAB_NR_REFS(gt->nr_frames);
		inuse = gf_entry_get(caller, ref).flags & (VMM_GTF_reading | VMM_GTF_writing);
		gf_entry_set(caller, ref, (uint16_t)((a & 0x27) | inuse),
			     fold_dom((uint8_t)(c >> 24)), c & 0x00800000u ? c : gf_mfn(1u + (c >> 8) % GF_NDOM, c % GF_PER_DOM));
		break;
	}
	case 2: { /* map */
		struct vmm_gnttab_map_grant_ref op = { (c & 1u ? c : 0x80000000u + (c % 64u) * 0x1000u),
						       a & 0x80 ? b : (VMM_GNTMAP_host_map | (a & VMM_GNTMAP_readonly)),
						       a & 0x40 ? b : b % 16u, fold_dom((uint8_t)(a >> 3)), 0, 0, 0 };
		gnttab_map(gt, &op);
		break;
	}
	case 3: { /* unmap */
		struct vmm_gnttab_unmap_grant_ref op = { 0, a & 0x80 ? b : b % VMM_GNTTAB_MAPTRACK_MAX, 0 };

		op.host_addr = op.handle < VMM_GNTTAB_MAPTRACK_MAX && !(a & 1) ? gt->maptrack[op.handle].va : c;
		gnttab_unmap(gt, &op);
		break;
	}
	case 4: { /* copy */
		struct vmm_gnttab_copy op = {
			{ a & 1 ? b % 16u : GF_GVA + (b % GF_GSIZE), fold_dom((uint8_t)(b >> 24)), (uint16_t)(c >> 16) },
			{ a & 2 ? c % 16u : GF_GVA + (c % GF_GSIZE), fold_dom((uint8_t)(a >> 2)), (uint16_t)(a & 8 ? c : 0) },
			(uint16_t)(a & 0x80 ? b : 1u + b % 4096u), (uint16_t)(a & 0x40 ? a : a & 3), 0 };
		gnttab_copy(gt, &op);
		break;
	}
	case 5: /* a raw batch from the caller's memory */
		gnttab_op(gt, a % 8u, b & 1 ? b : GF_GVA + (b % GF_GSIZE), c % 40u);
		break;
	default: /* the policy, or the page-table path refusing once */
		if (a & 1) {
			gf_deny_a = 1u + b % GF_NDOM;
			gf_deny_b = 1u + c % GF_NDOM;
		} else {
			gf_map_fail = -(int)(1u + c % 30u);
		}
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t at;
	uint32_t d, i;

	gf_reset();
	for (at = 0; at + 11 <= size; at += 11) {
		step(data + at);
		check();
	}
	/* unmap everything: every count back to the start */
	for (d = 1; d <= GF_NDOM; d++)
		for (i = 0; i < VMM_GNTTAB_MAPTRACK_MAX; i++)
			if (gf_gt[d].maptrack[i].used) {
				struct vmm_gnttab_unmap_grant_ref op = { gf_gt[d].maptrack[i].va, i, 0 };
				if (gnttab_unmap(&gf_gt[d], &op))
					die("unmap of a live mapping refused");
			}
	check();
	for (d = 1; d <= GF_NDOM; d++)
		if (gnttab_active_count(&gf_gt[d]))
			die("grants still in use after unmapping everything");
	return 0;
}
