/*
 * Unit tests for the ELF32 guest loader (libvmm/core/elf_loader.c).
 *
 * Images are assembled byte by byte (little-endian) by build_elf(), not with
 * the loader's own structs, so a layout mistake in the loader cannot cancel
 * out in the tests. Domain memory is a buffer with guard zones on both sides
 * filled with a known byte: every test checks that the loader wrote exactly
 * the segment bytes and nothing else.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "elf_loader.h"
#include "vmm/abi.h"
#include "vmm/guest_info.h"

#define DOM_SIZE   0x10000u   /* 64 KiB of domain memory */
#define GUARD      256u
#define FILL       0xa5       /* untouched guest memory */
#define IMAGE_MAX  0x4000u

/* ELF field offsets (ELF32 spec), for building and for corrupting images. */
#define EH_CLASS      4
#define EH_DATA       5
#define EH_IVERSION   6
#define EH_TYPE       16
#define EH_MACHINE    18
#define EH_VERSION    20
#define EH_ENTRY      24
#define EH_PHOFF      28
#define EH_EHSIZE     40
#define EH_PHENTSIZE  42
#define EH_PHNUM      44
#define EH_SIZE       52
#define PH_TYPE       0
#define PH_OFFSET     4
#define PH_VADDR      8
#define PH_PADDR      12
#define PH_FILESZ     16
#define PH_MEMSZ      20
#define PH_FLAGS      24
#define PH_ALIGN      28
#define PH_SIZE       32

#define PT_NULL  0
#define PT_LOAD  1
#define PT_NOTE  4

#define LOAD_MIN  VMM_GUEST_LOAD_MIN
#define DOM_END   (VMM_GUEST_BASE + DOM_SIZE)

struct seg {
	uint32_t type;
	uint32_t vaddr;
	uint32_t filesz;
	uint32_t memsz;
};

/* Per-test state: an image, its layout, and guarded domain memory. */
struct fixture {
	uint8_t image[IMAGE_MAX];
	size_t image_size;
	uint8_t mem[GUARD + DOM_SIZE + GUARD];
	struct elf_load_target target;
	char why[128];
};

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* The byte segment seg's file data holds at position k: varies along the segment and between segments. */
static uint8_t seg_byte(unsigned seg, uint32_t k)
{
	return (uint8_t)(0x11 * (seg + 1) + k * 7 + (k >> 8));
}

static uint8_t *phdr(struct fixture *f, unsigned i)
{
	return f->image + EH_SIZE + i * PH_SIZE;
}

/*
 * Assembles a valid ELF32 ARM ET_EXEC: header, program headers right after
 * it, then each segment's file bytes in order (odd offsets on purpose, to
 * exercise unaligned reads). The file ends exactly where the last segment's
 * bytes end, so any truncation cuts something the loader needs.
 */
static void build_elf(struct fixture *f, uint32_t entry, const struct seg *segs, unsigned n)
{
	size_t off = EH_SIZE + (size_t)n * PH_SIZE + 1;

	memset(f->image, 0, sizeof(f->image));
	f->image[0] = 0x7f;
	f->image[1] = 'E';
	f->image[2] = 'L';
	f->image[3] = 'F';
	f->image[EH_CLASS] = 1;      /* ELFCLASS32 */
	f->image[EH_DATA] = 1;       /* ELFDATA2LSB */
	f->image[EH_IVERSION] = 1;
	put16(f->image + EH_TYPE, 2);      /* ET_EXEC */
	put16(f->image + EH_MACHINE, 40);  /* EM_ARM */
	put32(f->image + EH_VERSION, 1);
	put32(f->image + EH_ENTRY, entry);
	put32(f->image + EH_PHOFF, EH_SIZE);
	put16(f->image + EH_EHSIZE, EH_SIZE);
	put16(f->image + EH_PHENTSIZE, PH_SIZE);
	put16(f->image + EH_PHNUM, (uint16_t)n);

	for (unsigned i = 0; i < n; i++) {
		uint8_t *ph = phdr(f, i);

		assert_true(off + segs[i].filesz <= IMAGE_MAX);
		put32(ph + PH_TYPE, segs[i].type);
		put32(ph + PH_OFFSET, (uint32_t)off);
		put32(ph + PH_VADDR, segs[i].vaddr);
		put32(ph + PH_PADDR, segs[i].vaddr);
		put32(ph + PH_FILESZ, segs[i].filesz);
		put32(ph + PH_MEMSZ, segs[i].memsz);
		put32(ph + PH_FLAGS, 7);
		put32(ph + PH_ALIGN, 4);
		for (uint32_t k = 0; k < segs[i].filesz; k++)
			f->image[off + k] = seg_byte(i, k);
		off += segs[i].filesz + 3;
	}
	/* Drop the last gap so the final segment's bytes end the file. */
	f->image_size = n > 0 && segs[n - 1].filesz > 0 ? off - 3 : off;
}

