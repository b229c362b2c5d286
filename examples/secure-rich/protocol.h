/*
 * The secure/rich example's protocol (thesis 1.1, 10.2): the rich domain
 * asks the secure domain to sign messages with HMAC-SHA256 under a key only
 * the secure domain holds.
 *
 *   rich (dom1, front end)                 secure (dom0, back end)
 *   grants its ring page (ref 8, rw) ----> maps it at SR_MAP_VA
 *   grants a long-message page (ref 9, ro)  copies from it (grant copy)
 *   alloc_unbound(dom0) -> port, written   reads the port, bind_interdomain
 *   into the ring page's header
 *   requests: 64-byte slots ------------->  HMAC-SHA256(key, message)
 *   <------------------------------------  responses: the MAC
 *
 * No other way in: the key's frame is never granted; the hypervisor refuses
 * every mapping of a frame the rich domain does not own, every grant it was
 * not given, and (policy) every channel or grant between the third domain
 * and the secure one.
 */
#ifndef SECURE_RICH_PROTOCOL_H
#define SECURE_RICH_PROTOCOL_H

#include <stdint.h>

#define SR_SECURE_DOM 0u
#define SR_RICH_DOM   1u
#define SR_OTHER_DOM  2u

#define SR_RING_REF   8u           /* rich -> secure: the ring page, read/write */
#define SR_LONG_REF   9u           /* rich -> secure: one long message, read-only */
#define SR_PUBLIC_REF 0u           /* secure -> other: a public page (the policy forbids its use) */
#define SR_MAP_VA     0x40000000u  /* where the secure domain maps the ring */

/* In the ring page's header (struct ring_shared pad, offset 16). */
#define SR_BOOT_OFFSET 16u
#define SR_BOOT_MAGIC  0x53524231u /* "SRB1" */
struct sr_boot {
	uint32_t magic;      /* SR_BOOT_MAGIC once the rich domain set everything up */
	uint32_t port;       /* the rich domain's unbound port for dom0 */
	uint32_t key_mfn;    /* written by the secure domain: where the key is (so the
			      * rich domain can show that knowing it does not help) */
};

#define SR_SLOT_SIZE  64u
#define SR_INLINE_MAX 52u
#define SR_LONG_MAX   4096u

#define SR_REQ_INLINE 0u  /* data[0..len) */
#define SR_REQ_LONG   1u  /* the first len bytes of the SR_LONG_REF page (grant copy) */
#define SR_REQ_STOP   2u  /* no more requests: the secure domain finishes */

struct sr_req {
	uint32_t id;
	uint32_t kind;        /* SR_REQ_* */
	uint32_t len;
	uint8_t data[SR_INLINE_MAX];
};

struct sr_rsp {
	uint32_t id;
	int32_t status;       /* 0, or a negative VMM_E* (bad request) */
	uint8_t mac[32];
	uint8_t pad[24];
};

#endif /* SECURE_RICH_PROTOCOL_H */
