#!/bin/bash
# Boots the two-domain example (thesis Figure 8.1) in QEMU on the console and
# returns when the image powers off, with the image's exit status.
#   scripts/run-demo.sh [target-build-dir] [board]     (default: build/arm qemu-virt)
set -eu
build=${1:-build/arm}
board=${2:-qemu-virt}
image=$build/examples/two-domain/two-domain-$board.elf
bsp=$(dirname "$0")/../bsp/$board/bsp.cmake
[ -f "$image" ] || { echo "run-demo: no image $image (run 'make target')" >&2; exit 2; }
# The QEMU machine arguments are the BSP's VMM_BSP_QEMU_ARGS.
args=$(sed -n 's/^set(VMM_BSP_QEMU_ARGS \(.*\))/\1/p' "$bsp")
echo "run-demo: qemu-system-arm $args -kernel $image"
exec timeout --foreground 300 qemu-system-arm $args -nographic -monitor none -serial stdio \
  -semihosting-config enable=on,target=native -icount shift=0,sleep=off -kernel "$image"
