#!/usr/bin/env bash
# Runs drill presets on full MNIST, one after another, and keeps each console log and metrics.csv under
# docs/results/. Usage: scripts/run-drill.sh code4 code1 code2 code3 best
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$here/docs/results"
mkdir -p "$out"
for preset in "$@"; do
  log="$out/$preset.log"
  echo "== $preset -> $log"
  start=$(date +%s)
  /usr/bin/time -v "$here/drill" train --preset "$preset" --no-progress > "$log" 2> "$out/$preset.stderr" || true
  end=$(date +%s)
  echo "wall time: $((end - start)) s (process start to exit, data loading included)" >> "$log"
  grep -E "Maximum resident|Elapsed" "$out/$preset.stderr" >> "$log" || true
  folder=$(grep -m1 '^run folder:' "$log" | sed 's/^run folder: //')
  cp "$folder/metrics.csv" "$out/$preset.metrics.csv"
  cp "$folder/summary.json" "$out/$preset.summary.json"
  rm -f "$out/$preset.stderr"
done
