#!/bin/bash
# BSP path spellings and QEMU arguments over several lines, in the tree:
# configures test/oot-bsp/spellings (its checks run at configure time), then
# checks the QEMU argument file written beside an image and the bsp.cmake
# reader, that a whole-tree build takes VMM_TEST_BSPS spelled any way, and
# that a second folder of the same name and a folder without
# bsp.cmake are refused with a clear error; and that libvmm-port-test refuses
# bad usage (exit 2) before building anything.
#   spellings-test.sh <libvmm-source-dir> <work-dir> <libvmm-target-build-dir>
set -u
src=$(cd "$1" && pwd) work=$2 build=$3
rm -rf "$work"
mkdir -p "$work"
configure() { # configure <build> [-D...]: the spellings project
  local b=$1; shift
  cmake -S "$src/test/oot-bsp/spellings" -B "$b" -DLIBVMM_SOURCE_DIR="$src" \
    -DCMAKE_TOOLCHAIN_FILE="$src/cmake/arm-none-eabi.cmake" "$@" >"$b.log" 2>&1
}
fail=0
if ! configure "$work/ok"; then
  echo "FAIL: spellings project did not configure:"; tail -20 "$work/ok.log"; fail=1
fi
want=$'-M\nvirt\n-cpu\ncortex-a15\n-m\n64M'
for n in 1 5; do
  got=$(cat "$work/ok/img$n.elf.qemu" 2>/dev/null)
  [ "$got" = "$want" ] || { echo "FAIL: img$n.elf.qemu is '$got'"; fail=1; }
done
got=$("$src/scripts/qemu-args.sh" "$work/no-such-image.elf" "$src/test/oot-bsp/../oot-bsp/acme-virt/")
[ "$got" = "$want" ] || { echo "FAIL: qemu-args.sh read '$got' from bsp.cmake"; fail=1; }
if configure "$work/conflict" -DSPELLINGS_CONFLICT=ON ||
   ! grep -q "two BSP folders are named 'acme-virt'" "$work/conflict.log"; then
  echo "FAIL: a second folder named acme-virt was not refused"; tail -20 "$work/conflict.log"; fail=1
fi
if configure "$work/nobsp" -DSPELLINGS_NO_BSP=ON || ! grep -q "has no bsp.cmake" "$work/nobsp.log"; then
  echo "FAIL: a folder without bsp.cmake was not refused"; tail -20 "$work/nobsp.log"; fail=1
fi
# The whole tree, with VMM_TEST_BSPS spelled relative to it, with `..` and
# trailing slashes: the images are named after the folders.
cmake -S "$src" -B "$work/tree" -DCMAKE_TOOLCHAIN_FILE="$src/cmake/arm-none-eabi.cmake" \
  "-DVMM_TEST_BSPS=bsp/qemu-virt/;test/oot-bsp/../oot-bsp/acme-virt/" >"$work/tree.log" 2>&1 ||
  { echo "FAIL: tree with VMM_TEST_BSPS spelled oddly did not configure"; tail -20 "$work/tree.log"; fail=1; }
for img in examples/two-domain/two-domain-qemu-virt examples/two-domain/two-domain-acme-virt \
           test/qemu/hostile-acme-virt test/qemu/echo-acme-virt; do
  [ -s "$work/tree/$img.elf.qemu" ] || { echo "FAIL: no image $img in the tree build"; fail=1; }
done

# libvmm-port-test (as configured for installation) refuses bad usage.
porttest=$build/libvmm-port-test   # configured, not yet installed (no x bit)
msg=$(bash "$porttest" 2>&1); rc=$?
[ $rc = 2 ] && [[ $msg == usage:* ]] ||
  { echo "FAIL: libvmm-port-test without a BSP: $rc '$msg'"; fail=1; }
msg=$(bash "$porttest" "$src/test" 2>&1); rc=$?
[ $rc = 2 ] && [[ $msg == *"no bsp.cmake in"* ]] ||
  { echo "FAIL: libvmm-port-test on a folder without bsp.cmake: $rc '$msg'"; fail=1; }
msg=$(bash "$porttest" --bogus "$src/test/oot-bsp/acme-virt" 2>&1); rc=$?
[ $rc = 2 ] && [[ $msg == *"unknown option --bogus"* ]] ||
  { echo "FAIL: libvmm-port-test took an unknown option: $rc '$msg'"; fail=1; }
msg=$(bash "$porttest" "$src/test/oot-bsp/acme-virt" "$src/test/oot-bsp/acme-virt" 2>&1); rc=$?
[ $rc = 2 ] || { echo "FAIL: libvmm-port-test took two BSP folders: $rc '$msg'"; fail=1; }
[ $fail = 0 ] && echo "PASS: $(grep -o 'bsp-spellings: .*' "$work/ok.log")"
exit $fail
