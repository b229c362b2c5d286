/*
 * libvmm Mini-OS: newlib system-call glue.
 *
 * stdin/stdout/stderr are the hypervisor console; there is no file system.
 * newlib here has no retargetable locks (stdio locking is a no-op), so:
 * stdout/stderr are unbuffered (see init_console) and the malloc lock
 * holds event upcalls, i.e. preemption, while the allocator runs.
 */
#include <errno.h>
#include <malloc.h>
#include <reent.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

#include <minios/os.h>
#include <minios/console.h>
#include <minios/mm.h>
#include <minios/time.h>

_READ_WRITE_RETURN_TYPE _write(int fd, const void *buf, size_t n)
{
	if (fd == STDOUT_FILENO || fd == STDERR_FILENO) {
		console_write_lines(buf, n);
		return (_READ_WRITE_RETURN_TYPE)n;
	}
	errno = EBADF;
	return -1;
}

_READ_WRITE_RETURN_TYPE _read(int fd, void *buf, size_t n)
{
	long rc;

	if (fd != STDIN_FILENO) {
		errno = EBADF;
		return -1;
	}
	rc = console_read(buf, n);
	if (rc < 0) {
		errno = EIO;
		return -1;
	}
	return (_READ_WRITE_RETURN_TYPE)rc;
}

void *_sbrk(ptrdiff_t incr)
{
	static uintptr_t brk;
	unsigned long flags = local_irq_save();
	uintptr_t old, new;

	if (brk == 0)
		brk = minios_heap_start;
	old = brk;
	new = old + (uintptr_t)incr;
	/* Past the boot memory the pages are populated and mapped on demand
	 * (minios/mm.h); a shrinking heap gives its grown pages back. */
	if (brk == 0 ||
	    (incr > 0 && (new > minios_heap_limit || new < old || minios_heap_map(new) != 0)) ||
	    (incr < 0 && (new < minios_heap_start || new > old))) {
		local_irq_restore(flags);
		errno = ENOMEM;
		return (void *)-1;
	}
	brk = new;
	if (incr < 0)
		minios_heap_unmap(new);
	local_irq_restore(flags);
	return (void *)old;
}

/* Recursive: newlib's allocator may re-enter it. */
static unsigned int malloc_lock_depth;
static unsigned long malloc_lock_flags;

void __malloc_lock(struct _reent *r)
{
	unsigned long flags = local_irq_save();

	(void)r;
	if (malloc_lock_depth++ == 0)
		malloc_lock_flags = flags;
}

void __malloc_unlock(struct _reent *r)
{
	(void)r;
	if (malloc_lock_depth > 0 && --malloc_lock_depth == 0)
		local_irq_restore(malloc_lock_flags);
}

int _gettimeofday(struct timeval *tv, void *tz)
{
	if (tv != NULL)
		minios_gettimeofday(tv);
	if (tz != NULL)
		memset(tz, 0, sizeof(struct timezone));
	return 0;
}

clock_t _times(struct tms *buf)
{
	clock_t ticks = (clock_t)(monotonic_clock() / (1000000000u / CLOCKS_PER_SEC));

	if (buf != NULL) {
		buf->tms_utime = ticks;
		buf->tms_stime = 0;
		buf->tms_cutime = 0;
		buf->tms_cstime = 0;
	}
	return ticks;
}

void _exit(int status)
{
	console_flush();
	minios_shutdown(status == 0 ? VMM_SHUTDOWN_poweroff : VMM_SHUTDOWN_crash);
}

int _getpid(void)
{
	return 1;
}

int _kill(int pid, int sig)
{
	if (pid == _getpid() && sig != 0)
		_exit(128 + sig);   /* abort() and friends */
	if (pid == _getpid())
		return 0;
	errno = ESRCH;
	return -1;
}

int _close(int fd)
{
	if (fd >= 0 && fd <= 2)
		return 0;
	errno = EBADF;
	return -1;
}

int _fstat(int fd, struct stat *st)
{
	if (fd >= 0 && fd <= 2) {
		memset(st, 0, sizeof(*st));
		st->st_mode = S_IFCHR;
		return 0;
	}
	errno = EBADF;
	return -1;
}

int _isatty(int fd)
{
	if (fd >= 0 && fd <= 2)
		return 1;
	errno = EBADF;
	return 0;
}

_off_t _lseek(int fd, _off_t off, int whence)
{
	(void)fd;
	(void)off;
	(void)whence;
	errno = ESPIPE;
	return -1;
}

int _open(const char *path, int flags, ...)
{
	(void)path;
	(void)flags;
	errno = ENOENT;
	return -1;
}

int _stat(const char *path, struct stat *st)
{
	(void)path;
	(void)st;
	errno = ENOENT;
	return -1;
}

int _unlink(const char *path)
{
	(void)path;
	errno = ENOENT;
	return -1;
}

int _link(const char *old, const char *new)
{
	(void)old;
	(void)new;
	errno = EMLINK;
	return -1;
}

int _fork(void)
{
	errno = ENOSYS;
	return -1;
}

int _wait(int *status)
{
	(void)status;
	errno = ECHILD;
	return -1;
}

int _execve(const char *name, char *const argv[], char *const env[])
{
	(void)name;
	(void)argv;
	(void)env;
	errno = ENOMEM;
	return -1;
}
