/*
 * 64-bit count from a 32-bit hardware counter (see counter32.h).
 */
#include "counter32.h"

/* A down-counter's ticks since it last held 0xffffffff. */
static inline uint32_t counter32_up(const struct counter32 *c, uint32_t raw)
{
	return c->down ? ~raw : raw;
}

void counter32_init(struct counter32 *c, uint32_t raw, bool down)
{
	c->down = down;
	c->last = counter32_up(c, raw);
	c->count = c->last;
}

uint64_t counter32_extend(struct counter32 *c, uint32_t raw)
{
	uint32_t up = counter32_up(c, raw);

	/* Unsigned 32-bit difference: correct across one wrap, which is why
	 * reads must be less than 2^32 ticks apart (the read-rate rule). */
	c->count += (uint32_t)(up - c->last);
	c->last = up;
	return c->count;
}
