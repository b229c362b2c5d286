/*
 * ASIDs with generations: the first and last ASID of a generation, the
 * rollover (one full flush per generation, exactly), more address spaces
 * than ASIDs checked against the rule "no two spaces hold the same ASID in
 * the same generation" after every activation, two domains alternating,
 * spaces reactivated or retired, the per-domain cache, and the 32-bit
 * generation wrap.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "asid.h"

#define NR_SPACES 1000u
#define NR_ASIDS (ASID_LAST - ASID_FIRST + 1)

static struct asid_space spaces[NR_SPACES];

static int setup(void **state)
{
	(void)state;
	memset(spaces, 0, sizeof(spaces));
	asid_reset();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	asid_reset(); /* takes the spaces off the list before they are zeroed again */
	return 0;
}

/* Activates s; checks the result is a valid ASID and what s now holds. */
static uint32_t activate(struct asid_space *s, int want_flush)
{
	uint32_t r = asid_activate(s);

	assert_int_equal((r & ASID_FLUSH_ALL) != 0, want_flush);
	assert_int_equal(r & ~(ASID_FLUSH_ALL | ASID_MASK), 0);
	assert_in_range(r & ASID_MASK, ASID_FIRST, ASID_LAST);
	assert_int_equal(s->gen, asid_generation);
	assert_int_equal(s->asid, r & ASID_MASK);
	return r & ASID_MASK;
}

/* No two spaces hold the same ASID in the current generation. */
static void check_unique(void)
{
	uint8_t seen[ASID_LAST + 1];
	uint32_t i;

	memset(seen, 0, sizeof(seen));
	for (i = 0; i < NR_SPACES; i++) {
		if (spaces[i].gen != asid_generation)
			continue;
		assert_in_range(spaces[i].asid, ASID_FIRST, ASID_LAST);
		assert_int_equal(seen[spaces[i].asid], 0);
		seen[spaces[i].asid] = 1;
	}
}

static void test_first_and_reuse(void **state)
{
	(void)state;
	assert_int_equal(asid_generation, 1);
	assert_int_equal(activate(&spaces[0], 0), ASID_FIRST);
	assert_int_equal(activate(&spaces[1], 0), ASID_FIRST + 1);
	/* Current generation: the same ASID again, no flush. */
	assert_int_equal(activate(&spaces[0], 0), ASID_FIRST);
	assert_int_equal(activate(&spaces[1], 0), ASID_FIRST + 1);
	assert_int_equal(asid_flushes(), 0);
}

static void test_last_asid_then_rollover(void **state)
{
	uint32_t i;

	(void)state;
	/* ASID 255 is the last one of a generation, handed out without a flush... */
	for (i = 0; i < NR_ASIDS; i++)
		assert_int_equal(activate(&spaces[i], 0), ASID_FIRST + i);
	assert_int_equal(spaces[NR_ASIDS - 1].asid, 255);
	assert_int_equal(asid_generation, 1);
	assert_int_equal(asid_flushes(), 0);
	/* ...the 256th space opens generation 2 with ASID 1 and one full flush. */
	assert_int_equal(activate(&spaces[NR_ASIDS], 1), ASID_FIRST);
	assert_int_equal(asid_generation, 2);
	assert_int_equal(asid_flushes(), 1);
	/* Every earlier space is stale now, and gets a fresh ASID without another flush. */
	assert_int_equal(activate(&spaces[0], 0), ASID_FIRST + 1);
	assert_int_equal(activate(&spaces[NR_ASIDS - 1], 0), ASID_FIRST + 2);
	assert_int_equal(asid_flushes(), 1);
	check_unique();
}

/* More spaces than ASIDs, in a scrambled order, several times over. */
static void test_many_spaces_flush_once_per_generation(void **state)
{
	uint32_t step, gen_before, flushes = 0;

	(void)state;
	for (step = 0; step < 20000; step++) {
		struct asid_space *s = &spaces[(step * 7919u) % NR_SPACES];
		uint32_t r;

		gen_before = asid_generation;
		r = asid_activate(s);
		/* Flush exactly when, and only when, the generation moved. */
		assert_int_equal((r & ASID_FLUSH_ALL) != 0, asid_generation != gen_before);
		if (r & ASID_FLUSH_ALL) {
			assert_int_equal(asid_generation, gen_before + 1);
			assert_int_equal(r & ASID_MASK, ASID_FIRST);
			flushes++;
		}
		check_unique();
	}
	assert_int_equal(asid_flushes(), flushes);
	assert_int_equal(asid_generation, 1 + flushes);
	/* 20000 activations of 1000 spaces: each generation serves 255 of them. */
	assert_true(flushes >= 20000 / NR_ASIDS - 1);
}

static void test_two_domains_alternating(void **state)
{
	struct asid_space *a = &spaces[0], *b = &spaces[1];
	uint32_t i, asid_a, asid_b;

	(void)state;
	asid_a = activate(a, 0);
	asid_b = activate(b, 0);
	for (i = 0; i < 10000; i++) {
		assert_int_equal(activate(a, 0), asid_a);
		assert_int_equal(activate(b, 0), asid_b);
	}
	assert_int_equal(asid_flushes(), 0);
	/* Other spaces use up the generation between two switches. */
	for (i = 2; i < NR_ASIDS; i++)
		activate(&spaces[i], 0);
	assert_int_equal(activate(&spaces[NR_ASIDS], 1), ASID_FIRST);
	asid_a = activate(a, 0);
	asid_b = activate(b, 0);
	assert_int_not_equal(asid_a, ASID_FIRST);
	assert_int_not_equal(asid_a, asid_b);
	for (i = 0; i < 1000; i++) {
		assert_int_equal(activate(a, 0), asid_a);
		assert_int_equal(activate(b, 0), asid_b);
	}
	assert_int_equal(asid_flushes(), 1);
	check_unique();
}

