#!/bin/bash
# Boots the secure/rich example (examples/secure-rich: the thesis' secure and
# rich domain, grant-shared ring, event channel, access policy) in QEMU on the
# console and returns when the image powers off, with the image's exit status.
#   scripts/run-demo.sh [target-build-dir] [board] [example]
#     defaults: build/arm qemu-virt secure-rich; example two-domain boots thesis Figure 8.1
set -eu
here=$(dirname "$0")
build=${1:-build/arm}
board=${2:-qemu-virt}
example=${3:-secure-rich}
case "$example" in
  secure-rich|two-domain) ;;
  *) echo "run-demo: unknown example '$example' (secure-rich or two-domain)" >&2; exit 2 ;;
esac
image=$build/examples/$example/$example-$board.elf
[ -f "$image" ] || { echo "run-demo: no image $image (run 'make target')" >&2; exit 2; }
echo "run-demo: booting $image"
exec "$here/qemu-boot.sh" "$image" "$here/../bsp/$board"
