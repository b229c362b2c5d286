#!/bin/bash
# Numeric check after every domain died (run-image.sh --post):
#   check-mem-returned.sh <log>
# The free memory after the last domain's storage went back equals the free
# memory before the first domain was built plus the guest payloads the image
# gave back after building: not one frame of any domain is lost.
set -u
log=$1
before=$(sed -n 's/.*\[VMM\] RAM: \([0-9]*\) KiB free before the domains are built.*/\1/p' "$log" | head -1)
payloads=$(sed -n 's/.*\[VMM\] RAM: \([0-9]*\) KiB of guest payloads given back.*/\1/p' "$log" | head -1)
after=$(sed -n 's/.*memory returned to the allocator (\([0-9]*\) KiB free).*/\1/p' "$log" | tail -1)
returned=$(grep -c 'memory returned to the allocator' "$log")
[ -n "$before" ] && [ -n "$payloads" ] && [ -n "$after" ] || { echo "FAIL: missing RAM lines"; exit 1; }
echo "free before the domains $before KiB + payloads $payloads KiB; after the last domain $after KiB ($returned domains returned)"
[ "$after" -eq $((before + payloads)) ] || { echo "FAIL: $((before + payloads - after)) KiB not returned"; exit 1; }
