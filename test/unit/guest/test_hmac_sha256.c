/*
 * SHA-256 and HMAC-SHA256 of the Mini-OS library (examples/minios) on the
 * host: FIPS 180-4 example digests, the RFC 4231 HMAC test cases 1-7,
 * every split of a message over update calls (block boundaries 55/56/63/64
 * bytes), and the context wiped after final. check_hmac.py compares many
 * more inputs against Python's hmac module through hmac_tool.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "minios/hmac_sha256.h"

static void unhex(const char *hex, uint8_t *out, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned v;
		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

static void check_digest(const uint8_t *got, const char *hex, size_t n)
{
	uint8_t want[SHA256_DIGEST_SIZE];

	unhex(hex, want, n);
	assert_memory_equal(got, want, n);
}

static void test_sha256_fips(void **state)
{
	uint8_t d[SHA256_DIGEST_SIZE];
	static const char two_blocks[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

	(void)state;
	sha256("abc", 3, d);
	check_digest(d, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", 32);
	sha256("", 0, d);
	check_digest(d, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", 32);
	sha256(two_blocks, strlen(two_blocks), d);
	check_digest(d, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", 32);
}

static void test_sha256_million_a(void **state)
{
	struct sha256_ctx c;
	uint8_t block[1000], d[SHA256_DIGEST_SIZE];
	int i;

	(void)state;
	memset(block, 'a', sizeof(block));
	sha256_init(&c);
	for (i = 0; i < 1000; i++)
		sha256_update(&c, block, sizeof(block));
	sha256_final(&c, d);
	check_digest(d, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", 32);
}

struct rfc4231_case {
	uint8_t key[131];
	size_t key_len;
	const char *data;
	size_t data_len;
	const char *mac;
	size_t mac_len; /* case 5 is truncated to 128 bits */
};

static void test_hmac_rfc4231(void **state)
{
	static struct rfc4231_case tc[7];
	uint8_t mac[SHA256_DIGEST_SIZE], data[50];
	unsigned i;

	(void)state;
	memset(tc, 0, sizeof(tc));
	memset(tc[0].key, 0x0b, tc[0].key_len = 20);
	tc[0].data = "Hi There";
	tc[0].mac = "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7";
	memcpy(tc[1].key, "Jefe", tc[1].key_len = 4);
	tc[1].data = "what do ya want for nothing?";
	tc[1].mac = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
	memset(tc[2].key, 0xaa, tc[2].key_len = 20);
	tc[2].mac = "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe";
	for (i = 0; i < 25; i++)
		tc[3].key[i] = (uint8_t)(i + 1);
	tc[3].key_len = 25;
	tc[3].mac = "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b";
	memset(tc[4].key, 0x0c, tc[4].key_len = 20);
	tc[4].data = "Test With Truncation";
	tc[4].mac = "a3b6167473100ee06e0c796c2955552b";
	tc[4].mac_len = 16;
	memset(tc[5].key, 0xaa, tc[5].key_len = 131);
	tc[5].data = "Test Using Larger Than Block-Size Key - Hash Key First";
	tc[5].mac = "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54";
	memset(tc[6].key, 0xaa, tc[6].key_len = 131);
	tc[6].data = "This is a test using a larger than block-size key and a larger than block-size data. "
		     "The key needs to be hashed before being used by the HMAC algorithm.";
	tc[6].mac = "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2";
	for (i = 0; i < 7; i++) {
		const void *d = tc[i].data;
		size_t n = d ? strlen(tc[i].data) : 50;

		if (i == 2 || i == 3) {
			memset(data, i == 2 ? 0xdd : 0xcd, sizeof(data));
			d = data;
		}
		hmac_sha256(tc[i].key, tc[i].key_len, d, n, mac);
		check_digest(mac, tc[i].mac, tc[i].mac_len ? tc[i].mac_len : 32);
	}
}

/* Every split point of a message around the block boundaries gives the one-shot MAC. */
static void test_hmac_incremental(void **state)
{
	uint8_t msg[200], key[70], one[32], inc[32];
	size_t len, cut, klen;
	struct hmac_sha256_ctx c;

	(void)state;
	for (len = 0; len < sizeof(msg); len++)
		msg[len] = (uint8_t)(len * 7 + 3);
	for (klen = 0; klen < sizeof(key); klen++)
		key[klen] = (uint8_t)(0xA5 ^ klen);
	for (klen = 63; klen <= 65; klen++)
		for (len = 54; len <= 130; len++) {
			hmac_sha256(key, klen, msg, len, one);
			for (cut = 0; cut <= len; cut += (len > 70 ? 13 : 1)) {
				hmac_sha256_init(&c, key, klen);
				hmac_sha256_update(&c, msg, cut);
				hmac_sha256_update(&c, msg + cut, len - cut);
				hmac_sha256_final(&c, inc);
				assert_memory_equal(one, inc, 32);
			}
		}
}

static void test_hmac_context_wiped(void **state)
{
	struct hmac_sha256_ctx c;
	uint8_t mac[32], zero[sizeof(c)];

	(void)state;
	memset(zero, 0, sizeof(zero));
	hmac_sha256_init(&c, "secret key", 10);
	hmac_sha256_update(&c, "m", 1);
	hmac_sha256_final(&c, mac);
	assert_memory_equal(&c, zero, sizeof(c));
	/* a different key gives a different MAC */
	hmac_sha256("secret kez", 10, "m", 1, zero);
	assert_memory_not_equal(mac, zero, 32);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_fips),
		cmocka_unit_test(test_sha256_million_a),
		cmocka_unit_test(test_hmac_rfc4231),
		cmocka_unit_test(test_hmac_incremental),
		cmocka_unit_test(test_hmac_context_wiped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
