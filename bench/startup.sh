#!/usr/bin/env bash
# Start-up and answer times of short convlab commands (issues 16 and 18): runs each command N times through
# ./convlab (build current, archives in place) and prints the median wall time and median CPU time (user + system,
# all threads) per command, with the CPU model and the load average before and after, as a Markdown table.
# Usage: bench/startup.sh [-n N] [FILTER]   (FILTER: run only commands whose line contains it)
# Environment: CONVLAB_JAVA_OPTS is passed through, as ./convlab does.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N=7
if [ "${1:-}" = "-n" ]; then N="$2"; shift 2; fi
FILTER="${1:-}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
COMMANDS=(
  'optimize --features "1 0.1 0.01" --targets "1" --method sgd --limit'
  'optimize --features "1 0.1 0.01" --targets 1 --method sgd --preconditioner "1 10 100" --limit --check "[1, 1, 1]"'
  'optimize --features "1 0.1 0.01" --targets 1 --method adagrad --steps 2 --limit'
  'optimize --features "1 0.1 0.01" --targets 1 --method signsgd --lr 0.01 --limit'
  'step-size --d-in 784 --d-out 256 --optimizer signsgd --unit-scaled'
  'step-size --d-in 784 --d-out 256 --optimizer muon --unit-scaled'
  'step-size --d-in 784 --d-out 256 --optimizer muon'
  'step-size "FC-256 FC-10" --input 784 --unit-scaled'
  'conv --input "1 2 3; 4 5 6; 7 8 9" --kernel "1 2; 3 4" --flip --padding 1 --stride 2 --explain'
  'solve-filter --input "1 2 3; 4 5 6; 7 8 9" --output "37 47; 67 77" --size 2'
  'params --kind separable --in-channels 3 --out-channels 4 --kernel-size 3 --check 43'
  'cost "1/2 (3I - W W^T) W" --dims "W: d_out x d_in" --assume "d_out >> d_in" --sizes d_out=4096,d_in=256'
  'summary "CONV3-10 POOL2 CONV3-10 POOL2 FLATTEN FC-3" --input 28x28x1'
  'receptive-field "CONV3-8 POOL2 CONV3-8 POOL2" --check "1, 3, 4, 8, 11"'
  'grad conv --input "1 2 3; 4 5 6; 7 8 9" --kernel "1 0; 0 -1" --grad-output "1 2; 3 4" --explain'
  'fp8 round e4m3 0.3 1.0625 448 500'
  "sheet bench/sheet-20.md --html $OUT/s.html --pdf $OUT/s.pdf --md $OUT/s.md"
)
cd "$ROOT"
./convlab --version >/dev/null 2>&1 || true   # builds the jars and the start-up archive if needed (not timed)
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
echo "CPU: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores; $(date -u '+%Y-%m-%d %H:%M UTC'); runs per command: $N"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| command | median wall s | median CPU s | exit |"
echo "|---|---|---|---|"
for cmd in "${COMMANDS[@]}"; do
  [ -n "$FILTER" ] && [[ "$cmd" != *"$FILTER"* ]] && continue
  : > "$OUT/wall"; : > "$OUT/cpu"; rc=0
  for ((i = 0; i < N; i++)); do
    rc=0
    eval "/usr/bin/time -f '%e %U %S' -o '$OUT/t' ./convlab $cmd" >/dev/null 2>"$OUT/err" || rc=$?
    tail -1 "$OUT/t" | awk '{print $1}' >> "$OUT/wall"
    tail -1 "$OUT/t" | awk '{print $2 + $3}' >> "$OUT/cpu"
  done
  shown="${cmd//$OUT\//}"
  printf '| `%s` | %.2f | %.2f | %s |\n' "${shown//|/\\|}" "$(median < "$OUT/wall")" "$(median < "$OUT/cpu")" "$rc"
done
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
