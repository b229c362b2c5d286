#!/bin/bash
# Numeric checks on a scheduler test image's console log (run-image.sh --post).
#   check-bvt.sh share <log>    CPU times of w1:w2:w4 are 1:2:4 within 5%
#   check-bvt.sh warp <log>     latency domain woke within 100 us every time and the
#                               hog still got at least 90% of the CPU
#   check-bvt.sh nowarp <log>   the hog got at least 90% of the CPU (latency reported only)
set -u
mode=$1 log=$2
cpu() { # cpu <name>: CPU seconds of that domain from its "shut down" line
  sed -n "s/.*($1) shut down: [a-z]*, \([0-9.]*\) s CPU of \([0-9.]*\) s.*/\1 \2/p" "$log" | head -1
}
fail=0
case $mode in
  share)
    read -r c1 _ <<<"$(cpu w1)"; read -r c2 _ <<<"$(cpu w2)"; read -r c4 _ <<<"$(cpu w4)"
    [ -n "${c1:-}" ] && [ -n "${c2:-}" ] && [ -n "${c4:-}" ] || { echo "FAIL: missing CPU times"; exit 1; }
    awk -v a="$c1" -v b="$c2" -v c="$c4" 'BEGIN {
      r2 = b / a; r4 = c / a
      printf "share: w1 %.6f s, w2 %.6f s (x%.3f), w4 %.6f s (x%.3f)\n", a, b, r2, c, r4
      if (r2 < 2 * 0.95 || r2 > 2 * 1.05 || r4 < 4 * 0.95 || r4 > 4 * 1.05) { print "FAIL: not 1:2:4 within 5%"; exit 1 }
    }' || fail=1
    ;;
  warp|nowarp)
    read -r hog total <<<"$(cpu hog)"
    line=$(grep -Eo 'latency: wakes [0-9]+ max_ns [0-9]+ avg_ns [0-9]+' "$log" | head -1)
    [ -n "$line" ] && [ -n "${hog:-}" ] || { echo "FAIL: missing hog CPU time or latency line"; exit 1; }
    set -- $line
    max=$5 avg=$7
    echo "latency ($mode): max ${max} ns, avg ${avg} ns; hog CPU ${hog} s of ${total} s"
    awk -v h="$hog" -v t="$total" 'BEGIN { if (h < 0.9 * t) { print "FAIL: hog got less than 90% of the CPU"; exit 1 } }' || fail=1
    if [ "$mode" = warp ] && [ "$max" -gt 100000 ]; then
      echo "FAIL: a warped wake-up waited ${max} ns (more than a domain switch)"; fail=1
    fi
    ;;
  *) echo "check-bvt.sh: unknown mode $mode"; exit 2 ;;
esac
exit $fail
