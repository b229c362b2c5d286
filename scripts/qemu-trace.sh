#!/bin/bash
# Runs a firmware image in QEMU under -icount one instruction per translation
# block and leaves in <dir>: `trace` (-d exec: one line per executed block,
# i.e. per instruction) and `syms` (the image's code symbols, address and
# name, sorted). Shared by trace-profile.sh and trace-span.sh.
#   scripts/qemu-trace.sh <image.elf> <bsp-dir> <dir>
set -eu
image=$1 bsp=$2 dir=$3
args=()
mapfile -t args < <("$(dirname "$0")/qemu-args.sh" "$image" "$bsp")
[ ${#args[@]} -gt 0 ] || exit 2
timeout 300 qemu-system-arm "${args[@]}" -nographic -monitor none -serial null -nic none \
  -semihosting-config enable=on,target=native -icount shift=0,sleep=off \
  -singlestep -d exec,nochain -D "$dir/trace" -kernel "$image" </dev/null >/dev/null 2>&1 || true
arm-none-eabi-nm -n "$image" | awk '$2 ~ /^[tT]$/ { print $1, $3 }' >"$dir/syms"
