#!/usr/bin/env bash
# Wall time of a five-seed study against the same five seeds trained the way a user did before studies: one `train`
# after another, each on all the cores. The study trains its runs side by side, one native thread each, as many at
# once as its default split chooses (or --parallel N). Trials alternate (ROUNDS > 1) so that the machine's drift hits
# both alike; each trains into a fresh runs folder, so nothing is kept from the one before. Every run's epochs and
# time are printed too, since the thread count changes a run's floats (docs/studies.md).
# MODES lists what each round times, in turn: "study" (the default split), "study:N" (--parallel N), "train".
#   tools/measure/study-parallel-bench.sh OUT.txt
#   env: PRESET=code4 SEEDS=1-5 EPOCHS=15 SUBSET=0 ROUNDS=1 MODES="study train"
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:?usage: study-parallel-bench.sh OUT.txt}"
preset="${PRESET:-code4}"; seeds="${SEEDS:-1-5}"; epochs="${EPOCHS:-15}"; subset="${SUBSET:-0}"; rounds="${ROUNDS:-1}"
read -r -a modes <<< "${MODES:-study train}"
jar="${JAR:-}"
if [[ -z "$jar" ]]; then
  (cd "$root" && mvn -B -q -o -DskipTests package > /dev/null)
  jar="$root/target/mnist-drill-0.1.0.jar:$root/target/lib/*"
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
drill() { java -Xmx1g -XX:MaxGCPauseMillis=10 -cp "$jar" dev.mnistdrill.app.Main "$@"; }
seed_list() { local a="${seeds%-*}" b="${seeds#*-}"; seq "$a" "$b"; }
run_lines() { # RUNS_DIR: one line per run: its id, when it started, its seconds and the test accuracy of each epoch
  for s in "$1"/*/summary.json; do
    python3 -c 'import json,sys,csv,os; d=json.load(open(sys.argv[1])); m=list(csv.DictReader(open(os.path.join(os.path.dirname(sys.argv[1]), "metrics.csv"))))
print("   %-34s %s %s %6.1f s: %s" % (d["runId"], d["status"], d["startedAt"][11:19], d["seconds"], " ".join("%.2f" % (100 * float(r["test_accuracy"])) for r in m)))' "$s"
  done
}
trial() { # NAME MODE (study | study:N | train)
  local dir="$tmp/$1"; rm -rf "$dir"; mkdir -p "$dir"
  local t0; t0=$(date +%s.%N)
  if [[ "$2" == study || "$2" =~ ^study:[0-9]+$ ]]; then
    local split=(); [[ "$2" == study:* ]] && split=(--parallel "${2#study:}")
    drill study --no-progress --preset "$preset" --seeds "$seeds" --epochs "$epochs" --subset "$subset" \
      ${split[@]+"${split[@]}"} --runs "$dir/runs" > "$dir/log" 2>&1 || { tail -5 "$dir/log" >&2; exit 1; }
  elif [[ "$2" == train ]]; then
    for s in $(seed_list); do
      drill train --no-progress --preset "$preset" --seed "$s" --epochs "$epochs" --subset "$subset" \
        --runs "$dir/runs" >> "$dir/log" 2>&1 || { tail -5 "$dir/log" >&2; exit 1; }
    done
  else
    echo "unknown mode '$2' (study, study:N or train)" >&2; exit 2
  fi
  local t1; t1=$(date +%s.%N)
  awk -v n="$1" -v m="$2" -v a="$t0" -v b="$t1" 'BEGIN { printf "%-10s %-8s %8.1f s\n", n, m, b - a }'
  run_lines "$dir/runs"
}
{
  echo "# study-parallel-bench $(date -u +%FT%TZ) on $(nproc) cores: $preset, seeds $seeds, $epochs epochs, subset $subset"
  echo "# study = one study, runs side by side (one native thread each; study:N = --parallel N, else the default split)"
  echo "# train = one train per seed in turn, all cores; rounds alternate the order of the modes"
  for r in $(seq 1 "$rounds"); do
    order=("${modes[@]}")
    if (( r % 2 == 0 )); then order=(); for (( i=${#modes[@]}-1; i>=0; i-- )); do order+=("${modes[i]}"); done; fi
    for m in "${order[@]}"; do trial "${m//:/-p}-r$r" "$m"; done
  done
  echo "# finished $(date -u +%FT%TZ)"
} | tee "$out"
