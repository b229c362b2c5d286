/*
 * Host helper for check_hmac.py: reads lines "<key hex> <message hex>" on
 * stdin and prints the HMAC-SHA256 of each (Mini-OS's implementation) as
 * one hex line. An empty field is an empty key or message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "minios/hmac_sha256.h"

static size_t unhex(const char *s, size_t n, uint8_t *out)
{
	size_t i;

	for (i = 0; i < n / 2; i++) {
		unsigned v;
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			exit(2);
		out[i] = (uint8_t)v;
	}
	return n / 2;
}

int main(void)
{
	static char line[70000];
	static uint8_t key[16384], msg[16384];

	while (fgets(line, sizeof(line), stdin)) {
		char *sp = strchr(line, ' ');
		size_t klen, mlen, end = strcspn(line, "\r\n");
		uint8_t mac[SHA256_DIGEST_SIZE];
		unsigned i;

		if (!sp || (size_t)(sp - line) / 2 > sizeof(key) || (end - (size_t)(sp + 1 - line)) / 2 > sizeof(msg))
			return 2;
		klen = unhex(line, (size_t)(sp - line), key);
		mlen = unhex(sp + 1, end - (size_t)(sp + 1 - line), msg);
		hmac_sha256(key, klen, msg, mlen, mac);
		for (i = 0; i < sizeof(mac); i++)
			printf("%02x", mac[i]);
		printf("\n");
	}
	return 0;
}
