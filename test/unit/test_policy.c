/*
 * Access policy (policy.c): validation of the config's policy, decisions,
 * enforcement by event channels (set-up and every send, with a [VMM] line),
 * acm_op; and the physical-IRQ table: config checks, bind_pirq ownership,
 * mask while in flight, physdev_op EOI.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "config_check.h"
#include "vmm/port.h"
#include "evtchn.h"
#include "hypercall.h"
#include "pirq.h"
#include "policy.h"
#include "test_domain.h"
#include "trap.h"
#include "vmm/acm.h"
#include "vmm/physdev.h"

enum { T_SECURE, T_RICH, T_OTHER, T_SHARED };
static const char *const type_names[] = {"secure", "rich", "other", "shared"};
static const struct vmm_policy_rule rules[] = {
	{T_SECURE, T_RICH},   /* symmetric: rich may talk to secure too */
	{T_SHARED, T_SHARED}, /* domains sharing "shared" may talk */
};
static const struct vmm_policy policy = {
	.type_names = type_names, .nr_types = 4, .rules = rules, .nr_rules = 2,
};

static struct domain *secure, *rich, *other, *s1, *s2;

static int group_setup(void **state)
{
	(void)state;
	test_core_boot();
	policy_activate(&policy);
	secure = test_domain_create_bare("secure", 0, 1u << T_SECURE);
	rich = test_domain_create_bare("rich", 0, 1u << T_RICH);
	other = test_domain_create_bare("other", 0, 1u << T_OTHER);
	s1 = test_domain_create_bare("s1", 0, 1u << T_SHARED | 1u << T_OTHER);
	s2 = test_domain_create_bare("s2", 0, 1u << T_SHARED);
	return secure && rich && other && s1 && s2 ? 0 : -1;
}

static int setup(void **state)
{
	struct domain *all[] = {secure, rich, other, s1, s2};
	unsigned int i;

	(void)state;
	for (i = 0; i < 5; i++) {
		evtchn_domain_destroy(all[i]);
		all[i]->rejections_logged = 0;
	}
	fake_console_clear();
	return 0;
}

static void test_decisions(void **state)
{
	(void)state;
	assert_int_equal(policy_check(secure, rich), 0);
	assert_int_equal(policy_check(rich, secure), 0);
	assert_int_equal(policy_check(other, secure), -VMM_EPERM);
	assert_int_equal(policy_check(secure, other), -VMM_EPERM);
	assert_int_equal(policy_check(rich, other), -VMM_EPERM);
	assert_int_equal(policy_check(s1, s2), 0);            /* share T_SHARED */
	assert_int_equal(policy_check(s2, s1), 0);
	assert_int_equal(policy_check(s1, other), -VMM_EPERM); /* T_OTHER has no rule */
	assert_int_equal(policy_check(other, other), 0);       /* itself */
	/* without a policy every pair may talk */
	policy_activate(NULL);
	assert_int_equal(policy_check(other, secure), 0);
	policy_activate(&policy);
}

static long alloc_unbound(struct domain *caller, uint32_t remote, uint32_t *port)
{
	struct vmm_evtchn_alloc_unbound op = {.dom = VMM_DOMID_SELF, .remote_dom = remote};
	long rc = evtchn_alloc_unbound(caller, &op);

	*port = op.port;
	return rc;
}

static void test_channels_follow_the_policy(void **state)
{
	struct vmm_evtchn_bind_interdomain bi;
	uint32_t ps, po;

	(void)state;
	/* other may not even offer a port to secure */
	assert_int_equal(alloc_unbound(other, secure->id, &po), -VMM_EPERM);
	assert_non_null(strstr(fake_hw.console, "policy forbids"));
	/* nor bind one secure offered to it (a policy change is not possible,
	 * so build the unbound port with the policy off) */
	policy_activate(NULL);
	assert_int_equal(alloc_unbound(secure, other->id, &ps), 0);
	policy_activate(&policy);
	bi = (struct vmm_evtchn_bind_interdomain){.remote_dom = secure->id, .remote_port = ps};
	assert_int_equal(evtchn_bind_interdomain(other, &bi), -VMM_EPERM);
	/* allowed pairs work */
	assert_int_equal(alloc_unbound(secure, rich->id, &ps), 0);
	bi = (struct vmm_evtchn_bind_interdomain){.remote_dom = secure->id, .remote_port = ps};
	assert_int_equal(evtchn_bind_interdomain(rich, &bi), 0);
	assert_int_equal(evtchn_send(rich, bi.local_port), 0);
	assert_int_equal(evtchn_send(secure, ps), 0);
}

