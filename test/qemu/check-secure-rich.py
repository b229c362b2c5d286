#!/usr/bin/env python3
"""--post check of the secure/rich example's log: every MAC the rich domain
printed must equal HMAC-SHA256 computed here, with Python's hmac module,
under the key in examples/secure-rich/demo_key.h, over the message the line
names (inline text in quotes, or "long:N" = bytes (i * 7 + 1) & 0xff).
All five messages must be there. Usage: check-secure-rich.py <log>"""
import hashlib
import hmac
import pathlib
import re
import sys

here = pathlib.Path(__file__).resolve().parent
key_h = (here / "../../examples/secure-rich/demo_key.h").read_text()
key = re.search(r'#define SR_DEMO_KEY "([^"]*)"', key_h).group(1).encode()
log = pathlib.Path(sys.argv[1]).read_text(errors="replace")
seen = {}
for m in re.finditer(r'\[dom1\] rich: MAC (\d+) (?:"(.*)"|long:(\d+)) = ([0-9a-f]{64})', log):
    idx, text, long_len, mac = m.groups()
    msg = text.encode() if text is not None else bytes((i * 7 + 1) & 0xFF for i in range(int(long_len)))
    want = hmac.new(key, msg, hashlib.sha256).hexdigest()
    if mac != want:
        sys.exit(f"MAC {idx}: got {mac}, Python's hmac says {want}")
    seen[int(idx)] = mac
if sorted(seen) != [0, 1, 2, 3, 4]:
    sys.exit(f"expected MACs 0..4, found {sorted(seen)}")
print(f"check-secure-rich: {len(seen)} MACs match Python's hmac")
