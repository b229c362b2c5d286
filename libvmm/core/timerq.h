/*
 * Timer queue: one optional deadline per small integer id (a domain slot),
 * kept in a binary min-heap so that the earliest deadline is known in O(1)
 * whatever the number of ids, and arming, re-arming or cancelling one costs
 * O(log n).
 *
 * The timer interrupt only needs "is anything due?" (timerq_earliest(), one
 * 64-bit load); the heap is touched only when a deadline changes or fires.
 * Order: (deadline, id), so equal deadlines come out lowest id first, the
 * same order in every run. Deadlines are any 64-bit value; TIMERQ_NEVER
 * (2^64-1) is a valid deadline that timerq_earliest() cannot tell from an
 * empty queue, which is what its users want ("not before the end of time").
 */
#ifndef VMM_CORE_TIMERQ_H
#define VMM_CORE_TIMERQ_H

#include <stdbool.h>
#include <stdint.h>

#define TIMERQ_CAPACITY 64            /* ids 0..TIMERQ_CAPACITY-1 */
#define TIMERQ_NEVER    UINT64_MAX    /* timerq_earliest() of an empty queue */
#define TIMERQ_NONE     0xffu         /* pos[] of an id that is not armed */

struct timerq {
	uint64_t earliest;                   /* deadline of heap[0], or TIMERQ_NEVER */
	uint32_t n;                          /* armed ids */
	uint8_t heap[TIMERQ_CAPACITY];       /* armed ids, heap-ordered by (deadline, id) */
	uint8_t pos[TIMERQ_CAPACITY];        /* index of each id in heap[], or TIMERQ_NONE */
	uint64_t deadline[TIMERQ_CAPACITY];  /* by id; meaningful while armed */
};

/* Makes q empty. */
void timerq_init(struct timerq *q);

/* Arms id's deadline, replacing the one it had if armed. id < TIMERQ_CAPACITY
 * (ignored otherwise: the caller's ids are slots, always in range). */
void timerq_arm(struct timerq *q, unsigned int id, uint64_t deadline);

/* Disarms id; no-op if it is not armed or out of range. */
void timerq_cancel(struct timerq *q, unsigned int id);

/* Is id armed? Its deadline is then q->deadline[id]. */
static inline bool timerq_armed(const struct timerq *q, unsigned int id)
{
	return id < TIMERQ_CAPACITY && q->pos[id] != TIMERQ_NONE;
}

/* Earliest armed deadline, TIMERQ_NEVER if none. O(1). */
static inline uint64_t timerq_earliest(const struct timerq *q)
{
	return q->earliest;
}

/*
 * If the earliest deadline is <= now, disarms it and returns its id; else
 * returns -1. Call in a loop to take every due timer, earliest first.
 */
int timerq_pop_due(struct timerq *q, uint64_t now);

#endif /* VMM_CORE_TIMERQ_H */
