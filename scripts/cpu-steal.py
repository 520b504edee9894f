#!/usr/bin/env python3
"""CPU steal beside the workbench's frame gaps.

This machine is a VM: when its host takes a virtual CPU away ("steal"), every thread on that CPU stops, the JavaFX
thread too, whatever the app does; the host here takes one for 100 ms at a time. This tool logs each CPU's steal
as it happens and then lines it up with the frame gaps that WorkbenchApp's demo reports.

  cpu-steal.py monitor OUT.log          logs "wall-ms cpuN ticks" whenever a CPU's steal counter moves (until killed)
  cpu-steal.py report DEMO.log OUT.log  each gap > 50 ms of the run with the steal in its time window
"""
import re
import sys
import time

TICK_MS = 10  # USER_HZ = 100
SLACK_MS = 30  # the counter moves at the stolen CPU's next tick after it is back


def monitor(out_path):
    previous = {}
    with open(out_path, "w") as out:
        while True:
            with open("/proc/stat") as stat:
                for line in stat:
                    if line.startswith("cpu") and line[3] != " ":
                        fields = line.split()
                        steal = int(fields[8])
                        cpu = fields[0]
                        if cpu in previous and steal != previous[cpu]:
                            out.write("%d %s %d\n" % (int(time.time() * 1000), cpu, steal - previous[cpu]))
                            out.flush()
                        previous[cpu] = steal
            time.sleep(0.005)


def report(demo_log, steal_log):
    text = open(demo_log).read()
    steals = [(int(ms), cpu, int(ticks)) for ms, cpu, ticks in (line.split() for line in open(steal_log))]
    for label in ("pulses of the run (from the Start, PREPARING)", "pulses while training (from RUNNING)"):
        m = re.search(re.escape(label) + r": .*?first pulse at (\d+) ms.*?gaps > 50 ms: \[(.*?)\]", text)
        if not m:
            continue
        first = int(m.group(1))
        rows = []
        own_max = 0.0
        for length, at in re.findall(r"(\d+) ms at \+([\d.]+) s", m.group(2)):
            end = first + float(at) * 1000
            start = end - float(length)
            # the FX thread ran on one CPU: count the CPU that lost the most in the window, not the sum of both
            per_cpu = {}
            for ms, cpu, ticks in steals:
                if start - SLACK_MS <= ms <= end + SLACK_MS:
                    per_cpu[cpu] = per_cpu.get(cpu, 0) + ticks
            stolen = max(per_cpu.values(), default=0) * TICK_MS
            own = max(float(length) - stolen, 0)
            own_max = max(own_max, own)
            rows.append("%s ms at +%s s (steal %d ms on one CPU, rest %d ms)" % (length, at, stolen, own))
        print("%s: gaps > 50 ms with the CPU steal in their window: [%s]; largest gap less its steal: %.0f ms"
              % (label, ", ".join(rows), own_max))
    print("steal over the whole log: %d ms in %d events, %d of 100 ms or more"
          % (sum(t for _, _, t in steals) * TICK_MS, len(steals), sum(1 for _, _, t in steals if t >= 10)))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "monitor":
        monitor(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "report":
        report(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
