#!/bin/bash
# Numeric check of the long-uptime sleep test (run-image.sh --post):
#   check-storm.sh <refresh_ms|0> <log>
# No sleep woke early, and the hypervisor took at most one timer interrupt
# per sleep, plus one per refresh period of the run on a board that refreshes
# published time (refresh_ms > 0), plus 2 (boot and power-off).
set -u
refresh=$1 log=$2
line=$(grep -Eo 'sleep: [0-9]+ sleeps, [0-9]+ early, [0-9]+ ms' "$log" | head -1)
irqs=$(sed -n 's/.*\[VMM\] timer interrupts: \([0-9]*\).*/\1/p' "$log" | head -1)
[ -n "$line" ] && [ -n "$irqs" ] || { echo "FAIL: missing sleep or interrupt line"; exit 1; }
set -- $line
sleeps=$2 early=$4 ms=$6
allowed=$((sleeps + 2))
[ "$refresh" -gt 0 ] && allowed=$((allowed + ms / refresh + 1))
echo "sleep: $sleeps sleeps, $early early, $ms ms, $irqs timer interrupts (at most $allowed)"
[ "$early" -eq 0 ] || { echo "FAIL: $early early wake-ups"; exit 1; }
[ "$irqs" -le "$allowed" ] || { echo "FAIL: interrupt storm"; exit 1; }
