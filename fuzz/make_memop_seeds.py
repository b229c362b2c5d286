#!/usr/bin/env python3
"""Hand-made starting sequences for fuzz/fuzz_memop.c (records of 14 bytes:
op, sub, x, y, z as u32 LE). Folded values: pfn 250 + x % 20 when x >> 29
is 3."""
import os
import struct

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "memop-seeds")
PFN = lambda k: 0x60000000 + (k - 16) % 20  # fold_pfn -> 250 + k (0x60000000 % 20 == 16)
VA = lambda k: 0x60000000 | (k << 2)    # fold_va -> start of pfn 250 + k
FOREIGN = (0x100 << 3) | 7               # fold_mfn -> raw machine frame 0x100


def rec(op, sub, x=0, y=0, z=0):
    return struct.pack("<BBIII", op, sub, x & 0xFFFFFFFF, y & 0xFFFFFFFF, z & 0xFFFFFFFF)


def populate(k):
    return rec(0, 0, PFN(k), PFN(k), 0x80000000)


SEEDS = {
    # populate 256..259, pin 258 as an L2, then aim every result write at it
    "table_writes": b"".join([populate(6), populate(7), populate(8), populate(9),
                              rec(3, 1, PFN(8), 0, 0),
                              rec(6, 0, 2, FOREIGN, VA(8)),    # grant copy of a foreign mapping into the table
                              rec(6, 0, 2, PFN(6), VA(8)),     # of an own frame, no counts taken
                              rec(7, 1, VA(8)),                # bind_ipi result into it
                              rec(8, 1, 0, 0, VA(8)),          # multicall array in it
                              rec(9, 0, VA(8)), rec(10, 0, VA(8)),
                              rec(0, 0, PFN(9), PFN(9), 1 | (VA(8) << 1)),
                              rec(3, 2, PFN(8))]),
    # hook a pinned L2 into the L1, map and unmap pages through it, give frames back
    "map_and_give_back": b"".join([populate(6), populate(7), rec(3, 1, PFN(7)),
                                   rec(4, 1, 6, PFN(7), PFN(7)),
                                   rec(5, 0, 2, VA(6), PFN(6)), rec(1, 0, PFN(6), PFN(6), 0),
                                   rec(5, 0, 0, VA(6), 0), rec(1, 0, PFN(6), PFN(6), 0),
                                   rec(3, 2, PFN(7)), rec(1, 0, PFN(7), PFN(7), 0)]),
    # the shared-info pfn: unmap attempts, pin, give back
    "shared_info": b"".join([rec(3, 1, 0x40000000), rec(1, 0, 0x40000000, 0x40000000, 0),
                             rec(3, 0, 0x40000000, 0, 0), rec(5, 0, 0, 0x40000000 << 2 & 0xFFFFFFFF, 0)]),
    # multicalls of memory_op and page-table calls
    "multicall": b"".join([populate(3), rec(8, 0, VA(3), 0, 0x40000000), rec(8, 0x22, VA(3), PFN(3), 0x80000000)]),
}

os.makedirs(HERE, exist_ok=True)
for name, data in SEEDS.items():
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)