static void test_send_checked_every_time(void **state)
{
	struct vmm_evtchn_bind_interdomain bi;
	uint32_t ps;

	(void)state;
	/* a channel set up without a policy ... */
	policy_activate(NULL);
	assert_int_equal(alloc_unbound(secure, other->id, &ps), 0);
	bi = (struct vmm_evtchn_bind_interdomain){.remote_dom = secure->id, .remote_port = ps};
	assert_int_equal(evtchn_bind_interdomain(other, &bi), 0);
	assert_int_equal(evtchn_send(other, bi.local_port), 0);
	/* ... is refused on send once it applies (types are per domain) */
	policy_activate(&policy);
	fake_console_clear();
	assert_int_equal(evtchn_send(other, bi.local_port), -VMM_EPERM);
	assert_non_null(strstr(fake_hw.console, "send: policy forbids"));
	assert_int_equal(evtchn_send(secure, ps), -VMM_EPERM);
}

static struct vmm_config cfg_with(const struct vmm_policy *p, uint32_t types0)
{
	static struct vmm_domain_config doms[2];
	struct vmm_config cfg;

	memset(doms, 0, sizeof(doms));
	memset(&cfg, 0, sizeof(cfg));
	doms[0].name = "d0";
	doms[0].types = types0;
	doms[1].name = "d1";
	cfg.domains = doms;
	cfg.nr_domains = 2;
	cfg.policy = p;
	return cfg;
}

static void test_validation(void **state)
{
	static const char *const names32[32] = {
		"t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9", "t10", "t11", "t12", "t13", "t14",
		"t15", "t16", "t17", "t18", "t19", "t20", "t21", "t22", "t23", "t24", "t25", "t26", "t27",
		"t28", "t29", "t30", "t31"};
	static const char *const dup[] = {"a", "a"};
	static const char *const bad[] = {"a", "no spaces"};
	static const char *const long16[] = {"a", "0123456789abcdef"};
	static const char *const null_name[] = {"a", NULL};
	static struct vmm_policy_rule many[VMM_POLICY_MAX_RULES + 1];
	struct vmm_policy p = policy;
	struct vmm_config cfg;
	char why[96];

	(void)state;
	cfg = cfg_with(NULL, 0);
	assert_int_equal(policy_validate(&cfg, why, sizeof(why)), 0);
	cfg = cfg_with(NULL, 1);
	assert_int_equal(policy_validate(&cfg, why, sizeof(why)), -VMM_EINVAL);
	assert_non_null(strstr(why, "no policy"));
	cfg = cfg_with(&p, 0xF); /* all four types */
	assert_int_equal(policy_validate(&cfg, why, sizeof(why)), 0);
	cfg = cfg_with(&p, 0x10); /* type 4 undefined */
	assert_int_equal(policy_validate(&cfg, why, sizeof(why)), -VMM_EINVAL);
	/* nr_types 1..32 */
	p.nr_types = 0;
	assert_int_equal(policy_validate(&cfg, why, sizeof(why)), -VMM_EINVAL);
	p = (struct vmm_policy){.type_names = names32, .nr_types = 32};
	cfg = cfg_with(&p, 0xFFFFFFFFu);
	assert_int_equal(policy_validate(&cfg, why, sizeof(why)), 0);
	p.nr_types = 33;
	assert_int_equal(policy_validate(&cfg, why, sizeof(why)), -VMM_EINVAL);
	p.nr_types = 0xFFFFFFFFu;
	assert_int_equal(policy_validate(&cfg, why, sizeof(why)), -VMM_EINVAL);
	/* names */
	p = (struct vmm_policy){.type_names = NULL, .nr_types = 2};
	cfg = cfg_with(&p, 0);
	assert_int_equal(policy_validate(&cfg, why, sizeof(why)), -VMM_EINVAL);
	p.type_names = dup;
	assert_int_equal(policy_validate(&cfg, why, sizeof(why)), -VMM_EINVAL);
	assert_non_null(strstr(why, "already used"));
	p.type_names = bad;
	assert_int_equal(policy_validate(&cfg, why, sizeof(why)), -VMM_EINVAL);
	p.type_names = long16;
	assert_int_equal(policy_validate(&cfg, why, sizeof(why)), -VMM_EINVAL);
	p.type_names = null_name;
	assert_int_equal(policy_validate(&cfg, why, sizeof(why)), -VMM_EINVAL);
	/* rules: indices < nr_types, table present, at most 256 */
	p = policy;
	p.rules = NULL;
	assert_int_equal(policy_validate(&cfg, why, sizeof(why)), -VMM_EINVAL);
	p.nr_rules = 0;
	assert_int_equal(policy_validate(&cfg, why, sizeof(why)), 0);
	memset(many, 0, sizeof(many));
	p.rules = many;
	p.nr_rules = VMM_POLICY_MAX_RULES;
	assert_int_equal(policy_validate(&cfg, why, sizeof(why)), 0);
	p.nr_rules = VMM_POLICY_MAX_RULES + 1;
	assert_int_equal(policy_validate(&cfg, why, sizeof(why)), -VMM_EINVAL);
	many[3].b = 3; /* last type: fine */
	p.nr_rules = 4;
	assert_int_equal(policy_validate(&cfg, why, sizeof(why)), 0);
	many[3].b = 4; /* first undefined type */
	assert_int_equal(policy_validate(&cfg, why, sizeof(why)), -VMM_EINVAL);
	many[3].b = 0;
	many[2].a = 0xFFFFFFFFu;
	assert_int_equal(policy_validate(&cfg, why, sizeof(why)), -VMM_EINVAL);
	assert_non_null(strstr(why, "rule 2"));
}

