#!/bin/bash
# What QEMU cannot show (it models no branch predictor): the domain switch of
# an image invalidates the predictor. Checks the disassembly of one function:
#   check-switch-code.sh <objdump> <image.elf> <function> [--expect ERE]... [--reject ERE]...
# ERE is matched against the function's instruction lines (objdump -d).
set -u
objdump=$1 image=$2 fn=$3; shift 3
code=$("$objdump" -d "$image" | awk -v f="<$fn>:" '$2 == f { on = 1; next } on && /^$/ { exit } on')
[ -n "$code" ] || { echo "FAIL: no function $fn in $image"; exit 1; }
fail=0
while [ $# -gt 1 ]; do
  case $1 in
    --expect) grep -Eq -- "$2" <<<"$code" || { echo "FAIL: $fn: no '$2'"; fail=1; } ;;
    --reject) ! grep -Eq -- "$2" <<<"$code" || { echo "FAIL: $fn: has '$2'"; fail=1; } ;;
    *) echo "check-switch-code: bad argument $1"; exit 2 ;;
  esac
  shift 2
done
[ $# -eq 0 ] || { echo "check-switch-code: stray argument $1"; exit 2; }
[ $fail = 0 ] || printf '%s\n' "$code"
exit $fail