/* A typical kernel: text at the lowest allowed address, then data + bss. */
static const struct seg typical[] = {
	{ PT_LOAD, LOAD_MIN,          0x300, 0x300 },
	{ PT_NOTE, 0x1000,            0x10,  0x10 },   /* not loaded: address irrelevant */
	{ PT_LOAD, LOAD_MIN + 0x1000, 0x80,  0x500 },
};
#define TYPICAL_ENTRY (LOAD_MIN + 0x40)

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	memset(f->mem, FILL, sizeof(f->mem));
	f->target.va_base = VMM_GUEST_BASE;
	f->target.size = DOM_SIZE;
	f->target.load_min = LOAD_MIN;
	f->target.host = f->mem + GUARD;
	build_elf(f, TYPICAL_ENTRY, typical, 3);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

static bool mem_all(const uint8_t *p, size_t n, uint8_t v)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] != v)
			return false;
	}
	return true;
}

static void assert_mem_untouched(const struct fixture *f)
{
	assert_true(mem_all(f->mem, sizeof(f->mem), FILL));
}

/*
 * Checks every byte of domain memory and both guards: segment file bytes
 * carry their pattern, bss is zero, everything else still FILL.
 */
static void assert_loaded_exactly(const struct fixture *f, const struct seg *segs, unsigned n)
{
	for (size_t i = 0; i < sizeof(f->mem); i++) {
		uint8_t want = FILL;

		if (i >= GUARD && i < GUARD + DOM_SIZE) {
			uint32_t va = VMM_GUEST_BASE + (uint32_t)(i - GUARD);

			for (unsigned s = 0; s < n; s++) {
				if (segs[s].type != PT_LOAD || va < segs[s].vaddr ||
				    va - segs[s].vaddr >= segs[s].memsz)
					continue;
				uint32_t k = va - segs[s].vaddr;
				want = k < segs[s].filesz ? seg_byte(s, k) : 0;
			}
		}
		if (f->mem[i] != want)
			fail_msg("mem[%zu] (va 0x%08zx) = 0x%02x, want 0x%02x", i,
				 (size_t)VMM_GUEST_BASE + i - GUARD, f->mem[i], want);
	}
}

/* Loads f->image, expecting -VMM_EINVAL with `reason` in the message and no write. */
static void expect_reject(struct fixture *f, const char *reason)
{
	struct elf_load_result res = { 0x1111, 0x2222, 0x3333 };

	memset(f->why, 0, sizeof(f->why));
	assert_int_equal(elf_check(f->image, f->image_size, &f->target, &res, f->why, sizeof(f->why)),
			 -VMM_EINVAL);
	if (strstr(f->why, reason) == NULL)
		fail_msg("elf_check reason \"%s\" lacks \"%s\"", f->why, reason);
	assert_null(strchr(f->why, '\n'));

	memset(f->why, 0, sizeof(f->why));
	assert_int_equal(elf_load(f->image, f->image_size, &f->target, &res, f->why, sizeof(f->why)),
			 -VMM_EINVAL);
	if (strstr(f->why, reason) == NULL)
		fail_msg("elf_load reason \"%s\" lacks \"%s\"", f->why, reason);

	/* Failure leaves the result and guest memory alone. */
	assert_int_equal(res.entry, 0x1111);
	assert_int_equal(res.image_start, 0x2222);
	assert_int_equal(res.image_end, 0x3333);
	assert_mem_untouched(f);
}