static void test_acm_op(void **state)
{
	const uint32_t va = VMM_GUEST_BASE + 0x9000;
	struct vmm_acm_types *t = test_guest_ptr(rich, va);
	struct vmm_acm_type_name *n = test_guest_ptr(rich, va);

	(void)state;
	current = rich;
	rich->frame->r[7] = VMM_HC_acm_op;
	assert_int_equal(hypercall_dispatch(VMM_HC_acm_op, VMM_ACMOP_get_types, va, 0, 0), 0);
	assert_int_equal(t->policy, 1);
	assert_int_equal(t->nr_types, 4);
	assert_int_equal(t->types, 1u << T_RICH);
	assert_int_equal(t->peers, 1u << T_SECURE);
	n->type = T_SHARED;
	assert_int_equal(hypercall_dispatch(VMM_HC_acm_op, VMM_ACMOP_get_type_name, va, 0, 0), 0);
	assert_string_equal(n->name, "shared");
	n->type = 4;
	assert_int_equal(hypercall_dispatch(VMM_HC_acm_op, VMM_ACMOP_get_type_name, va, 0, 0), -VMM_EINVAL);
	n->type = 0xFFFFFFFFu;
	assert_int_equal(hypercall_dispatch(VMM_HC_acm_op, VMM_ACMOP_get_type_name, va, 0, 0), -VMM_EINVAL);
	assert_int_equal(hypercall_dispatch(VMM_HC_acm_op, VMM_ACMOP_get_types, 0xE0000000u, 0, 0), -VMM_EFAULT);
	assert_int_equal(hypercall_dispatch(VMM_HC_acm_op, 2, va, 0, 0), -VMM_EINVAL);
	assert_int_equal(hypercall_dispatch(VMM_HC_acm_op, 0xFFFFFFFFu, va, 0, 0), -VMM_EINVAL);
}

/* ---- physical IRQs ---------------------------------------------------- */

#define PIRQ_A 36
#define PIRQ_B 37

static bool irq_enabled(unsigned int irq)
{
	return (fake_hw.irq_enabled[irq / 32] & (1u << (irq % 32))) != 0;
}

static struct vmm_config pirq_cfg(struct vmm_pirq_config *p, unsigned int n)
{
	static struct vmm_domain_config doms[2];
	struct vmm_config cfg;

	memset(doms, 0, sizeof(doms));
	memset(&cfg, 0, sizeof(cfg));
	doms[0].name = "secure";
	doms[1].name = "rich";
	cfg.domains = doms;
	cfg.nr_domains = 2;
	cfg.pirqs = p;
	cfg.nr_pirqs = n;
	return cfg;
}

