#!/bin/bash
# Prints the QEMU machine arguments of a libvmm firmware image, one per line:
#   qemu-args.sh <image.elf> [<bsp-dir>]
# From <image.elf>.qemu, which vmm_add_image() writes beside every image from
# its BSP's VMM_BSP_QEMU_ARGS; for an image without one, from
# <bsp-dir>/bsp.cmake read by CMake (bsp-qemu-args.cmake). Exit 2 if neither
# gives any argument (the board has no QEMU model).
set -u
image=$1 bsp=${2:-}
here=$(dirname "$0")
if [ -s "$image.qemu" ]; then
  exec cat "$image.qemu"
fi
if [ -n "$bsp" ]; then
  args=$(cmake -DBSP="$bsp" -P "$here/bsp-qemu-args.cmake") || exit 2
  if [ -n "$args" ]; then
    printf '%s\n' "$args"
    exit 0
  fi
fi
echo "qemu-args: no QEMU arguments for $image (no $image.qemu${bsp:+, no VMM_BSP_QEMU_ARGS in $bsp/bsp.cmake})" >&2
exit 2
