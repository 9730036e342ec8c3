#!/usr/bin/env bash
# Measures the workbench's goals of issue 19 and prints them with the machine's load:
#   page load < 1 s; a convolution-explorer edit answered < 100 ms (course sizes); the dashboard redrawn >= 2/s
#   (web/frontend/e2e/measure.mjs in headless Chromium against ./convlab serve), and the dashboard's cost to
#   training <= 5% (./convlab train --json with and without --dashboard, alternating, RUNS times each: the
#   trainer's own images/s and the process's CPU seconds).
# Usage: web/measure.sh [OUT_DIR]   (RUNS=3 by default)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
OUT=$(realpath -m "${1:-web/target/measure}")
RUNS=${RUNS:-3}
mkdir -p "$OUT"
./convlab --version >/dev/null   # builds when a source changed
REPORTS=$(mktemp -d)
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$REPORTS"' EXIT
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/load.txt"
./convlab serve --port 0 --reports "$REPORTS" > "$OUT/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 120); do grep -q 'convlab workbench: http' "$OUT/serve.log" && break; sleep 0.5; done
URL=$(sed -n 's/^convlab workbench: //p' "$OUT/serve.log")
[ -n "$URL" ] || { echo "web/measure.sh: the server did not start; see $OUT/serve.log" >&2; exit 1; }
sleep 2   # the server's warm-up
(cd web/frontend && node e2e/measure.mjs "$URL" "$OUT")
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
echo "load average after the browser part: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/load.txt"

# The dashboard's cost to training: alternate runs without and with the log; images/s is the trainer's own
# measurement of its training loop, cpu_s the process's user+system CPU time (less sensitive to other load).
TIMEFORMAT='%U %S %R'
: > "$OUT/train.txt"
for i in $(seq 1 "$RUNS"); do
  for mode in plain dashboard; do
    args=(train --model course-cnn --epochs 1 --lr 0.05 --seed 1 --threads 1 --json)
    [ "$mode" = dashboard ] && args+=(--dashboard "$REPORTS")
    { time ./convlab "${args[@]}" > "$OUT/train-$mode-$i.json" 2>/dev/null; } 2> "$OUT/time-$mode-$i.txt"
    ips=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['train_images_per_s'])" "$OUT/train-$mode-$i.json")
    read -r u s r < "$OUT/time-$mode-$i.txt"
    echo "$mode $ips $(python3 -c "print($u + $s)") $r $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$OUT/train.txt"
  done
done
python3 - "$OUT" <<'PY'
import json, statistics, sys
out = sys.argv[1]
rows = [l.split() for l in open(f"{out}/train.txt")]
def med(mode, k): return statistics.median(float(r[k]) for r in rows if r[0] == mode)
ips_p, ips_d, cpu_p, cpu_d = med("plain", 1), med("dashboard", 1), med("plain", 2), med("dashboard", 2)
m = json.load(open(f"{out}/measure.json"))
m.update(train_images_per_s_plain=ips_p, train_images_per_s_dashboard=ips_d, train_slowdown_pct=round(100 * (ips_p / ips_d - 1), 1),
         train_cpu_s_plain=cpu_p, train_cpu_s_dashboard=cpu_d, train_cpu_extra_pct=round(100 * (cpu_d / cpu_p - 1), 1))
json.dump(m, open(f"{out}/measure.json", "w"), indent=2)
print(f"page ready (median): conv {m['page_ready_ms_conv_median']} ms, net {m['page_ready_ms_net_median']} ms, "
      f"train {m['page_ready_ms_train_median']} ms, exp {m['page_ready_ms_exp_median']} ms   (goal < 1000)")
print(f"explorer edit, request to redrawn (median of 20): forward {m['edit_ms_forward_median']} ms, gradient {m['edit_ms_conv_median']} ms   (goal < 100)")
print(f"dashboard redraws: {m['dashboard_redraws_per_s']}/s   (goal >= 2)")
print(f"training with the dashboard log: images/s {ips_d:.0f} vs {ips_p:.0f} without ({m['train_slowdown_pct']:+.1f}%), "
      f"CPU {cpu_d:.1f} s vs {cpu_p:.1f} s ({m['train_cpu_extra_pct']:+.1f}%)   (goal <= 5%)")
PY
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores" | tee -a "$OUT/load.txt"
