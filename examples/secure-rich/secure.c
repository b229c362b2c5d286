/*
 * The secure domain (dom0): holds the signing key and signs what the rich
 * domain sends over the shared ring, with HMAC-SHA256. The key stays in this
 * domain's memory: no grant names its frame, and the hypervisor maps no
 * frame of this domain into another without a grant.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <minios/events.h>
#include <minios/hmac_sha256.h>
#include <minios/minios.h>
#include <minios/ring.h>
#include <minios/sched.h>
#include <vmm/hypercall.h>

#include "demo_key.h"
#include "guest_lib.h"
#include "protocol.h"

static uint8_t secret_key[32] __attribute__((aligned(4096))) = SR_DEMO_KEY;
static uint8_t grant_table[4096] __attribute__((aligned(4096)));
static uint8_t public_page[4096] __attribute__((aligned(4096)));
static uint8_t long_msg[SR_LONG_MAX];
static char ring_chan; /* sleep_on() channel of the ring event */

static void ring_event(unsigned int port, struct vmm_trap_frame *f)
{
	(void)port;
	(void)f;
	wake_up(&ring_chan);
}

/* Signs one request into *rsp; false for the stop request. */
static int serve(const struct sr_req *req, struct sr_rsp *rsp)
{
	long rc;

	memset(rsp, 0, sizeof(*rsp));
	rsp->id = req->id;
	switch (req->kind) {
	case SR_REQ_INLINE:
		if (req->len > SR_INLINE_MAX) {
			rsp->status = -VMM_EINVAL;
			return 1;
		}
		hmac_sha256(secret_key, sizeof(secret_key), req->data, req->len, rsp->mac);
		return 1;
	case SR_REQ_LONG:
		if (req->len == 0 || req->len > SR_LONG_MAX) {
			rsp->status = -VMM_EINVAL;
			return 1;
		}
		rc = sr_copy_in(SR_RICH_DOM, SR_LONG_REF, 0, long_msg, req->len);
		if (rc) {
			rsp->status = (int32_t)rc;
			return 1;
		}
		hmac_sha256(secret_key, sizeof(secret_key), long_msg, req->len, rsp->mac);
		return 1;
	case SR_REQ_STOP:
		return 0;
	default:
		rsp->status = -VMM_EINVAL;
		return 1;
	}
}

int app_main(const struct vmm_start_info *si)
{
	volatile struct sr_boot *boot = (volatile struct sr_boot *)(SR_MAP_VA + SR_BOOT_OFFSET);
	struct ring_back back;
	uint32_t handle = 0, signed_count = 0;
	long rc, port;
	int tries, running = 1;

	printf("secure: domain %lu holds a %u-byte HMAC-SHA256 key; it never leaves this domain\n",
	       (unsigned long)si->domid, (unsigned)sizeof(secret_key));
	/* A public page, granted to the third domain (which the policy keeps away from us). */
	strcpy((char *)public_page, "secure domain: public information");
	rc = sr_gnttab_setup(si, grant_table);
	if (rc == 0)
		sr_grant(grant_table, SR_PUBLIC_REF, sr_mfn_of(si, public_page), SR_OTHER_DOM, 1);
	rc = rc ? rc : sr_l2_at(si, SR_MAP_VA);
	if (rc) {
		printf("secure: FAIL set-up: %ld\n", rc);
		return 1;
	}
	/* The rich domain publishes the ring at boot; give it the time to. */
	for (tries = 0; tries < 200; tries++) {
		msleep(5);
		rc = sr_map(SR_RICH_DOM, SR_RING_REF, SR_MAP_VA, 0, &handle);
		if (rc == 0)
			break;
	}
	if (rc || boot->magic != SR_BOOT_MAGIC) {
		printf("secure: FAIL no ring from the rich domain (%ld)\n", rc);
		return 1;
	}
	boot->key_mfn = sr_mfn_of(si, secret_key);
	port = bind_interdomain(SR_RICH_DOM, boot->port, ring_event);
	if (port < 0) {
		printf("secure: FAIL bind_interdomain: %ld\n", port);
		return 1;
	}
	ring_back_init(&back, (void *)SR_MAP_VA, 4096, SR_SLOT_SIZE);
	printf("secure: ring mapped from dom%u (grant %u) at 0x%08x, event port %ld\n", SR_RICH_DOM,
	       SR_RING_REF, (unsigned)SR_MAP_VA, port);
	while (running) {
		while (running && ring_back_unconsumed(&back)) {
			struct sr_req req;
			struct sr_rsp rsp;

			/* copied out first: the rich domain may change the slot meanwhile */
			memcpy(&req, ring_back_peek_req(&back), sizeof(req));
			ring_back_consume(&back);
			running = serve(&req, &rsp);
			memcpy(ring_back_next_rsp(&back), &rsp, sizeof(rsp));
			ring_back_queue(&back);
			if (running && rsp.status == 0)
				signed_count++;
		}
		if (ring_back_push(&back))
			notify_remote_via_evtchn((unsigned)port);
		if (running && !ring_back_final_check(&back)) {
			sleep_on(&ring_chan, 20000000); /* 20 ms: also covers a kick just before the sleep */
		}
	}
	rc = sr_unmap(SR_MAP_VA, handle);
	printf("secure: signed %u messages, ring unmapped (%ld), done\n", (unsigned)signed_count, rc);
	return rc ? 1 : 0;
}
