#!/usr/bin/env python3
"""Writes the hand-made inputs of fuzz/fuzz_grant.c into fuzz/grant-seeds/:
sequences that set up a table, publish grants, map them read/write and
read-only from another domain, copy, unmap, and rewrite an entry in use.
Record: op, caller, a, b (u32 LE), c (u32 LE) -- see step() in fuzz_grant.c."""
import pathlib
import struct

def rec(op, caller, a, b, c):
    return bytes([op, caller, a]) + struct.pack('<II', b, c)

DOM1, DOM2, DOM3 = 3, 1, 2          # caller bytes selecting dom1, dom2, dom3
GRANT_DOM2_FRAME_OF_DOM1 = 0x01000200  # grantee dom2, a frame of dom1 (see fold rules)
MAP_FROM_DOM1 = 3 << 3               # a: map dom1's grant, read/write
setup = rec(0, DOM1, 0, 0, 4)
publish = lambda ref, flags: rec(1, DOM1, flags, ref, GRANT_DOM2_FRAME_OF_DOM1)
seeds = {
    'map_rw': setup + publish(2, 1) + rec(2, DOM2, MAP_FROM_DOM1, 2, 0),
    'map_ro_twice': setup + publish(3, 5) + rec(2, DOM2, MAP_FROM_DOM1 | 4, 3, 0) +
                    rec(2, DOM2, MAP_FROM_DOM1 | 4, 3, 2),
    'map_unmap': setup + publish(2, 1) + rec(2, DOM2, MAP_FROM_DOM1, 2, 0) + rec(3, DOM2, 0, 0, 0),
    'rewrite_in_use': setup + publish(2, 1) + rec(2, DOM2, MAP_FROM_DOM1, 2, 0) + publish(2, 5) +
                      rec(2, DOM2, MAP_FROM_DOM1 | 4, 2, 1),
    'copy_both_ways': setup + publish(2, 1) + rec(4, DOM2, 1 | (3 << 2), 2, 0) + rec(4, DOM2, 2 | 8, 0, 2),
}
out = pathlib.Path(__file__).resolve().parent / 'grant-seeds'
out.mkdir(exist_ok=True)
for name, data in seeds.items():
    (out / name).write_bytes(data)
