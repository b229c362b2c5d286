/*
 * libvmm Mini-OS: shared request/response rings (the idea of Xen's ring.h,
 * written for libvmm as plain functions).
 *
 * One shared page holds a 64-byte header and `nr` slots (a power of two) of
 * `slot_size` bytes. The front end (the client) writes requests into free
 * slots and publishes them by advancing req_prod; the back end (the server)
 * consumes them, writes each response into the slot of a consumed request
 * and publishes it by advancing rsp_prod. Indices are free-running 32-bit
 * counters (slot = index & (nr - 1)), so they wrap at 2^32 harmlessly.
 *
 * Notification suppression: each side says from which index it wants to be
 * notified (req_event / rsp_event). A push returns true only if the peer
 * asked to hear about one of the entries it published; a consumer that ran
 * out of work calls ring_*_final_check(), which sets its event index and
 * checks once more, so no entry published in between is missed.
 *
 * The peer is untrusted: the back end never takes more requests than fit in
 * the ring beside the responses it still owes, and the front end never
 * accepts more responses than requests it has outstanding (a peer that
 * moves an index wildly gets 0 entries, not an overrun).
 *
 * Pure C (no hypercalls): the same code runs in the guests and in host tests.
 */
#ifndef MINIOS_RING_H
#define MINIOS_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The shared page's header; the slots follow at offset RING_HEADER_SIZE. */
struct ring_shared {
	volatile uint32_t req_prod;  /* requests published by the front end */
	volatile uint32_t req_event; /* back end: notify me when req_prod passes this */
	volatile uint32_t rsp_prod;  /* responses published by the back end */
	volatile uint32_t rsp_event; /* front end: notify me when rsp_prod passes this */
	uint8_t pad[48];
};

#define RING_HEADER_SIZE 64u

/* One side's private view. */
struct ring_front {
	struct ring_shared *s;
	uint32_t req_prod_pvt;  /* next request slot to fill (not yet published) */
	uint32_t rsp_cons;      /* next response to read */
	uint32_t nr;            /* slots (a power of two) */
	uint32_t slot_size;
};

struct ring_back {
	struct ring_shared *s;
	uint32_t rsp_prod_pvt;  /* next response slot to fill (not yet published) */
	uint32_t req_cons;      /* next request to read */
	uint32_t nr;
	uint32_t slot_size;
};

/*
 * Slots that fit a shared area of `bytes` bytes with slots of `slot_size`
 * bytes: the largest power of two, 0 if not even one fits.
 */
uint32_t ring_slots_for(uint32_t bytes, uint32_t slot_size);

/* Initializes the shared header (the front end does this before sharing the page). */
void ring_shared_init(struct ring_shared *s);

/*
 * Attaches a side to the shared area of `bytes` bytes; false if no slot
 * fits. The back end starts at the first request not yet answered, so it
 * may attach after the front end queued requests.
 */
bool ring_front_init(struct ring_front *f, void *shared, uint32_t bytes, uint32_t slot_size);
bool ring_back_init(struct ring_back *b, void *shared, uint32_t bytes, uint32_t slot_size);

/* --- front end ---------------------------------------------------------- */

/* Slots free for new requests (not holding a request or an unread response). */
uint32_t ring_front_free(const struct ring_front *f);
/* The next request slot to fill, NULL if the ring is full; ring_front_queue() counts it. */
void *ring_front_next_req(struct ring_front *f);
void ring_front_queue(struct ring_front *f);
/* Publishes the queued requests; true if the back end must be notified. */
bool ring_front_push(struct ring_front *f);
/* Responses ready to read (0 if the back end published more than were requested). */
uint32_t ring_front_unconsumed(const struct ring_front *f);
/* The next response (call only while ring_front_unconsumed() > 0), and mark it read. */
const void *ring_front_peek_rsp(const struct ring_front *f);
void ring_front_consume(struct ring_front *f);
/* Out of responses: asks to be notified of the next one; true if one arrived meanwhile. */
bool ring_front_final_check(struct ring_front *f);

/* --- back end ------------------------------------------------------------ */

/* Requests ready to read (bounded by the ring size minus responses still owed). */
uint32_t ring_back_unconsumed(const struct ring_back *b);
const void *ring_back_peek_req(const struct ring_back *b);
void ring_back_consume(struct ring_back *b);
/* The slot for the next response (the oldest consumed request's slot). */
void *ring_back_next_rsp(struct ring_back *b);
void ring_back_queue(struct ring_back *b);
/* Publishes the queued responses; true if the front end must be notified. */
bool ring_back_push(struct ring_back *b);
bool ring_back_final_check(struct ring_back *b);

#endif /* MINIOS_RING_H */
