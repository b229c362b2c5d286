#!/usr/bin/python3
"""A tiny mock of the libvmm hypervisor ABI (include/vmm/abi.h) that runs one
minios guest ELF in the Unicorn CPU emulator (Debian: python3-unicorn), to
smoke-test the guest side without the real hypervisor.

It is NOT the hypervisor: it implements the documented guest-visible
behaviour (start/shared info pages, console_io, set_callbacks, set_timer_op,
sched_op, xen_version, restore_trap_frame, upcall frame push) as read from
abi.h/guest_info.h. "Interrupts" happen after a random number of
instructions (timer expiry, optional spurious timer events), and system time
advances with the instruction count and is refreshed only where the ABI says.

  /usr/bin/python3 mockhv.py guest.elf [--cmdline rounds=3] [--spurious 0.3]
Exit status 0 iff the guest shut down with reason poweroff.
"""
import struct, sys, random, argparse
from unicorn import *
from unicorn.arm_const import *

BASE = 0xC0000000
SI_ADDR = BASE
START_ADDR = BASE + 0x1000
BOOT_STACK = BASE + 0x8000
SVC_IMM = 0x82

p = argparse.ArgumentParser()
p.add_argument('elf'); p.add_argument('--pages', type=int, default=256)
p.add_argument('--cmdline', default='rounds=3'); p.add_argument('--domid', type=int, default=1)
p.add_argument('--seed', type=int, default=1); p.add_argument('--ns-per-insn', type=int, default=10)
p.add_argument('--spurious', type=float, default=0.0, help='prob. of spurious timer event per slice')
p.add_argument('--max-insns', type=int, default=400_000_000)
p.add_argument('--magic', default='libvmm-1.0-arm-32')
p.add_argument('--input', default='')
a = p.parse_args()
rng = random.Random(a.seed)

data = open(a.elf, 'rb').read()
e_entry, e_phoff = struct.unpack_from('<II', data, 0x18)[0], struct.unpack_from('<I', data, 0x1c)[0]
e_phentsize, e_phnum = struct.unpack_from('<HH', data, 0x2a)
uc = Uc(UC_ARCH_ARM, UC_MODE_ARM)
memsize = a.pages * 4096
uc.mem_map(BASE, memsize)
img_lo, img_hi = 1 << 32, 0
for i in range(e_phnum):
    p_type, p_off, p_vaddr, p_paddr, p_filesz, p_memsz, p_flags, p_align = struct.unpack_from('<8I', data, e_phoff + i * e_phentsize)
    if p_type != 1: continue
    assert p_vaddr >= BASE + 0x8000 and p_vaddr + p_memsz <= BASE + memsize, hex(p_vaddr)
    uc.mem_write(p_vaddr, data[p_off:p_off + p_filesz])
    img_lo, img_hi = min(img_lo, p_vaddr), max(img_hi, p_vaddr + p_memsz)

def pad(s, n): s = s.encode(); return s + b'\0' * (n - len(s))
si = pad(a.magic, 32) + struct.pack('<8I', a.domid, a.pages, SI_ADDR, 0x3 if a.domid == 0 else 0, BASE, img_lo, img_hi, BOOT_STACK) + pad('dom%d' % a.domid, 16) + pad(a.cmdline, 128)
uc.mem_write(START_ADDR, si)

# shared info offsets
# (vmm/guest_info.h: vcpu_info = 4 bytes of flags, the 16-byte syscall save
# area, evtchn_pending_sel, the 40-byte time info)
OFF_PENDING, OFF_MASK, OFF_SEL, OFF_TVER, OFF_STIME = 0, 1, 20, 24, 32
OFF_EVP, OFF_EVM, OFF_WCVER, OFF_WCSEC, OFF_WCNSEC = 64, 64 + 128, 320, 324, 328
def r8(o): return uc.mem_read(SI_ADDR + o, 1)[0]
def w8(o, v): uc.mem_write(SI_ADDR + o, bytes([v]))
def r32(addr): return struct.unpack('<I', uc.mem_read(addr, 4))[0]
def w32(addr, v): uc.mem_write(addr, struct.pack('<I', v & 0xffffffff))
w8(OFF_MASK, 1)
w32(SI_ADDR + OFF_WCVER, 2); w32(SI_ADDR + OFF_WCSEC, 1700000000); w32(SI_ADDR + OFF_WCNSEC, 999_999_000)

