/*
 * libvmm Mini-OS: kernel entry, boot banner, shutdown.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <minios/os.h>
#include <minios/console.h>
#include <minios/events.h>
#include <minios/mm.h>
#include <minios/sched.h>
#include <minios/time.h>

/* The heap stops this far below the end of the domain's memory. */
#define HEAP_SAFETY_MARGIN VMM_PAGE_SIZE

struct vmm_start_info *start_info;
struct vmm_shared_info *HYPERVISOR_shared_info =
	(struct vmm_shared_info *)VMM_GUEST_SHARED_INFO;
uintptr_t minios_heap_start, minios_heap_limit;

extern void __libc_init_array(void);

void minios_shutdown(unsigned int reason)
{
	for (;;)
		(void)HYPERVISOR_sched_op(VMM_SCHEDOP_shutdown, reason);
}

void minios_panic(const char *fmt, ...)
{
	static char buf[256];
	static int panicking;
	va_list ap;
	int n;

	local_irq_disable();
	if (!panicking++) {
		va_start(ap, fmt);
		n = vsnprintf(buf, sizeof(buf), fmt, ap);
		va_end(ap);
		console_write("PANIC: ", 7);
		if (n > 0)
			console_write(buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
	}
	minios_shutdown(VMM_SHUTDOWN_crash);
}

/* Copies a fixed-size, maybe unterminated field into a printable string. */
static const char *field(char *dst, const char *src, size_t n)
{
	size_t i;

	for (i = 0; i < n && src[i] != '\0'; i++)
		dst[i] = (src[i] >= 0x20 && src[i] < 0x7f) ? src[i] : '?';
	dst[i] = '\0';
	return dst;
}

static void main_thread(void *arg)
{
	int rc = app_main(arg);

	if (rc != 0)
		printk("app_main returned %d\n", rc);
	exit(rc);   /* flushes stdio, then _exit() shuts the domain down */
}

void minios_start(struct vmm_start_info *si)
{
	char magic[sizeof(si->magic) + 1];
	char name[sizeof(si->name) + 1];
	char cmdline[sizeof(si->cmd_line) + 1];
	char tod[48];
	uintptr_t mem_base, mem_end;
	long ver;

	start_info = si;
	field(magic, si->magic, sizeof(si->magic));
	if (memcmp(si->magic, VMM_START_INFO_MAGIC, sizeof(VMM_START_INFO_MAGIC)) != 0) {
		printk("libvmm Minimal OS: bad start_info magic \"%s\" (expected \"%s\")\n",
		       magic, VMM_START_INFO_MAGIC);
		minios_shutdown(VMM_SHUTDOWN_crash);
	}
	if (si->shared_info != 0)
		HYPERVISOR_shared_info = (struct vmm_shared_info *)(uintptr_t)si->shared_info;

	mem_base = si->mem_base != 0 ? si->mem_base : VMM_GUEST_BASE;
	mem_end = mem_base + (uintptr_t)si->nr_pages * VMM_PAGE_SIZE;
	minios_heap_start = ((uintptr_t)_end + 7) & ~(uintptr_t)7;
	/* The hypervisor's copy of the p2m list sits right after the image: keep it. */
	if (si->p2m_list != 0 && si->p2m_list >= minios_heap_start)
		minios_heap_start = (uintptr_t)si->p2m_list + (uintptr_t)si->nr_pages * sizeof(uint32_t);
	minios_heap_limit = mem_end > minios_heap_start + HEAP_SAFETY_MARGIN ?
			    mem_end - HEAP_SAFETY_MARGIN : minios_heap_start;

	init_mm(si); /* may raise minios_heap_limit: memory past the boot pages */
	ver = HYPERVISOR_xen_version(VMM_XENVER_version, NULL);

	printk("libvmm Minimal OS!\n");
	printk("Magic : %s\n", magic);
	if (ver >= 0)
		printk("ABI version : %ld.%ld\n", ver >> 16, ver & 0xffff);
	printk("Domain id : %lu\n", (unsigned long)si->domid);
	printk("Name : %s\n", field(name, si->name, sizeof(si->name)));
	printk("Total Pages allocated to this domain : %lu\n",
	       (unsigned long)si->nr_pages);
	if (minios_mm_max_pages() > (long)si->nr_pages)
		printk("Maximum reservation : %ld pages (the heap grows into them)\n", minios_mm_max_pages());
	printk("Start info : 0x%08lx\n", (unsigned long)(uintptr_t)si);
	printk("Shared info : 0x%08lx\n", (unsigned long)si->shared_info);
	printk("Image : 0x%08lx-0x%08lx\n", (unsigned long)si->image_start,
	       (unsigned long)si->image_end);
	printk("Heap : 0x%08lx-0x%08lx\n", (unsigned long)minios_heap_start,
	       (unsigned long)minios_heap_limit);
	printk("Command-Line String : %s\n",
	       field(cmdline, si->cmd_line, sizeof(si->cmd_line)));
	printk("flags : 0x%lx (%s)\n", (unsigned long)si->flags,
	       (si->flags & VMM_SIF_PRIVILEGED) && (si->flags & VMM_SIF_INITDOMAIN) ?
			"privileged|initdomain" :
	       (si->flags & VMM_SIF_PRIVILEGED) ? "privileged" :
	       (si->flags & VMM_SIF_INITDOMAIN) ? "initdomain" : "none");
	if (si->image_end != 0 && si->image_end < (uintptr_t)_end)
		printk("WARN: image_end 0x%08lx below _end 0x%08lx\n",
		       (unsigned long)si->image_end, (unsigned long)(uintptr_t)_end);

	init_events();
	init_console();
	init_time();
	init_sched();
	__libc_init_array();

	printk("time of day = %s\n", minios_time_of_day(tod, sizeof(tod)));

	if (create_thread("main", main_thread, si) == NULL)
		minios_panic("cannot create the main thread\n");
	run_idle_thread();
}
