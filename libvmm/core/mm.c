/*
 * Domain memory pool (see mm.h).
 */
#include "mm.h"

#include "vmm/abi.h"
#include "vmm/config.h"

static uint32_t pool_next;  /* next free physical address */
static uint32_t pool_end;   /* one past the pool (0 = top of the 4 GiB space) */

void mm_init(uint32_t base, uint32_t size)
{
	uint64_t start = ((uint64_t)base + VMM_DOMAIN_MEM_ALIGN - 1) & ~(uint64_t)(VMM_DOMAIN_MEM_ALIGN - 1);
	uint64_t end = ((uint64_t)base + size) & ~(uint64_t)(VMM_DOMAIN_MEM_ALIGN - 1);

	if (end < start)
		end = start;
	pool_next = (uint32_t)start;
	pool_end = (uint32_t)end;
}

uint32_t mm_free_bytes(void)
{
	return pool_end - pool_next;
}

int mm_take(uint32_t size, uint32_t *phys)
{
	if (size == 0 || size % VMM_DOMAIN_MEM_ALIGN || size > mm_free_bytes())
		return -VMM_ENOMEM;
	*phys = pool_next;
	pool_next += size;
	return 0;
}

void mm_give_back(uint32_t phys, uint32_t size)
{
	if (phys + size == pool_next)
		pool_next = phys;
}
