/*
 * Checks of the board's RAM description (vmm_board.ram[], see vmm/port.h)
 * before anything is built on it. Pure functions: unit-tested on the host.
 */
#ifndef VMM_CORE_RAM_BANK_H
#define VMM_CORE_RAM_BANK_H

#include <stddef.h>
#include <stdint.h>

#include "vmm/port.h"

/* A physical range [base, base + size) the hypervisor itself occupies. */
struct ram_range {
	uint32_t base;
	uint32_t size;
};

/*
 * Checks `nr` banks: 1..VMM_MAX_RAM_BANKS of them; each non-empty, base and
 * size multiples of VMM_RAM_BANK_ALIGN, ending at or below 4 GiB; no two
 * overlapping; VMM_RAM_MAX_TOTAL bytes at most together; `image` (the
 * hypervisor image) and `window` (the RAM start.S maps linearly) each wholly
 * inside one bank. Returns 0, or -VMM_EINVAL with a one-line reason naming
 * the bank in why[0..len).
 */
int ram_banks_check(const struct vmm_ram_bank *ram, unsigned int nr, const struct ram_range *image,
		    const struct ram_range *window, char *why, size_t len);

/* Index of the bank holding all of [base, base + size) (size >= 1), or -1. */
int ram_bank_holding(const struct vmm_ram_bank *ram, unsigned int nr, uint32_t base, uint32_t size);

#endif /* VMM_CORE_RAM_BANK_H */
