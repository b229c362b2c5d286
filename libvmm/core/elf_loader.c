/*
 * ELF32 guest loader: see elf_loader.h for the contract.
 *
 * Both entry points share elf_plan_build(), which checks everything and
 * records each accepted segment in a struct elf_plan. elf_load() then copies
 * from the plan only, so the sizes it uses are exactly the ones that were
 * validated even if the image were to change underneath us.
 *
 * Headers are read with memcpy into local structs: the image may sit at any
 * alignment. The structs are read as host-endian, which is correct because
 * ELFDATA2LSB is required and both the hypervisor (ARMv7-A little-endian)
 * and the unit-test hosts are little-endian.
 */
#include "elf_loader.h"

#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

#include "format.h"
#include "vmm/abi.h"

/* The few ELF32 definitions we need; newlib has no <elf.h>. */
#define EI_NIDENT     16
#define EI_CLASS      4
#define EI_DATA       5
#define EI_VERSION    6
#define ELFCLASS32    1
#define ELFDATA2LSB   1
#define EV_CURRENT    1
#define ET_EXEC       2
#define EM_ARM        40
#define PT_LOAD       1

struct elf32_ehdr {
	uint8_t  e_ident[EI_NIDENT];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint32_t e_entry;
	uint32_t e_phoff;
	uint32_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
};

struct elf32_phdr {
	uint32_t p_type;
	uint32_t p_offset;
	uint32_t p_vaddr;
	uint32_t p_paddr;
	uint32_t p_filesz;
	uint32_t p_memsz;
	uint32_t p_flags;
	uint32_t p_align;
};

/* memcpy of a whole struct is only a faithful decode if there is no padding. */
_Static_assert(sizeof(struct elf32_ehdr) == 52, "ELF32 header layout");
_Static_assert(sizeof(struct elf32_phdr) == 32, "ELF32 program header layout");

/* A PT_LOAD segment that passed every check. */
struct elf_segment {
	unsigned index;     /* program header number, for messages */
	uint32_t offset;
	uint32_t vaddr;
	uint32_t filesz;
	uint32_t memsz;
};

struct elf_plan {
	struct elf_segment seg[ELF_MAX_PHDRS];
	unsigned count;
	struct elf_load_result result;
};

