/*
 * Domain memory allocator: hands out physically contiguous, 1 MiB aligned
 * blocks of the RAM the hypervisor image does not use. Memory is taken at
 * boot for the configured domains and is not returned (static partitioning,
 * as firmware expects: no domain can starve another at run time).
 */
#ifndef VMM_CORE_MM_H
#define VMM_CORE_MM_H

#include <stdint.h>

/* Sets the pool to [base, base + size) physical (aligned inwards to 1 MiB). */
void mm_init(uint32_t base, uint32_t size);

/* Takes `size` bytes (a multiple of 1 MiB). 0 with *phys set, or -VMM_ENOMEM. */
int mm_take(uint32_t size, uint32_t *phys);

/* Returns the block mm_take() handed out last (a domain that failed to build). */
void mm_give_back(uint32_t phys, uint32_t size);

/* Bytes still free. */
uint32_t mm_free_bytes(void);

#endif /* VMM_CORE_MM_H */
