/*
 * ELF32 loader for guest kernels (ARM, little-endian, ET_EXEC).
 *
 * The image is untrusted: every field is checked before use and all address
 * arithmetic is done in 64 bits, so no image can make the loader read outside
 * image[0..image_size) or write outside host[0..t->size). Only PT_LOAD
 * segments with p_memsz > 0 are placed; other program headers are ignored
 * (a PT_LOAD with p_memsz == 0 and p_filesz == 0 is ignored too; p_filesz
 * must never exceed p_memsz). Segments are placed at p_vaddr (p_paddr is
 * ignored: guests run at their link address, see guest_info.h). The entry
 * must lie in a loaded segment and, in ARM state (bit 0 clear), be word
 * aligned (the first exception return into the domain loads it).
 *
 * Host side only: it knows nothing about page tables. The caller maps
 * host[0..size) as guest addresses [va_base, va_base + size).
 */
#ifndef VMM_CORE_ELF_LOADER_H
#define VMM_CORE_ELF_LOADER_H

#include <stddef.h>
#include <stdint.h>

/* Upper bound on e_phnum: real guest kernels have a handful. */
#define ELF_MAX_PHDRS 32

struct elf_load_target {
	uint32_t va_base;   /* guest virtual address of the domain's first byte (VMM_GUEST_BASE) */
	uint32_t size;      /* bytes of domain memory; va_base + size must stay below 2^32 */
	uint32_t load_min;  /* lowest guest VA a segment may occupy (VMM_GUEST_LOAD_MIN): below it
			       live the shared/start-info pages and boot stack */
	uint8_t *host;      /* where the hypervisor can write guest address va_base */
};

struct elf_load_result {
	uint32_t entry;        /* e_entry: where the domain starts */
	uint32_t image_start;  /* lowest p_vaddr of the loaded segments */
	uint32_t image_end;    /* highest p_vaddr + p_memsz (one past the image, incl. bss) */
};

/*
 * Validates the image against the target without writing guest memory.
 * Returns 0 and fills *out (if out is not NULL), or -VMM_EINVAL with *out
 * untouched and a one-line human reason (no trailing newline, truncated to
 * fit) in why[0..why_len). why may be NULL when why_len is 0.
 * The image must not overlap host[0..t->size) (rejected).
 */
int elf_check(const void *image, size_t image_size, const struct elf_load_target *t,
	      struct elf_load_result *out, char *why, size_t why_len);

/*
 * elf_check, then copies every loaded segment's p_filesz file bytes to its
 * p_vaddr and zeroes the remaining p_memsz - p_filesz bytes. Guest memory
 * outside the segments is left as it was. Nothing is written on error.
 */
int elf_load(const void *image, size_t image_size, const struct elf_load_target *t,
	     struct elf_load_result *out, char *why, size_t why_len);

#endif /* VMM_CORE_ELF_LOADER_H */