static void expect_accept(struct fixture *f, const struct seg *segs, unsigned n,
			  uint32_t entry, uint32_t start, uint32_t end)
{
	struct elf_load_result res;

	memset(&res, 0, sizeof(res));
	if (elf_load(f->image, f->image_size, &f->target, &res, f->why, sizeof(f->why)) != 0)
		fail_msg("elf_load rejected a valid image: %s", f->why);
	assert_int_equal(res.entry, entry);
	assert_int_equal(res.image_start, start);
	assert_int_equal(res.image_end, end);
	assert_loaded_exactly(f, segs, n);
}

/* ----------------------------------------------------------------------- */

static void test_load_copies_and_zeroes_bss(void **state)
{
	struct fixture *f = *state;

	expect_accept(f, typical, 3, TYPICAL_ENTRY, LOAD_MIN, LOAD_MIN + 0x1500);
}

static void test_load_zeroes_stale_bss(void **state)
{
	/* bss must be zeroed even where memory held something else before. */
	struct fixture *f = *state;
	uint8_t *bss = f->target.host + (LOAD_MIN + 0x1080 - VMM_GUEST_BASE);

	memset(bss, 0xee, 0x480);
	assert_int_equal(elf_load(f->image, f->image_size, &f->target, NULL, NULL, 0), 0);
	assert_true(mem_all(bss, 0x480, 0));
	assert_int_equal(bss[0x480], FILL);
}

static void test_check_writes_nothing(void **state)
{
	struct fixture *f = *state;
	struct elf_load_result res;

	memset(&res, 0, sizeof(res));
	memset(f->why, 'q', sizeof(f->why));
	assert_int_equal(elf_check(f->image, f->image_size, &f->target, &res, f->why, sizeof(f->why)), 0);
	assert_int_equal(res.entry, TYPICAL_ENTRY);
	assert_int_equal(res.image_start, LOAD_MIN);
	assert_int_equal(res.image_end, LOAD_MIN + 0x1500);
	assert_mem_untouched(f);
	assert_int_equal(f->why[0], 'q');   /* no reason written on success */
	/* out and why are optional. */
	assert_int_equal(elf_check(f->image, f->image_size, &f->target, NULL, NULL, 0), 0);
}

static void test_segments_out_of_order_and_at_bounds(void **state)
{
	/* Highest first; one touches load_min, one ends exactly at the end of memory. */
	struct fixture *f = *state;
	const struct seg segs[] = {
		{ PT_LOAD, DOM_END - 0x200, 0x100, 0x200 },
		{ PT_LOAD, LOAD_MIN,        0x10,  0x10 },
		{ PT_LOAD, LOAD_MIN + 0x10, 0,     0x20 },   /* pure bss, just after segment 1 */
		{ PT_LOAD, DOM_END - 0x300, 0x100, 0x100 },  /* ends where segment 0 starts */
	};

	build_elf(f, LOAD_MIN + 0x14, segs, 4);
	expect_accept(f, segs, 4, LOAD_MIN + 0x14, LOAD_MIN, DOM_END);
}