now = 0            # true system time (ns)
timer = 0          # armed deadline
callback = None
out = {'buf': b''}
insns = 0
stats = {'upcalls': 0, 'hc': {}, 'blocks': 0}
inp = bytearray(a.input.encode())

def refresh_time():
    v = r32(SI_ADDR + OFF_TVER); w32(SI_ADDR + OFF_TVER, v + 1)
    uc.mem_write(SI_ADDR + OFF_STIME, struct.pack('<Q', now))
    w32(SI_ADDR + OFF_TVER, v + 2)

def set_pending(port):
    w = port // 32; b = port % 32
    w32(SI_ADDR + OFF_EVP + 4 * w, r32(SI_ADDR + OFF_EVP + 4 * w) | (1 << b))
    if not (r32(SI_ADDR + OFF_EVM + 4 * w) >> b) & 1:
        w32(SI_ADDR + OFF_SEL, r32(SI_ADDR + OFF_SEL) | (1 << w))
        w8(OFF_PENDING, 1)

def any_pending():
    for w in range(32):
        if r32(SI_ADDR + OFF_EVP + 4 * w) & ~r32(SI_ADDR + OFF_EVM + 4 * w) & 0xffffffff: return True
    return False

def check_timer():
    global timer
    if timer and now >= timer:
        timer = 0; set_pending(1)

REGS = [UC_ARM_REG_R0 + i for i in range(13)]
def get_ctx():
    return [uc.reg_read(r) for r in REGS] + [uc.reg_read(UC_ARM_REG_SP), uc.reg_read(UC_ARM_REG_LR), uc.reg_read(UC_ARM_REG_PC), uc.reg_read(UC_ARM_REG_CPSR)]

def in_domain(addr, n): return BASE <= addr and addr + n <= BASE + memsize

def set_ctx(ctx):
    for r, v in zip(REGS, ctx[:13]): uc.reg_write(r, v)
    uc.reg_write(UC_ARM_REG_SP, ctx[13]); uc.reg_write(UC_ARM_REG_LR, ctx[14])
    cpsr = (ctx[16] & 0xF80F0020) | 0x10
    uc.reg_write(UC_ARM_REG_CPSR, cpsr)
    # unicorn: PC bit 0 selects the Thumb state
    uc.reg_write(UC_ARM_REG_PC, (ctx[15] & ~1) | (1 if cpsr & 0x20 else 0))

def maybe_upcall():
    """On return to the guest: deliver a pending upcall if unmasked."""
    if callback is None or r8(OFF_MASK) or not r8(OFF_PENDING): return
    ctx = get_ctx()
    if (ctx[15] & 2) and not (ctx[16] & 0x20): print('MOCK-ERROR: interrupted pc=%x cpsr=%x' % (ctx[15], ctx[16])); bad[0] += 1
    sp = (ctx[13] - 68) & ~7
    assert in_domain(sp, 68), hex(sp)
    uc.mem_write(sp, struct.pack('<17I', *ctx))
    w8(OFF_MASK, 1)
    refresh_time()
    stats['upcalls'] += 1
    uc.reg_write(UC_ARM_REG_R0, sp); uc.reg_write(UC_ARM_REG_SP, sp)
    uc.reg_write(UC_ARM_REG_CPSR, 0x10 | (0x20 if callback & 1 else 0))
    uc.reg_write(UC_ARM_REG_PC, callback & ~1)

pending_svc = [None]
def hook_intr(uc_, intno, ud):
    pc = uc.reg_read(UC_ARM_REG_PC)
    pending_svc[0] = (intno, pc)
    uc.emu_stop()

uc.hook_add(UC_HOOK_INTR, hook_intr)

class Shutdown(Exception): pass

