/*
 * Static configuration checks (see config_check.h).
 */
#include "config_check.h"

#include <string.h>

#include "format.h"
#include "vmm/abi.h"
#include "vmm/event_channel.h"
#include "vmm/guest_info.h"
#include "vmm/port.h"

/* Largest per-domain BVT times (W, L, U) accepted from a config: one hour. */
#define CONFIG_TIME_MAX_US 3600000000u
/* Largest global BVT times (C, MCU) the scheduler accepts: one second. */
#define CONFIG_GLOBAL_MAX_US 1000000u

static int config_reject(char *why, size_t len, const char *reason)
{
	vmm_snprintf(why, len, "%s", reason);
	return -VMM_EINVAL;
}

bool config_name_valid(const char *name)
{
	size_t i, n;

	if (!name)
		return false;
	n = strlen(name);
	if (n == 0 || n >= 16)
		return false;
	for (i = 0; i < n; i++) {
		char c = name[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
		if (!ok)
			return false;
	}
	return true;
}

const char *config_name_printable(const char *name)
{
	return config_name_valid(name) ? name : "<invalid name>";
}

static bool config_name_taken(const struct vmm_config *cfg, unsigned int index)
{
	unsigned int i;

	for (i = 0; i < index; i++) {
		const char *other = cfg->domains[i].name;
		if (other && vmm_streq(other, cfg->domains[index].name))
			return true;
	}
	return false;
}

static bool config_mem_valid(uint32_t size)
{
	return size >= VMM_DOMAIN_MEM_MIN && size <= VMM_DOMAIN_MEM_MAX &&
	       size % VMM_DOMAIN_MEM_ALIGN == 0;
}

/* Whole MiB up to mem_size: 0 (the default, all of mem_size) or at least VMM_DOMAIN_MEM_MIN. */
_Static_assert(VMM_DOMAIN_MEM_MIN == VMM_DOMAIN_MEM_ALIGN, "the smallest non-zero mem_initial is one MiB");
static bool config_mem_initial_valid(uint32_t initial, uint32_t size)
{
	return initial <= size && initial % VMM_DOMAIN_MEM_ALIGN == 0;
}

static bool config_cmdline_valid(const char *cmdline)
{
	return !cmdline || strlen(cmdline) < VMM_CMDLINE_MAX;
}

static bool config_sched_valid(const struct vmm_sched_config *s)
{
	return s->warp_us <= CONFIG_TIME_MAX_US && s->warp_limit_us <= CONFIG_TIME_MAX_US &&
	       s->unwarp_us <= CONFIG_TIME_MAX_US;
}

int config_check_global(const struct vmm_config *cfg, unsigned int max_domains,
			char *why, size_t len)
{
	if (!cfg->domains || cfg->nr_domains == 0)
		return config_reject(why, len, "no domains configured");
	if (cfg->nr_domains > max_domains) {
		vmm_snprintf(why, len, "%u domains configured, at most %u supported",
			     cfg->nr_domains, max_domains);
		return -VMM_EINVAL;
	}
	if (cfg->ctx_allow_us > CONFIG_GLOBAL_MAX_US || cfg->mcu_us > CONFIG_GLOBAL_MAX_US)
		return config_reject(why, len, "scheduler ctx_allow_us/mcu_us above one second");
	return 0;
}

int config_check_domain(const struct vmm_config *cfg, unsigned int index,
			char *why, size_t len)
{
	const struct vmm_domain_config *d = &cfg->domains[index];

	if (!config_name_valid(d->name))
		return config_reject(why, len, "name must be 1..15 characters of [A-Za-z0-9._-]");
	if (config_name_taken(cfg, index))
		return config_reject(why, len, "name already used by an earlier domain");
	if (!d->image || !d->image_end || d->image_end <= d->image)
		return config_reject(why, len, "no payload image (image/image_end)");
	if (!config_mem_valid(d->mem_size)) {
		vmm_snprintf(why, len, "mem_size 0x%x must be a multiple of 1 MiB in 1..256 MiB",
			     (unsigned)d->mem_size);
		return -VMM_EINVAL;
	}
	if (!config_mem_initial_valid(d->mem_initial, d->mem_size)) {
		vmm_snprintf(why, len, "mem_initial 0x%x must be 0 or a multiple of 1 MiB in 1 MiB..mem_size",
			     (unsigned)d->mem_initial);
		return -VMM_EINVAL;
	}
	if (d->flags & ~VMM_DOMCFG_FLAGS_ALL) {
		vmm_snprintf(why, len, "unknown flags 0x%x", (unsigned)(d->flags & ~VMM_DOMCFG_FLAGS_ALL));
		return -VMM_EINVAL;
	}
	if (!config_cmdline_valid(d->cmdline))
		return config_reject(why, len, "cmdline longer than 127 characters");
	if (!config_sched_valid(&d->sched))
		return config_reject(why, len, "sched warp/limit/unwarp above one hour");
	return 0;
}

/* ---------------------------------------------------------------------------
 * Physical interrupts given to domains (event channels, issue 11).
 */

static bool config_domain_named(const struct vmm_config *cfg, const char *name)
{
	unsigned int i;

	for (i = 0; name && cfg->domains && i < cfg->nr_domains; i++)
		if (cfg->domains[i].name && vmm_streq(cfg->domains[i].name, name))
			return true;
	return false;
}

static bool config_irq_listed(const unsigned int *irqs, unsigned int nr, unsigned int irq)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (irqs[i] == irq)
			return true;
	return false;
}

