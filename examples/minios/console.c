/*
 * libvmm Mini-OS: console on top of HYPERVISOR_console_io.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <minios/os.h>
#include <minios/console.h>
#include <minios/events.h>
#include <minios/sched.h>
#include <minios/time.h>

/* Partial stdout/stderr line of code that runs outside any thread. */
static char boot_linebuf[THREAD_LINEBUF_SIZE];
static unsigned int boot_linelen;
/* sleep_on() channel of threads waiting for console input. */
static const char console_chan;

void console_write(const char *buf, size_t len)
{
	while (len > 0) {
		size_t n = len > VMM_CONSOLE_IO_MAX ? VMM_CONSOLE_IO_MAX : len;
		long rc = HYPERVISOR_console_io(VMM_CONSOLEIO_write, (int)n,
						(char *)(uintptr_t)buf);

		if (rc <= 0)
			return;   /* nowhere to report it */
		if ((size_t)rc < n)
			n = (size_t)rc;
		buf += n;
		len -= n;
	}
}

void printk(const char *fmt, ...)
{
	static char buf[1024];
	unsigned long flags;
	va_list ap;
	int n;

	/* Events held: the static buffer is shared by all threads. */
	flags = local_irq_save();
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0) {
		if ((size_t)n >= sizeof(buf))
			n = sizeof(buf) - 1;
		console_write(buf, (size_t)n);
	}
	local_irq_restore(flags);
}

static void line_buffer(char **buf, unsigned int **len)
{
	struct thread *t = get_current();

	if (t != NULL && sched_running() && !in_upcall()) {
		*buf = t->linebuf;
		*len = &t->linelen;
	} else {
		*buf = boot_linebuf;
		*len = &boot_linelen;
	}
}

void console_write_lines(const char *buf, size_t len)
{
	unsigned long flags = local_irq_save();
	char *lb;
	unsigned int *ll;

	line_buffer(&lb, &ll);
	while (len > 0) {
		const char *nl = memchr(buf, '\n', len);
		size_t seg = nl != NULL ? (size_t)(nl - buf) + 1 : len;

		if (*ll == 0 && nl != NULL) {
			/* A whole line: straight out, one hypercall. */
			console_write(buf, seg);
		} else {
			if (*ll + seg > THREAD_LINEBUF_SIZE) {
				console_write(lb, *ll);
				*ll = 0;
			}
			if (seg > THREAD_LINEBUF_SIZE) {
				console_write(buf, seg);
			} else {
				memcpy(lb + *ll, buf, seg);
				*ll += (unsigned int)seg;
				if (nl != NULL) {
					console_write(lb, *ll);
					*ll = 0;
				}
			}
		}
		buf += seg;
		len -= seg;
	}
	local_irq_restore(flags);
}

void console_flush(void)
{
	unsigned long flags = local_irq_save();
	char *lb;
	unsigned int *ll;

	line_buffer(&lb, &ll);
	if (*ll > 0) {
		console_write(lb, *ll);
		*ll = 0;
	}
	if (lb != boot_linebuf && boot_linelen > 0) {
		console_write(boot_linebuf, boot_linelen);
		boot_linelen = 0;
	}
	local_irq_restore(flags);
}

long console_read(char *buf, size_t len)
{
	long n;

	if (len == 0)
		return 0;
	if (len > VMM_CONSOLE_IO_MAX)
		len = VMM_CONSOLE_IO_MAX;
	console_flush();   /* show a pending prompt */
	for (;;) {
		unsigned long flags = local_irq_save();

		n = HYPERVISOR_console_io(VMM_CONSOLEIO_read, (int)len, buf);
		if (n == 0 || n == -VMM_EPERM) {
			/* Nothing typed yet, or we are not the foreground
			 * domain: wait for the console VIRQ port (with a timeout in
			 * case we become foreground without an event). */
			if (sched_running() && !in_upcall())
				(void)sleep_on(&console_chan, MILLISECS(n == 0 ? 200 : 500));
			else
				block_domain(NOW() + MILLISECS(10));
			local_irq_restore(flags);
			continue;
		}
		local_irq_restore(flags);
		break;
	}
	if (n > 0) {
		long i;

		for (i = 0; i < n; i++)
			if (buf[i] == '\r')
				buf[i] = '\n';
	}
	return n;
}

static void console_event(unsigned int port, struct vmm_trap_frame *f)
{
	(void)port;
	(void)f;
	wake_up(&console_chan);
}

void init_console(void)
{
	/* Unbuffered FILEs: every printf() becomes a single _write() (newlib's
	 * __sbprintf), and stdio keeps no shared buffer that preemption could
	 * corrupt. Lines are assembled per thread in console_write_lines(). */
	setvbuf(stdout, NULL, _IONBF, 0);
	setvbuf(stderr, NULL, _IONBF, 0);
	if (bind_virq(VMM_VIRQ_CONSOLE, console_event) < 0)
		printk("WARN: cannot bind the console port\n");
}
