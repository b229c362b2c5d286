/*
 * vmm_main(): boot flow of the hypervisor, called by the arch entry code
 * with the MMU on, on the boot stack, IRQs masked.
 *   port init -> time -> config checks -> domains -> idle loop
 */
#include "arch.h"
#include "config_check.h"
#include "domain.h"
#include "log.h"
#include "mm.h"
#include "port_check.h"
#include "schedule.h"
#include "time.h"
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

void vmm_main(void)
{
	uint32_t base, size;
	char why[96];
	const char *cpu_note;

	arch_mmu_init();
	vmm_port_init();
	port_check_boot(); /* powers off with a [VMM] error if the port's values are unusable */
	time_init();
	vmm_log("libvmm %u.%u on %s, %u MiB RAM at 0x%08x", VMM_ABI_MAJOR, VMM_ABI_MINOR,
		vmm_board.name, (unsigned)(vmm_board.ram_size >> 20), (unsigned)vmm_board.ram_base);
	vmm_log("Using scheduler: %s", sched_name());
	cpu_note = vmm_port_cpu_init();
	if (cpu_note)
		vmm_log("cpu: %s", cpu_note);
	arch_free_ram(&base, &size);
	mm_init(base, size);

	if (config_check_global(&vmm_config, VMM_MAX_DOMAINS, why, sizeof(why)) != 0) {
		vmm_log("config: %s; nothing to run", why);
		schedule_poweroff(1);
	}
	if (schedule_init(vmm_config.ctx_allow_us, vmm_config.mcu_us, vmm_config.run_limit_ms) != 0) {
		vmm_log("config: scheduler parameters rejected; nothing to run");
		schedule_poweroff(1);
	}
	vmm_boot_domains(&vmm_config);
	if (domain_live_count() == 0) {
		vmm_log("no domain could be started");
		schedule_poweroff(1);
	}
	vmm_port_irq_enable(vmm_port_timer_irq());
	vmm_port_irq_enable(vmm_port_console_irq());
	schedule_idle_loop();
}