static void test_pirq_config_checks(void **state)
{
	struct vmm_pirq_config p[VMM_MAX_PIRQ_ASSIGN + 1];
	struct vmm_config cfg;
	char why[96];
	unsigned int i;
	static const unsigned int board[VMM_MAX_BOARD_IRQS] = {150, 152, 600, 601, 602, 603, 604, 605};
	struct config_irqs own = {.timer = 29, .console = 37, .board = board, .nr_board = 2};

	(void)state;
	for (i = 0; i <= VMM_MAX_PIRQ_ASSIGN; i++)
		p[i] = (struct vmm_pirq_config){.irq = 40 + i, .domain = "rich"};
	cfg = pirq_cfg(p, 0);
	assert_int_equal(config_check_pirqs(&cfg, &own, why, sizeof(why)), 0);
	cfg = pirq_cfg(p, VMM_MAX_PIRQ_ASSIGN);
	assert_int_equal(config_check_pirqs(&cfg, &own, why, sizeof(why)), 0);
	cfg = pirq_cfg(p, VMM_MAX_PIRQ_ASSIGN + 1);
	assert_int_equal(config_check_pirqs(&cfg, &own, why, sizeof(why)), -VMM_EINVAL);
	cfg = pirq_cfg(NULL, 1);
	assert_int_equal(config_check_pirqs(&cfg, &own, why, sizeof(why)), -VMM_EINVAL);
	cfg = pirq_cfg(p, 2);
	p[1].irq = VMM_NR_PIRQS - 1;
	assert_int_equal(config_check_pirqs(&cfg, &own, why, sizeof(why)), 0);
	p[1].irq = VMM_NR_PIRQS;
	assert_int_equal(config_check_pirqs(&cfg, &own, why, sizeof(why)), -VMM_EINVAL);
	p[1].irq = 0xFFFFFFFFu;
	assert_int_equal(config_check_pirqs(&cfg, &own, why, sizeof(why)), -VMM_EINVAL);
	p[1].irq = 29; /* the timer's */
	assert_int_equal(config_check_pirqs(&cfg, &own, why, sizeof(why)), -VMM_EINVAL);
	assert_non_null(strstr(why, "timer"));
	p[1].irq = 37; /* the console's */
	assert_int_equal(config_check_pirqs(&cfg, &own, why, sizeof(why)), -VMM_EINVAL);
	assert_non_null(strstr(why, "console"));
	p[1].irq = 40; /* twice */
	assert_int_equal(config_check_pirqs(&cfg, &own, why, sizeof(why)), -VMM_EINVAL);
	assert_non_null(strstr(why, "already assigned"));
	p[1].irq = 0;
	p[1].domain = "nobody";
	assert_int_equal(config_check_pirqs(&cfg, &own, why, sizeof(why)), -VMM_EINVAL);
	p[1].domain = NULL;
	assert_int_equal(config_check_pirqs(&cfg, &own, why, sizeof(why)), -VMM_EINVAL);
	p[1].domain = "secure";
	assert_int_equal(config_check_pirqs(&cfg, &own, why, sizeof(why)), 0);
	/* the board's own lines (vmm_board.board_irqs): the first and the last listed */
	p[1].irq = 150;
	assert_int_equal(config_check_pirqs(&cfg, &own, why, sizeof(why)), -VMM_EINVAL);
	assert_string_equal(why, "pirq #1: irq 150 is the board's own interrupt (vmm_board.board_irqs)");
	p[1].irq = 152;
	assert_int_equal(config_check_pirqs(&cfg, &own, why, sizeof(why)), -VMM_EINVAL);
	p[1].irq = 151; /* between them, not listed */
	assert_int_equal(config_check_pirqs(&cfg, &own, why, sizeof(why)), 0);
	own.nr_board = 1; /* 152 no longer listed */
	p[1].irq = 152;
	assert_int_equal(config_check_pirqs(&cfg, &own, why, sizeof(why)), 0);
	own.nr_board = VMM_MAX_BOARD_IRQS + 1; /* a board listing too many */
	assert_int_equal(config_check_pirqs(&cfg, &own, why, sizeof(why)), -VMM_EINVAL);
	assert_non_null(strstr(why, "board interrupts (at most 8)"));
	own.nr_board = VMM_MAX_BOARD_IRQS; /* the most a board may list */
	assert_int_equal(config_check_pirqs(&cfg, &own, why, sizeof(why)), -VMM_EINVAL); /* 152 again */
	p[1].irq = 151;
	assert_int_equal(config_check_pirqs(&cfg, &own, why, sizeof(why)), 0);
}

