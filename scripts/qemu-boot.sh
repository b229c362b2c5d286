#!/bin/bash
# Boots a libvmm firmware image in QEMU the way tests, demo and benchmarks do:
#   qemu-boot.sh <image.elf> [<bsp-dir>] [timeout-seconds]
# Console on stdio, semihosting on (the image's power-off sets QEMU's exit
# status), no network device, and -icount shift=0,sleep=off: virtual time
# advances one ns per guest instruction, so runs are deterministic and the PMU
# cycle counter counts instructions. The machine arguments are the BSP's
# VMM_BSP_QEMU_ARGS, read by CMake (see qemu-args.sh): from <image.elf>.qemu,
# else from <bsp-dir>/bsp.cmake. Exit status: QEMU's (124 on timeout, 2 if the
# board has no QEMU arguments).
set -u
image=$1 bsp=${2:-} limit=${3:-300}
args=()
mapfile -t args < <("$(dirname "$0")/qemu-args.sh" "$image" "$bsp")
[ ${#args[@]} -gt 0 ] || exit 2
exec timeout --foreground --kill-after=5 "$limit" qemu-system-arm "${args[@]}" -nographic \
  -monitor none -serial stdio -nic none -semihosting-config enable=on,target=native \
  -icount shift=0,sleep=off -kernel "$image"