static void test_ignores_empty_and_other_segments(void **state)
{
	/* Non-PT_LOAD and empty PT_LOAD headers may hold any address. */
	struct fixture *f = *state;
	const struct seg segs[] = {
		{ PT_NULL, 0,          0,    0 },
		{ PT_LOAD, 0xfffff000, 0,    0 },
		{ PT_LOAD, LOAD_MIN + 0x2000, 0x40, 0x40 },
		{ PT_NOTE, 0x10,       0x20, 0xffffffff },
	};

	build_elf(f, LOAD_MIN + 0x2000, segs, 4);
	expect_accept(f, segs, 4, LOAD_MIN + 0x2000, LOAD_MIN + 0x2000, LOAD_MIN + 0x2040);
}

static void test_bss_segment_offset_ignored(void **state)
{
	/* A segment with no file bytes reads nothing, so any p_offset is fine. */
	struct fixture *f = *state;
	const struct seg segs[] = {
		{ PT_LOAD, LOAD_MIN,         0x20, 0x20 },
		{ PT_LOAD, LOAD_MIN + 0x100, 0,    0x40 },
	};

	build_elf(f, LOAD_MIN, segs, 2);
	put32(phdr(f, 1) + PH_OFFSET, 0xffffffffu);
	expect_accept(f, segs, 2, LOAD_MIN, LOAD_MIN, LOAD_MIN + 0x140);
}

static void test_truncated_at_every_length(void **state)
{
	struct fixture *f = *state;

	for (size_t len = 0; len < f->image_size; len++) {
		/* An exact-size heap copy lets AddressSanitizer catch any over-read. */
		uint8_t *copy = malloc(len > 0 ? len : 1);

		assert_non_null(copy);
		memcpy(copy, f->image, len);
		memset(f->why, 0, sizeof(f->why));
		assert_int_equal(elf_load(copy, len, &f->target, NULL, f->why, sizeof(f->why)),
				 -VMM_EINVAL);
		if (len < EH_SIZE)
			assert_non_null(strstr(f->why, "truncated ELF header"));
		else if (len < EH_SIZE + 3 * PH_SIZE)
			assert_non_null(strstr(f->why, "program headers outside the file"));
		else
			assert_non_null(strstr(f->why, "file bytes outside the file"));
		assert_mem_untouched(f);
		free(copy);
	}
	assert_int_equal(elf_check(f->image, f->image_size, &f->target, NULL, NULL, 0), 0);
}

static void test_no_image(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(elf_check(NULL, 100, &f->target, NULL, f->why, sizeof(f->why)), -VMM_EINVAL);
	assert_non_null(strstr(f->why, "no image"));
}

static void test_bad_magic(void **state)
{
	struct fixture *f = *state;

	for (int i = 0; i < 4; i++) {
		uint8_t saved = f->image[i];

		f->image[i] ^= 0x20;
		expect_reject(f, "bad ELF magic");
		f->image[i] = saved;
	}
}

static void test_class64(void **state)
{
	struct fixture *f = *state;

	f->image[EH_CLASS] = 2;
	expect_reject(f, "not ELFCLASS32");
}

static void test_big_endian(void **state)
{
	struct fixture *f = *state;

	f->image[EH_DATA] = 2;
	expect_reject(f, "not little-endian");
}

static void test_bad_version(void **state)
{
	struct fixture *f = *state;

	put32(f->image + EH_VERSION, 2);
	expect_reject(f, "unsupported ELF version");
	put32(f->image + EH_VERSION, 1);
	f->image[EH_IVERSION] = 0;
	expect_reject(f, "unsupported ELF version");
}

static void test_wrong_machine(void **state)
{
	struct fixture *f = *state;

	put16(f->image + EH_MACHINE, 3);   /* EM_386 */
	expect_reject(f, "not an ARM executable (e_machine=3)");
}

static void test_not_exec(void **state)
{
	struct fixture *f = *state;

	put16(f->image + EH_TYPE, 3);      /* ET_DYN */
	expect_reject(f, "not ET_EXEC");
	put16(f->image + EH_TYPE, 1);      /* ET_REL */
	expect_reject(f, "not ET_EXEC");
}

