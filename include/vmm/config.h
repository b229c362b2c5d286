/*
 * Static configuration of a firmware image: which domains to build at boot.
 *
 * A firmware image defines exactly one `const struct vmm_config vmm_config`
 * (usually in a config.c passed to vmm_add_image(), see docs/integration in
 * README.md). The hypervisor validates every entry at boot; an entry that is
 * wrong is refused with a "[VMM]" message naming the field, and the other
 * domains still boot. Domain ids are given in boot order, dom0 first, and are
 * never reused.
 */
#ifndef VMM_CONFIG_H
#define VMM_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

/* Domain flags. */
#define VMM_DOMCFG_PRIVILEGED 0x1u  /* may use privileged hypercalls (dom0_op, set_foreground_domain) */
#define VMM_DOMCFG_PMU_USER   0x2u  /* may read the PMU cycle counter from USR mode (benchmarks only: a timing side channel) */

#define VMM_DOMCFG_FLAGS_ALL (VMM_DOMCFG_PRIVILEGED | VMM_DOMCFG_PMU_USER)

/* Memory limits of one domain (memory is handed out in 1 MiB sections). */
#define VMM_DOMAIN_MEM_MIN   (1u << 20)
#define VMM_DOMAIN_MEM_MAX   (256u << 20)
#define VMM_DOMAIN_MEM_ALIGN (1u << 20)

/* Scheduling parameters of one domain (Borrowed Virtual Time, docs/scheduling.md;
 * values outside the scheduler's bounds, vmm/dom0_op.h VMM_SCHED_*, refuse the
 * domain at boot, or the image for mcu_us). */
struct vmm_sched_config {
	uint32_t weight;         /* CPU share relative to the others; 1..10000. 0 here means "default" (1) */
	bool warp;               /* may the domain warp (borrow virtual time) */
	uint32_t warp_us;        /* W: virtual-time advantage while warped, <= 1 s (the scheduler's bound) */
	uint32_t warp_limit_us;  /* L: longest continuous warped run, 0 = unlimited, else 50 us..1 hour */
	uint32_t unwarp_us;      /* U: rest required after L before warping again, <= 1 hour */
};

struct vmm_domain_config {
	const char *name;                /* 1..15 printable characters, unique */
	const uint8_t *image;            /* guest ELF payload (VMM_PAYLOAD()) */
	const uint8_t *image_end;        /* one past its last byte */
	uint32_t mem_size;               /* bytes, multiple of 1 MiB, VMM_DOMAIN_MEM_MIN..MAX */
	uint32_t flags;                  /* VMM_DOMCFG_* */
	const char *cmdline;             /* may be NULL; at most VMM_CMDLINE_MAX-1 characters */
	struct vmm_sched_config sched;
	/* Access policy (below): bit t set = the domain carries type t of
	 * vmm_config.policy. Must be 0 when the image has no policy. */
	uint32_t types;
};

/* ---------------------------------------------------------------------------
 * Access policy (docs/policy.md): static type enforcement, the sHype idea.
 * Types are numbered 0..nr_types-1 and named; each domain carries a set of
 * them (vmm_domain_config.types). Two different domains may set up or use
 * an event channel (and a grant) only if some rule pairs a type of one with
 * a type of the other (rules are symmetric; (t, t) lets domains sharing t
 * talk). A domain may always talk to itself. No policy (policy == NULL):
 * every pair may communicate, as before policies existed.
 */
#define VMM_POLICY_MAX_TYPES 32   /* a type set is a 32-bit mask */
#define VMM_POLICY_MAX_RULES 256

struct vmm_policy_rule {
	uint32_t a, b;                   /* type numbers, < nr_types */
};

struct vmm_policy {
	const char *const *type_names;   /* nr_types names, 1..15 chars of [A-Za-z0-9._-], unique */
	unsigned int nr_types;           /* 1..VMM_POLICY_MAX_TYPES */
	const struct vmm_policy_rule *rules; /* may be NULL only if nr_rules == 0 */
	unsigned int nr_rules;           /* 0..VMM_POLICY_MAX_RULES (0: every domain isolated) */
};

/* ---------------------------------------------------------------------------
 * Physical interrupts given to a domain (bound with event_channel_op
 * bind_pirq). The interrupt must not be the board's timer or console
 * interrupt, and the board must not claim it in vmm_port_irq_handle():
 * libvmm enables, disables and EOIs it through vmm_port_irq_*.
 */
#define VMM_MAX_PIRQ_ASSIGN 16

struct vmm_pirq_config {
	uint32_t irq;                    /* the board's interrupt number, < 1024 */
	const char *domain;              /* name of the domain that owns it */
};

struct vmm_config {
	const struct vmm_domain_config *domains;
	unsigned int nr_domains;         /* 1..VMM_MAX_DOMAINS */
	uint32_t ctx_allow_us;           /* BVT context-switch allowance C, <= 1 s; 0 = default 1000 */
	uint32_t mcu_us;                 /* BVT minimum charging unit, 50 us..1 s; 0 = default 100 */
	uint32_t run_limit_ms;           /* power off (exit 3) if domains still run after this; 0 = never */
	/* Event channels and access policy (issue 11). A malformed policy or
	 * interrupt table refuses the whole image (nothing boots). */
	const struct vmm_policy *policy; /* NULL: no policy, all domains may communicate */
	const struct vmm_pirq_config *pirqs; /* may be NULL only if nr_pirqs == 0 */
	unsigned int nr_pirqs;           /* 0..VMM_MAX_PIRQ_ASSIGN */
};

/* Provided by the firmware image. */
extern const struct vmm_config vmm_config;

/*
 * Payloads embedded by vmm_add_image(... PAYLOADS <sym> <file> ...):
 * VMM_PAYLOAD_DECLARE(sym) once at file scope, then
 * .image = VMM_PAYLOAD(sym), .image_end = VMM_PAYLOAD_END(sym).
 */
#define VMM_PAYLOAD_DECLARE(sym) \
	extern const uint8_t vmm_payload_##sym[]; \
	extern const uint8_t vmm_payload_##sym##_end[]
#define VMM_PAYLOAD(sym)     (vmm_payload_##sym)
#define VMM_PAYLOAD_END(sym) (vmm_payload_##sym##_end)

#endif /* VMM_CONFIG_H */
