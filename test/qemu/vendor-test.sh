#!/bin/bash
# Vendor integration tests: install this libvmm build as a CMake package into
# a fresh prefix, then use the package alone:
#   vendor-test.sh <libvmm-target-build-dir> <libvmm-source-dir>
#       builds the out-of-tree project examples/vendor against it (find_package,
#       vmm_add_image, a BSP shipped in the package, its own guest) and boots
#       the resulting firmware in QEMU;
#   vendor-test.sh <libvmm-target-build-dir> <libvmm-source-dir> --port-kit <bsp-dir>
#       runs the installed port kit, `<prefix>/bin/libvmm-port-test <bsp-dir>`
#       (the port tests built and booted for that BSP folder), after moving
#       the installed prefix elsewhere and through a symlink to the command.
set -eu
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd)
if [ "${3:-}" = --port-kit ]; then
  bsp=$4
  work=$build/portkit-test-$(basename "$(cd "$bsp" && pwd)")
  rm -rf "$work"
  # Installed, then moved (the package finds itself from where it is), and
  # run through a symlink to the command, as from a PATH directory.
  cmake --install "$build" --prefix "$work/staging" >/dev/null
  mv "$work/staging" "$work/prefix"
  mkdir -p "$work/path"
  ln -s "$work/prefix/bin/libvmm-port-test" "$work/path/libvmm-port-test"
  # Nothing but the BSP folder: no variable, no path into this source tree.
  exec "$work/path/libvmm-port-test" --build-dir "$work/build" -j 1 "$bsp"
fi
work=$build/vendor-test
rm -rf "$work"
cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$src/examples/vendor" -B "$work/build" \
  -DCMAKE_TOOLCHAIN_FILE="$work/prefix/lib/cmake/libvmm/arm-none-eabi.cmake" \
  -DCMAKE_PREFIX_PATH="$work/prefix" >"$work.configure.log" 2>&1 || { cat "$work.configure.log"; exit 1; }
cmake --build "$work/build" >"$work.build.log" 2>&1 || { cat "$work.build.log"; exit 1; }
exec "$work/prefix/share/libvmm/scripts/run-image.sh" --image "$work/build/vendor-firmware.elf" \
  --exit 0 --timeout 60 --log "$work.log" \
  --expect '\[dom0\] vendor app: hello from domain 0 \(rich, role=rich\)' \
  --expect '\[dom1\] vendor app: hello from domain 1 \(secure, role=secure\)' \
  --expect '\[VMM\] all domains shut down cleanly' --reject PANIC
