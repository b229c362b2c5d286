#!/bin/bash
# Vendor integration test: installs this libvmm build as a CMake package,
# builds the out-of-tree project examples/vendor against it (find_package,
# vmm_add_image, a BSP shipped in the package, its own guest) and boots the
# resulting firmware in QEMU.
#   vendor-test.sh <libvmm-target-build-dir> <libvmm-source-dir>
set -eu
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd)
work=$build/vendor-test
rm -rf "$work"
cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$src/examples/vendor" -B "$work/build" \
  -DCMAKE_TOOLCHAIN_FILE="$work/prefix/lib/cmake/libvmm/arm-none-eabi.cmake" \
  -DCMAKE_PREFIX_PATH="$work/prefix" >"$work.configure.log" 2>&1 || { cat "$work.configure.log"; exit 1; }
cmake --build "$work/build" >"$work.build.log" 2>&1 || { cat "$work.build.log"; exit 1; }
exec "$src/test/qemu/run-image.sh" --image "$work/build/vendor-firmware.elf" \
  --bsp "$work/prefix/share/libvmm/bsp/qemu-virt" --exit 0 --timeout 60 --log "$work.log" \
  --expect '\[dom0\] vendor app: hello from domain 0 \(rich, role=rich\)' \
  --expect '\[dom1\] vendor app: hello from domain 1 \(secure, role=secure\)' \
  --expect '\[VMM\] all domains shut down cleanly' --reject PANIC
