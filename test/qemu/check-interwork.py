#!/usr/bin/env python3
"""ARM/Thumb interworking in a firmware image (cold C code is Thumb-2, the
rest ARM; libvmm/CMakeLists.txt, VMM_SIZE_SOURCES):
  check-interwork.py <readelf> <objdump> <image.elf> [--arm SYM]... [--thumb SYM]...
Every direct branch must reach code of the right instruction set: B and BL
the same set as the branch, BLX <imm> the other one (the instruction set at
an address comes from the $a/$t/$d mapping symbols). --arm / --thumb: the
function SYM must be ARM / Thumb code (the hot paths stay ARM; a Thumb
function proves the check saw interworking at all)."""
import bisect
import re
import subprocess
import sys


def run(*cmd):
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def main():
    readelf, objdump, image = sys.argv[1:4]
    want = {'--arm': [], '--thumb': []}
    args = sys.argv[4:]
    while args:
        opt, sym, args = args[0], args[1], args[2:]
        want[opt].append(sym)

    maps, funcs = [], {}
    for line in run(readelf, '-sW', image).splitlines():
        f = line.split()
        if len(f) < 8 or not re.match(r'^[0-9]+:$', f[0]):
            continue
        value, kind, name = int(f[1], 16), f[3], f[7]
        if re.match(r'^\$[atd](\.|$)', name):
            maps.append((value, name[1]))
        elif kind == 'FUNC':
            funcs[name] = value
    maps.sort()
    starts = [a for a, _ in maps]

    def iset(addr):
        i = bisect.bisect_right(starts, addr) - 1
        return maps[i][1] if i >= 0 else '?'

    bad = []
    branch = re.compile(r'\s*([0-9a-f]+):\s+(?:[0-9a-f]{4,8} )+\s*(b|bl|blx|b[a-z]{2})(?:\.[wn])?\s+'
                        r'([0-9a-f]+) <([^>]+)>')
    count = 0
    for line in run(objdump, '-d', '-j', '.text', image).splitlines():
        m = branch.match(line)
        if not m:
            continue
        at, op, to, name = int(m.group(1), 16), m.group(2), int(m.group(3), 16), m.group(4)
        count += 1
        same = iset(at) == iset(to)
        if same == (op == 'blx'):
            bad.append(f'{at:08x} ({iset(at)}) {op} {to:08x} <{name}> ({iset(to)})')
    for opt, code in (('--arm', 'a'), ('--thumb', 't')):
        for sym in want[opt]:
            if sym not in funcs:
                bad.append(f'{sym}: no such function')
            elif iset(funcs[sym] & ~1) != code or (funcs[sym] & 1) != (code == 't'):
                bad.append(f'{sym}: not {opt[2:]} code')
    if bad:
        print(f'FAIL: {image}:')
        print('\n'.join(bad[:20]))
        return 1
    print(f'ok: {count} direct branches interwork in {image}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