static void test_pirq_bind_fire_eoi(void **state)
{
	struct vmm_pirq_config p[] = {{.irq = PIRQ_A, .domain = "rich"}, {.irq = PIRQ_B, .domain = "secure"}};
	struct vmm_config cfg = pirq_cfg(p, 2);
	struct vmm_evtchn_bind_pirq bp = {.pirq = PIRQ_A};
	const uint32_t va = VMM_GUEST_BASE + 0x9000;
	struct vmm_physdev_eoi *eoi = test_guest_ptr(rich, va);
	struct vmm_physdev_irq_status_query *q = test_guest_ptr(rich, va);
	unsigned int i;

	(void)state;
	pirq_init(&cfg);
	/* only the owner may bind */
	assert_int_equal(evtchn_bind_pirq(secure, &bp), -VMM_EPERM);
	bp.pirq = PIRQ_B + 1; /* nobody's */
	assert_int_equal(evtchn_bind_pirq(rich, &bp), -VMM_EPERM);
	bp.pirq = VMM_NR_PIRQS;
	assert_int_equal(evtchn_bind_pirq(rich, &bp), -VMM_EINVAL);
	bp.pirq = 0xFFFFFFFFu;
	assert_int_equal(evtchn_bind_pirq(rich, &bp), -VMM_EINVAL);
	bp.pirq = PIRQ_A;
	bp.flags = 1;
	assert_int_equal(evtchn_bind_pirq(rich, &bp), -VMM_EINVAL);
	bp.flags = 0;
	assert_false(irq_enabled(PIRQ_A));
	assert_int_equal(evtchn_bind_pirq(rich, &bp), 0);
	assert_true(irq_enabled(PIRQ_A));
	assert_int_equal(evtchn_bind_pirq(rich, &bp), -VMM_EEXIST);
	/* a level source stays asserted: one event, then disabled until EOI */
	memset(rich->shared->evtchn_pending, 0, sizeof(rich->shared->evtchn_pending));
	for (i = 0; i < 10; i++) {
		fake_irq_raise(PIRQ_A);
		irq_poll();
	}
	assert_true(rich->shared->evtchn_pending[0] & (1u << bp.port));
	assert_false(irq_enabled(PIRQ_A));
	assert_int_equal(fake_hw.board_calls, 0); /* never the board's */
	assert_null(strstr(fake_hw.console, "unexpected interrupt"));
	current = rich;
	rich->frame->r[7] = VMM_HC_physdev_op;
	q->irq = PIRQ_A;
	assert_int_equal(hypercall_dispatch(VMM_HC_physdev_op, VMM_PHYSDEVOP_irq_status_query, va, 0, 0), 0);
	assert_int_equal(q->flags, VMM_PHYSDEV_IRQ_NEEDS_EOI | VMM_PHYSDEV_IRQ_IN_FLIGHT);
	eoi->irq = PIRQ_A;
	assert_int_equal(hypercall_dispatch(VMM_HC_physdev_op, VMM_PHYSDEVOP_eoi, va, 0, 0), 0);
	assert_true(irq_enabled(PIRQ_A));
	assert_int_equal(hypercall_dispatch(VMM_HC_physdev_op, VMM_PHYSDEVOP_eoi, va, 0, 0), 0); /* again: no-op */
	/* EOI of an interrupt the caller has not bound */
	eoi->irq = PIRQ_B;
	assert_int_equal(hypercall_dispatch(VMM_HC_physdev_op, VMM_PHYSDEVOP_eoi, va, 0, 0), -VMM_EPERM);
	eoi->irq = VMM_NR_PIRQS;
	assert_int_equal(hypercall_dispatch(VMM_HC_physdev_op, VMM_PHYSDEVOP_eoi, va, 0, 0), -VMM_EINVAL);
	eoi->irq = 0xFFFFFFFFu;
	assert_int_equal(hypercall_dispatch(VMM_HC_physdev_op, VMM_PHYSDEVOP_eoi, va, 0, 0), -VMM_EINVAL);
	assert_int_equal(hypercall_dispatch(VMM_HC_physdev_op, VMM_PHYSDEVOP_eoi, 0xE0000000u, 0, 0), -VMM_EFAULT);
	assert_int_equal(hypercall_dispatch(VMM_HC_physdev_op, 99, va, 0, 0), -VMM_EINVAL);
	q->irq = PIRQ_B;
	assert_int_equal(hypercall_dispatch(VMM_HC_physdev_op, VMM_PHYSDEVOP_irq_status_query, va, 0, 0), 0);
	assert_int_equal(q->flags, 0);
	/* closing the port disables the interrupt and frees it for a new bind */
	assert_int_equal(evtchn_close(rich, bp.port), 0);
	assert_false(irq_enabled(PIRQ_A));
	assert_int_equal(evtchn_bind_pirq(rich, &bp), 0);
	assert_int_equal(evtchn_close(rich, bp.port), 0);
	/* an assigned but unbound interrupt that fires anyway is disabled quietly */
	vmm_port_irq_enable(PIRQ_B);
	fake_irq_raise(PIRQ_B);
	irq_poll();
	assert_false(irq_enabled(PIRQ_B));
	assert_int_equal(fake_hw.board_calls, 0);
}

