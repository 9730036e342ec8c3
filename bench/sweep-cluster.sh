#!/usr/bin/env bash
# Trials per minute of `convlab sweep` on a standalone Spark cluster on this machine (docs/SWEEPS.md):
#   bench/sweep-cluster.sh WORKERS [CORES_PER_WORKER] [-- extra sweep options]
# Starts a master and WORKERS workers (from the sweep module's Spark jars, bound to 127.0.0.1, work folders under
# sweep/target/bench-cluster/), runs a sweep on the embedded sample against it, prints the sweep's own
# "trials per minute" line with the load average, and stops everything it started.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
workers=${1:?usage: bench/sweep-cluster.sh WORKERS [CORES_PER_WORKER] [-- sweep options]}; shift
cores=1; if [ $# -gt 0 ] && [ "$1" != "--" ]; then cores=$1; shift; fi
[ "${1:-}" = "--" ] && shift
source "$ROOT/scripts/java-env.sh"
"$ROOT/convlab" sweep --help >/dev/null   # builds cli and sweep when needed
dir="$ROOT/sweep/target/bench-cluster"; rm -rf "$dir"; mkdir -p "$dir/spark-home/jars"
CP="$ROOT/cli/target/convlab-cli.jar:$ROOT/cli/target/lib/*:$ROOT/sweep/target/convlab-sweep.jar:$ROOT/sweep/target/lib/*"
mapfile -t SPARK_FLAGS < <(grep -v '^#' "$ROOT/sweep/src/main/resources/convlab/sweep/spark-jvm-flags.txt" | grep .)
free_port() { "$JAVA_HOME/bin/java" -XX:TieredStopAtLevel=1 -Xshare:auto "$ROOT/bench/FreePort.java"; }
# The master and workers log at INFO (this script waits for their "elected leader" / "registered" lines); the sweep
# jar's own log4j2.properties keeps Spark at WARN.
printf '%s\n' "rootLogger.level = info" "rootLogger.appenderRef.stderr.ref = console" "appender.console.type = Console" \
  "appender.console.name = console" "appender.console.target = SYSTEM_ERR" "appender.console.layout.type = PatternLayout" \
  "appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n%ex" > "$dir/log4j2-info.properties"
export SPARK_LOCAL_IP=127.0.0.1 SPARK_HOME="$dir/spark-home" SPARK_SCALA_VERSION=2.13
pids=()
cleanup() { for p in "${pids[@]}"; do pkill -KILL -P "$p" 2>/dev/null || true; kill -KILL "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
port=$(free_port)
JAVA=("$JAVA_HOME/bin/java" -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 "-Dlog4j2.configurationFile=$dir/log4j2-info.properties"
  "${SPARK_FLAGS[@]}" -cp "$CP")
"${JAVA[@]}" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" --webui-port "$(free_port)" >"$dir/master.log" 2>&1 &
pids+=($!)
for _ in $(seq 300); do grep -qs "I have been elected leader" "$dir/master.log" && break; sleep 1; done
for w in $(seq "$workers"); do
  mkdir -p "$dir/work-$w"
  "${JAVA[@]}" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores "$cores" --memory 1g --work-dir "$dir/work-$w" \
    --webui-port "$(free_port)" "spark://127.0.0.1:$port" >"$dir/worker-$w.log" 2>&1 &
  pids+=($!)
done
for w in $(seq "$workers"); do
  for _ in $(seq 300); do grep -qs "Successfully registered with master" "$dir/worker-$w.log" && break; sleep 1; done
done
echo "cluster: $workers worker(s) x $cores core(s); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$ROOT/convlab" sweep --master "spark://127.0.0.1:$port" --out "$dir/out" --data sample \
  --conf spark.executor.extraClassPath="$CP" --conf spark.executor.memory=768m \
  --model mlp --epochs 1 --grid "lr=0.01,0.02,0.05,0.1; seed=1..3" "$@" 2>"$dir/driver.log" | tail -1
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); $(lscpu | grep 'Model name' | sed 's/  */ /g')"