static void test_phoff_beyond_file(void **state)
{
	struct fixture *f = *state;

	put32(f->image + EH_PHOFF, (uint32_t)f->image_size);
	expect_reject(f, "program headers outside the file");
	/* Starts inside, last header sticks out by one byte. */
	put32(f->image + EH_PHOFF, (uint32_t)f->image_size - 3 * PH_SIZE + 1);
	expect_reject(f, "program headers outside the file");
}

static void test_phoff_plus_table_wraps_32_bits(void **state)
{
	/* 0xffffffe0 + 3 * 32 wraps to 0x40 in 32-bit arithmetic: inside the file. */
	struct fixture *f = *state;

	put32(f->image + EH_PHOFF, 0xffffffe0u);
	expect_reject(f, "program headers outside the file");
}

static void test_phnum_huge(void **state)
{
	struct fixture *f = *state;

	put16(f->image + EH_PHNUM, 0xffff);
	expect_reject(f, "too many program headers");
	put16(f->image + EH_PHNUM, ELF_MAX_PHDRS + 1);
	expect_reject(f, "too many program headers");
}

static void test_bad_phentsize(void **state)
{
	struct fixture *f = *state;

	put16(f->image + EH_PHENTSIZE, 56);   /* an ELF64 program header */
	expect_reject(f, "bad program header size 56");
}

static void test_no_program_headers(void **state)
{
	struct fixture *f = *state;

	put16(f->image + EH_PHNUM, 0);
	expect_reject(f, "no PT_LOAD segment");
}

static void test_segment_bytes_beyond_file(void **state)
{
	struct fixture *f = *state;

	put32(phdr(f, 2) + PH_OFFSET, (uint32_t)f->image_size - 0x7f);
	expect_reject(f, "segment 2: file bytes outside the file");
}

static void test_segment_offset_wraps_32_bits(void **state)
{
	/* offset + filesz = 0x1_0000_0010: 0x10 if computed in 32 bits. */
	struct fixture *f = *state;

	put32(phdr(f, 0) + PH_OFFSET, 0xfffffd10u);
	expect_reject(f, "segment 0: file bytes outside the file");
}

static void test_filesz_greater_than_memsz(void **state)
{
	struct fixture *f = *state;

	put32(phdr(f, 2) + PH_MEMSZ, 0x7f);
	expect_reject(f, "segment 2: filesz > memsz");
	/* Even with memsz 0, file bytes that would not fit are an error. */
	put32(phdr(f, 2) + PH_MEMSZ, 0);
	expect_reject(f, "segment 2: filesz > memsz");
}

static void test_vaddr_below_load_min(void **state)
{
	/* Would overwrite the start-info page the hypervisor fills in. */
	struct fixture *f = *state;

	put32(phdr(f, 0) + PH_VADDR, VMM_GUEST_START_INFO);
	expect_reject(f, "segment 0: [0xc0001000,0xc0001300) outside domain memory [0xc0008000,0xc0010000)");
	/* Starts one byte below load_min. */
	put32(phdr(f, 0) + PH_VADDR, LOAD_MIN - 1);
	expect_reject(f, "segment 0: [0xc0007fff,0xc00082ff) outside domain memory");
	/* Ends one byte into the allowed range: still overlaps the boot stack. */
	put32(phdr(f, 0) + PH_VADDR, LOAD_MIN - 0x2ff);
	expect_reject(f, "segment 0:");
	/* Below the domain altogether (host[] would be indexed negatively). */
	put32(phdr(f, 0) + PH_VADDR, 0x8000);
	expect_reject(f, "outside domain memory");
}

static void test_segment_beyond_memory(void **state)
{
	struct fixture *f = *state;

	put32(phdr(f, 2) + PH_VADDR, DOM_END - 0x4ff);
	expect_reject(f, "segment 2: [0xc000fb01,0xc0010001) outside domain memory");
	put32(phdr(f, 2) + PH_VADDR, DOM_END);
	expect_reject(f, "segment 2:");
}

