#!/usr/bin/env bash
# Wall time of one study trained with runs side by side (the default split: one run per core, one native thread
# each) against the same study trained one run at a time (all cores for each run), interleaved so that the machine's
# drift hits both alike. Each trial trains into a fresh runs folder, so nothing is kept from the one before.
#   tools/measure/study-parallel-bench.sh OUT.txt        env: PRESET=code4 SEEDS=1-5 EPOCHS=15 SUBSET=0 ROUNDS=1
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:?usage: study-parallel-bench.sh OUT.txt}"
preset="${PRESET:-code4}"; seeds="${SEEDS:-1-5}"; epochs="${EPOCHS:-15}"; subset="${SUBSET:-0}"; rounds="${ROUNDS:-1}"
(cd "$root" && mvn -B -q -o -DskipTests package > /dev/null)
jar="$root/target/mnist-drill-0.1.0.jar"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
trial() { # NAME PARALLEL
  local dir="$tmp/$1"; rm -rf "$dir"; mkdir -p "$dir"
  local t0; t0=$(date +%s.%N)
  java -Xmx1g -XX:MaxGCPauseMillis=10 -cp "$jar:$root/target/lib/*" dev.mnistdrill.app.Main study --no-progress \
    --preset "$preset" --seeds "$seeds" --epochs "$epochs" --subset "$subset" --parallel "$2" --runs "$dir/runs" \
    > "$dir/log" 2>&1
  local t1; t1=$(date +%s.%N)
  awk -v n="$1" -v p="$2" -v a="$t0" -v b="$t1" 'BEGIN { printf "%-12s parallel %d  %8.1f s\n", n, p, b - a }'
}
{
  echo "# study-parallel-bench $(date -u +%FT%TZ) on $(nproc) cores: $preset, seeds $seeds, $epochs epochs, subset $subset"
  for r in $(seq 1 "$rounds"); do
    if (( r % 2 )); then trial "side-$r" "$(nproc)"; trial "seq-$r" 1; else trial "seq-$r" 1; trial "side-$r" "$(nproc)"; fi
  done
} | tee "$out"