static int config_check_pirq(const struct vmm_config *cfg, unsigned int i, const struct config_irqs *own,
			     char *why, size_t len)
{
	const struct vmm_pirq_config *p = &cfg->pirqs[i];
	unsigned int j, timer_irq = own->timer, console_irq = own->console;

	if (p->irq >= VMM_NR_PIRQS) {
		vmm_snprintf(why, len, "pirq #%u: irq %u (max %u)", i, (unsigned)p->irq, VMM_NR_PIRQS - 1);
		return -VMM_EINVAL;
	}
	if (p->irq == timer_irq || p->irq == console_irq) {
		vmm_snprintf(why, len, "pirq #%u: irq %u is libvmm's %s interrupt", i, (unsigned)p->irq,
			     p->irq == timer_irq ? "timer" : "console");
		return -VMM_EINVAL;
	}
	if (config_irq_listed(own->board, own->nr_board, p->irq)) {
		vmm_snprintf(why, len, "pirq #%u: irq %u is the board's own interrupt (vmm_board.board_irqs)", i,
			     (unsigned)p->irq);
		return -VMM_EINVAL;
	}
	for (j = 0; j < i; j++)
		if (cfg->pirqs[j].irq == p->irq) {
			vmm_snprintf(why, len, "pirq #%u: irq %u already assigned by pirq #%u", i,
				     (unsigned)p->irq, j);
			return -VMM_EINVAL;
		}
	if (!config_domain_named(cfg, p->domain)) {
		vmm_snprintf(why, len, "pirq #%u: irq %u: no domain named '%s'", i, (unsigned)p->irq,
			     config_name_printable(p->domain));
		return -VMM_EINVAL;
	}
	return 0;
}

int config_check_pirqs(const struct vmm_config *cfg, const struct config_irqs *own, char *why, size_t len)
{
	unsigned int i;

	if (cfg->nr_pirqs > VMM_MAX_PIRQ_ASSIGN) {
		vmm_snprintf(why, len, "%u pirqs assigned (at most %u)", cfg->nr_pirqs, VMM_MAX_PIRQ_ASSIGN);
		return -VMM_EINVAL;
	}
	if (cfg->nr_pirqs && !cfg->pirqs)
		return config_reject(why, len, "nr_pirqs set but no pirqs table");
	if (own->nr_board > VMM_MAX_BOARD_IRQS) {
		vmm_snprintf(why, len, "vmm_board lists %u board interrupts (at most %u)", own->nr_board,
			     VMM_MAX_BOARD_IRQS);
		return -VMM_EINVAL;
	}
	for (i = 0; i < cfg->nr_pirqs; i++) {
		int rc = config_check_pirq(cfg, i, own, why, len);

		if (rc)
			return rc;
	}
	return 0;
}