static void test_segment_wraps_address_space(void **state)
{
	/* 0xffffff00 + 0x500 wraps to 0x400 in 32 bits. */
	struct fixture *f = *state;

	put32(phdr(f, 2) + PH_VADDR, 0xffffff00u);
	expect_reject(f, "segment 2: [0xffffff00,0x100000400) outside domain memory");
	/* A huge memsz from a valid start wraps as well. */
	put32(phdr(f, 2) + PH_VADDR, LOAD_MIN + 0x1000);
	put32(phdr(f, 2) + PH_MEMSZ, 0xffffffffu);
	expect_reject(f, "segment 2:");
}

static void test_overlapping_segments(void **state)
{
	struct fixture *f = *state;

	/* Segment 2 starts on the last byte of segment 0. */
	put32(phdr(f, 2) + PH_VADDR, LOAD_MIN + 0x2ff);
	expect_reject(f, "segments 0 and 2 overlap");
	/* Fully containing the other one. */
	put32(phdr(f, 2) + PH_VADDR, LOAD_MIN);
	put32(phdr(f, 0) + PH_VADDR, LOAD_MIN + 0x100);
	expect_reject(f, "segments 0 and 2 overlap");
}

static void test_entry_outside_segments(void **state)
{
	struct fixture *f = *state;

	put32(f->image + EH_ENTRY, LOAD_MIN + 0x300);   /* one past segment 0 */
	expect_reject(f, "entry 0xc0008300 not inside a loaded segment");
	put32(f->image + EH_ENTRY, 0);
	expect_reject(f, "entry 0x00000000 not inside a loaded segment");
	/* Inside a PT_NOTE does not count. */
	put32(f->image + EH_ENTRY, 0x1000);
	expect_reject(f, "not inside a loaded segment");
}

static void test_entry_in_bss_accepted(void **state)
{
	struct fixture *f = *state;

	put32(f->image + EH_ENTRY, LOAD_MIN + 0x14ff);   /* last bss byte */
	assert_int_equal(elf_check(f->image, f->image_size, &f->target, NULL, NULL, 0), 0);
}

/*
 * An ARM-state entry (bit 0 clear) must be word aligned: the first exception
 * return into the domain would otherwise load a pc with bit 1 set in ARM
 * state, UNPREDICTABLE at PL1 (the hypervisor executes it). Thumb entries
 * (bit 0 set) are halfword aligned by construction. Each low-bit pattern.
 */
static void test_entry_arm_alignment(void **state)
{
	struct fixture *f = *state;

	put32(f->image + EH_ENTRY, LOAD_MIN + 0x100);   /* ARM, aligned */
	assert_int_equal(elf_check(f->image, f->image_size, &f->target, NULL, NULL, 0), 0);
	put32(f->image + EH_ENTRY, LOAD_MIN + 0x101);   /* Thumb at +0x100 */
	assert_int_equal(elf_check(f->image, f->image_size, &f->target, NULL, NULL, 0), 0);
	put32(f->image + EH_ENTRY, LOAD_MIN + 0x103);   /* Thumb at +0x102 */
	assert_int_equal(elf_check(f->image, f->image_size, &f->target, NULL, NULL, 0), 0);
	put32(f->image + EH_ENTRY, LOAD_MIN + 0x102);   /* ARM with bit 1 set */
	expect_reject(f, "entry 0xc0008102: ARM-state entry not 4-byte aligned");
}

static void test_no_pt_load(void **state)
{
	struct fixture *f = *state;
	const struct seg segs[] = {
		{ PT_NOTE, LOAD_MIN, 0x10, 0x10 },
		{ PT_LOAD, LOAD_MIN, 0,    0 },
	};

	build_elf(f, LOAD_MIN, segs, 2);
	expect_reject(f, "no PT_LOAD segment");
}

