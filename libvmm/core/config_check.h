/*
 * Validation of the static configuration (vmm/config.h) at boot.
 * Pure functions: they only read the config and describe what is wrong.
 */
#ifndef VMM_CORE_CONFIG_CHECK_H
#define VMM_CORE_CONFIG_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "vmm/config.h"

/*
 * Checks the table as a whole (domain list present, count in range, global
 * scheduler values sane). 0 or -VMM_EINVAL with a reason in why[len].
 */
int config_check_global(const struct vmm_config *cfg, unsigned int max_domains,
			char *why, size_t len);

/*
 * Checks entry `index` of cfg->domains (name, payload pointers, memory size,
 * flags, command line, scheduling values, name unique among earlier entries).
 * 0 or -VMM_EINVAL with a reason in why[len].
 */
int config_check_domain(const struct vmm_config *cfg, unsigned int index,
			char *why, size_t len);

/* The interrupts a domain may not be given: libvmm's own two (the port's
 * timer and console lines) and the board's (vmm_board.board_irqs). */
struct config_irqs {
	unsigned int timer, console;
	const unsigned int *board;
	unsigned int nr_board;   /* at most VMM_MAX_BOARD_IRQS */
};

/*
 * Checks the physical-interrupt table (vmm_config.pirqs): count
 * 0..VMM_MAX_PIRQ_ASSIGN, table present if the count is not 0, each irq
 * below VMM_NR_PIRQS, none of `own`'s, not listed twice, owned by a
 * configured domain. 0 or -VMM_EINVAL with a reason in why[len].
 */
int config_check_pirqs(const struct vmm_config *cfg, const struct config_irqs *own, char *why, size_t len);

/*
 * True for a name the config may use (domain and policy type names):
 * 1..15 characters of [A-Za-z0-9._-], so it prints safely in log lines.
 */
bool config_name_valid(const char *name);

/* A config name safe to print (a placeholder if it is NULL or not valid). */
const char *config_name_printable(const char *name);

#endif /* VMM_CORE_CONFIG_CHECK_H */
