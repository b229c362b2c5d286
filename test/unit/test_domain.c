/*
 * Domain construction: ids are never reused, memory is zeroed and checked,
 * start info is filled, refused domains leave nothing behind.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "test_domain.h"

static int group_setup(void **state)
{
	(void)state;
	test_core_boot();
	return 0;
}

static void test_ids_grow_and_are_never_reused(void **state)
{
	struct domain *a, *b, *c;
	uint32_t id_a;

	(void)state;
	a = test_domain_create("a", 0);
	b = test_domain_create("b", 0);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(b->id, a->id + 1);
	id_a = a->id;
	domain_kill(a, VMM_SHUTDOWN_poweroff);
	assert_null(domain_find(id_a));
	c = test_domain_create("c", 0);
	assert_non_null(c);
	assert_true(c->id > b->id);
	assert_ptr_not_equal(domain_find(c->id), NULL);
}

static void test_start_info_and_shared_info(void **state)
{
	struct domain *d;
	const struct vmm_start_info *si;

	(void)state;
	d = test_domain_create("info", VMM_DOMCFG_PRIVILEGED);
	assert_non_null(d);
	si = test_guest_ptr(d, VMM_GUEST_START_INFO);
	assert_string_equal(si->magic, VMM_START_INFO_MAGIC);
	assert_int_equal(si->domid, d->id);
	assert_int_equal(si->nr_pages, (1u << 20) / 4096);
	assert_int_equal(si->shared_info, VMM_GUEST_SHARED_INFO);
	assert_true(si->flags & VMM_SIF_PRIVILEGED);
	assert_string_equal(si->name, "info");
	assert_int_equal(d->shared->vcpu_info.evtchn_upcall_mask, 1);
	assert_int_equal(d->shared->wc_sec, 1700000000u);
	/* the loaded segment and its bss */
	assert_int_equal(*(uint8_t *)test_guest_ptr(d, VMM_GUEST_BASE + 0x8000), 0xe7);
	assert_int_equal(*(uint8_t *)test_guest_ptr(d, VMM_GUEST_BASE + 0x8000 + 16), 0);
	/* entry state: pc at the ELF entry, r0 = start info, USR mode */
	assert_int_equal(d->frame->pc, 0xC0008000u);
	assert_int_equal(d->frame->r[0], VMM_GUEST_START_INFO);
	assert_int_equal(d->frame->cpsr & 0x1f, 0x10);
}

static void test_memory_is_zeroed_before_use(void **state)
{
	uint32_t mfn;
	struct domain *d;

	(void)state;
	/* Dirty every free frame: whatever the allocator hands out next. */
	for (mfn = FAKE_RAM_BASE >> 12; mfn < (FAKE_RAM_BASE + FAKE_RAM_SIZE) >> 12; mfn++)
		if (mm_frame(mfn)->owner == FRAME_OWNER_FREE)
			memset(fake_phys_ptr(mfn << 12), 0x5a, 4096);
	d = test_domain_create("clean", 0);
	assert_non_null(d);
	assert_int_equal(*(uint8_t *)test_guest_ptr(d, VMM_GUEST_BASE + 0x100), 0);
	assert_int_equal(*(uint8_t *)test_guest_ptr(d, VMM_GUEST_BASE + d->mem_size - 1), 0);
}

static void test_bad_payload_refused_and_memory_returned(void **state)
{
	static uint8_t junk[64];
	struct vmm_domain_config cfg = {
		.name = "junk", .image = junk, .image_end = junk + sizeof(junk), .mem_size = 1u << 20,
	};
	uint32_t before = mm_free_frames();

	(void)state;
	fake_console_clear();
	assert_null(domain_create(&cfg));
	assert_int_equal(mm_free_frames(), before);
	assert_non_null(strstr(fake_hw.console, "[VMM] domain 'junk' refused: bad payload image: bad ELF magic"));
}

/* Each domain's table comes with its own address space; a dead domain's is retired. */
static void test_address_spaces_and_asids(void **state)
{
	struct domain *a = test_domain_create("asa", 0), *b = test_domain_create("asb", 0);
	struct asid_space *sa, *sb;
	unsigned int flushes = fake_mmu.tlb_flushes, i;
	uint32_t asid_a, asid_b;

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	sa = fake_mmu.space[a->slot];
	sb = fake_mmu.space[b->slot];
	assert_non_null(sa);
	assert_ptr_not_equal(sa, sb);
	assert_ptr_equal(sa, asid_cache_get(&a->asids, a->l1_mfn));
	arch_mmu_activate(a->slot, false);
	asid_a = fake_hw.active_asid;
	arch_mmu_activate(b->slot, false);
	asid_b = fake_hw.active_asid;
	assert_int_not_equal(asid_a, asid_b);
	for (i = 0; i < 100; i++) {
		arch_mmu_activate(a->slot, false);
		assert_int_equal(fake_hw.active_asid, asid_a);
		arch_mmu_activate(b->slot, false);
		assert_int_equal(fake_hw.active_asid, asid_b);
	}
	assert_int_equal(fake_mmu.tlb_flushes, flushes);
	domain_kill(a, VMM_SHUTDOWN_poweroff);
	assert_int_equal(sa->gen, 0);
	assert_int_not_equal(sb->gen, 0);
	domain_kill(b, VMM_SHUTDOWN_poweroff);
	assert_int_equal(sb->gen, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ids_grow_and_are_never_reused),
		cmocka_unit_test(test_start_info_and_shared_info),
		cmocka_unit_test(test_memory_is_zeroed_before_use),
		cmocka_unit_test(test_bad_payload_refused_and_memory_returned),
		cmocka_unit_test(test_address_spaces_and_asids),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