static void expect_bad_target(struct fixture *f, const struct elf_load_target *t)
{
	memset(f->why, 0, sizeof(f->why));
	assert_int_equal(elf_load(f->image, f->image_size, t, NULL, f->why, sizeof(f->why)),
			 -VMM_EINVAL);
	assert_string_equal(f->why, "invalid load target");
	assert_mem_untouched(f);
}

static void test_invalid_target(void **state)
{
	struct fixture *f = *state;
	struct elf_load_target t;

	expect_bad_target(f, NULL);
	t = f->target;
	t.host = NULL;
	expect_bad_target(f, &t);
	t = f->target;
	t.size = 0;
	t.load_min = t.va_base;
	expect_bad_target(f, &t);
	t = f->target;
	t.size = 0x40000000u;   /* ends at exactly 2^32: image_end would not fit */
	expect_bad_target(f, &t);
	t = f->target;
	t.va_base = 0xfffff000u;  /* base + size wraps */
	t.load_min = 0xfffff000u;
	expect_bad_target(f, &t);
	t = f->target;
	t.load_min = VMM_GUEST_BASE - 1;
	expect_bad_target(f, &t);
	t = f->target;
	t.load_min = DOM_END + 1;
	expect_bad_target(f, &t);
	/* Boundaries that are fine: load_min at either end of memory. */
	t = f->target;
	t.load_min = VMM_GUEST_BASE;
	assert_int_equal(elf_check(f->image, f->image_size, &t, NULL, NULL, 0), 0);
	t.load_min = DOM_END;
	assert_int_equal(elf_check(f->image, f->image_size, &t, NULL, f->why, sizeof(f->why)),
			 -VMM_EINVAL);
	assert_non_null(strstr(f->why, "segment 0:"));
}

static void expect_overlap_verdict(struct fixture *f, const struct elf_load_target *t,
				   uint8_t *where, bool overlaps)
{
	memcpy(where, f->image, f->image_size);
	memset(f->why, 0, sizeof(f->why));
	if (overlaps) {
		assert_int_equal(elf_load(where, f->image_size, t, NULL, f->why, sizeof(f->why)),
				 -VMM_EINVAL);
		assert_string_equal(f->why, "image overlaps domain memory");
	} else if (elf_check(where, f->image_size, t, NULL, f->why, sizeof(f->why)) != 0) {
		fail_msg("image next to domain memory rejected: %s", f->why);
	}
}

static void test_image_inside_domain_memory(void **state)
{
	/*
	 * memcpy from an overlapping source is undefined: refuse instead. The
	 * domain here is a window in the middle of mem[] so that images can be
	 * placed just before and just after it.
	 */
	struct fixture *f = *state;
	struct elf_load_target t = f->target;
	size_t n = f->image_size;

	t.host = f->mem + 0x1000;
	t.size = DOM_SIZE - 0x2000;
	assert_true(n < 0x1000);
	expect_overlap_verdict(f, &t, t.host - n, false);          /* ends at host[0] */
	expect_overlap_verdict(f, &t, t.host - n + 1, true);       /* last byte is host[0] */
	expect_overlap_verdict(f, &t, t.host, true);               /* same start */
	expect_overlap_verdict(f, &t, t.host + 0x3000, true);      /* fully inside */
	expect_overlap_verdict(f, &t, t.host + t.size - 1, true);  /* first byte is the last of host[] */
	expect_overlap_verdict(f, &t, t.host + t.size, false);     /* starts right after */
}

static void test_reason_truncated_to_buffer(void **state)
{
	struct fixture *f = *state;
	char why[12];

	memset(why, 'q', sizeof(why));
	f->image[0] = 0;
	assert_int_equal(elf_check(f->image, f->image_size, &f->target, NULL, why, 8), -VMM_EINVAL);
	assert_string_equal(why, "bad ELF");
	assert_int_equal(why[8], 'q');
	/* No buffer at all is fine too. */
	assert_int_equal(elf_check(f->image, f->image_size, &f->target, NULL, NULL, 0), -VMM_EINVAL);
}

