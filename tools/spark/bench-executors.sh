#!/usr/bin/env bash
# The same small study three ways, interleaved (ROUNDS times): the local executor, Spark embedded (--spark local[2])
# and the loopback standalone cluster (two 1-core workers, tools/spark/loopback-cluster.sh, no worker killed).
# Prints wall time per way and round, and the overhead per run: (wall x 2 slots - the runs' own training seconds) / runs.
#   tools/spark/bench-executors.sh [OUT_DIR]
# Env: STUDY_ARGS (default: code4, 1 epoch on 10,000 digits, 2 settings x 2 seeds = 4 runs), ROUNDS (default 2).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-$(mktemp -d /tmp/mnist-drill-bench.XXXXXX)}"
mkdir -p "$out"
export STUDY_ARGS="${STUDY_ARGS:---preset code4 --epochs 1 --subset 10000 --seeds 1-2 --grid dropout=0,0.05 --last 1}"
read -r -a study_args <<< "$STUDY_ARGS"
export SPARK_HOME="$root/target/spark-home"
[[ -d "$SPARK_HOME/jars" ]] || mvn -B -q -f "$root/tools/spark/pom.xml" package
jar="$root/target/mnist-drill-0.1.0.jar"
drill=(java -Xmx1g -XX:MaxGCPauseMillis=10 "@$root/spark-jvm.options" -cp "$jar:$root/target/lib/*:$SPARK_HOME/jars/*"
  dev.mnistdrill.app.Main)
# seconds of training the runs of a runs folder report (their summaries), summed
train_seconds() { cat "$1"/*/summary.json | grep -o '"seconds" : [0-9.]*' | awk '{s += $3} END {printf "%.1f", s}'; }
report() { # way round wall runs-folder
  local runs n ts
  runs="$4"; n=$(ls -d "$runs"/*/ | wc -l); ts=$(train_seconds "$runs")
  printf '%-22s round %d  wall %6.1f s  runs %d  training %6.1f s  overhead/run %5.1f s\n' "$1" "$2" "$3" "$n" "$ts" \
    "$(echo "($3 * 2 - $ts) / $n" | bc -l)" | tee -a "$out/bench.txt"
}
timed() { local t0 t1; t0=$(date +%s.%N); "$@" > "$out/last.log" 2>&1; t1=$(date +%s.%N); echo "$t1 - $t0" | bc -l; }
echo "study: ${study_args[*]}; $(nproc) cores; $(date -u +%FT%TZ)" | tee "$out/bench.txt"
for round in $(seq "${ROUNDS:-2}"); do
  d="$out/r$round"; rm -rf "$d"; mkdir -p "$d"
  w=$(timed "${drill[@]}" study "${study_args[@]}" --no-progress --runs "$d/local/runs")
  report "local executor" "$round" "$w" "$d/local/runs"
  w=$(timed "${drill[@]}" study "${study_args[@]}" --no-progress --runs "$d/embedded/runs" --spark 'local[2]' \
    --spark-conf spark.ui.enabled=false)
  report "spark local[2]" "$round" "$w" "$d/embedded/runs"
  KILL=0 "$root/tools/spark/loopback-cluster.sh" "$d/cluster" > "$d/cluster.log" 2>&1
  w=$(grep -o 'study exit 0 after [0-9.]*' "$d/cluster.log" | awk '{print $5}')
  report "loopback cluster 2x1" "$round" "$w" "$d/cluster/runs"
done
