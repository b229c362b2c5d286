#!/usr/bin/env python3
"""Compares Mini-OS's HMAC-SHA256 (through hmac_tool) with Python's hmac module
on seeded random keys and messages of every length around the block size,
plus long keys and messages. Exit 0 only if every MAC matches."""
import hashlib
import hmac
import random
import subprocess
import sys

rng = random.Random(4231)
cases = []
for klen in (0, 1, 31, 32, 63, 64, 65, 131, 200):
    for mlen in list(range(0, 130)) + [255, 256, 257, 1000, 4096, 5000]:
        cases.append((rng.randbytes(klen), rng.randbytes(mlen)))
inp = "".join(f"{k.hex()} {m.hex()}\n" for k, m in cases)
out = subprocess.run([sys.argv[1]], input=inp, capture_output=True, text=True, check=True).stdout.split()
if len(out) != len(cases):
    sys.exit(f"hmac_tool answered {len(out)} of {len(cases)} cases")
bad = [(k, m) for (k, m), got in zip(cases, out) if hmac.new(k, m, hashlib.sha256).hexdigest() != got]
for k, m in bad[:5]:
    print(f"mismatch: key {len(k)} bytes, message {len(m)} bytes")
print(f"{len(cases) - len(bad)}/{len(cases)} MACs match Python's hmac")
sys.exit(1 if bad else 0)
