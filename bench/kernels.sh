#!/usr/bin/env bash
# Kernel benchmarks (JMH, module bench-jmh) -> bench/kernels.json and bench/kernels.md.
#   bench/kernels.sh                 # everything, a few minutes on 2 cores
#   bench/kernels.sh ConvBench -p layer=WIDE_CONV2   # arguments go to JMH (a benchmark regex, -p, -wi, -i, ...)
#   KERNELS_OUT=bench/kernels-zen5 bench/kernels.sh  # writes bench/kernels-zen5.{md,json} (relative to the repository,
#                                                      # or absolute): one record per machine kind
# Also times the convolution layers in PyTorch when /usr/bin/python3 has torch (CONVLAB_BENCH_TORCH=0 skips it)
# and the start-up of `./convlab summary ...` with the build current. Numbers: see docs/DEVELOPING.md, "Benchmarks".
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/java-env.sh"
cd "$ROOT"
OUT="${KERNELS_OUT:-bench/kernels}"
case "$OUT" in /*) ;; *) OUT="$ROOT/$OUT" ;; esac
OUT_JSON="$OUT.json" OUT_MD="$OUT.md"
TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT

echo "kernels.sh: building bench-jmh and the CLI..." >&2
mvn -q -B -DskipTests -Dmaven.javadoc.skip=true package -pl bench-jmh,cli -am >&2
CP="$ROOT/bench-jmh/target/convlab-bench-jmh.jar:$ROOT/bench-jmh/target/lib/*"
JAVA=("$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --sun-misc-unsafe-memory-access=allow)

# The machine line every convlab benchmark prints (CPU model, AVX-512/AVX2, vector width used, caches, measured FMA
# peak, OPENBLAS_CORETYPE), so figures from different machines are never mixed. It is measured with the JVM flags the
# JMH forks get (-jvmArgs, -jvmArgsAppend, -jvmArgsPrepend), so with "-XX:UseAVX=2 -Dconvlab.vector.bits=256" it says
# 256-bit and its FMA peak is that width's; the report takes that peak for the fraction when PeakBench does not run.
jvm_flags=""
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    -jvmArgs|-jvmArgsAppend|-jvmArgsPrepend) jvm_flags+=" ${args[i+1]:-}"; i=$((i + 1)) ;;
    -jvmArgs=*|-jvmArgsAppend=*|-jvmArgsPrepend=*) jvm_flags+=" ${args[i]#*=}" ;;
  esac
done
machine="$(CONVLAB_JAVA_OPTS="$jvm_flags" ./convlab bench machine 2>/dev/null | tail -1)"
fma_peak="$(sed -n 's/.*FMA peak \([0-9.]*\) GFLOP\/s per core.*/\1/p' <<< "$machine")"
machine+=", $(uname -sr), $("$JAVA_HOME/bin/java" -version 2>&1 | sed -n 2p | sed 's/ (build.*//'), load average at start $(cut -d' ' -f1-3 /proc/loadavg)"

echo "kernels.sh: running JMH (one fork per benchmark; CPU time per operation from convlab.jmh.CpuTimeProfiler)..." >&2
"${JAVA[@]}" -cp "$CP" org.openjdk.jmh.Main -prof convlab.jmh.CpuTimeProfiler -rf json -rff "$OUT_JSON" "$@" >&2

command="bench/kernels.sh"
[ $# -eq 0 ] || command+="$(printf ' %q' "$@")"   # quoted as typed: -jvmArgsAppend "-XX:UseAVX=2 ..." stays one argument
report=(--jmh "$OUT_JSON" --machine "$machine" ${fma_peak:+--fma-peak "$fma_peak"} --command "$command" --out "$OUT_MD")
if [ "${CONVLAB_BENCH_TORCH:-1}" != "0" ] && /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "kernels.sh: timing the convolution layers in PyTorch (1 thread)..." >&2
  /usr/bin/python3 tools/pytorch/conv_layer_bench.py 1 20 --relu models --json > "$TMP/torch.json"
  report+=(--torch "$TMP/torch.json")
fi

# Start-up: the launcher's own path (rebuild check, JVM, CLI); one untimed run first so the build and the
# class-data archive are current.
SPEC="CONV3-10 POOL2 CONV3-10 POOL2 FLATTEN FC-10"
./convlab summary "$SPEC" --input 28x28x1 >/dev/null 2>&1
echo "./convlab summary \"$SPEC\" --input 28x28x1" > "$TMP/startup.txt"
TIMEFORMAT='%R %U %S'
for _ in 1 2 3 4 5 6 7; do { time ./convlab summary "$SPEC" --input 28x28x1 >/dev/null 2>&1; } 2>> "$TMP/startup.txt"; done
report+=(--startup "$TMP/startup.txt")

"${JAVA[@]}" -cp "$CP" convlab.jmh.KernelReport "${report[@]}" 2> >(grep -v "^WARNING: Using incubator modules" >&2)
echo "kernels.sh: wrote $OUT_MD and $OUT_JSON" >&2
