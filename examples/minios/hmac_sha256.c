/*
 * libvmm Mini-OS: SHA-256 and HMAC-SHA256 (see minios/hmac_sha256.h).
 * Straight from the definitions in FIPS 180-4 (section 6.2) and RFC 2104.
 */
#include "minios/hmac_sha256.h"

#include <string.h>

/* First 32 bits of the fractional parts of the cube roots of the first 64 primes. */
static const uint32_t sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t ror(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32u - n));
}

static inline uint32_t load_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void store_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void sha256_block(uint32_t h[8], const uint8_t *block)
{
	uint32_t w[64], a, b, c, d, e, f, g, hh, t1, t2;
	unsigned i;

	for (i = 0; i < 16; i++)
		w[i] = load_be32(block + 4 * i);
	for (; i < 64; i++) {
		uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = h[0]; b = h[1]; c = h[2]; d = h[3]; e = h[4]; f = h[5]; g = h[6]; hh = h[7];
	for (i = 0; i < 64; i++) {
		t1 = hh + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + sha256_k[i] + w[i];
		t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
		hh = g; g = f; f = e; e = d + t1;
		d = c; c = b; b = a; a = t1 + t2;
	}
	h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
	hmac_sha256_wipe(w, sizeof(w));
}

void sha256_init(struct sha256_ctx *c)
{
	/* First 32 bits of the fractional parts of the square roots of the first 8 primes. */
	static const uint32_t iv[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
					0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };

	memcpy(c->h, iv, sizeof(iv));
	c->bytes = 0;
	c->used = 0;
}

void sha256_update(struct sha256_ctx *c, const void *data, size_t len)
{
	const uint8_t *p = data;

	c->bytes += len;
	while (len) {
		size_t n = SHA256_BLOCK_SIZE - c->used;

		if (n > len)
			n = len;
		memcpy(c->buf + c->used, p, n);
		c->used += (uint32_t)n;
		p += n;
		len -= n;
		if (c->used == SHA256_BLOCK_SIZE) {
			sha256_block(c->h, c->buf);
			c->used = 0;
		}
	}
}

void sha256_final(struct sha256_ctx *c, uint8_t out[SHA256_DIGEST_SIZE])
{
	uint64_t bits = c->bytes * 8u;
	unsigned i;

	/* 0x80, zeros up to 56 mod 64, then the length in bits, big-endian */
	c->buf[c->used++] = 0x80;
	if (c->used > SHA256_BLOCK_SIZE - 8) {
		memset(c->buf + c->used, 0, SHA256_BLOCK_SIZE - c->used);
		sha256_block(c->h, c->buf);
		c->used = 0;
	}
	memset(c->buf + c->used, 0, SHA256_BLOCK_SIZE - 8 - c->used);
	store_be32(c->buf + 56, (uint32_t)(bits >> 32));
	store_be32(c->buf + 60, (uint32_t)bits);
	sha256_block(c->h, c->buf);
	for (i = 0; i < 8; i++)
		store_be32(out + 4 * i, c->h[i]);
	hmac_sha256_wipe(c, sizeof(*c));
}

void sha256(const void *data, size_t len, uint8_t out[SHA256_DIGEST_SIZE])
{
	struct sha256_ctx c;

	sha256_init(&c);
	sha256_update(&c, data, len);
	sha256_final(&c, out);
}

void hmac_sha256_wipe(void *p, size_t len)
{
	/* volatile stores: the compiler may not drop them as dead */
	volatile uint8_t *v = p;

	while (len--)
		*v++ = 0;
}

void hmac_sha256_init(struct hmac_sha256_ctx *c, const void *key, size_t key_len)
{
	uint8_t k[SHA256_BLOCK_SIZE], pad[SHA256_BLOCK_SIZE];
	unsigned i;

	memset(k, 0, sizeof(k));
	if (key_len > SHA256_BLOCK_SIZE)
		sha256(key, key_len, k);
	else
		memcpy(k, key, key_len);
	for (i = 0; i < SHA256_BLOCK_SIZE; i++)
		pad[i] = k[i] ^ 0x36u;
	sha256_init(&c->inner);
	sha256_update(&c->inner, pad, sizeof(pad));
	for (i = 0; i < SHA256_BLOCK_SIZE; i++)
		pad[i] = k[i] ^ 0x5cu;
	sha256_init(&c->outer);
	sha256_update(&c->outer, pad, sizeof(pad));
	hmac_sha256_wipe(k, sizeof(k));
	hmac_sha256_wipe(pad, sizeof(pad));
}

void hmac_sha256_update(struct hmac_sha256_ctx *c, const void *data, size_t len)
{
	sha256_update(&c->inner, data, len);
}

void hmac_sha256_final(struct hmac_sha256_ctx *c, uint8_t mac[SHA256_DIGEST_SIZE])
{
	uint8_t inner[SHA256_DIGEST_SIZE];

	sha256_final(&c->inner, inner);
	sha256_update(&c->outer, inner, sizeof(inner));
	sha256_final(&c->outer, mac);
	hmac_sha256_wipe(inner, sizeof(inner));
	hmac_sha256_wipe(c, sizeof(*c));
}

void hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
		 uint8_t mac[SHA256_DIGEST_SIZE])
{
	struct hmac_sha256_ctx c;

	hmac_sha256_init(&c, key, key_len);
	hmac_sha256_update(&c, data, len);
	hmac_sha256_final(&c, mac);
}
