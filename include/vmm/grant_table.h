/*
 * libvmm grant-table ABI: grant_table_op (hypercall 20), Xen 3.0 "v1"
 * semantics with libvmm's error codes. docs/abi.md ("Grant tables") is the
 * reference; this header defines the structures and values.
 *
 * A domain (the granter) shares one of its machine frames with another
 * domain (the grantee) by filling an entry of its grant table: the frame,
 * the grantee's id and GTF_permit_access (with GTF_readonly for read-only
 * access). The entry's index is the grant reference, which the granter
 * passes to the grantee (e.g. over a ring). The grantee may then
 *   - map the frame into its current address space (MAP_GRANT_REF), and
 *     unmap it again (UNMAP_GRANT_REF), or
 *   - have the hypervisor copy bytes from or into it (COPY).
 * Every map and copy also passes the image's access policy between the two
 * domains (-VMM_EPERM when refused).
 *
 * The table: the granter gives the hypervisor 1..VMM_GNTTAB_MAX_FRAMES of
 * its own frames (SETUP_TABLE); they stay mapped writable in the granter,
 * which writes its entries directly. The hypervisor keeps its own record of
 * every grant in use (frame, grantee, pin counts), so what the granter
 * writes into an entry while it is mapped changes nothing for the mapping:
 * the frame stays referenced until the last unmap (the granter cannot give
 * it back: memory_op decrease_reservation refuses it with -VMM_EBUSY).
 *
 * Protocol to revoke a grant: the granter reads the entry's flags; if
 * neither GTF_reading nor GTF_writing is set, it writes flags = 0 and the
 * grant is gone (single core: the hypervisor never runs while the guest
 * writes). Otherwise the grantee still uses it.
 *
 * Frame numbers are machine frame numbers (the guest's p2m list gives them,
 * vmm/guest_info.h), like every frame in the page-table ABI (vmm/mmu.h).
 *
 * Self-standing, no compiler extensions (guests include it with any toolchain).
 */
#ifndef VMM_GRANT_TABLE_H
#define VMM_GRANT_TABLE_H

#include <stdint.h>

/* ---------------------------------------------------------------------------
 * The table entry (8 bytes; 512 per 4 KiB frame). Grant reference r is
 * entry r % 512 of table frame r / 512.
 */
struct vmm_grant_entry {
	uint16_t flags;  /* GTF_*: type, access and in-use bits */
	uint16_t domid;  /* the grantee: the only domain that may use the grant */
	uint32_t frame;  /* machine frame of the granter shared by the grant */
};

#define VMM_GNTTAB_ENTRIES_PER_FRAME 512u
#define VMM_GNTTAB_MAX_FRAMES        4u    /* so at most 2048 grant references per domain */

/* flags, bits 1:0: the entry's type. */
#define VMM_GTF_invalid        0u  /* no grant (any other bits are ignored) */
#define VMM_GTF_permit_access  1u  /* the grantee may map / copy the frame */
#define VMM_GTF_accept_transfer 2u /* page transfer: not supported (-VMM_EINVAL) */
#define VMM_GTF_type_mask      3u  /* type 3 is reserved (-VMM_EINVAL) */
/* Written by the granter: */
#define VMM_GTF_readonly       (1u << 2) /* the grantee may only read the frame */
/* Written by the hypervisor only (the in-use bits): */
#define VMM_GTF_reading        (1u << 3) /* the grant is mapped (read-only or read/write) */
#define VMM_GTF_writing        (1u << 4) /* the grant is mapped read/write */
/* Every other bit (5..15) must be 0 in a permit_access entry (-VMM_EINVAL). */
#define VMM_GTF_known_mask     0x1Fu

/* ---------------------------------------------------------------------------
 * grant_table_op(cmd, uop, count)
 *   cmd:   VMM_GNTTABOP_*.
 *   uop:   guest address of `count` structures of the command's type, in the
 *          caller's memory; each is read, run, and its OUT fields (status
 *          and others) written back, in order.
 *   count: 0..VMM_GNTTAB_BATCH_MAX (-VMM_E2BIG above, nothing done).
 * Returns 0 when every structure was processed (each has its own status:
 * 0 or a negative VMM_E* code), -VMM_EINVAL for an unknown cmd, -VMM_EFAULT
 * if a structure cannot be read or written back (the ones before it were
 * processed and written), -VMM_ENOMEM if the caller has no grant state yet
 * and no hypervisor frame is free for it (nothing done).
 */
#define VMM_GNTTABOP_map_grant_ref   0
#define VMM_GNTTABOP_unmap_grant_ref 1
#define VMM_GNTTABOP_setup_table     2
#define VMM_GNTTABOP_copy            5
#define VMM_GNTTABOP_query_size      6
/* 3 (dump_table), 4 (transfer) and every other number: -VMM_EINVAL. */

#define VMM_GNTTAB_BATCH_MAX 32u

/* ---------------------------------------------------------------------------
 * SETUP_TABLE: gives the hypervisor the frames of the caller's grant table.
 *   dom:        VMM_DOMID_SELF or the caller's own id (-VMM_EPERM otherwise).
 *   nr_frames:  1..VMM_GNTTAB_MAX_FRAMES (-VMM_EINVAL otherwise; 2^31 and
 *               2^32-1 included).
 *   frame_list: IN, guest address of nr_frames uint32_t machine frame numbers
 *               (-VMM_EFAULT outside the caller's memory). Each frame must be
 *               the caller's (-VMM_EPERM), not a page table (-VMM_EBUSY: the
 *               hypervisor writes the in-use bits into it), and listed once
 *               (-VMM_EINVAL). The hypervisor takes a reference and a
 *               writable type use of each until the table is replaced.
 *   status:     OUT, 0 or the error.
 * A second SETUP_TABLE replaces the table, unless a grant of the old table is
 * mapped (-VMM_EBUSY). Entries are read from the frames when used: the guest
 * clears them before it publishes grants.
 */
