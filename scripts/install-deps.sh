#!/bin/bash
# Installs the Debian packages the build and tests need, if any is missing.
# Runs as root on a fresh Debian 12 (CI, newcomers); as another user it only
# reports what is missing.
set -eu
packages=(
  gcc libc6-dev make cmake            # host build of the core and unit tests
  libcmocka-dev cppcheck              # unit tests, static analysis
  clang libclang-rt-14-dev            # libFuzzer harness (fuzz/, make fuzz)
  gcc-arm-none-eabi libnewlib-arm-none-eabi binutils-arm-none-eabi  # target build
  qemu-system-arm                     # integration tests, demo, benchmarks
  valgrind                            # host benchmarks (callgrind)
  python3                             # HMAC check against Python's hmac, fuzz seeds
)
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "install-deps: missing Debian packages: ${missing[*]} (run as root: apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
