#!/bin/bash
# Boots a libvmm firmware image in QEMU the way tests, demo and benchmarks do:
#   scripts/qemu-boot.sh <image.elf> <bsp-dir> [timeout-seconds]
# Console on stdio, semihosting on (the image's power-off sets QEMU's exit
# status), no network device, and -icount shift=0,sleep=off: virtual time
# advances one ns per guest instruction, so runs are deterministic and the PMU
# cycle counter counts instructions. The machine arguments are the BSP's
# VMM_BSP_QEMU_ARGS from <bsp-dir>/bsp.cmake. Exit status: QEMU's (124 on timeout).
set -u
image=$1 bsp=$2 limit=${3:-300}
args=$(sed -n 's/^set(VMM_BSP_QEMU_ARGS \(.*\))/\1/p' "$bsp/bsp.cmake")
[ -n "$args" ] || { echo "qemu-boot: no VMM_BSP_QEMU_ARGS in $bsp/bsp.cmake" >&2; exit 2; }
# shellcheck disable=SC2086 # the BSP's arguments are a word list
exec timeout --foreground --kill-after=5 "$limit" qemu-system-arm $args -nographic \
  -monitor none -serial stdio -nic none -semihosting-config enable=on,target=native \
  -icount shift=0,sleep=off -kernel "$image"
