/*
 * Refusing a guest request: the error code a hypercall returns plus the
 * rate-limited "[VMM] domN: ..." line the guide asks for. Below every
 * subsystem (they all refuse bad input), above log.c; the hypercall
 * dispatcher uses it too but subsystems never include the dispatcher.
 */
#ifndef VMM_CORE_REJECT_H
#define VMM_CORE_REJECT_H

struct domain;

/*
 * Logs "[VMM] domN: <message> (<error>)" for domain d, rate-limited per
 * domain (vmm_reject(), log.h), so a hostile guest cannot flood the
 * console, and returns `err` (a negative VMM_E* code).
 */
long hypercall_reject(struct domain *d, long err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* VMM_CORE_REJECT_H */
