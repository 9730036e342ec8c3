#!/usr/bin/env bash
# The test command: installs what the tests need, then builds and runs the whole test suite.
# Long full-data accuracy runs are tagged "slow"; CI (CI=true) runs them too, local runs skip them
# unless CONVLAB_SLOW=1. CI also fuzzes every parser for a short while (scripts/fuzz.sh; longer runs:
# docs/RELIABILITY.md), and checks that a fresh Maven project can use the installed library (scripts/fresh-project-check.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/install-deps.sh"
source "$ROOT/scripts/java-env.sh"
groups=()
if [ "${CI:-}" = "true" ] || [ "${CONVLAB_SLOW:-}" = "1" ]; then groups=(-DexcludedGroups=none); fi
cd "$ROOT"
mvn -B -ntp "${groups[@]}" verify "$@"
# A new Maven project outside the reactor depends on the installed artifacts (a private local repository, never
# ~/.m2) and runs README's library example: about a minute, so CI only (or CONVLAB_FRESH=1).
if [ "${CI:-}" = "true" ] || [ "${CONVLAB_FRESH:-}" = "1" ]; then
  scripts/fresh-project-check.sh
fi
if [ "${CI:-}" = "true" ] || [ "${CONVLAB_FUZZ:-}" = "1" ]; then
  scripts/fuzz.sh "${CONVLAB_FUZZ_TIME:-20s}"
fi
