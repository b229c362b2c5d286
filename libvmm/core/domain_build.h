/*
 * Domain memory: the builder's side of the memory manager.
 *
 * A domain's memory is `max_pages` pseudo-physical frames (pfn 0..N-1),
 * seen by the guest at VMM_GUEST_BASE + pfn * 4 KiB. Each pfn is backed by a
 * machine frame from the allocator owned by the domain; the frames need not
 * be contiguous. The hypervisor keeps the pfn -> mfn map (p2m, p2m.h: one
 * directory word per 4 MiB, a leaf frame only for blocks that are not one
 * machine run) in its own memory, where the guest cannot change it, and the
 * machine-to-physical table (mm_m2p()) in step with it.
 *
 * Reservation: max_pages is the configured size and is never exceeded
 * (domain_mem_take()), so with static partitioning no domain can take
 * another's share.
 *
 * Initial tables (short-descriptor, ARMv7-A): one L1 table (four
 * contiguous, 16 KiB aligned frames) whose hypervisor half is the master's,
 * and for each MiB of guest memory either a section (when the MiB is backed
 * by one aligned 1 MiB machine run) or an L2 table (1 KiB, four to a frame)
 * of small pages. Guest entries: normal write-back memory, user read/write,
 * non-global, the ARM domain of their VA (pt_arm_domain_of()). Table frames come from the linear window, are owned
 * by the domain (outside its reservation: they are not pfns), typed and
 * pinned:
 *   - L1 frames: type L1, type count 1 (the pin), refcount 0;
 *   - L2 frames: type L2, type count = 1 (the pin) + the L1 entries
 *     pointing into the frame, refcount 0;
 *   - data frames: type writable, type count and refcount = the entries
 *     mapping them (1 each at build).
 */
#ifndef VMM_CORE_DOMAIN_BUILD_H
#define VMM_CORE_DOMAIN_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct domain;

/* Guest entries the builder writes (ARMv7 short-descriptor format). */
#define DB_L1_SECTION     0x2u
#define DB_L1_COARSE      0x1u
#define DB_SECT_GUEST_RAM 0x00021c0eu /* nG, TEX=001 C B (WBWA), AP=11 */
#define DB_L2_SMALL       0x2u
#define DB_L2_GUEST_RAM   0x0000087eu /* nG, TEX=001, AP=11, C, B, small page */
#define DB_SECT_BASE_MASK 0xFFF00000u
#define DB_L1_ENTRIES     4096u
#define DB_L2_ENTRIES     256u
#define DB_L2_BYTES       1024u

/*
 * Reserves `mem_size` bytes for d (max_pages), backs and maps the first
 * domain_boot_pages() of them (all unless d->init_pages says fewer), fills
 * d->p2m, the machine-to-physical table and the initial tables, and makes
 * the L1 table d->slot's (arch_mmu_domain_set()). Pinned memory is scrubbed.
 * 0, or a negative error (-VMM_ENOMEM) with a reason in why[0..len) and
 * everything taken given back (domain_mem_teardown()).
 */
int domain_mem_build(struct domain *d, uint32_t mem_size, char *why, size_t len);

/*
 * Gives back everything domain_mem_build() took: data frames, tables, the
 * p2m's leaves and directory, the shared-info mapping. Safe on a half-built
 * domain.
 */
void domain_mem_teardown(struct domain *d);

/*
 * domain_mem_teardown() a step at a time, for a dead domain: works until
 * the counter passes `deadline` (ns, time_now()) -- checked after each unit
 * of work: a table unpinned, a frame freed -- and returns false, or returns
 * true once everything is back. Call again with a later deadline to go on;
 * true again once done. Why: a guest can pin thousands of tables before it
 * dies (each pin a hypercall of its own), and their unpinning all at once
 * would hold the CPU, interrupts masked, for seconds.
 */
bool domain_mem_teardown_step(struct domain *d, uint64_t deadline);

/*
 * Takes 2^order frames for pfns [pfn, pfn + 2^order) (pfn aligned to the
 * order, all unpopulated) within the reservation: -VMM_EINVAL for a bad
 * pfn range, -VMM_EBUSY if one is populated, -VMM_ENOMEM past max_pages,
 * with no free run or no frame for the p2m leaf the run needs (part of a
 * block: taken first), with nothing changed. Sets p2m and m2p.
 */
int domain_mem_take(struct domain *d, uint32_t pfn, uint32_t order);

/*
 * Pfns backed and mapped at boot: d->init_pages (the config's mem_initial)
 * when set and below max_pages, else all max_pages. The rest are unbacked
 * until the guest populates them (memory_op).
 */
uint32_t domain_boot_pages(const struct domain *d);

/* Machine frame backing pfn, or MM_PFN_NONE (out of range or unpopulated). */
uint32_t domain_pfn_to_mfn(const struct domain *d, uint32_t pfn);

#endif /* VMM_CORE_DOMAIN_BUILD_H */