def hypercall():
    global timer, callback, now
    nr = uc.reg_read(UC_ARM_REG_R7)
    args = [uc.reg_read(UC_ARM_REG_R0 + i) for i in range(5)]
    stats['hc'][nr] = stats['hc'].get(nr, 0) + 1
    ret = 0
    if nr == 18:  # console_io
        cmd, cnt, buf = args[:3]
        if cmd == 0:
            if cnt > 4096: ret = -7
            elif not in_domain(buf, cnt): ret = -14
            else:
                out['buf'] += bytes(uc.mem_read(buf, cnt)); ret = cnt
                while b'\n' in out['buf']:
                    line, out['buf'] = out['buf'].split(b'\n', 1)
                    print('[dom%d] %s' % (a.domid, line.decode(errors='replace')), flush=True)
        elif cmd == 1:
            n = min(cnt, len(inp)); uc.mem_write(buf, bytes(inp[:n])); del inp[:n]; ret = n
        else: ret = -22
        refresh_time()
    elif nr == 17: ret = (1 << 16) if args[0] == 0 else 0
    elif nr == 4:
        if not in_domain(args[0], 4): ret = -14
        else: callback = args[0]
    elif nr == 15:
        timer = args[0] | (args[1] << 32); check_timer(); refresh_time()
    elif nr == 29:
        cmd = args[0]
        if cmd == 2:
            raise Shutdown(args[1])
        if cmd == 1:
            stats['blocks'] += 1
            if not any_pending():
                if timer == 0:
                    if inp: set_pending(2)
                    else:
                        print('MOCK: domain blocked forever (no timer, no event)'); raise Shutdown(99)
                else:
                    now = max(now, timer); check_timer()
        refresh_time()
    elif nr == 23:
        f = args[0]
        if not in_domain(f, 68): ret = -14
        else:
            ctx = list(struct.unpack('<17I', uc.mem_read(f, 68)))
            if (ctx[15] & 2) and not (ctx[16] & 0x20): print('MOCK-ERROR: restore of frame %x: pc=%x with cpsr=%x' % (f, ctx[15], ctx[16])); bad[0] += 1
            set_ctx(ctx); w8(OFF_MASK, 0)
            return None  # no r0 write
    else: ret = -38
    uc.reg_write(UC_ARM_REG_R0, ret & 0xffffffff)
    return ret

uc.reg_write(UC_ARM_REG_CPSR, 0x10)
uc.reg_write(UC_ARM_REG_R0, START_ADDR); uc.reg_write(UC_ARM_REG_SP, BOOT_STACK)
uc.reg_write(UC_ARM_REG_PC, e_entry)
refresh_time()
code = None
hist = []
bad = [0]
try:
    while insns < a.max_insns:
        pc = uc.reg_read(UC_ARM_REG_PC); cpsr = uc.reg_read(UC_ARM_REG_CPSR)
        assert (cpsr & 0x1f) == 0x10, 'mode %x' % cpsr
        n = rng.randint(20, 4000)
        pending_svc[0] = None
        hist.append((pc, cpsr, n, uc.reg_read(UC_ARM_REG_SP))); del hist[:-6]
        uc.emu_start(pc | (1 if cpsr & 0x20 else 0), 0xFFFFFFFF, count=n)
        # approximate instruction count by n (upper bound)
        insns += n; now += n * a.ns_per_insn
        _pc = uc.reg_read(UC_ARM_REG_PC); _cpsr = uc.reg_read(UC_ARM_REG_CPSR)
        if (_pc & 2) and not (_cpsr & 0x20): print('MOCK-ERROR: Thumb pc in ARM state: pc=%x cpsr=%x' % (_pc, _cpsr)); bad[0] += 1
        check_timer()
        if rng.random() < a.spurious: set_pending(1)
        if pending_svc[0] is not None:
            intno, pc = pending_svc[0]
            cpsr = uc.reg_read(UC_ARM_REG_CPSR)
            if intno != 2: raise RuntimeError('exception %d at %x' % (intno, pc))
            if cpsr & 0x20:
                imm = uc.mem_read(pc - 2, 2)[0]
            else:
                imm = uc.mem_read(pc - 4, 1)[0]
            if imm != SVC_IMM: raise RuntimeError('svc #%x at %x' % (imm, pc))
            hypercall()
        maybe_upcall()
except Shutdown as s:
    code = s.args[0]
except UcError as e:
    print('MOCK: UcError %s pc=%x lr=%x sp=%x cpsr=%x' % (e, uc.reg_read(UC_ARM_REG_PC), uc.reg_read(UC_ARM_REG_LR), uc.reg_read(UC_ARM_REG_SP), uc.reg_read(UC_ARM_REG_CPSR)))
    code = -1
    for h in hist: print('MOCK-HIST: start pc=%x cpsr=%x n=%d sp=%x' % h)
if out['buf']: print('[dom%d] %s (partial)' % (a.domid, out['buf'].decode(errors='replace')))
print('MOCK: shutdown reason=%s insns~%d now=%.3fms upcalls=%d blocks=%d hc=%s' % (code, insns, now / 1e6, stats['upcalls'], stats['blocks'], stats['hc']))
sys.exit(0 if code == 0 and bad[0] == 0 else 1)
