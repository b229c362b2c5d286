/*
 * libvmm Mini-OS: SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104), written
 * for the secure/rich example's signing service. Pure C, no allocation:
 * the same code runs in guests and in host tests (test/unit/guest/).
 *
 * Secrets: the HMAC context holds the key only as its two padded digests'
 * starting states; hmac_sha256_wipe() clears a context (and the one-shot
 * call wipes its own) so no key material stays on the stack.
 */
#ifndef MINIOS_HMAC_SHA256_H
#define MINIOS_HMAC_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_BLOCK_SIZE  64u
#define SHA256_DIGEST_SIZE 32u

struct sha256_ctx {
	uint32_t h[8];                   /* chaining state */
	uint64_t bytes;                  /* message length so far */
	uint8_t buf[SHA256_BLOCK_SIZE];  /* partial block */
	uint32_t used;                   /* bytes in buf */
};

void sha256_init(struct sha256_ctx *c);
void sha256_update(struct sha256_ctx *c, const void *data, size_t len);
void sha256_final(struct sha256_ctx *c, uint8_t out[SHA256_DIGEST_SIZE]);
void sha256(const void *data, size_t len, uint8_t out[SHA256_DIGEST_SIZE]);

struct hmac_sha256_ctx {
	struct sha256_ctx inner;         /* H(K ^ ipad || ...) in progress */
	struct sha256_ctx outer;         /* H(K ^ opad) after its first block */
};

/* Keys longer than one block are hashed first (RFC 2104); any length works. */
void hmac_sha256_init(struct hmac_sha256_ctx *c, const void *key, size_t key_len);
void hmac_sha256_update(struct hmac_sha256_ctx *c, const void *data, size_t len);
/* Writes the MAC and wipes the context. */
void hmac_sha256_final(struct hmac_sha256_ctx *c, uint8_t mac[SHA256_DIGEST_SIZE]);
void hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
		 uint8_t mac[SHA256_DIGEST_SIZE]);
void hmac_sha256_wipe(void *p, size_t len);

#endif /* MINIOS_HMAC_SHA256_H */
