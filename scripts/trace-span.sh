#!/bin/bash
# Where do the instructions of one measured span go? Like trace-profile.sh
# (QEMU one instruction per translation block, -d exec), but counts only
# between two program counters: from each execution of START (not counted)
# to the next execution of END (not counted), both guest or hypervisor
# addresses, and prints the average instructions per function over the
# spans after the first SKIP (warm-up).
#   scripts/trace-span.sh <image.elf> <bsp-dir> <start-pc> <end-pc> [skip]
# Example (the event-channel benchmark's send -> upcall handler span: from
# ping's PMCCNTR reset to pong's handler; see the guest's disassembly):
#   g=build/arm/test/qemu/evtchn.elf
#   scripts/trace-span.sh build/arm/test/qemu/bench-evtchn-qemu-virt.elf bsp/qemu-virt \
#     $(arm-none-eabi-objdump -d $g | awk '/mcr\t15, 0, .*cr9, cr13, \{0\}/ {sub(":","",$1); print $1; exit}') \
#     $(arm-none-eabi-nm $g | awk '$3 == "pong_upcall" {print $1}')
# Guest instructions are counted under "(guest)".
set -eu
image=$1 bsp=$2 start=$3 end=$4 skip=${5:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$(dirname "$0")/qemu-trace.sh" "$image" "$bsp" "$work"
awk -v start="$start" -v end="$end" -v skip="$skip" '
  function hex(s,   i, v) { v = 0; s = tolower(s); sub(/^0x/, "", s)
    for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
    return v }
  BEGIN { S = hex(start); E = hex(end) }
  NR == FNR { addr[n] = hex($1); name[n] = $2; n++; next }
  match($0, /\[[0-9a-f]+\/[0-9a-f]+\//) {
    split(substr($0, RSTART + 1, RLENGTH - 2), f, "/"); pc = hex(f[2])
    if (pc == S) { on = 1; runs++; next }
    if (!on) next
    if (pc == E) { on = 0; next }
    if (runs <= skip) next
    total++
    if (pc < 3758096384) { count["(guest)"]++; next }
    lo = 0; hi = n - 1
    while (lo < hi) { mid = int((lo + hi + 1) / 2); if (addr[mid] <= pc) lo = mid; else hi = mid - 1 }
    count[name[lo]]++
  }
  END {
    k = runs - skip
    if (k <= 0) { print "no span after the warm-up (start seen " runs + 0 " times)"; exit 1 }
    printf "per span (%d spans): %.1f instructions\n", k, total / k
    for (s in count) printf "%8.1f  %s\n", count[s] / k, s | "sort -rn"
  }' "$work/syms" "$work/trace"
