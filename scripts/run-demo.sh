#!/bin/bash
# Boots the two-domain example (thesis Figure 8.1) in QEMU on the console and
# returns when the image powers off, with the image's exit status.
#   scripts/run-demo.sh [target-build-dir] [board]     (default: build/arm qemu-virt)
set -eu
here=$(dirname "$0")
build=${1:-build/arm}
board=${2:-qemu-virt}
image=$build/examples/two-domain/two-domain-$board.elf
[ -f "$image" ] || { echo "run-demo: no image $image (run 'make target')" >&2; exit 2; }
echo "run-demo: booting $image"
exec "$here/qemu-boot.sh" "$image" "$here/../bsp/$board"
