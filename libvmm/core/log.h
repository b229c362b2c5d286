/*
 * Hypervisor log: printf-style lines on the console tagged "[VMM] ".
 * Use for boot messages and for every rejected guest request (the guide's
 * rule: bad input gets an error code *and* a clear [VMM] line).
 */
#ifndef VMM_CORE_LOG_H
#define VMM_CORE_LOG_H

/* Prints one or more whole lines; a missing final newline is added. */
void vmm_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* VMM_CORE_LOG_H */
