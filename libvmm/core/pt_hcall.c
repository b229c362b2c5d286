/*
 * mmu_update, update_va_mapping, mmuext_op and multicall (see pt_hcall.h).
 *
 * Batches are done in order and stop at the first refused request: the
 * requests before it stay done, it and the ones after it are untouched, and
 * `done` tells the guest how far it got.
 */
#include "pt_hcall.h"

#include <stddef.h>

#include "cold.h"
#include "log.h"
#include "vmm/abi.h"
#include "vmm/mmu.h"

#define REQ_SIZE ((uint32_t)sizeof(struct vmm_mmu_update))
#define EXT_SIZE ((uint32_t)sizeof(struct vmm_mmuext_op))
#define MC_SIZE  ((uint32_t)sizeof(struct vmm_multicall_entry))

#define reject(s, err, ...) vmm_reject((s)->domid, (s)->rejections_logged, (err), __VA_ARGS__)

/* True if an array of count elements of size bytes at va does not wrap past 4 GiB. */
static inline bool array_fits(uint32_t va, uint32_t count, uint32_t size)
{
	return count == 0 || (uint64_t)va + (uint64_t)count * size <= 0x100000000ull;
}

static inline bool is_self(uint32_t domid)
{
	return domid == VMM_DOMID_SELF;
}

/* The batch hypercall in progress has used its hypervisor time (pt_ops.over_budget). */
static inline bool over_budget(struct pt_space *s)
{
	return s->ops->over_budget && s->ops->over_budget(s->ctx);
}

/* Writes the done count if the guest asked for it. */
static int put_done(struct pt_space *s, uint32_t done, uint32_t n)
{
	return done ? s->ops->copy_to(s->ctx, done, &n, sizeof(n)) : 0;
}

/* Checks a batch's common arguments; 0 or the error (already logged). */
static long batch_check(struct pt_space *s, const char *name, uint32_t va, uint32_t count,
			uint32_t size, uint32_t max, uint32_t done, uint32_t domid)
{
	if (!is_self(domid))
		return reject(s, -VMM_EPERM, "%s: foreign domain 0x%x not supported", name, (unsigned)domid);
	if (count > max)
		return reject(s, -VMM_E2BIG, "%s: %u requests (max %u)", name, (unsigned)count, (unsigned)max);
	if (!array_fits(va, count, size))
		return reject(s, -VMM_EFAULT, "%s: requests at 0x%08x wrap the address space", name, (unsigned)va);
	if (put_done(s, done, 0))
		return reject(s, -VMM_EFAULT, "%s: done pointer 0x%08x outside domain memory", name, (unsigned)done);
	return 0;
}

static long mmu_update_one(struct pt_space *s, uint32_t reqs, uint32_t i)
{
	struct vmm_mmu_update req;
	int err;

	if (s->ops->copy_from(s->ctx, &req, reqs + i * REQ_SIZE, REQ_SIZE))
		return reject(s, -VMM_EFAULT, "mmu_update: request %u at 0x%08x outside domain memory",
			      (unsigned)i, (unsigned)(reqs + i * REQ_SIZE));
	/* an empty L2 entry -> a plain small page: a few dozen instructions (pt_table.c) */
	if ((req.ptr & VMM_MMU_CMD_MASK) == VMM_MMU_NORMAL_PT_UPDATE && pt_update_fast(s, req.ptr, req.val))
		return 0;
	if ((req.ptr & VMM_MMU_CMD_MASK) != VMM_MMU_NORMAL_PT_UPDATE)
		return reject(s, -VMM_EINVAL, "mmu_update: request %u: reserved command %u", (unsigned)i,
			      (unsigned)(req.ptr & VMM_MMU_CMD_MASK));
	err = pt_update(s, req.ptr & ~VMM_MMU_CMD_MASK, req.val);
	if (err)
		return reject(s, err, "mmu_update: request %u: entry 0x%08x value 0x%08x: %s", (unsigned)i,
			      (unsigned)req.ptr, (unsigned)req.val, s->why);
	return 0;
}