/* Deterministic xorshift so a failure reproduces. */
static uint32_t rng_next(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void test_random_corruption_never_escapes(void **state)
{
	/*
	 * Hostile images: corrupt header/program-header words of a valid image.
	 * Whatever the verdict, nothing outside domain memory may be written, and
	 * an accepted image's result must lie inside [load_min, end of memory).
	 */
	struct fixture *f = *state;
	uint8_t pristine[IMAGE_MAX];
	size_t size = f->image_size;
	uint32_t seed = 0x1234567u;
	unsigned accepted = 0;

	memcpy(pristine, f->image, size);
	for (int iter = 0; iter < 20000; iter++) {
		uint8_t *copy = malloc(size);
		struct elf_load_result res;

		assert_non_null(copy);
		memcpy(copy, pristine, size);
		for (int n = 1 + (int)(rng_next(&seed) % 3); n > 0; n--) {
			uint32_t r = rng_next(&seed);
			size_t at = (r >> 8) % (EH_SIZE + 3 * PH_SIZE) & ~(size_t)3;
			uint32_t v = rng_next(&seed);

			switch (r & 3) {
			case 0: put32(copy + at, v); break;                     /* any value */
			case 1: put32(copy + at, v & 0xffff); break;            /* small */
			case 2: put32(copy + at, VMM_GUEST_BASE + (v & 0x1ffff)); break; /* near memory */
			default: copy[at + (v & 3)] ^= (uint8_t)(1u << (v >> 8 & 7)); break;
			}
		}
		memset(f->why, 0, sizeof(f->why));
		if (elf_load(copy, size, &f->target, &res, f->why, sizeof(f->why)) == 0) {
			accepted++;
			assert_true(res.image_start >= LOAD_MIN);
			assert_true(res.image_end <= DOM_END);
			assert_true(res.image_start < res.image_end);
			assert_true(res.entry >= res.image_start && res.entry < res.image_end);
		} else {
			assert_true(f->why[0] != '\0');
		}
		/* Guard before, shared/start-info pages and boot stack, guard after. */
		assert_true(mem_all(f->mem, GUARD + (LOAD_MIN - VMM_GUEST_BASE), FILL));
		assert_true(mem_all(f->mem + GUARD + DOM_SIZE, GUARD, FILL));
		free(copy);
	}
	/* The mutations must not be so destructive that acceptance is never exercised. */
	assert_true(accepted > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_load_copies_and_zeroes_bss),
		T(test_load_zeroes_stale_bss),
		T(test_check_writes_nothing),
		T(test_segments_out_of_order_and_at_bounds),
		T(test_ignores_empty_and_other_segments),
		T(test_bss_segment_offset_ignored),
		T(test_truncated_at_every_length),
		T(test_no_image),
		T(test_bad_magic),
		T(test_class64),
		T(test_big_endian),
		T(test_bad_version),
		T(test_wrong_machine),
		T(test_not_exec),
		T(test_phoff_beyond_file),
		T(test_phoff_plus_table_wraps_32_bits),
		T(test_phnum_huge),
		T(test_bad_phentsize),
		T(test_no_program_headers),
		T(test_segment_bytes_beyond_file),
		T(test_segment_offset_wraps_32_bits),
		T(test_filesz_greater_than_memsz),
		T(test_vaddr_below_load_min),
		T(test_segment_beyond_memory),
		T(test_segment_wraps_address_space),
		T(test_overlapping_segments),
		T(test_entry_outside_segments),
		T(test_entry_in_bss_accepted),
		T(test_entry_arm_alignment),
		T(test_no_pt_load),
		T(test_invalid_target),
		T(test_image_inside_domain_memory),
		T(test_reason_truncated_to_buffer),
		T(test_random_corruption_never_escapes),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
