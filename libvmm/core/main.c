/*
 * vmm_main(): boot flow of the hypervisor, called by the arch entry code
 * with the MMU on, on the boot stack, IRQs masked.
 *   port init -> time -> RAM banks -> frame tables -> config checks
 *   -> domains -> idle loop
 */
#include "arch.h"
#include "config_check.h"
#include "pirq.h"
#include "policy.h"
#include "domain.h"
#include "log.h"
#include "mm.h"
#include "port_check.h"
#include "ram_bank.h"
#include "schedule.h"
#include "time.h"
#include "vcpu_state.h"
#include "vtrap.h"
#include "hypercall.h"
#include "vmm/abi.h"
#include "vmm/config.h"
#include "vmm/port.h"

void vmm_main(void);

static void vmm_boot_domains(const struct vmm_config *cfg)
{
	unsigned int i;
	char why[96];

	for (i = 0; i < cfg->nr_domains; i++) {
		const struct vmm_domain_config *dc = &cfg->domains[i];
		struct domain *d;

		if (config_check_domain(cfg, i, why, sizeof(why)) != 0) {
			vmm_log("config: domain #%u ('%s') refused: %s", i,
				config_name_printable(dc->name), why);
			continue;
		}
		d = domain_create(dc);
		if (d)
			schedule_wake(d);
	}
}

/*
 * Checks the board's RAM description and builds the frame tables over it;
 * a board whose RAM is described wrongly does not boot (exit status 1).
 */
static void vmm_boot_memory(void)
{
	struct arch_hv_layout lay;
	struct ram_range image, window;
	struct mm_usage u;
	char why[96];

	arch_hv_layout(&lay);
	image.base = lay.image_base;
	image.size = lay.image_end - lay.image_base;
	window.base = lay.window_base;
	window.size = lay.window_size;
	if (ram_banks_check(vmm_board.ram, vmm_board.nr_ram_banks, &image, &window, why, sizeof(why)) != 0 ||
	    mm_init(vmm_board.ram, vmm_board.nr_ram_banks, &lay, why, sizeof(why)) != 0) {
		vmm_log("RAM: %s; cannot boot", why);
		schedule_poweroff(1);
	}
	mm_usage(&u);
	vmm_log("RAM: %u MiB in %u banks, %u zones; hypervisor image %u KiB, frame tables %u KiB",
		(unsigned)(u.ram_bytes >> 20), vmm_board.nr_ram_banks, u.nr_zones,
		(unsigned)(u.image_bytes >> 10), (unsigned)(u.table_bytes >> 10));
}

static void vmm_log_hyp_ram(void)
{
	struct mm_usage u;

	/* No domain is built after boot: the payloads' pages go back to the allocator. */
	mm_release_payloads();
	mm_usage(&u);
	vmm_log("RAM: %u KiB of guest payloads given back", (unsigned)(u.released_bytes >> 10));
	vmm_log("RAM: hypervisor uses %u KiB (image %u, frame tables %u, taken since boot %u); %u KiB free",
		(unsigned)((u.image_bytes + u.table_bytes + u.hyp_bytes) >> 10),
		(unsigned)(u.image_bytes >> 10), (unsigned)(u.table_bytes >> 10),
		(unsigned)(u.hyp_bytes >> 10), (unsigned)(u.free_bytes >> 10));
}

void vmm_main(void)
{
	char why[96];
	const char *cpu_note;
	struct config_irqs own_irqs;

	arch_mmu_init();
	vmm_port_init();
	port_check_boot(); /* powers off with a [VMM] error if the port's values are unusable */
	time_init();
	vmm_log("libvmm %u.%u on %s", VMM_ABI_MAJOR, VMM_ABI_MINOR, vmm_board.name);
	vmm_log("Using scheduler: %s", sched_name());
	cpu_note = vmm_port_cpu_init();
	if (cpu_note)
		vmm_log("cpu: %s", cpu_note);
	vcpu_state_init();
	vtrap_init(hypercall_table, hypercall_user_table, hypercall_user_fast_table);
	vmm_boot_memory();

	if (config_check_global(&vmm_config, VMM_MAX_DOMAINS, why, sizeof(why)) != 0) {
		vmm_log("config: %s; nothing to run", why);
		schedule_poweroff(1);
	}
	/* Communication rules: a malformed policy or interrupt table refuses
	 * the whole image, never boots it with weaker isolation. */
	own_irqs.timer = vmm_port_timer_irq();
	own_irqs.console = vmm_port_console_irq();
	own_irqs.board = vmm_board.board_irqs;
	own_irqs.nr_board = vmm_board.nr_board_irqs;
	if (policy_validate(&vmm_config, why, sizeof(why)) != 0 ||
	    config_check_pirqs(&vmm_config, &own_irqs, why, sizeof(why)) != 0) {
		vmm_log("config: %s; nothing to run", why);
		schedule_poweroff(1);
	}
	policy_activate(vmm_config.policy);
	pirq_init(&vmm_config);
	if (schedule_init(vmm_config.ctx_allow_us, vmm_config.mcu_us, vmm_config.run_limit_ms) != 0) {
		vmm_log("config: scheduler parameters rejected; nothing to run");
		schedule_poweroff(1);
	}
	/* What every dead domain's memory adds up to again (with the payloads given back next). */
	vmm_log("RAM: %u KiB free before the domains are built", (unsigned)(mm_free_frames() << 2));
	vmm_boot_domains(&vmm_config);
	vmm_log_hyp_ram();
	if (domain_live_count() == 0) {
		vmm_log("no domain could be started");
		schedule_poweroff(1);
	}
	vmm_port_irq_enable(vmm_port_timer_irq());
	vmm_port_irq_enable(vmm_port_console_irq());
	schedule_idle_loop();
}
