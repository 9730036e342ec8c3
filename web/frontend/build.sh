#!/usr/bin/env bash
# Run by the web module's Maven build (exec-maven-plugin, generate-resources): bundles the front end with the
# system's node/npm when the bundle is missing or a source is newer; installs the npm packages (npm ci, from
# package-lock.json) only when node_modules is missing or older than the lock file.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
OUT=../target/frontend/convlab/web/static
if [ -f "$OUT/app.js" ] && [ -z "$(find src build.mjs package.json package-lock.json -newer "$OUT/app.js" -type f -print -quit)" ]; then
  exit 0
fi
command -v npm >/dev/null || { echo "web/frontend/build.sh: npm is needed to build the front end (Debian: apt-get install npm)" >&2; exit 1; }
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
node build.mjs "$OUT"
