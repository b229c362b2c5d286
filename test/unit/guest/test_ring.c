/*
 * Mini-OS shared rings on the host: slot counts, request/response flow in
 * order, full and empty rings, index wrap at 2^32, notification suppression
 * (a push notifies exactly when the peer asked, the final checks lose no
 * entry), a hostile peer that moves its producer index too far, and a
 * random producer/consumer run checked against a FIFO model.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "minios/ring.h"

static uint8_t page[4096] __attribute__((aligned(64)));
static struct ring_front fe;
static struct ring_back be;

struct msg {
	uint32_t id;
	uint8_t body[60];
};

static int setup(void **state)
{
	(void)state;
	memset(page, 0xEE, sizeof(page));
	ring_shared_init((struct ring_shared *)page);
	assert_true(ring_front_init(&fe, page, sizeof(page), sizeof(struct msg)));
	assert_true(ring_back_init(&be, page, sizeof(page), sizeof(struct msg)));
	return 0;
}

static void test_slots_for(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct ring_shared), RING_HEADER_SIZE);
	assert_int_equal(ring_slots_for(4096, 64), 32);   /* 63 fit: 32 */
	assert_int_equal(ring_slots_for(4096 + 64, 64), 64);
	assert_int_equal(ring_slots_for(4096 + 63, 64), 32); /* one byte short of 64 */
	assert_int_equal(ring_slots_for(64 + 64, 64), 1);
	assert_int_equal(ring_slots_for(64 + 63, 64), 0);
	assert_int_equal(ring_slots_for(64, 1), 0);
	assert_int_equal(ring_slots_for(4096, 0), 0);
	assert_int_equal(ring_slots_for(4096, 4033), 0);
	assert_int_equal(ring_slots_for(4096, 4032), 1);
	assert_int_equal(ring_slots_for(0xFFFFFFFFu, 1), 0x80000000u);
	assert_false(ring_front_init(&fe, page, 100, 64));
}

static void send_req(uint32_t id)
{
	struct msg *m = ring_front_next_req(&fe);

	assert_non_null(m);
	m->id = id;
	ring_front_queue(&fe);
}

static uint32_t serve_one(void)
{
	struct msg req, *rsp;

	assert_true(ring_back_unconsumed(&be) > 0);
	memcpy(&req, ring_back_peek_req(&be), sizeof(req));
	ring_back_consume(&be);
	rsp = ring_back_next_rsp(&be);
	rsp->id = req.id + 1000;
	ring_back_queue(&be);
	return req.id;
}

static void test_flow_full_empty(void **state)
{
	uint32_t i;

	(void)state;
	assert_int_equal(fe.nr, 32);
	assert_int_equal(ring_back_unconsumed(&be), 0);
	assert_int_equal(ring_front_unconsumed(&fe), 0);
	for (i = 0; i < 32; i++)
		send_req(i);
	assert_null(ring_front_next_req(&fe)); /* full */
	assert_int_equal(ring_front_free(&fe), 0);
	assert_int_equal(ring_back_unconsumed(&be), 0); /* not yet published */
	assert_true(ring_front_push(&fe));
	assert_int_equal(ring_back_unconsumed(&be), 32);
	for (i = 0; i < 32; i++)
		assert_int_equal(serve_one(), i);
	assert_int_equal(ring_back_unconsumed(&be), 0);
	/* responses not read yet: the front end still has no free slot */
	assert_int_equal(ring_front_free(&fe), 0);
	assert_true(ring_back_push(&be));
	assert_int_equal(ring_front_unconsumed(&fe), 32);
	for (i = 0; i < 32; i++) {
		assert_int_equal(((const struct msg *)ring_front_peek_rsp(&fe))->id, i + 1000);
		ring_front_consume(&fe);
	}
	assert_int_equal(ring_front_unconsumed(&fe), 0);
	assert_int_equal(ring_front_free(&fe), 32);
}

static void test_notification_suppression(void **state)
{
	(void)state;
	/* the back end wants the first request: one notification for a batch */
	send_req(1);
	send_req(2);
	assert_true(ring_front_push(&fe));
	/* it has not re-armed: more requests do not notify */
	send_req(3);
	assert_false(ring_front_push(&fe));
	assert_int_equal(serve_one(), 1);
	assert_int_equal(serve_one(), 2);
	assert_int_equal(serve_one(), 3);
	/* out of work: re-arm; nothing arrived meanwhile */
	assert_false(ring_back_final_check(&be));
	assert_int_equal(((struct ring_shared *)page)->req_event, 4);
	send_req(4);
	assert_true(ring_front_push(&fe)); /* crosses the event: notify */
	/* a request published between the consumer's last look and its re-arm is found */
	assert_int_equal(serve_one(), 4);
	send_req(5);
	ring_front_push(&fe);
	assert_true(ring_back_final_check(&be));
	assert_int_equal(serve_one(), 5);
	/* responses: the front end asked for the first */
	assert_true(ring_back_push(&be));
	assert_int_equal(ring_front_unconsumed(&fe), 5);
	while (ring_front_unconsumed(&fe))
		ring_front_consume(&fe);
	assert_false(ring_front_final_check(&fe));
	assert_false(ring_back_push(&be)); /* nothing new published: no notification */
	send_req(6);
	ring_front_push(&fe);
	serve_one();
	assert_true(ring_back_push(&be));
	/* the front end did not re-arm after reading: no notification */
	ring_front_consume(&fe);
	send_req(7);
	ring_front_push(&fe);
	serve_one();
	assert_false(ring_back_push(&be));
	assert_true(ring_front_final_check(&fe)); /* but the final check finds it */
}

