/*
 * ASIDs with generations (see asid.h).
 *
 * Spaces that hold an ASID (gen != 0) are doubly linked on `held`, so that
 * the generation wrap can make them all stale and a retired space leaves
 * the list in O(1). The list is only walked at the wrap.
 */
#include "asid.h"

#include <stddef.h>

#include "cold.h"

uint32_t asid_generation = 1;
__attribute__((weak)) uint32_t vmm_asid_last = ASID_LAST; /* not const: GCC folds weak constants */

static struct {
	uint32_t next;             /* next ASID to hand out in this generation */
	uint32_t flushes;          /* full flushes asked for */
	struct asid_space *held;   /* spaces with gen != 0 */
} asid_state = {
	.next = ASID_FIRST,
};

static void held_link(struct asid_space *s)
{
	s->prev = NULL;
	s->next = asid_state.held;
	if (asid_state.held)
		asid_state.held->prev = s;
	asid_state.held = s;
}

static void held_unlink(struct asid_space *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		asid_state.held = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->next = s->prev = NULL;
}

/*
 * The counter is about to pass 0xFFFFFFFF: generations restart at 1, so
 * every (gen, asid) still held would come back into use as the counter
 * climbs again. Drop them all now.
 */
static void asid_generation_wrap(void)
{
	struct asid_space *s = asid_state.held, *n;

	for (; s; s = n) {
		n = s->next;
		s->gen = 0;
		s->next = s->prev = NULL;
	}
	asid_state.held = NULL;
	asid_generation = 1;
}

/* All ASIDs of this generation are taken: open the next one. */
static void asid_new_generation(void)
{
	if (asid_generation == UINT32_MAX)
		asid_generation_wrap();
	else
		asid_generation++;
	asid_state.next = ASID_FIRST;
}

/* The last ASID of a generation: vmm_asid_last if an image lowered it sensibly. */
static uint32_t asid_last(void)
{
	uint32_t last = vmm_asid_last;

	return last >= ASID_FIRST && last <= ASID_LAST ? last : ASID_LAST;
}

uint32_t asid_assign(struct asid_space *s)
{
	uint32_t flush = 0;

	if (asid_state.next > asid_last()) {
		asid_new_generation();
		asid_state.flushes++;
		flush = ASID_FLUSH_ALL;
	}
	if (s->gen == 0)
		held_link(s);
	s->gen = asid_generation;
	s->asid = asid_state.next++;
	return s->asid | flush;
}

void asid_space_retire(struct asid_space *s)
{
	if (s->gen != 0)
		held_unlink(s);
	s->gen = 0;
	s->asid = 0;
}

/* The way holding l1_mfn, or ASID_CACHE_WAYS. */
static uint32_t asid_cache_find(const struct asid_cache *c, uint32_t l1_mfn)
{
	uint32_t w;

	for (w = 0; w < ASID_CACHE_WAYS; w++)
		if (c->key[w] == l1_mfn + 1)
			return w;
	return ASID_CACHE_WAYS;
}

struct asid_space *asid_cache_get(struct asid_cache *c, uint32_t l1_mfn)
{
	uint32_t w = asid_cache_find(c, l1_mfn);

	if (w < ASID_CACHE_WAYS)
		return &c->space[w];
	/* An empty way first, else round robin. */
	w = asid_cache_find(c, UINT32_MAX); /* key 0: empty */
	if (w == ASID_CACHE_WAYS) {
		w = c->victim;
		c->victim = (c->victim + 1) % ASID_CACHE_WAYS;
	}
	/* The new table must not inherit the old one's ASID (its TLB entries). */
	asid_space_retire(&c->space[w]);
	c->key[w] = l1_mfn + 1;
	return &c->space[w];
}

void asid_cache_forget(struct asid_cache *c, uint32_t l1_mfn)
{
	uint32_t w = asid_cache_find(c, l1_mfn);

	if (w == ASID_CACHE_WAYS)
		return;
	asid_space_retire(&c->space[w]);
	c->key[w] = 0;
}

VMM_COLD void asid_cache_retire(struct asid_cache *c)
{
	uint32_t w;

	for (w = 0; w < ASID_CACHE_WAYS; w++) {
		asid_space_retire(&c->space[w]);
		c->key[w] = 0;
	}
}

uint32_t asid_flushes(void)
{
	return asid_state.flushes;
}

VMM_COLD void asid_reset(void)
{
	while (asid_state.held)
		asid_space_retire(asid_state.held);
	asid_generation = 1;
	asid_state.next = ASID_FIRST;
	asid_state.flushes = 0;
}

void asid_test_set_generation(uint32_t gen)
{
	if (gen != 0)
		asid_generation = gen;
	asid_state.next = ASID_LAST + 1; /* the next assignment opens a generation */
}
