#!/usr/bin/env bash
# A real Spark standalone cluster on 127.0.0.1 (a master and two workers, from Maven Central's Spark jars: no
# download of a distribution), and a study on it that loses a worker: after the study's first run has finished, one
# worker is killed with kill -9; the study must still end with exactly its runs, none twice, and a verdict. Stops
# everything it started, by process id. Prints a report; exit 0 when every check passed.
#   tools/spark/loopback-cluster.sh [OUT_DIR]        (default: a temporary folder)
# Env: STUDY_ARGS (the study; default 4 runs of code1: 2 settings x 2 seeds, 2 epochs on 2,000 digits),
#      MASTER_PORT (default 7177), WORKER_CORES (default 1 each), KILL=0 to keep both workers.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-$(mktemp -d /tmp/mnist-drill-loopback.XXXXXX)}"
mkdir -p "$out"
rm -rf "$out/runs" "$out/studies" "$out/removed-runs" "$out/work" # a fresh cluster and study every time
free_port() { local p=$1; while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || (exec 3<>"/dev/tcp/127.0.0.1/$((p + 1000))") 2>/dev/null; do p=$((p + 3)); done; echo "$p"; }
port="${MASTER_PORT:-$(free_port 7177)}"
cores="${WORKER_CORES:-1}"
read -r -a study_args <<< "${STUDY_ARGS:---preset code1 --epochs 2 --subset 2000 --seeds 1-2 --grid dropout=0,0.1 --last 1}"
export SPARK_HOME="$root/target/spark-home" SPARK_SCALA_VERSION=2.12
say() { echo "[$(date +%T)] $*"; }
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  sleep 2
  # executors the workers started (and any member process of theirs): found by the cluster's work folder
  for pid in $(pgrep -f "$out/work" || true); do kill -9 "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

[[ -d "$SPARK_HOME/jars" ]] || { say "Spark jars -> $SPARK_HOME/jars"; mvn -B -q -f "$root/tools/spark/pom.xml" package; }
jar="$root/target/mnist-drill-0.1.0.jar"
[[ -f "$jar" && -d "$root/target/lib" ]] || (cd "$root" && mvn -B -q -DskipTests package)
# the class path ./drill makes for --spark (not ./drill itself: this also runs inside mvn verify)
drill=(java -Xmx1g -XX:MaxGCPauseMillis=10 "@$root/spark-jvm.options" -cp "$jar:$root/target/lib/*:$SPARK_HOME/jars/*"
  dev.mnistdrill.app.Main)
spark_java=(java -Xmx512m "@$root/spark-jvm.options" -cp "$SPARK_HOME/jars/*")

say "master on 127.0.0.1:$port"
"${spark_java[@]}" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" --webui-port $((port + 1000)) \
  > "$out/master.log" 2>&1 &
pids+=($!)
for _ in $(seq 60); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.5; done
workers=()
for w in 1 2; do
  "${spark_java[@]}" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores "$cores" --memory 2g \
    --work-dir "$out/work/worker$w" --webui-port $((port + 1000 + w)) "spark://127.0.0.1:$port" > "$out/worker$w.log" 2>&1 &
  pids+=($!); workers+=($!)
  say "worker $w: pid $!"
done
for _ in $(seq 120); do
  alive=$(curl -s "http://127.0.0.1:$((port + 1000))/json/" | grep -c '"state" : "ALIVE"' || true)
  [[ "$alive" -ge 2 ]] && break; sleep 0.5
done
say "workers alive: $alive"

runs="$out/runs"
say "study: ${study_args[*]}"
start=$(date +%s.%N)
"${drill[@]}" study "${study_args[@]}" --no-progress --runs "$runs" --spark "spark://127.0.0.1:$port" \
  --spark-conf spark.executor.memory=1g --spark-conf spark.ui.enabled=false > "$out/study.log" 2>&1 &
study=$!
pids+=($study)
killed=""
if [[ "${KILL:-1}" == 1 ]]; then
  while kill -0 "$study" 2>/dev/null; do
    if grep -q '"status" : "COMPLETED"' "$runs"/*/summary.json 2>/dev/null; then
      # the worker whose executor is training a run right now: its member process must stop, its run train elsewhere
      victim=""; member=""
      for w in 1 2; do
        for e in $(pgrep -f CoarseGrainedExecutorBackend || true); do
          [[ "$(readlink "/proc/$e/cwd" 2>/dev/null)" == "$out/work/worker$w/"* ]] || continue
          m=$(pgrep -P "$e" -f study-member | head -1 || true)
          if [[ -n "$m" ]]; then victim="${workers[$((w - 1))]}"; member="$m"; break 2; fi
        done
      done
      if [[ -n "$victim" ]]; then
        kill -9 "$victim"; killed="$victim"
        say "first run finished: killed worker pid $victim with kill -9, its executor training a run (member pid $member)"
        for _ in $(seq 60); do kill -0 "$member" 2>/dev/null || break; sleep 0.5; done
        kill -0 "$member" 2>/dev/null && member_left=1 || member_left=0
        break
      fi
    fi
    sleep 0.5
  done
fi
status=0; wait "$study" || status=$?
end=$(date +%s.%N)
say "study exit $status after $(echo "$end - $start" | bc) s"

fail=0
check() { if eval "$2"; then say "ok: $1"; else say "FAILED: $1"; fail=1; fi; }
id=$(ls "$out/studies" 2>/dev/null | head -1)
planned=$(grep -o '= [0-9]* runs' "$out/study.log" | head -1 | tr -dc 0-9)
check "study exit code 0" '[[ $status -eq 0 ]]'
check "a worker was killed while training, after the first run finished" '[[ -n "$killed" || "${KILL:-1}" != 1 ]]'
check "the lost worker's member process stopped within 30 s" '[[ "${member_left:-0}" == 0 ]]'
check "exactly the study's $planned runs" '[[ $(ls -d "$runs/${id}"_* | wc -l) -eq $planned ]]'
check "every run completed" '[[ $(grep -l "\"status\" : \"COMPLETED\"" "$runs"/*/summary.json | wc -l) -eq $planned ]]'
check "no run set aside or trained twice" '[[ ! -d "$out/removed-runs" || -z "$(ls -A "$out/removed-runs")" ]]'
check "a verdict" '[[ -s "$out/studies/$id/verdict.csv" && -s "$out/studies/$id/verdict.md" ]]'
check "studies lists it completed, $planned of $planned" \
  '"${drill[@]}" studies --runs "$runs" | grep "$id" | grep -q "completed.*$planned/$planned\|$planned/$planned.*completed"'
echo
sed -n '/^Study /,$p' "$out/study.log"
grep -h "Lost executor\|Removing worker\|lost worker\|Resubmitted\|re-running\|failed" "$out/study.log" "$out/master.log" 2>/dev/null \
  | sed 's/^/  log: /' | head -10 || true
exit $fail
