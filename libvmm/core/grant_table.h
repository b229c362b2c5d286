/*
 * Grant tables (issue 11): the logic of grant_table_op (ABI and rules in
 * include/vmm/grant_table.h, docs/abi.md "Grant tables").
 *
 * State per domain (struct gnttab): the frames of its table (entries live
 * in guest memory, the guest writes them), the hypervisor's own record of
 * its grants in use (`active`: frame, grantee and pin counts, so a granter
 * rewriting an entry while it is mapped changes nothing), and the mappings
 * it holds as a grantee (`maptrack`, indexed by the handle).
 *
 * Counts in the frame table (frametable.h), always:
 *   a table frame:        +1 reference and +1 WRITABLE type use while it is
 *                         the domain's table (so it cannot be pinned as a
 *                         page table, nor freed);
 *   a granted frame:      +1 reference per grant mapping, and +1 WRITABLE
 *                         type use per read/write grant mapping (so a page
 *                         table is never mapped writable through a grant,
 *                         and the granter cannot free the frame while it
 *                         is mapped).
 *
 * Everything outside this module goes through struct gnttab_ops: domain
 * lookup, frame tables, frame memory, the caller's memory, the access
 * policy and the page-table path for grant mappings. So the same code runs
 * on the target (core/grant_glue.c) and in host tests against fakes.
 * Single core, called with interrupts masked.
 */
#ifndef VMM_CORE_GRANT_TABLE_H
#define VMM_CORE_GRANT_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "frametable.h"
#include "vmm/grant_table.h"

#define GNTTAB_NR_REFS(nr_frames) ((nr_frames) * VMM_GNTTAB_ENTRIES_PER_FRAME)
/* Grants of one domain in use (mapped) at once, over all its grantees. */
#define GNTTAB_ACTIVE_MAX VMM_GNTTAB_MAPTRACK_MAX

/* A grant of this domain that is mapped somewhere. */
struct gnttab_active {
	uint32_t ref;       /* grant reference */
	uint32_t frame;     /* the frame mapped (the entry's frame at the first map) */
	uint16_t grantee;   /* the entry's grantee at the first map */
	uint16_t pad;
	uint32_t ro_pins;   /* read-only mappings of it; 0 and rw_pins 0: slot free */
	uint32_t rw_pins;   /* read/write mappings */
};

/* A mapping this domain holds as a grantee; the index is the handle. */
struct gnttab_maptrack {
	struct gnttab *granter; /* NULL once the granter died (its frame stays until unmapped) */
	uint32_t ref;
	uint32_t frame;
	uint32_t va;            /* host_addr */
	uint32_t pte;           /* machine address of the entry mapping it (from map_va) */
	bool used;              /* false: free slot */
	bool readonly;
};

struct gnttab {
	uint32_t domid;
	uint32_t nr_frames;                         /* 0: no table */
	uint32_t frames[VMM_GNTTAB_MAX_FRAMES];     /* machine frames of the table */
	struct gnttab_active active[GNTTAB_ACTIVE_MAX];
	struct gnttab_maptrack maptrack[VMM_GNTTAB_MAPTRACK_MAX];
	uint32_t *rejections_logged;                /* rate limit of its [VMM] lines (log.h) */
	uint32_t log_budget;                        /* the counter until the owner points it elsewhere */
};