/*
 * A domain dies holding a PIRQ and ports in two buckets, one of them
 * connected: the interrupt is disabled and free for the next domain of that
 * name, the peer's end is unbound again, every frame it took is back.
 */
static void test_death_releases_pirq_and_ports(void **state)
{
	struct vmm_pirq_config p[] = {{.irq = PIRQ_A, .domain = "dev"}};
	struct vmm_config cfg = pirq_cfg(p, 1);
	struct vmm_evtchn_bind_pirq bp = {.pirq = PIRQ_A};
	struct vmm_evtchn_alloc_unbound au = {.dom = VMM_DOMID_SELF};
	struct vmm_evtchn_bind_interdomain bi;
	struct vmm_evtchn_status st = {.dom = VMM_DOMID_SELF};
	uint32_t free0, i, peer_port;
	struct domain *dev;

	(void)state;
	pirq_init(&cfg);
	au.remote_dom = s2->id; /* the peer's first port frame is the peer's: taken before counting */
	assert_int_equal(evtchn_alloc_unbound(s2, &au), 0);
	free0 = mm_free_frames();
	dev = test_domain_create_bare("dev", 0, 1u << T_SHARED);
	assert_non_null(dev);
	current = s2; /* dev is not the running domain: its storage goes at once */
	assert_int_equal(evtchn_bind_pirq(dev, &bp), 0);
	assert_true(irq_enabled(PIRQ_A));
	for (i = 0; i < EVTCHN_BUCKET_PORTS + 1; i++) /* a second bucket frame */
		assert_int_equal(evtchn_alloc_unbound(dev, &au), 0);
	assert_non_null(dev->evtchn.bucket[1]);
	bi.remote_dom = dev->id;
	bi.remote_port = au.port;
	assert_int_equal(evtchn_bind_interdomain(s2, &bi), 0);
	peer_port = bi.local_port;
	domain_kill(dev, VMM_SHUTDOWN_crash);
	assert_false(irq_enabled(PIRQ_A));
	st.port = peer_port;
	assert_int_equal(evtchn_status(s2, &st), 0);
	assert_int_equal(st.status, VMM_EVTCHNSTAT_unbound);
	assert_int_equal(mm_free_frames(), free0);
	/* the next "dev" may bind the interrupt (not -EEXIST) */
	dev = test_domain_create_bare("dev", 0, 1u << T_SHARED);
	assert_non_null(dev);
	current = s2;
	assert_int_equal(evtchn_bind_pirq(dev, &bp), 0);
	domain_kill(dev, VMM_SHUTDOWN_poweroff);
	assert_false(irq_enabled(PIRQ_A));
	assert_int_equal(mm_free_frames(), free0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_decisions, setup),
		cmocka_unit_test_setup(test_channels_follow_the_policy, setup),
		cmocka_unit_test_setup(test_send_checked_every_time, setup),
		cmocka_unit_test_setup(test_validation, setup),
		cmocka_unit_test_setup(test_acm_op, setup),
		cmocka_unit_test_setup(test_pirq_config_checks, setup),
		cmocka_unit_test_setup(test_pirq_bind_fire_eoi, setup),
		cmocka_unit_test_setup(test_death_releases_pirq_and_ports, setup),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
