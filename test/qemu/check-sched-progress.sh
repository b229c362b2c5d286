#!/bin/bash
# check-sched-progress.sh <log>: in the sched-dos image's log, the victim
# (dom1) printed "victim: alive" between every "[dom0] phase N start" and
# "[dom0] phase N end" (it kept running whatever the attacker set), and
# every phase ended.
set -u
log=$1
awk '
  /\[dom0\] phase [0-9]+ start/ { n = $3; open_phase = 1; alive = 0; started[n] = 1; next }
  /\[dom1\] victim: alive/ { if (open_phase) alive++; next }
  /\[dom0\] phase [0-9]+ end/ {
    n = $3; open_phase = 0; ended[n] = 1
    printf "phase %s: victim printed %d time(s)\n", n, alive
    if (alive == 0) { print "FAIL: the victim did not run in phase " n; bad = 1 }
  }
  END {
    for (i = 1; i <= 4; i++) if (!(i in ended)) { print "FAIL: phase " i " did not end"; bad = 1 }
    exit bad
  }' "$log"
