#!/usr/bin/env python3
"""How often Shenandoah's allocation pacer stalled the window's threads, from a run's GC log.

The pacer makes a thread that allocates while a concurrent cycle runs short of headroom wait, up to
ShenandoahPacingMaxDelay (10 ms) at a time; on the FX thread such waits are frames that come late. Run the window
with -Xlog:gc*=info:file=RUN.gc.log:time,uptime,tid (tools/measure/measure-ui.sh takes it in EXTRA_JAVA_OPTS); each
cycle's "Allocation pacing accrued" table then names every thread that waited and for how long.

  gc-pacing.py RUN.gc.log[.xz]...    a line per log: cycles, pacing in all, the FX and render threads' pacing
                                     (JVM uptime of the cycle's report, ms), degenerated and full GCs
"""
import lzma
import re
import sys

WINDOW_THREADS = ("JavaFX Application Thread", "QuantumRenderer-0")


def read(path):
    return (lzma.open(path, "rt") if path.endswith(".xz") else open(path)).read().splitlines()


def summary(path):
    lines = read(path)
    cycles, total, window, counts = 0, 0, [], {}
    for i, line in enumerate(lines):
        if "Allocation pacing accrued" in line:
            cycles += 1
            uptime = re.search(r"\[([\d.]+)s\]", line).group(1)
            for row in lines[i + 1:]:
                m = re.search(r"\s(\d+) of\s+\d+ ms \(\s*[\d.]+%\): (.*)$", row)
                if not m:
                    break
                if m.group(2) in WINDOW_THREADS and int(m.group(1)) > 0:
                    window.append("%s %s ms at %ss" % ("fx" if m.group(2).startswith("JavaFX") else "render",
                                                        m.group(1), uptime))
                elif m.group(2) == "<total>":
                    total += int(m.group(1))
        m = re.search(r"\]\s+(\d+) (Degenerated GCs|Full GCs)$", line)
        if m:
            counts[m.group(2)] = int(m.group(1))
    print("%s: %d cycles, paced %d ms in all; window threads: %s; %s degenerated, %s full GCs"
          % (path, cycles, total, ", ".join(window) or "none", counts.get("Degenerated GCs", "?"),
             counts.get("Full GCs", "?")))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for log in sys.argv[1:]:
        summary(log)