static int elf_reject(char *why, size_t why_len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Writes the reason (if the caller gave room for one) and returns the error. */
static int elf_reject(char *why, size_t why_len, const char *fmt, ...)
{
	if (why != NULL && why_len > 0) {
		va_list ap;

		va_start(ap, fmt);
		vmm_vsnprintf(why, why_len, fmt, ap);
		va_end(ap);
	}
	return -VMM_EINVAL;
}

/* One past the last guest VA of the domain; 64-bit so it cannot wrap. */
static uint64_t target_end(const struct elf_load_target *t)
{
	return (uint64_t)t->va_base + t->size;
}

/*
 * The target comes from the hypervisor, but a wrong one would turn the
 * bounds checks below into nonsense, so it is checked too. Its end must stay
 * below 2^32 so that image_end always fits in a uint32_t.
 */
static bool target_valid(const struct elf_load_target *t)
{
	return t != NULL && t->host != NULL && t->size > 0 &&
	       target_end(t) <= UINT32_MAX &&
	       t->load_min >= t->va_base && t->load_min <= target_end(t);
}

/* Overflow-free test whether two host byte ranges share a byte. */
static bool host_ranges_overlap(uintptr_t a, size_t a_len, uintptr_t b, size_t b_len)
{
	return a >= b ? a - b < b_len : b - a < a_len;
}

/* Copying an image onto itself would corrupt it mid-load (memcpy, not memmove). */
static bool image_overlaps_target(const void *image, size_t image_size,
				  const struct elf_load_target *t)
{
	return host_ranges_overlap((uintptr_t)image, image_size, (uintptr_t)t->host, t->size);
}

/* off/len are file fields (< 2^32 each), so the 64-bit sum cannot overflow. */
static bool range_inside_file(uint64_t off, uint64_t len, size_t image_size)
{
	return off + len <= (uint64_t)image_size;
}

/* [start, start + len) within [lo, hi); 64-bit so a segment cannot wrap past 2^32 back into range. */
static bool range_inside(uint64_t start, uint64_t len, uint64_t lo, uint64_t hi)
{
	return start >= lo && start + len <= hi;
}

static bool segments_overlap(const struct elf_segment *a, const struct elf_segment *b)
{
	return (uint64_t)a->vaddr < (uint64_t)b->vaddr + b->memsz &&
	       (uint64_t)b->vaddr < (uint64_t)a->vaddr + a->memsz;
}

static bool magic_valid(const uint8_t *ident)
{
	return ident[0] == 0x7f && ident[1] == 'E' && ident[2] == 'L' && ident[3] == 'F';
}

static bool entry_inside_segment(const struct elf_plan *plan, uint32_t entry)
{
	for (unsigned i = 0; i < plan->count; i++) {
		const struct elf_segment *s = &plan->seg[i];

		if (entry >= s->vaddr && (uint64_t)entry < (uint64_t)s->vaddr + s->memsz)
			return true;
	}
	return false;
}

/* Identification and file-type fields, then the extent of the program header table. */
static int elf_check_header(const struct elf32_ehdr *eh, size_t image_size,
			    char *why, size_t why_len)
{
	if (!magic_valid(eh->e_ident))
		return elf_reject(why, why_len, "bad ELF magic");
	if (eh->e_ident[EI_CLASS] != ELFCLASS32)
		return elf_reject(why, why_len, "not ELFCLASS32 (class %u)", eh->e_ident[EI_CLASS]);
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return elf_reject(why, why_len, "not little-endian (data %u)", eh->e_ident[EI_DATA]);
	if (eh->e_ident[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT)
		return elf_reject(why, why_len, "unsupported ELF version %u/%u",
				  eh->e_ident[EI_VERSION], (unsigned)eh->e_version);
	if (eh->e_machine != EM_ARM)
		return elf_reject(why, why_len, "not an ARM executable (e_machine=%u)", eh->e_machine);
	if (eh->e_type != ET_EXEC)
		return elf_reject(why, why_len, "not ET_EXEC (e_type=%u)", eh->e_type);
	if (eh->e_phnum > ELF_MAX_PHDRS)
		return elf_reject(why, why_len, "too many program headers (%u, max %u)",
				  eh->e_phnum, ELF_MAX_PHDRS);
	if (eh->e_phnum > 0 && eh->e_phentsize != sizeof(struct elf32_phdr))
		return elf_reject(why, why_len, "bad program header size %u (want %u)",
				  eh->e_phentsize, (unsigned)sizeof(struct elf32_phdr));
	if (!range_inside_file(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(struct elf32_phdr),
			       image_size))
		return elf_reject(why, why_len, "program headers outside the file");
	return 0;
}

/* Checks one PT_LOAD against the file and the domain, and against earlier segments. */
static int elf_check_segment(const struct elf32_phdr *ph, unsigned index, size_t image_size,
			     const struct elf_load_target *t, const struct elf_plan *plan,
			     char *why, size_t why_len)
{
	/* A segment without file bytes reads nothing, so its offset is irrelevant. */
	if (ph->p_filesz > 0 && !range_inside_file(ph->p_offset, ph->p_filesz, image_size))
		return elf_reject(why, why_len, "segment %u: file bytes outside the file", index);
	if (ph->p_filesz > ph->p_memsz)
		return elf_reject(why, why_len, "segment %u: filesz > memsz (0x%x > 0x%x)", index,
				  (unsigned)ph->p_filesz, (unsigned)ph->p_memsz);
	if (ph->p_memsz == 0)
		return 0;
	if (!range_inside(ph->p_vaddr, ph->p_memsz, t->load_min, target_end(t)))
		return elf_reject(why, why_len,
				  "segment %u: [0x%08x,0x%08llx) outside domain memory [0x%08x,0x%08llx)",
				  index, (unsigned)ph->p_vaddr,
				  (unsigned long long)ph->p_vaddr + ph->p_memsz,
				  (unsigned)t->load_min, (unsigned long long)target_end(t));

	struct elf_segment cand = { index, ph->p_offset, ph->p_vaddr, ph->p_filesz, ph->p_memsz };
	for (unsigned i = 0; i < plan->count; i++) {
		if (segments_overlap(&plan->seg[i], &cand))
			return elf_reject(why, why_len, "segments %u and %u overlap",
					  plan->seg[i].index, index);
	}
	return 0;
}

static void plan_add(struct elf_plan *plan, const struct elf32_phdr *ph, unsigned index)
{
	struct elf_segment *s = &plan->seg[plan->count++];
	uint32_t end = ph->p_vaddr + ph->p_memsz; /* checked: inside the domain, below 2^32 */

	*s = (struct elf_segment){ index, ph->p_offset, ph->p_vaddr, ph->p_filesz, ph->p_memsz };
	if (plan->count == 1 || ph->p_vaddr < plan->result.image_start)
		plan->result.image_start = ph->p_vaddr;
	if (plan->count == 1 || end > plan->result.image_end)
		plan->result.image_end = end;
}

/* Runs every check and, on success, describes what to copy where. */
static int elf_plan_build(const void *image, size_t image_size, const struct elf_load_target *t,
			  struct elf_plan *plan, char *why, size_t why_len)
{
	const uint8_t *bytes = image;
	struct elf32_ehdr eh;
	int rc;

	if (!target_valid(t))
		return elf_reject(why, why_len, "invalid load target");
	if (image == NULL)
		return elf_reject(why, why_len, "no image");
	if (image_size < sizeof(eh))
		return elf_reject(why, why_len, "truncated ELF header (%zu of %zu bytes)",
				  image_size, sizeof(eh));
	if (image_overlaps_target(image, image_size, t))
		return elf_reject(why, why_len, "image overlaps domain memory");

	memcpy(&eh, bytes, sizeof(eh));
	rc = elf_check_header(&eh, image_size, why, why_len);
	if (rc != 0)
		return rc;

	plan->count = 0;
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		struct elf32_phdr ph;

		memcpy(&ph, bytes + eh.e_phoff + (size_t)i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD)
			continue;
		rc = elf_check_segment(&ph, i, image_size, t, plan, why, why_len);
		if (rc != 0)
			return rc;
		if (ph.p_memsz > 0)
			plan_add(plan, &ph, i);
	}
	if (plan->count == 0)
		return elf_reject(why, why_len, "no PT_LOAD segment");
	if (!entry_inside_segment(plan, eh.e_entry))
		return elf_reject(why, why_len, "entry 0x%08x not inside a loaded segment",
				  (unsigned)eh.e_entry);
	/* Entered by an exception return: an ARM-state (bit 0 clear) pc with
	 * bit 1 set is UNPREDICTABLE there. Thumb entries: any halfword. */
	if ((eh.e_entry & 3u) == 2u)
		return elf_reject(why, why_len, "entry 0x%08x: ARM-state entry not 4-byte aligned",
				  (unsigned)eh.e_entry);
	plan->result.entry = eh.e_entry;
	return 0;
}

int elf_check(const void *image, size_t image_size, const struct elf_load_target *t,
	      struct elf_load_result *out, char *why, size_t why_len)
{
	struct elf_plan plan;
	int rc = elf_plan_build(image, image_size, t, &plan, why, why_len);

	if (rc == 0 && out != NULL)
		*out = plan.result;
	return rc;
}

int elf_load(const void *image, size_t image_size, const struct elf_load_target *t,
	     struct elf_load_result *out, char *why, size_t why_len)
{
	const uint8_t *bytes = image;
	struct elf_plan plan;
	int rc = elf_plan_build(image, image_size, t, &plan, why, why_len);

	if (rc != 0)
		return rc;
	for (unsigned i = 0; i < plan.count; i++) {
		const struct elf_segment *s = &plan.seg[i];
		/* vaddr >= load_min >= va_base and vaddr + memsz <= va_base + size: checked. */
		uint8_t *dst = t->host + (s->vaddr - t->va_base);

		/* A bss-only segment's offset was never checked: do not even form the pointer. */
		if (s->filesz > 0)
			memcpy(dst, bytes + s->offset, s->filesz);
		memset(dst + s->filesz, 0, s->memsz - s->filesz);
	}
	if (out != NULL)
		*out = plan.result;
	return 0;
}
