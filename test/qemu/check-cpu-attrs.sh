#!/bin/bash
# Checks the ARM build attributes of an image or library (readelf -A):
#   check-cpu-attrs.sh <readelf> <file> [--expect TEXT]... [--reject TEXT]...
# Fails if an --expect text is missing or a --reject text is present.
set -u
readelf=$1 file=$2; shift 2
attrs=$("$readelf" -A "$file") || { echo "FAIL: readelf -A $file"; exit 1; }
fail=0
while [ $# -gt 1 ]; do
  case $1 in
    --expect) grep -qF -- "$2" <<<"$attrs" || { echo "FAIL: $file: no '$2'"; fail=1; } ;;
    --reject) ! grep -qF -- "$2" <<<"$attrs" || { echo "FAIL: $file: has '$2'"; fail=1; } ;;
    *) echo "check-cpu-attrs: bad argument $1"; exit 2 ;;
  esac
  shift 2
done
[ $# -eq 0 ] || { echo "check-cpu-attrs: stray argument $1"; exit 2; }
exit $fail