struct vmm_gnttab_setup_table {
	uint16_t dom;
	uint16_t pad;         /* must be 0 (-VMM_EINVAL) */
	uint32_t nr_frames;
	uint32_t frame_list;
	int32_t status;
};

/*
 * QUERY_SIZE: the caller's table size.
 *   dom:           VMM_DOMID_SELF or the caller's id (-VMM_EPERM otherwise).
 *   nr_frames:     OUT, frames set up (0: no table).
 *   max_nr_frames: OUT, VMM_GNTTAB_MAX_FRAMES.
 *   status:        OUT.
 */
struct vmm_gnttab_query_size {
	uint16_t dom;
	uint16_t pad;         /* must be 0 (-VMM_EINVAL) */
	uint32_t nr_frames;
	uint32_t max_nr_frames;
	int32_t status;
};

/*
 * MAP_GRANT_REF: maps the frame of grant `ref` of domain `dom` into the
 * caller's current address space at the page `host_addr` (Xen's host_addr
 * semantics for a paravirtualized guest without contains_pte).
 *   host_addr: page aligned (-VMM_EINVAL), below VMM_HYPERVISOR_VA_BASE
 *              (-VMM_EPERM); its L1 entry must point to an L2 table and its
 *              L2 entry must be empty (-VMM_EBUSY if something is mapped there).
 *   flags:     VMM_GNTMAP_host_map, optionally | VMM_GNTMAP_readonly; any
 *              other bit -VMM_EINVAL.
 *   ref:       < the granter's nr_frames * 512 (-VMM_EINVAL).
 *   dom:       the granter, a live domain (-VMM_ESRCH), not VMM_DOMID_SELF.
 *   status:    OUT, 0 or:
 *     -VMM_EINVAL the entry is not permit_access, has unknown flag bits,
 *                 or was changed (frame/grantee) while mapped;
 *     -VMM_EPERM  the entry names another grantee, a read/write map of a
 *                 GTF_readonly grant, the frame is not the granter's, or
 *                 the access policy keeps the two domains apart;
 *     -VMM_EBUSY  read/write map of a frame used as a page table;
 *     -VMM_ENOSPC the caller holds VMM_GNTTAB_MAPTRACK_MAX mappings, or a
 *                 frame count would pass 2^32-1.
 *   handle:    OUT, identifies the mapping for UNMAP_GRANT_REF.
 * The mapping is a small page, normal write-back memory, non-global, read/
 * write or read-only. The caller cannot change or remove it with
 * mmu_update/update_va_mapping (-VMM_EPERM): only UNMAP_GRANT_REF does.
 * While mapped, the entry carries GTF_reading (and GTF_writing for a
 * read/write mapping), cleared by the last unmap.
 */
struct vmm_gnttab_map_grant_ref {
	uint32_t host_addr;
	uint32_t flags;
	uint32_t ref;
	uint16_t dom;
	uint16_t pad;         /* must be 0 (-VMM_EINVAL) */
	int32_t status;
	uint32_t handle;
};

#define VMM_GNTMAP_host_map (1u << 1)
#define VMM_GNTMAP_readonly (1u << 2)
/* device_map (bit 0), application_map (3), contains_pte (4): not supported. */

/* Mappings one domain may hold at once. */
#define VMM_GNTTAB_MAPTRACK_MAX 64u

/*
 * UNMAP_GRANT_REF: removes a mapping made by MAP_GRANT_REF.
 *   host_addr: must be the address it was mapped at (-VMM_EINVAL).
 *   handle:    from the map (-VMM_EINVAL if not a live mapping of the caller).
 *   status:    OUT.
 * Drops the frame's reference (and writable type), updates the in-use bits
 * and flushes the TLB entry before returning.
 */
struct vmm_gnttab_unmap_grant_ref {
	uint32_t host_addr;
	uint32_t handle;
	int32_t status;
};

/*
 * COPY: copies `len` bytes from source to dest; each side is either a grant
 * (flag VMM_GNTCOPY_*_gref: `u` = grant reference of domain `domid`, bytes at
 * `offset` in its frame) or the caller's own memory (`u` = guest address,
 * `domid` = VMM_DOMID_SELF or the caller's id, `offset` 0).
 *   len:    1..4096; a grant side must have offset + len <= 4096 (-VMM_EINVAL).
 *   flags:  VMM_GNTCOPY_source_gref | VMM_GNTCOPY_dest_gref; other bits -VMM_EINVAL.
 *   status: OUT, 0 or:
 *     -VMM_EFAULT a local side outside the caller's memory;
 *     -VMM_ESRCH  no such granter;
 *     -VMM_EINVAL bad ref/entry (as map), bad length/offset;
 *     -VMM_EPERM  another grantee, writing into a GTF_readonly grant, a frame
 *                 not the granter's, refused by the access policy, or a
 *                 local side that names another domain;
 *     -VMM_EBUSY  writing into a frame used as a page table.
 * Nothing is copied unless every check passed.
 */
struct vmm_gnttab_copy_ptr {
	uint32_t u;        /* grant reference, or guest address in the caller */
	uint16_t domid;
	uint16_t offset;
};

struct vmm_gnttab_copy {
	struct vmm_gnttab_copy_ptr source;
	struct vmm_gnttab_copy_ptr dest;
	uint16_t len;
	uint16_t flags;
	int32_t status;
};

#define VMM_GNTCOPY_source_gref (1u << 0)
#define VMM_GNTCOPY_dest_gref   (1u << 1)
#define VMM_GNTCOPY_MAX_LEN     4096u

#endif /* VMM_GRANT_TABLE_H */
