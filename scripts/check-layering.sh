#!/bin/bash
# The core's layering rules (README "Layout", docs/architecture.md), checked
# on the sources (run by ctest as static.layering):
#  - the hypercall dispatcher sits on top: no core file but hypercall.c and
#    main.c (which installs its tables) includes hypercall.h, so no subsystem
#    forms an include cycle with it (rejections come from reject.h, below);
#  - the core is board-neutral: no board conditional in libvmm/.
# Prints each offending line; exit 1 if there is one.
set -u
cd "$(dirname "$0")/.."
bad=0
while IFS= read -r hit; do
  file=${hit%%:*}
  case "$(basename "$file")" in
    hypercall.c | main.c) ;;
    *) echo "layering: $hit (subsystems must not include the dispatcher)"; bad=1 ;;
  esac
done < <(grep -rn '#include "hypercall.h"' libvmm)
if grep -rnE '^[[:space:]]*#[[:space:]]*(if|ifdef|ifndef|elif).*(BOARD|BSP_)' libvmm; then
  echo "layering: board conditionals in libvmm/ (resolve variation through the port layer)"
  bad=1
fi
[ "$bad" = 0 ] && echo "layering: ok"
exit "$bad"
