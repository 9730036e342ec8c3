#!/usr/bin/env bash
# The test command: installs what the tests need, then builds and runs the whole test suite.
# Long full-data accuracy runs are tagged "slow"; CI (CI=true) runs them too, local runs skip them
# unless CONVLAB_SLOW=1. CI also fuzzes every parser for a short while (scripts/fuzz.sh; longer runs:
# docs/RELIABILITY.md).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/install-deps.sh"
source "$ROOT/scripts/java-env.sh"
groups=()
if [ "${CI:-}" = "true" ] || [ "${CONVLAB_SLOW:-}" = "1" ]; then groups=(-DexcludedGroups=none); fi
cd "$ROOT"
mvn -B -ntp "${groups[@]}" verify "$@"
if [ "${CI:-}" = "true" ] || [ "${CONVLAB_FUZZ:-}" = "1" ]; then
  scripts/fuzz.sh "${CONVLAB_FUZZ_TIME:-20s}"
fi
