#!/bin/bash
# Where do the instructions go? Runs a firmware image in QEMU one instruction
# per translation block (-singlestep -d exec), maps every executed pc to its
# function (nm) and prints the average instructions per function between
# consecutive entries of a marker function, over entries FROM..TO.
#   scripts/trace-profile.sh <image.elf> <bsp-dir> [marker] [from] [to]
# Example (one switching yield of the domain-switch benchmark):
#   scripts/trace-profile.sh build/arm/test/qemu/bench-switch-qemu-virt.elf bsp/qemu-virt vector_svc 20 100
# Guest instructions are counted under "(guest)".
set -eu
image=$1 bsp=$2 marker=${3:-vector_svc} from=${4:-20} to=${5:-100}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$(dirname "$0")/qemu-trace.sh" "$image" "$bsp" "$work"
awk -v marker="$marker" -v from="$from" -v to="$to" '
  function hex(s,   i, v) { v = 0; s = tolower(s)
    for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
    return v }
  NR == FNR { addr[n] = hex($1); name[n] = $2; if ($2 == marker) mark = addr[n]; n++; next }
  match($0, /\[[0-9a-f]+\/[0-9a-f]+\//) {
    split(substr($0, RSTART + 1, RLENGTH - 2), f, "/"); pc = hex(f[2])
    if (pc == mark) entries++
    if (entries < from || entries >= to) next
    if (pc < 3758096384) { count["(guest)"]++; next }
    lo = 0; hi = n - 1
    while (lo < hi) { mid = int((lo + hi + 1) / 2); if (addr[mid] <= pc) lo = mid; else hi = mid - 1 }
    count[name[lo]]++; total++
  }
  END {
    k = to - from
    printf "per %s entry (%d entries): %.1f hypervisor instructions, %.1f guest\n", marker, k, total / k, count["(guest)"] / k
    for (s in count) if (s != "(guest)") printf "%8.1f  %s\n", count[s] / k, s | "sort -rn"
  }' "$work/syms" "$work/trace"