long pt_mmu_update(struct pt_space *s, uint32_t reqs, uint32_t count, uint32_t done, uint32_t domid)
{
	long err = batch_check(s, "mmu_update", reqs, count, REQ_SIZE, VMM_MMU_UPDATE_MAX, done, domid);
	uint32_t i;

	if (err)
		return err;
	for (i = 0; i < count; i++) {
		err = mmu_update_one(s, reqs, i);
		if (err)
			break;
	}
	pt_flush_pending(s);
	if (put_done(s, done, i))
		return reject(s, -VMM_EFAULT, "mmu_update: done pointer 0x%08x outside domain memory",
			      (unsigned)done);
	return err;
}

/* A flush request is one of the three values of VMM_UVMF_FLUSH_MASK's range, nothing else. */
static inline bool uvmf_valid(uint32_t flags)
{
	return flags == VMM_UVMF_NONE || flags == VMM_UVMF_INVLPG || flags == VMM_UVMF_TLB_FLUSH;
}

long pt_update_va_mapping(struct pt_space *s, uint32_t va, uint32_t val, uint32_t flags)
{
	int err;

	if (pt_update_va_fast(s, va, val, flags))
		return 0;
	if (!uvmf_valid(flags))
		return reject(s, -VMM_EINVAL, "update_va_mapping: bad flags 0x%x", (unsigned)flags);
	err = pt_update_va(s, va, val);
	if (err)
		return reject(s, err, "update_va_mapping: va 0x%08x value 0x%08x: %s", (unsigned)va,
			      (unsigned)val, s->why);
	/* A dropped mapping may be reachable through other addresses too: flush everything. */
	if (flags == VMM_UVMF_TLB_FLUSH || s->flush_pending) {
		s->flush_pending = false;
		s->ops->flush_all(s->ctx);
	} else if (flags == VMM_UVMF_INVLPG) {
		s->ops->flush_va(s->ctx, va);
	}
	return 0;
}

static long ext_fail(struct pt_space *s, int err, uint32_t i, const struct vmm_mmuext_op *op)
{
	return reject(s, err, "mmuext_op: op %u (cmd %u, arg 0x%x): %s (entry %u)", (unsigned)i,
		      (unsigned)op->cmd, (unsigned)op->arg1, s->why, (unsigned)s->why_index);
}

static long mmuext_one(struct pt_space *s, const struct vmm_mmuext_op *op, uint32_t i)
{
	int err;

	s->why = "";
	s->why_index = 0;
	if (op->cmd == VMM_MMUEXT_SYNC_ICACHE) {
		err = pt_sync_icache(s, op->arg1, op->arg2);
		return err ? reject(s, err, "mmuext_op: op %u: sync_icache 0x%08x+%u: %s", (unsigned)i,
				    (unsigned)op->arg1, (unsigned)op->arg2, s->why) : 0;
	}
	if (op->arg2 != 0)
		return reject(s, -VMM_EINVAL, "mmuext_op: op %u: arg2 0x%x must be 0", (unsigned)i,
			      (unsigned)op->arg2);
	switch (op->cmd) {
	case VMM_MMUEXT_PIN_L1_TABLE:
		err = pt_pin_l1(s, op->arg1);
		break;
	case VMM_MMUEXT_PIN_L2_TABLE:
		err = pt_pin_l2(s, op->arg1);
		break;
	case VMM_MMUEXT_UNPIN_TABLE:
		err = pt_unpin(s, op->arg1);
		break;
	case VMM_MMUEXT_NEW_BASEPTR:
		err = pt_set_base(s, op->arg1);
		break;
	case VMM_MMUEXT_TLB_FLUSH_LOCAL:
		s->flush_pending = false;
		s->ops->flush_all(s->ctx);
		return 0;
	case VMM_MMUEXT_INVLPG_LOCAL:
		if ((op->arg1 >> 20) >= s->hv_first)
			return reject(s, -VMM_EPERM, "mmuext_op: op %u: invlpg 0x%08x in the hypervisor's region",
				      (unsigned)i, (unsigned)op->arg1);
		s->ops->flush_va(s->ctx, op->arg1);
		return 0;
	default:
		return reject(s, -VMM_EINVAL, "mmuext_op: op %u: unknown command %u", (unsigned)i,
			      (unsigned)op->cmd);
	}
	return err ? ext_fail(s, err, i, op) : 0;
}