static void test_back_end_attaches_late(void **state)
{
	(void)state;
	send_req(7);
	send_req(8);
	ring_front_push(&fe);
	assert_true(ring_back_init(&be, page, sizeof(page), sizeof(struct msg)));
	assert_int_equal(ring_back_unconsumed(&be), 2);
	assert_int_equal(serve_one(), 7);
	assert_true(ring_back_push(&be));
	/* attaching again resumes after the answered one */
	assert_true(ring_back_init(&be, page, sizeof(page), sizeof(struct msg)));
	assert_int_equal(ring_back_unconsumed(&be), 1);
	assert_int_equal(serve_one(), 8);
}

static void test_index_wrap(void **state)
{
	struct ring_shared *s = (struct ring_shared *)page;
	uint32_t i;

	(void)state;
	/* both sides start just below 2^32 */
	s->req_prod = s->rsp_prod = 0xFFFFFFF0u;
	s->req_event = s->rsp_event = 0xFFFFFFF1u;
	assert_true(ring_front_init(&fe, page, sizeof(page), sizeof(struct msg)));
	assert_true(ring_back_init(&be, page, sizeof(page), sizeof(struct msg)));
	for (i = 0; i < 32; i++)
		send_req(i);
	assert_true(ring_front_push(&fe));
	assert_int_equal(s->req_prod, 0x10u);
	assert_int_equal(ring_back_unconsumed(&be), 32);
	for (i = 0; i < 32; i++)
		assert_int_equal(serve_one(), i);
	assert_true(ring_back_push(&be));
	assert_int_equal(ring_front_unconsumed(&fe), 32);
}

static void test_hostile_peers(void **state)
{
	struct ring_shared *s = (struct ring_shared *)page;

	(void)state;
	/* a front end claiming 2^31 requests: the back end sees at most the ring size */
	s->req_prod = 0x80000000u;
	assert_int_equal(ring_back_unconsumed(&be), 32);
	s->req_prod = 0xFFFFFFFFu;
	assert_int_equal(ring_back_unconsumed(&be), 32);
	s->req_prod = 33;
	assert_int_equal(ring_back_unconsumed(&be), 32);
	/* having taken 32 unanswered requests, it takes no more */
	s->req_prod = 40;
	while (ring_back_unconsumed(&be))
		ring_back_consume(&be);
	assert_int_equal(be.req_cons, 32);
	ring_back_queue(&be); /* one answered: one more may be taken */
	assert_int_equal(ring_back_unconsumed(&be), 1);
	/* a back end publishing responses nobody asked for: the front end reads none */
	setup(NULL);
	send_req(1);
	ring_front_push(&fe);
	s->rsp_prod = 2;
	assert_int_equal(ring_front_unconsumed(&fe), 0);
	s->rsp_prod = 1;
	assert_int_equal(ring_front_unconsumed(&fe), 1);
	s->rsp_prod = 0xFFFFFFFFu;
	assert_int_equal(ring_front_unconsumed(&fe), 0);
}

/* Random sizes of batches on both sides against a FIFO model. */
static void test_random_fifo(void **state)
{
	uint32_t next_id = 0, next_served = 0, next_rsp = 0, round;

	(void)state;
	srand(11);
	for (round = 0; round < 20000; round++) {
		int n = rand() % 40;

		switch (rand() % 3) {
		case 0:
			while (n-- && ring_front_next_req(&fe))
				send_req(next_id++);
			ring_front_push(&fe);
			break;
		case 1:
			while (n-- && ring_back_unconsumed(&be))
				assert_int_equal(serve_one(), next_served++);
			ring_back_push(&be);
			break;
		default:
			while (n-- && ring_front_unconsumed(&fe)) {
				assert_int_equal(((const struct msg *)ring_front_peek_rsp(&fe))->id, next_rsp++ + 1000);
				ring_front_consume(&fe);
			}
			break;
		}
		assert_true(next_rsp <= next_served && next_served <= next_id);
		assert_true(next_id - next_rsp <= 32);
	}
	assert_true(next_rsp > 40000); /* the run made progress (48016 with this seed) */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_slots_for, setup),
		cmocka_unit_test_setup(test_flow_full_empty, setup),
		cmocka_unit_test_setup(test_notification_suppression, setup),
		cmocka_unit_test_setup(test_back_end_attaches_late, setup),
		cmocka_unit_test_setup(test_index_wrap, setup),
		cmocka_unit_test_setup(test_hostile_peers, setup),
		cmocka_unit_test_setup(test_random_fifo, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
