/*
 * Tiny helpers for the libc-free test guests: print, check, shut down.
 */
#ifndef PROBE_LIB_H
#define PROBE_LIB_H

#include <stdint.h>

#include "vmm/guest_info.h"
#include "vmm/hypercall.h"

static inline unsigned int probe_strlen(const char *s)
{
	unsigned int n = 0;
	while (s[n])
		n++;
	return n;
}

/* The command line after the first occurrence of `key`, or 0 if it has none. */
static inline const char *probe_cmdline_find(const char *s, const char *key)
{
	unsigned int n = probe_strlen(key), i;

	for (; *s; s++) {
		for (i = 0; i < n && s[i] == key[i]; i++)
			;
		if (i == n)
			return s + n;
	}
	return 0;
}

/* Whether the command line contains `key` anywhere. */
static inline int probe_cmdline_has(const char *s, const char *key)
{
	return probe_cmdline_find(s, key) != 0;
}

/* The decimal number right after `key` (e.g. "run=" in "run=500"), or `dflt`
 * if the command line has no `key`. */
static inline uint32_t probe_cmdline_number(const char *s, const char *key, uint32_t dflt)
{
	const char *d = probe_cmdline_find(s, key);
	uint32_t v = 0;

	if (!d)
		return dflt;
	for (; *d >= '0' && *d <= '9'; d++)
		v = v * 10 + (uint32_t)(*d - '0');
	return v;
}

static inline void probe_puts(const char *s)
{
	HYPERVISOR_console_io(VMM_CONSOLEIO_write, (int)probe_strlen(s), (char *)s);
}

static inline void probe_putx(uint32_t v)
{
	char buf[11] = "0x";
	int i;
	for (i = 0; i < 8; i++)
		buf[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 0xf];
	buf[10] = 0;
	probe_puts(buf);
}

static inline void probe_putd(long v)
{
	char buf[12];
	int i = 11;
	unsigned long u = v < 0 ? (unsigned long)-v : (unsigned long)v;
	buf[i] = 0;
	do {
		buf[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		buf[--i] = '-';
	probe_puts(&buf[i]);
}

/* The board counter, where the hypervisor lets USR mode read it
 * (VMM_TIME_COUNTER_CNTVCT): the generic timer's virtual count. */
static inline uint64_t probe_cntvct(void)
{
	uint32_t lo, hi;

	__asm__ volatile("isb\n\tmrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* System time (ns since boot): from the counter where the guest can read it,
 * else from the shared-info page (version protocol). */
static inline uint64_t probe_system_time(void)
{
	volatile struct vmm_vcpu_time_info *t =
		&((volatile struct vmm_shared_info *)VMM_GUEST_SHARED_INFO)->vcpu_info.time;
	uint32_t v;
	uint64_t ns;

	if (t->flags & VMM_TIME_COUNTER_CNTVCT)
		return vmm_time_from_counter(t, probe_cntvct());
	do {
		v = t->version;
		__asm__ volatile("" ::: "memory");
		ns = t->system_time;
		__asm__ volatile("" ::: "memory");
	} while ((v & 1) || v != t->version);
	return ns;
}

/* PMU cycle counter (PMCCNTR); needs VMM_DOMCFG_PMU_USER. Under QEMU's
 * -icount shift=0 it counts instructions. */
static inline uint32_t probe_ccnt(void)
{
	uint32_t v;
	__asm__ volatile("mrc p15, 0, %0, c9, c13, 0" : "=r"(v));
	return v;
}

/* Binds VIRQ `virq` to a fresh port; the port, or a negative error. */
static inline long probe_bind_virq(uint32_t virq)
{
	struct vmm_evtchn_bind_virq op = {.virq = virq, .vcpu = 0, .port = 0};
	long rc = HYPERVISOR_event_channel_op(VMM_EVTCHNOP_bind_virq, &op);

	return rc < 0 ? rc : (long)op.port;
}

static int probe_failures;

/* Prints "ok <what>" or "FAIL <what>: got X want Y". */
static inline void probe_expect(const char *what, long got, long want)
{
	probe_puts(got == want ? "ok " : "FAIL ");
	probe_puts(what);
	if (got != want) {
		probe_puts(": got ");
		probe_putd(got);
		probe_puts(" want ");
		probe_putd(want);
		probe_failures++;
	}
	probe_puts("\n");
}

static inline void probe_shutdown(int reason)
{
	HYPERVISOR_sched_op(VMM_SCHEDOP_shutdown, (uint32_t)reason);
}

#endif /* PROBE_LIB_H */
