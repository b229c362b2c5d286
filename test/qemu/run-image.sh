#!/bin/bash
# Boots a firmware image in QEMU and checks its console output and exit code.
#   run-image.sh --image IMG [--bsp BSP-DIR] --exit CODE [--timeout S] [--log FILE]
#                [--expect REGEX]... [--reject REGEX]... [--wallclock] [--interleave]
#                [--post CMD]
# QEMU is started by scripts/qemu-boot.sh (-icount shift=0,sleep=off, so runs
# are deterministic in guest instructions; the timeout only guards against hangs),
# with the machine arguments vmm_add_image() wrote beside IMG (or those of
# BSP-DIR/bsp.cmake). Installed, this script and qemu-boot.sh share a folder.
# --expect: each regex must match some line; --reject: no line may match.
# --wallclock: the guests' "time of day = YYYY-MM-DD HH:MM:SS" lines must be
#              within 60 s of the host clock.
# --input TEXT: typed on the console (with a newline) once the image has booted.
# --post CMD:  after the run, CMD <log> must exit 0 (numeric checks).
# --interleave: lines "[dom0] N Thread" and "[dom1] N Thread" must alternate at
#              least 4 times between the domains (both really ran concurrently).
set -u
image= bsp= want_exit=0 timeout=120 log=$(mktemp) wallclock=0 interleave=0 post= input=
expects=() rejects=()
while [ $# -gt 0 ]; do
  case "$1" in
    --image) image=$2; shift 2 ;;
    --bsp) bsp=$2; shift 2 ;;
    --exit) want_exit=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --log) log=$2; shift 2 ;;
    --expect) expects+=("$2"); shift 2 ;;
    --reject) rejects+=("$2"); shift 2 ;;
    --wallclock) wallclock=1; shift ;;
    --interleave) interleave=1; shift ;;
    --post) post=$2; shift 2 ;;
    --input) input=$2; shift 2 ;;
    *) echo "run-image.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -f "$image" ] || { echo "run-image.sh: no image '$image'" >&2; exit 2; }

start=$(date +%s)
boot="$(dirname "$0")/qemu-boot.sh"
[ -x "$boot" ] || boot="$(dirname "$0")/../../scripts/qemu-boot.sh"
if [ -n "$input" ]; then
  # type the line once the guest prompts, then keep stdin open until QEMU exits
  { for _ in $(seq 100); do grep -q 'type a line' "$log" 2>/dev/null && break; sleep 0.1; done
    printf '%s\r' "$input"
    for _ in $(seq $((timeout * 5))); do grep -q 'powering off' "$log" && break; sleep 0.2; done
  } | "$boot" "$image" "$bsp" "$timeout" >"$log" 2>&1
  rc=${PIPESTATUS[1]}
else
  "$boot" "$image" "$bsp" "$timeout" </dev/null >"$log" 2>&1
  rc=$?
fi
fail=0
if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
  echo "FAIL: QEMU did not power off within ${timeout}s"; fail=1
elif [ "$rc" != "$want_exit" ]; then
  echo "FAIL: exit status $rc, expected $want_exit"; fail=1
fi
for re in "${expects[@]}"; do
  grep -Eq -- "$re" "$log" || { echo "FAIL: no line matches: $re"; fail=1; }
done
for re in "${rejects[@]}"; do
  if grep -Eq -- "$re" "$log"; then
    echo "FAIL: a line matches the forbidden: $re"; grep -E -- "$re" "$log" | head -5; fail=1
  fi
done
if [ $wallclock = 1 ]; then
  n=0
  while read -r stamp; do
    t=$(date -u -d "$stamp" +%s 2>/dev/null) || { echo "FAIL: bad time '$stamp'"; fail=1; continue; }
    now=$(date +%s)
    if [ $t -lt $((start - 60)) ] || [ $t -gt $((now + 60)) ]; then
      echo "FAIL: guest time $stamp is not within a minute of the host clock"; fail=1
    fi
    n=$((n + 1))
  done < <(grep -Eo 'time of day = [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}' "$log" | sed 's/time of day = //')
  [ $n -gt 0 ] || { echo "FAIL: no 'time of day = ' line"; fail=1; }
fi
if [ $interleave = 1 ]; then
  switches=$(grep -Eo '^\[dom[0-9]+\] (After )?[0-9] Thread' "$log" | cut -d' ' -f1 | uniq | wc -l)
  if [ "$switches" -lt 5 ]; then
    echo "FAIL: thread lines of the domains alternate only $switches times"; fail=1
  fi
fi
if [ -n "$post" ]; then
  $post "$log" || fail=1
fi
if [ $fail != 0 ]; then
  echo "---- console of $image (last 60 lines) ----"; tail -n 60 "$log"
  exit 1
fi
echo "PASS: $(basename "$image") exit $rc, $(wc -l <"$log") console lines"
