#!/bin/bash
# The hypervisor is FPU-free: no VFP/NEON instruction (v* mnemonics, cp10/cp11
# coprocessor accesses) in any object of a library except the lazy-VFP code
# itself (vfp.S), which alone may touch the domains' registers:
#   check-no-fpu.sh <objdump> <library.a> [--has-vfp]
# --has-vfp: the library must contain vfp.S (libvmm and its per-core copies).
set -u
objdump=$1 lib=$2 has_vfp=${3:-}
out=$("$objdump" -d "$lib" | awk -F'\t' '
  /file format/ { obj = $1; next }
  /^In archive/ { next }
  /^[0-9a-f]+ <.*>:$/ { fn = $0; next }
  NF >= 3 {
    m = $3
    if (obj ~ /vfp\.S\.obj/) next
    if (m ~ /^v[a-z]/ || ($3 ~ /^(mrc|mcr|ldc|stc|mrrc|mcrr)2?$/ && $4 ~ /^1[01],/))
      print obj " " fn " " $3 " " $4
  }')
if [ -n "$out" ]; then
  echo "FAIL: FPU instructions outside vfp.S in $lib:"
  printf '%s\n' "$out" | head -20
  exit 1
fi
# and vfp.S is really in there (else the exclusion above could hide anything)
if [ "$has_vfp" = --has-vfp ]; then
  "$objdump" -d "$lib" | grep -q "<arch_vfp_save>:" || { echo "FAIL: no arch_vfp_save in $lib"; exit 1; }
fi
echo "ok: no FPU instruction outside vfp.S in $lib"
