/*
 * Checked guest memory access (see guest_access.h).
 */
#include "guest_access.h"

#include <string.h>

#include "domain.h"
#include "vmm/abi.h"

bool guest_range_valid(const struct domain *d, uint32_t va, uint32_t len)
{
	uint32_t offset;

	if (va < VMM_GUEST_BASE)
		return false;
	offset = va - VMM_GUEST_BASE;
	/* written so that nothing can overflow */
	return offset < d->mem_size && len <= d->mem_size - offset;
}

void *guest_ptr(const struct domain *d, uint32_t va, uint32_t len)
{
	if (!guest_range_valid(d, va, len))
		return NULL;
	return d->mem + (va - VMM_GUEST_BASE);
}

int guest_copy_from(const struct domain *d, void *dst, uint32_t va, uint32_t len)
{
	const void *src = guest_ptr(d, va, len);

	if (!src)
		return -VMM_EFAULT;
	memcpy(dst, src, len);
	return 0;
}

int guest_copy_to(const struct domain *d, uint32_t va, const void *src, uint32_t len)
{
	void *dst = guest_ptr(d, va, len);

	if (!dst)
		return -VMM_EFAULT;
	memcpy(dst, src, len);
	return 0;
}
