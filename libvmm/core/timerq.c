/*
 * Timer queue: a binary min-heap of ids by (deadline, id) (see timerq.h).
 */
#include "timerq.h"

/* (deadline, id) of a before that of b. */
static bool timerq_before(const struct timerq *q, unsigned int a, unsigned int b)
{
	uint64_t da = q->deadline[a], db = q->deadline[b];

	return da < db || (da == db && a < b);
}

static void timerq_place(struct timerq *q, uint32_t i, unsigned int id)
{
	q->heap[i] = (uint8_t)id;
	q->pos[id] = (uint8_t)i;
}

/* Moves id, sitting at i, up while it is before its parent. */
static void timerq_up(struct timerq *q, uint32_t i, unsigned int id)
{
	while (i > 0) {
		uint32_t parent = (i - 1) / 2;

		if (!timerq_before(q, id, q->heap[parent]))
			break;
		timerq_place(q, i, q->heap[parent]);
		i = parent;
	}
	timerq_place(q, i, id);
}

/* Moves id, sitting at i, down while a child is before it. */
static void timerq_down(struct timerq *q, uint32_t i, unsigned int id)
{
	for (;;) {
		uint32_t c = 2 * i + 1;

		if (c >= q->n)
			break;
		if (c + 1 < q->n && timerq_before(q, q->heap[c + 1], q->heap[c]))
			c++;
		if (!timerq_before(q, q->heap[c], id))
			break;
		timerq_place(q, i, q->heap[c]);
		i = c;
	}
	timerq_place(q, i, id);
}

/* Puts id (its deadline just changed, or it was just placed at i) where it
 * belongs: up if it is now before its parent, else down. */
static void timerq_fix(struct timerq *q, uint32_t i, unsigned int id)
{
	if (i > 0 && timerq_before(q, id, q->heap[(i - 1) / 2]))
		timerq_up(q, i, id);
	else
		timerq_down(q, i, id);
}

static void timerq_update_earliest(struct timerq *q)
{
	q->earliest = q->n ? q->deadline[q->heap[0]] : TIMERQ_NEVER;
}

static bool timerq_id_valid(unsigned int id)
{
	return id < TIMERQ_CAPACITY;
}

void timerq_init(struct timerq *q)
{
	unsigned int i;

	q->n = 0;
	q->earliest = TIMERQ_NEVER;
	for (i = 0; i < TIMERQ_CAPACITY; i++)
		q->pos[i] = TIMERQ_NONE;
}

void timerq_arm(struct timerq *q, unsigned int id, uint64_t deadline)
{
	if (!timerq_id_valid(id))
		return;
	q->deadline[id] = deadline;
	if (q->pos[id] == TIMERQ_NONE)
		timerq_up(q, q->n++, id);
	else
		timerq_fix(q, q->pos[id], id);
	timerq_update_earliest(q);
}

void timerq_cancel(struct timerq *q, unsigned int id)
{
	uint32_t i;
	unsigned int last;

	if (!timerq_armed(q, id))
		return;
	i = q->pos[id];
	q->pos[id] = TIMERQ_NONE;
	last = q->heap[--q->n];
	/* The last entry fills the hole (unless it was the hole). */
	if (last != id)
		timerq_fix(q, i, last);
	timerq_update_earliest(q);
}

int timerq_pop_due(struct timerq *q, uint64_t now)
{
	unsigned int id;

	if (q->n == 0 || q->earliest > now)
		return -1;
	id = q->heap[0];
	timerq_cancel(q, id);
	return (int)id;
}