/* A space idle across a rollover must not take back its old number: another space has it. */
static void test_reactivated_after_rollover(void **state)
{
	struct asid_space *a = &spaces[0], *x = &spaces[NR_ASIDS];
	uint32_t i, old;

	(void)state;
	old = activate(a, 0);
	for (i = 1; i < NR_ASIDS; i++)
		activate(&spaces[i], 0);
	assert_int_equal(activate(x, 1), old); /* x now holds a's old number */
	assert_int_not_equal(activate(a, 0), old);
	check_unique();
}

/* Retiring hands nothing back within the generation: the number stays unused until the flush. */
static void test_retire(void **state)
{
	struct asid_space *a = &spaces[0], *b = &spaces[1];
	uint32_t old;

	(void)state;
	old = activate(a, 0);
	asid_space_retire(a);
	assert_int_equal(a->gen, 0);
	assert_int_not_equal(activate(b, 0), old);
	assert_int_not_equal(activate(a, 0), old);
	asid_space_retire(b);
	asid_space_retire(b); /* twice: harmless */
	assert_int_equal(asid_flushes(), 0);
	check_unique();
}

static void test_cache(void **state)
{
	static struct asid_cache c; /* zeroed: empty */
	struct asid_space *s[ASID_CACHE_WAYS + 1];
	uint32_t w, old;

	(void)state;
	memset(&c, 0, sizeof(c));
	/* Machine frame 0 is a key like any other. */
	for (w = 0; w < ASID_CACHE_WAYS; w++) {
		s[w] = asid_cache_get(&c, w * 4);
		assert_int_equal(s[w]->gen, 0);
		activate(s[w], 0);
	}
	for (w = 0; w < ASID_CACHE_WAYS; w++)
		assert_ptr_equal(asid_cache_get(&c, w * 4), s[w]);
	/* A fifth table evicts one; the new table never inherits the old ASID. */
	old = s[0]->asid;
	s[ASID_CACHE_WAYS] = asid_cache_get(&c, 0x1000);
	assert_int_equal(s[ASID_CACHE_WAYS]->gen, 0);
	assert_int_not_equal(activate(s[ASID_CACHE_WAYS], 0), old);
	/* The evicted table comes back as a new space (a fresh ASID). */
	for (w = 0; w < ASID_CACHE_WAYS; w++)
		if (asid_cache_get(&c, w * 4)->gen == 0)
			break;
	assert_true(w < ASID_CACHE_WAYS);
	/* Forget: the table's space is retired and its way empty. */
	s[0] = asid_cache_get(&c, 0x1000);
	activate(s[0], 0);
	asid_cache_forget(&c, 0x1000);
	assert_int_equal(s[0]->gen, 0);
	assert_int_equal(asid_cache_get(&c, 0x1000)->gen, 0);
	asid_cache_forget(&c, 0x2000); /* not cached: nothing happens */
	/* Retire: every way. */
	for (w = 0; w < ASID_CACHE_WAYS; w++)
		activate(&c.space[w], 0);
	asid_cache_retire(&c);
	for (w = 0; w < ASID_CACHE_WAYS; w++) {
		assert_int_equal(c.space[w].gen, 0);
		assert_int_equal(c.key[w], 0);
	}
}

/* The last generations before the 32-bit wrap and the wrap itself. */
static void test_generation_near_wrap(void **state)
{
	uint32_t i, flushes;

	(void)state;
	asid_test_set_generation(UINT32_MAX - 1);
	flushes = asid_flushes();
	assert_int_equal(activate(&spaces[0], 1), ASID_FIRST);
	assert_int_equal(asid_generation, UINT32_MAX);
	for (i = 1; i < NR_ASIDS; i++)
		activate(&spaces[i], 0);
	/* 0xFFFFFFFF -> 1: generation 0 never exists (it means "no ASID"). */
	assert_int_equal(activate(&spaces[NR_ASIDS], 1), ASID_FIRST);
	assert_int_equal(asid_generation, 1);
	assert_int_equal(asid_flushes(), flushes + 2);
	for (i = 0; i < NR_ASIDS; i++)
		assert_int_equal(spaces[i].gen, 0);
	assert_int_equal(activate(&spaces[0], 0), ASID_FIRST + 1);
	check_unique();
}

/*
 * A space that last ran in generation 1 and stayed idle while the counter
 * went all the way round: when the counter is 1 again its old (1, ASID)
 * must not look current, or it would share the ASID with whoever has it now.
 */
static void test_generation_wrap_no_alias(void **state)
{
	struct asid_space *a = &spaces[0], *b = &spaces[1];

	(void)state;
	assert_int_equal(activate(a, 0), ASID_FIRST);
	assert_int_equal(a->gen, 1);
	asid_test_set_generation(UINT32_MAX); /* 2^32-2 idle rollovers later */
	assert_int_equal(activate(b, 1), ASID_FIRST); /* wraps to generation 1 */
	assert_int_equal(asid_generation, 1);
	assert_int_not_equal(activate(a, 0), ASID_FIRST);
	check_unique();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_first_and_reuse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_last_asid_then_rollover, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_spaces_flush_once_per_generation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_domains_alternating, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reactivated_after_rollover, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retire, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cache, setup, teardown),
		cmocka_unit_test_setup_teardown(test_generation_near_wrap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_generation_wrap_no_alias, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
