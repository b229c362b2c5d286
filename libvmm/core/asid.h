/*
 * Address-space identifiers (ASIDs) with generations (issue 9).
 *
 * ARMv7-A tags every non-global TLB entry with the 8-bit ASID in
 * CONTEXTIDR. The hypervisor keeps ASID 0 for its master table and hands
 * ASID_FIRST..ASID_LAST (1..255) to address spaces -- a domain's L1 table,
 * and later every L1 a guest switches to with mmuext_op NEW_BASEPTR -- of
 * which there may be any number:
 *
 *  - A global generation counter (asid_generation, never 0). An address
 *    space holds (gen, asid); its ASID is valid while gen is the current
 *    generation. Activating a space whose gen is current reuses its ASID:
 *    one load and one compare on the domain-switch path.
 *  - Otherwise the space takes the next ASID never handed out in this
 *    generation. So an ASID number is never reused within a generation,
 *    and no TLB entry of one space can be hit by another.
 *  - When the 255 numbers are used up, the generation advances, every
 *    space's ASID becomes stale at once, and the first assignment of the
 *    new generation tells the caller to invalidate the whole TLB (all
 *    ASIDs) before loading it: exactly one full flush per generation.
 *  - Retiring a space (L1 unpinned, domain dead, cache entry evicted) just
 *    forgets its (gen, asid): its number is not handed out again before
 *    the next generation's flush, so its TLB entries, tagged with a number
 *    nobody uses, cannot be reached. Nothing to flush at retirement.
 *  - Generation wrap: after 2^32-1 generations the counter would come back
 *    to values old spaces still hold. At the wrap (0xFFFFFFFF -> 1; 0 is
 *    never a generation) every space that holds an ASID is made stale
 *    (gen 0), so no old (gen, asid) can ever look current again. That is
 *    why spaces holding an ASID are on a list (asid.c).
 *
 * The module is pure C, single-core, called with interrupts masked. The
 * arch layer (arch/armv7/mmu.c) does the TLB and CONTEXTIDR work.
 */
#ifndef VMM_CORE_ASID_H
#define VMM_CORE_ASID_H

#include <stdint.h>

#define ASID_FIRST 1u         /* ASID 0: the hypervisor's master table */
#define ASID_LAST  255u       /* CONTEXTIDR.ASID is 8 bits */
#define ASID_FLUSH_ALL 0x100u /* in asid_activate()'s result: invalidate every ASID first */
#define ASID_MASK  0xFFu      /* the ASID itself in asid_activate()'s result */

/* Per-domain cache of address spaces, keyed by their L1 table. */
#define ASID_CACHE_WAYS 4u

/*
 * One address space. A zeroed struct is a valid space without an ASID.
 * gen and asid are read by the domain-switch path: keep them first.
 */
struct asid_space {
	uint32_t gen;                    /* generation `asid` belongs to; 0: none */
	uint32_t asid;                   /* ASID_FIRST..ASID_LAST while gen is current */
	struct asid_space *next, *prev;  /* list of spaces with gen != 0 (asid.c) */
};

/*
 * The address spaces of one domain: up to ASID_CACHE_WAYS L1 tables keep
 * their ASID between activations; a further one evicts (retires) the
 * least recently taken. A zeroed struct is an empty cache.
 */
struct asid_cache {
	uint32_t key[ASID_CACHE_WAYS];   /* L1 table's first machine frame + 1; 0: empty */
	struct asid_space space[ASID_CACHE_WAYS];
	uint32_t victim;                 /* next way to evict (round robin) */
};

/*
 * Highest ASID handed out: ASID_LAST. Weak: a test image may define it
 * lower (ASID_FIRST..ASID_LAST; anything else means ASID_LAST) to force a
 * rollover on every few activations (test/qemu/asid_rollover_config.c).
 * Only the slow path (asid_assign()) reads it.
 */
extern uint32_t vmm_asid_last;

/* Current generation: 1..0xFFFFFFFF. */
extern uint32_t asid_generation;

/*
 * Slow path of asid_activate(): gives s the next free ASID of the current
 * generation, opening a new generation when none is left. Returns the
 * ASID, with ASID_FLUSH_ALL set if the caller must invalidate the entire
 * TLB (all ASIDs) before it loads the ASID.
 */
uint32_t asid_assign(struct asid_space *s);

/*
 * The ASID to load for s (ASID_FIRST..ASID_LAST), | ASID_FLUSH_ALL if the
 * whole TLB must be invalidated before loading it (see asid_assign()).
 * The common case -- s's generation is current -- is a compare and a load.
 */
static inline uint32_t asid_activate(struct asid_space *s)
{
	if (__builtin_expect(s->gen == asid_generation, 1))
		return s->asid;
	return asid_assign(s);
}

/* Forgets s's ASID (see above: nothing to flush). s may hold none. */
void asid_space_retire(struct asid_space *s);

/*
 * The space of the L1 table at l1_mfn, from the cache; if it is not there,
 * a way is taken (retiring the space it held) and returned without an
 * ASID. Call it right before making the space a domain's table
 * (arch_mmu_domain_set()): an evicted space must not stay loaded.
 */
struct asid_space *asid_cache_get(struct asid_cache *c, uint32_t l1_mfn);

/* The L1 table at l1_mfn is no longer an address space (unpinned): retire it. */
void asid_cache_forget(struct asid_cache *c, uint32_t l1_mfn);

/* The domain is dead (or never ran): retire all its spaces. */
void asid_cache_retire(struct asid_cache *c);

/* Full TLB flushes asked for since boot (one per generation after the first). */
uint32_t asid_flushes(void);

/*
 * Tests only: back to the boot state (generation 1, no ASID handed out,
 * no space on the list); and a jump of the generation counter to `gen`
 * (1..0xFFFFFFFF) with all its ASIDs taken, as if that many rollovers had
 * happened while the spaces on the list were idle, to test the wrap
 * without 2^32 rollovers (the next assignment opens a generation).
 */
void asid_reset(void);
void asid_test_set_generation(uint32_t gen);

#endif /* VMM_CORE_ASID_H */
