#!/usr/bin/env bash
# Coverage-guided fuzzing of convlab's parsers with Jazzer (docs/RELIABILITY.md).
#   scripts/fuzz.sh [DURATION] [FuzzTestClass ...]
# DURATION per target, like 30s, 5m, 1h (default 1m). Targets default to every *FuzzTest class in core and sweep.
# A finding fails the run and is saved into that target's seed corpus folder
# (core/src/test/resources/<package>/<Class>Inputs/<method>/), so after the fix the normal test run
# replays it forever. The working corpus the fuzzer grows lives in core/.cifuzz-corpus/ (not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-env.sh
duration=${1:-1m}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(find core/src/test/java sweep/src/test/java -name '*FuzzTest.java' -exec basename {} .java \; | sort)
fi
status=0
for target in "${targets[@]}"; do
  log=$(mktemp "${TMPDIR:-/tmp}/convlab-fuzz-$target.XXXX.log")
  # -Dkernels256.skip: core's second (256-bit kernel) surefire run would otherwise fuzz the -Dtest target again.
  module=(-pl core -Dkernels256.skip=true)   # the sweep module's targets (the --grid parser) need core built in the same run
  [ -n "$(find sweep/src/test/java -name "$target.java" -print -quit)" ] && module=(-pl sweep -am -Dkernels256.skip=true -Dsurefire.failIfNoSpecifiedTests=false)
  if JAZZER_FUZZ=1 JAZZER_MAX_DURATION="$duration" mvn -B -ntp test "${module[@]}" -Dtest="$target" >"$log" 2>&1; then
    result="no finding"
  else
    result="FINDING (see the log; the input was added to the seed corpus)"
    status=1
  fi
  runs=$(grep -a -o 'Done [0-9]* runs in [0-9]* second' "$log" | tail -1 || true)
  echo "$target: $result; ${runs:-no run summary}; log $log"
done
exit $status
