/* Small helpers the three example guests share (guest_lib.c). */
#ifndef SECURE_RICH_GUEST_LIB_H
#define SECURE_RICH_GUEST_LIB_H

#include <stdint.h>

#include <vmm/guest_info.h>

/* Machine frame behind a page of the domain's own memory (its p2m list). */
uint32_t sr_mfn_of(const struct vmm_start_info *si, const void *p);

/* Sets up the grant table on the page `table` (zeroed here). 0 or an error. */
long sr_gnttab_setup(const struct vmm_start_info *si, void *table);

/* Publishes grant `ref` in `table`: frame, grantee, read-only or not. */
void sr_grant(void *table, uint32_t ref, uint32_t frame, uint16_t grantee, int readonly);

/*
 * Gives the domain an L2 table at VA `va` (a MiB not used so far): the last
 * MiB of its memory is unmapped, its first frame pinned as an L2 and hooked
 * at va. 0 or an error.
 */
long sr_l2_at(const struct vmm_start_info *si, uint32_t va);

/* One grant operation of each kind: the status (0 or negative VMM_E*), or the hypercall's error. */
long sr_map(uint32_t dom, uint32_t ref, uint32_t va, int readonly, uint32_t *handle);
long sr_unmap(uint32_t va, uint32_t handle);
long sr_copy_in(uint32_t dom, uint32_t ref, uint32_t offset, void *dst, uint32_t len);

/* Lowercase hex of n bytes into out (2n + 1 bytes). */
void sr_hex(const uint8_t *p, unsigned int n, char *out);

#endif /* SECURE_RICH_GUEST_LIB_H */
