#!/usr/bin/env bash
# Runs drill presets on full MNIST, one after another, and keeps each console log, metrics.csv and summary.json
# under docs/results/. Builds once, then runs from a frozen copy so that rebuilding the checkout meanwhile is safe.
# Usage: tools/measure/run-drill.sh code4 best code1 code2 code3
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$here/docs/results"
mkdir -p "$out"
(cd "$here" && mvn -B -q -DskipTests package)
frozen="$(mktemp -d)"
cp -r "$here/target/mnist-drill-0.1.0.jar" "$here/target/lib" "$frozen/"
for preset in "$@"; do
  log="$out/$preset.log"
  echo "== $preset -> $log"
  start=$(date +%s)
  /usr/bin/time -v java -Xmx1g -XX:MaxGCPauseMillis=10 -cp "$frozen/mnist-drill-0.1.0.jar:$frozen/lib/*" dev.mnistdrill.app.Main \
      train --preset "$preset" --no-progress > "$log" 2> "$out/$preset.stderr" || true
  end=$(date +%s)
  echo "wall time: $((end - start)) s (JVM start to exit, data loading included); load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$log"
  grep -E "Maximum resident|Elapsed" "$out/$preset.stderr" >> "$log" || true
  folder=$(grep -m1 '^run folder:' "$log" | sed 's/^run folder: //')
  cp "$folder/metrics.csv" "$out/$preset.metrics.csv"
  cp "$folder/summary.json" "$out/$preset.summary.json"
  rm -f "$out/$preset.stderr"
done
rm -rf "$frozen"