VMM_COLD long pt_mmuext_op(struct pt_space *s, uint32_t ops, uint32_t count, uint32_t done, uint32_t domid)
{
	long err = batch_check(s, "mmuext_op", ops, count, EXT_SIZE, VMM_MMUEXT_OP_MAX, done, domid);
	struct vmm_mmuext_op op;
	uint32_t i;

	if (err)
		return err;
	for (i = 0; i < count; i++) {
		if (i && over_budget(s)) {
			err = reject(s, -VMM_EAGAIN, "mmuext_op: stopped before op %u of %u: hypervisor time budget used",
				     (unsigned)i, (unsigned)count);
			break;
		}
		if (s->ops->copy_from(s->ctx, &op, ops + i * EXT_SIZE, EXT_SIZE)) {
			err = reject(s, -VMM_EFAULT, "mmuext_op: op %u at 0x%08x outside domain memory",
				     (unsigned)i, (unsigned)(ops + i * EXT_SIZE));
			break;
		}
		err = mmuext_one(s, &op, i);
		if (err)
			break;
	}
	pt_flush_pending(s);
	if (put_done(s, done, i))
		return reject(s, -VMM_EFAULT, "mmuext_op: done pointer 0x%08x outside domain memory",
			      (unsigned)done);
	return err;
}

int pt_multicall_allowed(uint32_t op)
{
	switch (op) {
	case VMM_HC_mmu_update:
	case VMM_HC_update_va_mapping:
	case VMM_HC_mmuext_op:
	case VMM_HC_memory_op:
	case VMM_HC_xen_version:
	case VMM_HC_console_io:
	case VMM_HC_set_timer_op:
		return 1;
	default:
		/* Nested multicalls, calls that do not return (restore_trap_frame,
		 * sched_op shutdown) or switch domains (sched_op) stay out. */
		return 0;
	}
}

long pt_multicall(struct pt_space *s, uint32_t calls, uint32_t count, pt_dispatch_fn dispatch, void *arg)
{
	struct vmm_multicall_entry e;
	uint32_t i;

	if (count > VMM_MULTICALL_MAX)
		return reject(s, -VMM_E2BIG, "multicall: %u calls (max %u)", (unsigned)count,
			      (unsigned)VMM_MULTICALL_MAX);
	if (!array_fits(calls, count, MC_SIZE))
		return reject(s, -VMM_EFAULT, "multicall: calls at 0x%08x wrap the address space",
			      (unsigned)calls);
	for (i = 0; i < count; i++) {
		uint32_t at = calls + i * MC_SIZE;

		/* The result written back unchanged first: a call never runs whose
		 * result cannot be stored (an entry in a page-table frame). */
		if (s->ops->copy_from(s->ctx, &e, at, MC_SIZE) ||
		    s->ops->copy_to(s->ctx, at + (uint32_t)offsetof(struct vmm_multicall_entry, result),
				    &e.result, sizeof(e.result)))
			return reject(s, -VMM_EFAULT, "multicall: call %u at 0x%08x outside domain memory",
				      (unsigned)i, (unsigned)at);
		if (i && over_budget(s)) {
			/* the entry was proven storable just above */
			e.result = (int32_t)reject(s, -VMM_EAGAIN,
						   "multicall: stopped before call %u of %u: hypervisor time budget used",
						   (unsigned)i, (unsigned)count);
			s->ops->copy_to(s->ctx, at + (uint32_t)offsetof(struct vmm_multicall_entry, result),
					&e.result, sizeof(e.result));
			return -VMM_EAGAIN;
		}
		if (pt_multicall_allowed(e.op))
			e.result = (int32_t)dispatch(arg, e.op, e.args);
		else
			e.result = (int32_t)reject(s, -VMM_EINVAL, "multicall: call %u: hypercall %u cannot be batched",
						   (unsigned)i, (unsigned)e.op);
		if (s->ops->copy_to(s->ctx, at + (uint32_t)offsetof(struct vmm_multicall_entry, result),
				    &e.result, sizeof(e.result)))
			return reject(s, -VMM_EFAULT, "multicall: call %u result outside domain memory", (unsigned)i);
	}
	return 0;
}