struct gnttab_ops {
	/* The table of a live domain, or NULL (no such domain, or dead). */
	struct gnttab *(*table_of)(void *ctx, uint32_t domid);
	/* The frame table covering mfn, or NULL. */
	struct frame_table *(*frames)(void *ctx, uint32_t mfn);
	/* The hypervisor's view of frame mfn (4 KiB), until frame_unmap. */
	void *(*frame_map)(void *ctx, uint32_t mfn);
	void (*frame_unmap)(void *ctx, void *p);
	/* Copies from/to domain domid's memory at guest address va: 0 or -VMM_EFAULT. */
	int (*copy_from)(void *ctx, uint32_t domid, void *dst, uint32_t va, uint32_t len);
	int (*copy_to)(void *ctx, uint32_t domid, uint32_t va, const void *src, uint32_t len);
	/* True if copy_from() (write: copy_to()) of [va, va + len) in domid's memory would succeed. */
	bool (*accessible)(void *ctx, uint32_t domid, uint32_t va, uint32_t len, bool write);
	/* The access policy between a granter and a grantee: 0 or -VMM_EPERM. */
	int (*policy)(void *ctx, uint32_t granter, uint32_t grantee);
	/*
	 * The page-table path for grant mappings (pt_grant_map/pt_grant_unmap):
	 * writes an entry mapping the foreign frame mfn at va in domid's current
	 * address space (the entry must be empty) and returns the entry's
	 * machine address in *pte / removes the entry at pte (which must map
	 * mfn) and flushes the TLB. Counts are the grant module's (taken before
	 * map_va, dropped after unmap_va). 0, or -VMM_EINVAL / -VMM_EPERM /
	 * -VMM_EBUSY as documented for map.
	 */
	int (*map_va)(void *ctx, uint32_t domid, uint32_t va, uint32_t mfn, bool readonly, uint32_t *pte);
	int (*unmap_va)(void *ctx, uint32_t domid, uint32_t pte, uint32_t mfn);
	/*
	 * A grant mapping of frame mfn whose granter died is gone (its counts
	 * dropped): if nothing holds the frame any more, it goes back to the
	 * allocator now (Xen's rule: a granted frame is freed by its last
	 * unmap, never while mapped).
	 */
	void (*orphan_put)(void *ctx, uint32_t mfn);
};

/* Installs the environment (once at boot; tests per case). */
void gnttab_init(const struct gnttab_ops *ops, void *ctx);

/* Empties a domain's table state (no table, no grants in use, no mappings). */
void gnttab_domain_init(struct gnttab *gt, uint32_t domid);

/*
 * Domain death (called before its memory is torn down, its address space
 * still live). gnttab_release(): every mapping gt holds is unmapped and its
 * counts and the granter's pins and in-use flags dropped; its table frames'
 * counts are given back. gnttab_forget_granter(): the mappings `grantee`
 * holds of the dying `granter`'s grants stay (the frames' counts keep them
 * out of the allocator) but no longer point at its state; their unmap
 * frees the frame through orphan_put. Call it for every other live table,
 * then free gt's storage.
 */
void gnttab_release(struct gnttab *gt);
void gnttab_forget_granter(struct gnttab *grantee, const struct gnttab *granter);

/* Single operations of the caller `gt`; each returns the status it would report. */
int gnttab_setup_table(struct gnttab *gt, struct vmm_gnttab_setup_table *op);
int gnttab_query_size(struct gnttab *gt, struct vmm_gnttab_query_size *op);
int gnttab_map(struct gnttab *gt, struct vmm_gnttab_map_grant_ref *op);
int gnttab_unmap(struct gnttab *gt, struct vmm_gnttab_unmap_grant_ref *op);
int gnttab_copy(struct gnttab *gt, struct vmm_gnttab_copy *op);

/* grant_table_op(cmd, uop, count) for the caller gt: the batch (grant_hcall.c). */
long gnttab_op(struct gnttab *gt, uint32_t cmd, uint32_t uop, uint32_t count);

/* Grants of gt in use (mapped anywhere): for tests and the memory code. */
uint32_t gnttab_active_count(const struct gnttab *gt);

/* --- shared by grant_table.c, grant_copy.c, grant_hcall.c ---------------- */
extern const struct gnttab_ops *gnttab_env_ops;
extern void *gnttab_env_ctx;

int gnttab_fail(struct gnttab *gt, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Reads entry `ref` of gt into *e: -VMM_EINVAL if ref is outside the table. */
int gnttab_entry_read(struct gnttab *gt, uint32_t ref, struct vmm_grant_entry *e);
/* The checks every use of a grant passes (type, flags, grantee, readonly, policy, frame owner). */
int gnttab_entry_check(struct gnttab *granter, uint32_t ref, uint32_t grantee, bool write,
		       struct gnttab *caller, struct vmm_grant_entry *e);
struct gnttab_active *gnttab_active_find(struct gnttab *gt, uint32_t ref);

#endif /* VMM_CORE_GRANT_TABLE_H */
