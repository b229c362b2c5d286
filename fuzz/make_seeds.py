#!/usr/bin/env python3
"""Writes fuzz/seeds/*: hand-made record sequences for fuzz_pt.c (see its
decoding comments) that pin L2 and L1 tables, switch to them, map pages and
sections, and unpin, so the fuzzer starts from deep states."""
import os, struct

T = 0x10000000          # fold_table(): bits 31:28 != 0 selects a table frame (x % 64)
def table(k): return T | k
def entry(frame, index):  # fold_entry(): table frame k, entry index < 16
    return (T | (frame << 12)) | (index * 4)
def small(frame, rw):  # fold_value() case 1 with fold_frame() case 3 (x % 64) or 2
    # frame field is v >> 5 | (v & 0xE0000000); keep bits 31:29 = 0b011 (table range) or 0b010
    v = 0x60000000 | ((frame & 0x3F) << 5) | 1 | (8 if rw else 0)
    return v
def ptr(l2frame, sub):  # fold_value() case 4
    return 0x10000000 | (l2frame << 7) | (sub << 5) | 4
def section(n, rw):     # fold_value() case 3: section n (0, 1 the domain's, 2 other, 3 hypervisor)
    return (n << 8) | 3 | (8 if rw else 0)
def rec(op, a, b): return struct.pack('<BII', op, a, b)
def mmuext(cmd, arg): return rec(3, cmd, arg)
def mmu(e, v): return rec(0, e, v)
def uva(va, v, flags=0):  # op % 6 == 2, flags = op >> 6
    return rec(next(x for x in range(256) if x % 6 == 2 and x >> 6 == flags), va, v)

seeds = {
 'pin_map_unpin': [mmuext(1, table(8)), mmuext(0, table(0)), mmuext(5, table(0)),
                   mmu(entry(0, 0), ptr(8, 0)), mmu(entry(0, 1), ptr(8, 3)),
                   uva(0x00001000, small(20, True)), uva(0x00002000, small(21, False), 1),
                   mmu(entry(8, 5), small(22, True)), mmu(entry(8, 6), small(8, True)),
                   mmu(entry(0, 2), section(1, False)), mmu(entry(0, 3), section(1, True)),
                   uva(0x00001000, 0, 2), mmuext(4, table(8)), mmu(entry(0, 0), 0), mmu(entry(0, 1), 0),
                   mmuext(4, table(8))],
 'two_spaces': [mmuext(1, table(9)), mmuext(1, table(10)), mmuext(0, table(4)), mmuext(0, table(12)),
                mmuext(5, table(4)), mmu(entry(4, 0), ptr(9, 1)), mmu(entry(12, 0), ptr(9, 1)),
                mmu(entry(12, 1), ptr(10, 0)), uva(0x00003000, small(30, True)), mmuext(5, table(12)),
                uva(0x00105000, small(31, True)), mmuext(4, table(4)), rec(5, 0x00003000, small(32, True))],
 'writable_table': [mmuext(1, table(8)), mmuext(0, table(0)), mmuext(5, table(0)),
                    mmu(entry(0, 0), ptr(8, 0)), uva(0x00000000, small(16, True)),
                    mmuext(1, table(16)), uva(0x00000000, small(16, False)), mmuext(1, table(16)),
                    mmu(entry(0, 1), ptr(16, 2)), mmuext(4, table(16)), mmu(entry(0, 1), 0), mmuext(4, table(16))],
}
d = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'seeds')
os.makedirs(d, exist_ok=True)
for name, recs in seeds.items():
    with open(os.path.join(d, name), 'wb') as f:
        f.write(b''.join(recs))
