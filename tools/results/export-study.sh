#!/usr/bin/env bash
# Copies a study from a runs folder into docs/results/studies/<id>/ for committing: its manifest and verdict (table,
# CSV, per-epoch bands, Markdown) and, per member run, config.json, metrics.csv, summary.json and study-member.json.
# Models and logs stay behind (the claims rest on the metrics).
#   tools/results/export-study.sh RUNS_DIR STUDY_ID...
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs="${1:?usage: export-study.sh RUNS_DIR STUDY_ID...}"; shift
studies="$(dirname "$(realpath "$runs")")/studies"
drill=("$root/drill")
for id in "$@"; do
  src="$studies/$id"
  [[ -f "$src/study.json" ]] || { echo "no study $id in $studies" >&2; exit 2; }
  dest="$root/docs/results/studies/$id"
  rm -rf "$dest"; mkdir -p "$dest/runs"
  cp "$src/study.json" "$dest/"
  "${drill[@]}" studies --runs "$runs" --show "$id" > "$dest/verdict.txt"
  "${drill[@]}" studies --runs "$runs" --show "$id" --csv > "$dest/verdict.csv"
  "${drill[@]}" studies --runs "$runs" --show "$id" --bands > "$dest/bands.csv"
  "${drill[@]}" studies --runs "$runs" --show "$id" --markdown > "$dest/verdict.md"
  for run in "$runs/${id}"_*; do
    [[ -d "$run" ]] || continue
    mkdir -p "$dest/runs/$(basename "$run")"
    for f in config.json metrics.csv summary.json study-member.json; do
      [[ -f "$run/$f" ]] && cp "$run/$f" "$dest/runs/$(basename "$run")/"
    done
  done
  echo "exported $id: $(ls "$dest/runs" | wc -l) runs -> ${dest#$root/}"
done
