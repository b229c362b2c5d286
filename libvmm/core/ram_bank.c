/*
 * RAM bank checks (see ram_bank.h). All sums are done in 64 bits: a bank may
 * end exactly at 4 GiB.
 */
#include "ram_bank.h"

#include <stdbool.h>

#include "format.h"
#include "vmm/abi.h"

static uint64_t bank_end(const struct vmm_ram_bank *b)
{
	return (uint64_t)b->base + b->size;
}

static bool bank_aligned(const struct vmm_ram_bank *b)
{
	return b->base % VMM_RAM_BANK_ALIGN == 0 && b->size % VMM_RAM_BANK_ALIGN == 0;
}

static bool bank_below_4g(const struct vmm_ram_bank *b)
{
	return bank_end(b) <= (1ull << 32);
}

static bool banks_overlap(const struct vmm_ram_bank *a, const struct vmm_ram_bank *b)
{
	return (uint64_t)a->base < bank_end(b) && (uint64_t)b->base < bank_end(a);
}

static bool range_inside(const struct vmm_ram_bank *b, uint32_t base, uint32_t size)
{
	return base >= b->base && (uint64_t)base + size <= bank_end(b);
}

int ram_bank_holding(const struct vmm_ram_bank *ram, unsigned int nr, uint32_t base, uint32_t size)
{
	unsigned int i;

	for (i = 0; i < nr && i < VMM_MAX_RAM_BANKS; i++)
		if (range_inside(&ram[i], base, size))
			return (int)i;
	return -1;
}

static int ram_reject(char *why, size_t len, const char *what, unsigned int i,
		      const struct vmm_ram_bank *b)
{
	vmm_snprintf(why, len, "RAM bank %u (0x%08x+0x%08x) %s", i, (unsigned)b->base,
		     (unsigned)b->size, what);
	return -VMM_EINVAL;
}

static int ram_check_one(const struct vmm_ram_bank *ram, unsigned int i, char *why, size_t len)
{
	const struct vmm_ram_bank *b = &ram[i];
	unsigned int j;

	if (b->size == 0)
		return ram_reject(why, len, "is empty", i, b);
	if (!bank_aligned(b))
		return ram_reject(why, len, "is not 1 MiB aligned", i, b);
	if (!bank_below_4g(b))
		return ram_reject(why, len, "passes 4 GiB", i, b);
	for (j = 0; j < i; j++) {
		if (banks_overlap(&ram[j], b)) {
			vmm_snprintf(why, len, "RAM bank %u (0x%08x+0x%08x) overlaps bank %u", i,
				     (unsigned)b->base, (unsigned)b->size, j);
			return -VMM_EINVAL;
		}
	}
	return 0;
}

static int ram_check_range(const struct vmm_ram_bank *ram, unsigned int nr, const struct ram_range *r,
			   const char *what, char *why, size_t len)
{
	if (r->size == 0 || ram_bank_holding(ram, nr, r->base, r->size) < 0) {
		vmm_snprintf(why, len, "%s 0x%08x+0x%08x is not inside one RAM bank", what,
			     (unsigned)r->base, (unsigned)r->size);
		return -VMM_EINVAL;
	}
	return 0;
}

int ram_banks_check(const struct vmm_ram_bank *ram, unsigned int nr, const struct ram_range *image,
		    const struct ram_range *window, char *why, size_t len)
{
	uint64_t total = 0;
	unsigned int i;
	int rc;

	if (nr == 0) {
		vmm_snprintf(why, len, "no RAM bank described");
		return -VMM_EINVAL;
	}
	if (nr > VMM_MAX_RAM_BANKS) {
		vmm_snprintf(why, len, "%u RAM banks described, at most %u supported", nr,
			     VMM_MAX_RAM_BANKS);
		return -VMM_EINVAL;
	}
	for (i = 0; i < nr; i++) {
		rc = ram_check_one(ram, i, why, len);
		if (rc != 0)
			return rc;
		total += ram[i].size;
	}
	if (total > VMM_RAM_MAX_TOTAL) {
		vmm_snprintf(why, len, "RAM banks hold %u MiB, at most %u MiB supported",
			     (unsigned)(total >> 20), (unsigned)(VMM_RAM_MAX_TOTAL >> 20));
		return -VMM_EINVAL;
	}
	rc = ram_check_range(ram, nr, image, "hypervisor image", why, len);
	if (rc == 0)
		rc = ram_check_range(ram, nr, window, "RAM window", why, len);
	return rc;
}
