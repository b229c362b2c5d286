/*
 * The rich domain (dom1): sends messages to the secure domain over a
 * grant-shared ring with an event channel and prints the MACs it gets back;
 * then tries to reach the key itself and reports that the hypervisor
 * refused every attempt.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <minios/events.h>
#include <minios/minios.h>
#include <minios/ring.h>
#include <minios/sched.h>
#include <vmm/hypercall.h>

#include "guest_lib.h"
#include "protocol.h"

static uint8_t ring_page[4096] __attribute__((aligned(4096)));
static uint8_t long_page[4096] __attribute__((aligned(4096)));
static uint8_t grant_table[4096] __attribute__((aligned(4096)));
static char ring_chan; /* sleep_on() channel of the ring event */

static const char *const messages[] = {
	"Hello from the rich world",
	"",
	"transfer 100 EUR to Alice",
	"exactly fifty-two bytes of message for one ring slot",
};
#define NR_INLINE (sizeof(messages) / sizeof(messages[0]))
#define LONG_LEN  1000u   /* long message: byte i = (i * 7 + 1) & 0xff */

static void ring_event(unsigned int port, struct vmm_trap_frame *f)
{
	(void)port;
	(void)f;
	wake_up(&ring_chan);
}

static void send(struct ring_front *front, long port, uint32_t id, uint32_t kind, const void *data, uint32_t len)
{
	struct sr_req *req;

	while (!(req = ring_front_next_req(front)))
		sleep_on(&ring_chan, 20000000);
	memset(req, 0, sizeof(*req));
	req->id = id;
	req->kind = kind;
	req->len = len;
	if (kind == SR_REQ_INLINE)
		memcpy(req->data, data, len);
	ring_front_queue(front);
	if (ring_front_push(front))
		notify_remote_via_evtchn((unsigned)port);
}

static int receive(struct ring_front *front, struct sr_rsp *rsp)
{
	int waits;

	for (waits = 0; waits < 500; waits++) {
		if (ring_front_unconsumed(front)) {
			memcpy(rsp, ring_front_peek_rsp(front), sizeof(*rsp));
			ring_front_consume(front);
			return 1;
		}
		if (!ring_front_final_check(front)) {
			sleep_on(&ring_chan, 20000000);
		}
	}
	return 0;
}

static void report(const char *what, long rc, long want)
{
	printf("rich: %s: %s (%ld)\n", what, rc == want ? "refused" : "FAIL not refused as expected", rc);
}

/* Attempts on the key: every one must be refused by the hypervisor. */
static void attacks(const struct vmm_start_info *si, uint32_t key_mfn)
{
	static struct vmm_mmu_update req;
	uint32_t l1 = si->pt_base_mfn << 12;

	/* map the MiB holding the key frame with a section of our own L1 */
	req.ptr = l1 + 4u * (SR_MAP_VA >> 20);
	req.val = ((key_mfn & ~0xFFu) << 12) | VMM_PTE_L1_SECTION | VMM_PTE_SECT_NORMAL | VMM_PTE_SECT_RO |
		  VMM_PTE_SECT_NG;
	printf("rich: the secure domain's key is in machine frame 0x%lx; trying to read it\n",
	       (unsigned long)key_mfn);
	report("mmu_update mapping the key's frame", HYPERVISOR_mmu_update(&req, 1, 0, VMM_DOMID_SELF),
	       -VMM_EPERM);
	/* grants it was not given: the secure domain's public grant is for dom2; ref 1 is empty */
	report("map_grant_ref of dom0's grant 0 (for another domain)",
	       sr_map(SR_SECURE_DOM, SR_PUBLIC_REF, SR_MAP_VA, 1, 0), -VMM_EPERM);
	report("map_grant_ref of dom0's grant 1 (never granted)", sr_map(SR_SECURE_DOM, 1, SR_MAP_VA, 1, 0),
	       -VMM_EINVAL);
	report("grant copy of dom0's grant 1 (never granted)", sr_copy_in(SR_SECURE_DOM, 1, 0, long_page, 32),
	       -VMM_EINVAL);
}

int app_main(const struct vmm_start_info *si)
{
	volatile struct sr_boot *boot = (volatile struct sr_boot *)(ring_page + SR_BOOT_OFFSET);
	struct ring_front front;
	struct sr_rsp rsp;
	char hex[65];
	uint32_t i, ok = 0;
	long rc, port;

	rc = sr_gnttab_setup(si, grant_table);
	if (rc) {
		printf("rich: FAIL grant table: %ld\n", rc);
		return 1;
	}
	ring_shared_init((struct ring_shared *)ring_page);
	ring_front_init(&front, ring_page, sizeof(ring_page), SR_SLOT_SIZE);
	for (i = 0; i < LONG_LEN; i++)
		long_page[i] = (uint8_t)(i * 7u + 1u);
	port = evtchn_alloc_unbound(SR_SECURE_DOM, ring_event);
	if (port < 0) {
		printf("rich: FAIL alloc_unbound: %ld\n", port);
		return 1;
	}
	boot->port = (uint32_t)port;
	__sync_synchronize();
	boot->magic = SR_BOOT_MAGIC;
	sr_grant(grant_table, SR_LONG_REF, sr_mfn_of(si, long_page), SR_SECURE_DOM, 1);
	sr_grant(grant_table, SR_RING_REF, sr_mfn_of(si, ring_page), SR_SECURE_DOM, 0);
	printf("rich: ring granted to dom%u (grant %u), event port %ld\n", SR_SECURE_DOM, SR_RING_REF, port);

	for (i = 0; i < NR_INLINE; i++)
		send(&front, port, i, SR_REQ_INLINE, messages[i], (uint32_t)strlen(messages[i]));
	send(&front, port, NR_INLINE, SR_REQ_LONG, NULL, LONG_LEN);
	for (i = 0; i <= NR_INLINE; i++) {
		if (!receive(&front, &rsp) || rsp.id != i || rsp.status != 0) {
			printf("rich: FAIL response %u (id %u, status %d)\n", (unsigned)i, (unsigned)rsp.id,
			       (int)rsp.status);
			continue;
		}
		sr_hex(rsp.mac, 32, hex);
		if (i < NR_INLINE)
			printf("rich: MAC %u \"%s\" = %s\n", (unsigned)i, messages[i], hex);
		else
			printf("rich: MAC %u long:%u = %s\n", (unsigned)i, LONG_LEN, hex);
		ok++;
	}
	attacks(si, boot->key_mfn);
	send(&front, port, 99, SR_REQ_STOP, NULL, 0);
	receive(&front, &rsp);
	/* the secure domain has unmapped the ring: the grant can be taken back */
	for (i = 0; i < 100 && (((volatile struct vmm_grant_entry *)grant_table)[SR_RING_REF].flags &
				(VMM_GTF_reading | VMM_GTF_writing)); i++)
		msleep(5);
	printf("rich: %u MACs received, ring grant %s, done\n", (unsigned)ok,
	       i < 100 ? "no longer in use" : "FAIL still in use");
	return ok == NR_INLINE + 1 ? 0 : 1;
}
