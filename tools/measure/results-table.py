#!/usr/bin/env python3
"""Prints the Markdown results table of docs/results/<preset>.summary.json (and .log for wall time and RSS)."""
import json, pathlib, re, sys

root = pathlib.Path(__file__).resolve().parent.parent / "docs" / "results"
presets = sys.argv[1:] or ["code1", "code2", "code3", "code4", "best"]
print("| preset | trainable params | best train | best test (epoch) | first epoch >= 99.4% | last 5 epochs, test % | held | "
      "s per epoch incl. test (median) | peak RSS |")
print("|---|---|---|---|---|---|---|---|---|")
for name in presets:
    summary_file = root / f"{name}.summary.json"
    if not summary_file.exists():
        continue
    s = json.loads(summary_file.read_text())
    log = (root / f"{name}.log").read_text()
    rows = [l.split() for l in log.splitlines() if re.match(r"^\s+\d+\s+\d", l)]
    secs = sorted(float(r[6]) for r in rows)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", log)
    last = ", ".join(f"{100 * a:.2f}" for a in s["lastWindowTestAccuracies"])
    print(f"| `{name}` | {s['trainableParams']:,} | {100 * s['bestTrainAccuracy']:.2f}% | "
          f"{100 * s['bestTestAccuracy']:.2f}% ({s['bestTestEpoch']}) | {s['firstEpochAtTarget'] or 'never'} | {last} | "
          f"{'yes' if s['targetHeld'] else 'no'} | {secs[len(secs) // 2]:.0f} | "
          f"{int(rss.group(1)) / 1024 / 1024:.2f} GB |" if rss else "|")
