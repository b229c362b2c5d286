/*
 * libvmm Mini-OS: shared request/response rings (see minios/ring.h).
 *
 * Ordering: an entry is written before the index that publishes it
 * (barrier between), an index is read before the entries it covers
 * (barrier between), and an event index is written before the producer
 * index is read again in the final checks (full barrier), so that either
 * the producer sees the new event index or the consumer sees the new entry.
 */
#include "minios/ring.h"

#include <string.h>

/* A full memory barrier (dmb on ARMv7; the guests may run on another core's cache one day). */
static inline void ring_mb(void)
{
	__sync_synchronize();
}

uint32_t ring_slots_for(uint32_t bytes, uint32_t slot_size)
{
	uint32_t n = 1;

	if (slot_size == 0 || bytes <= RING_HEADER_SIZE || (bytes - RING_HEADER_SIZE) / slot_size == 0)
		return 0;
	while (n <= ((bytes - RING_HEADER_SIZE) / slot_size) / 2)
		n *= 2;
	return n;
}

void ring_shared_init(struct ring_shared *s)
{
	memset(s, 0, sizeof(*s));
	/* Both sides want to hear about the first entry. */
	s->req_event = 1;
	s->rsp_event = 1;
}

bool ring_front_init(struct ring_front *f, void *shared, uint32_t bytes, uint32_t slot_size)
{
	f->s = shared;
	f->nr = ring_slots_for(bytes, slot_size);
	f->slot_size = slot_size;
	f->req_prod_pvt = f->s->req_prod;
	f->rsp_cons = f->s->rsp_prod;
	return f->nr != 0;
}

bool ring_back_init(struct ring_back *b, void *shared, uint32_t bytes, uint32_t slot_size)
{
	b->s = shared;
	b->nr = ring_slots_for(bytes, slot_size);
	b->slot_size = slot_size;
	/* Requests not answered yet start at rsp_prod: a back end attaching late
	 * still serves what the front end queued before. */
	b->req_cons = b->s->rsp_prod;
	b->rsp_prod_pvt = b->s->rsp_prod;
	return b->nr != 0;
}

static inline uint8_t *slot_at(struct ring_shared *s, uint32_t nr, uint32_t size, uint32_t idx)
{
	return (uint8_t *)s + RING_HEADER_SIZE + (idx & (nr - 1u)) * size;
}

/* True if publishing [old, new) crosses the peer's event index. */
static inline bool crosses_event(uint32_t old, uint32_t new_prod, uint32_t event)
{
	return (uint32_t)(new_prod - event) < (uint32_t)(new_prod - old);
}

/* --- front end ---------------------------------------------------------- */

uint32_t ring_front_free(const struct ring_front *f)
{
	return f->nr - (f->req_prod_pvt - f->rsp_cons);
}

void *ring_front_next_req(struct ring_front *f)
{
	if (ring_front_free(f) == 0)
		return NULL;
	return slot_at(f->s, f->nr, f->slot_size, f->req_prod_pvt);
}

void ring_front_queue(struct ring_front *f)
{
	f->req_prod_pvt++;
}

bool ring_front_push(struct ring_front *f)
{
	uint32_t old = f->s->req_prod, new_prod = f->req_prod_pvt;

	ring_mb(); /* requests written before they are published */
	f->s->req_prod = new_prod;
	ring_mb(); /* published before the back end's event index is read */
	return crosses_event(old, new_prod, f->s->req_event);
}

uint32_t ring_front_unconsumed(const struct ring_front *f)
{
	uint32_t avail = f->s->rsp_prod - f->rsp_cons;

	ring_mb(); /* index read before the responses */
	/* never more than the requests outstanding (a hostile back end) */
	return avail <= f->req_prod_pvt - f->rsp_cons ? avail : 0;
}

const void *ring_front_peek_rsp(const struct ring_front *f)
{
	return slot_at(f->s, f->nr, f->slot_size, f->rsp_cons);
}

void ring_front_consume(struct ring_front *f)
{
	f->rsp_cons++;
}

bool ring_front_final_check(struct ring_front *f)
{
	if (ring_front_unconsumed(f))
		return true;
	f->s->rsp_event = f->rsp_cons + 1;
	ring_mb();
	return ring_front_unconsumed(f) != 0;
}

/* --- back end ------------------------------------------------------------ */

uint32_t ring_back_unconsumed(const struct ring_back *b)
{
	uint32_t avail = b->s->req_prod - b->req_cons;
	/* slots neither holding an unconsumed request's answer-to-be nor an unread response */
	uint32_t room = b->nr - (b->req_cons - b->rsp_prod_pvt);

	ring_mb();
	return avail < room ? avail : room;
}

const void *ring_back_peek_req(const struct ring_back *b)
{
	return slot_at(b->s, b->nr, b->slot_size, b->req_cons);
}

void ring_back_consume(struct ring_back *b)
{
	b->req_cons++;
}

void *ring_back_next_rsp(struct ring_back *b)
{
	return slot_at(b->s, b->nr, b->slot_size, b->rsp_prod_pvt);
}

void ring_back_queue(struct ring_back *b)
{
	b->rsp_prod_pvt++;
}

bool ring_back_push(struct ring_back *b)
{
	uint32_t old = b->s->rsp_prod, new_prod = b->rsp_prod_pvt;

	ring_mb();
	b->s->rsp_prod = new_prod;
	ring_mb();
	return crosses_event(old, new_prod, b->s->rsp_event);
}

bool ring_back_final_check(struct ring_back *b)
{
	if (ring_back_unconsumed(b))
		return true;
	b->s->req_event = b->req_cons + 1;
	ring_mb();
	return ring_back_unconsumed(b) != 0;
}
