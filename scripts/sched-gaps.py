#!/usr/bin/env python3
"""Why the JavaFX thread did not pulse: each frame gap of a demo run, read from the kernel's own scheduler events.

scripts/measure-ui.sh with PERF_SCHED=1 records every context switch and wake-up of the machine, each with its
kernel and user stack (OUT.perf.data, OUT.perf.offset). For each gap > 50 ms that the demo lists, this prints what
the window's threads did in it: when the FX thread ran, slept or waited for a CPU; where it went to sleep (its stack
at the switch) and who woke it (the waker's stack); what each CPU ran meanwhile; and the stretches in which a CPU
ran nothing at all, not even its idle task: the host's. Then the gap less those of them that held one of the
window's threads, and the largest such rest of the run. The host's steal counter (scripts/cpu-steal.py) moves with
those stretches, but only once the CPU is back, and its monitor stalls with the CPU it is on; the recording needs
neither.

  sched-gaps.py DEMO.log PERF [MARGIN_MS]         PERF: X.perf.data, or an excerpt of it (X.perf.txt.xz);
                                                  MARGIN_MS (default 40) of context before each gap
  sched-gaps.py excerpt DEMO.log PERF.data OUT.xz perf script's text of the gaps, to keep where the data is not
  sched-gaps.py check PERF.data STEAL.log         the silences of the whole run against the steal counters
"""
import collections
import importlib.util
import lzma
import os
import re
import signal
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("cpu_steal", os.path.join(here, "cpu-steal.py"))
cpu_steal = importlib.util.module_from_spec(spec)
spec.loader.exec_module(cpu_steal)

# /proc comm names, cut at 15 characters; glass's InvokeLaterDispatcher hands the FX thread its pulses and runLaters
WINDOW_THREADS = {"JavaFX Applicat": "fx", "InvokeLaterDisp": "dispatch", "QuantumRenderer": "render",
                  "Xvfb": "xvfb"}
# A busy CPU records a switch or a wake-up every few ms (the two training threads alone take turns every 4 ms, the
# GC's control thread wakes every millisecond): a longer stretch without one, while a task other than the idle one
# was current, is time the guest's CPU ran nothing at all because the host took it.
SILENCE_MS = 15
MARGIN_MS = 40.0
HEADER = re.compile(r"^\s*(.+?)\s+(\d+)\s+\[(\d+)\]\s+([\d.]+):\s+sched:(\w+):\s+(.*)$")
SWITCH = re.compile(r"prev_comm=(.*?) prev_pid=(\d+) prev_prio=\d+ prev_state=(\S+) ==> next_comm=(.*?) "
                    r"next_pid=(\d+)")
WAKEUP = re.compile(r"comm=(.*?) pid=(\d+) prio=\d+ target_cpu=(\d+)")
Event = collections.namedtuple("Event", "ms cpu kind comm tid fields stack")


def perf_text(perf_data, offset_ns, start_ms, end_ms):
    """perf script's text of the recording's events in [start_ms, end_ms] (wall clock), with their stacks."""
    window = "%.6f,%.6f" % ((start_ms * 1e6 - offset_ns) / 1e9, (end_ms * 1e6 - offset_ns) / 1e9)
    return subprocess.run(["perf", "script", "-i", perf_data, "--ns", "--time", window,
                           "-F", "comm,tid,cpu,time,event,trace,ip,sym,dso"],
                          capture_output=True, text=True, errors="replace").stdout


def events(text, offset_ns, start_ms, end_ms):
    """The events of perf script's text in [start_ms, end_ms] (wall clock), in order."""
    found = []
    for line in text.splitlines():
        m = HEADER.match(line)
        if m:
            ms = (float(m.group(4)) * 1e9 + offset_ns) / 1e6
            found.append(Event(ms, int(m.group(3)), m.group(5), m.group(1), int(m.group(2)), m.group(6), [])
                         if start_ms <= ms <= end_ms else None)
        elif found and found[-1] and line.strip():
            parts = line.split(None, 1)
            found[-1].stack.append(re.sub(r"\+0x[0-9a-f]+", "", parts[1].strip() if len(parts) > 1 else parts[0]))
    return [e for e in found if e]


def recording(path):
    """(offset ns, a function (from, to) -> perf script text) for a recording (X.perf.data beside X.perf.offset),
    or for an excerpt of one (X.perf.txt.xz, whose first line is the offset)."""
    if path.endswith(".xz"):
        with lzma.open(path, "rt") as f:
            offset_ns = int(f.readline())
            text = f.read()
        return offset_ns, lambda a, b: text
    offset_ns = int(open(path[:-len(".data")] + ".offset").read())
    return offset_ns, lambda a, b: perf_text(path, offset_ns, a, b)


def short(stack, depth=12):
    """The stack's interesting frames: no scheduler internals, no unknowns."""
    skip = ("__schedule", "schedule", "[unknown]", "ttwu_", "try_to_wake_up", "wake_up_q", "entry_SYSCALL",
            "do_syscall_64")
    frames = [f for f in stack if not any(f.startswith(s) for s in skip)]
    return " < ".join(frames[:depth]) or "(no stack)"


def explain(gap_events, start, end, out):
    """Prints what the window's threads did in [start, end] (sleeps with where and who woke them, waits for a CPU,
    preemptions), what each CPU ran, and the stretches the host took a CPU; returns the gap less the host's part:
    the stretches in which a CPU that one of the window's threads was on, queued for or asleep on (its timers fire
    there) ran nothing at all."""
    tids = {}
    for e in gap_events:
        if e.kind == "sched_switch":
            m = SWITCH.match(e.fields)
            if m:
                for comm, tid in ((m.group(1), m.group(2)), (m.group(4), m.group(5))):
                    if comm in WINDOW_THREADS:
                        tids[int(tid)] = WINDOW_THREADS[comm]
    running = {}  # cpu -> (comm/tid, since ms)
    occupancy = collections.defaultdict(collections.Counter)
    asleep = {}  # tid -> (since, stack, state)
    homes = collections.defaultdict(list)  # window thread -> [(ms, cpu it is on, queued for or asleep on)]
    last_seen = {}  # cpu -> ms of its last event
    stolen = []  # (cpu, from, to, the window's threads homed there)

    def note_silence(cpu, a, b, task):
        if b - a >= SILENCE_MS and b > start and not task.startswith("swapper"):
            there = sorted({tids[t] for t, moves in homes.items()
                            if any(c == cpu and ms <= b for ms, c in moves[-1:])
                            or any(c == cpu and a <= ms <= b for ms, c in moves)})
            stolen.append((cpu, a, b, there))

    for e in gap_events:
        note_silence(e.cpu, last_seen.get(e.cpu, gap_events[0].ms), e.ms, e.comm)
        last_seen[e.cpu] = e.ms
        if e.kind == "sched_switch":
            m = SWITCH.match(e.fields)
            if not m:
                continue
            prev_comm, prev_tid, state, next_comm, next_tid = m.group(1), int(m.group(2)), m.group(3), m.group(4), \
                int(m.group(5))
            name, since = running.get(e.cpu, ("%s/%d" % (prev_comm, prev_tid), start))
            if e.ms >= start:
                occupancy[e.cpu][name] += e.ms - max(since, start)
            running[e.cpu] = ("%s/%d" % (next_comm, next_tid), e.ms)
            for tid in (prev_tid, next_tid):
                if tid in tids:
                    homes[tid].append((e.ms, e.cpu))
            if prev_tid in tids and state not in ("R", "R+"):
                asleep[prev_tid] = (e.ms, e.stack, state)
            elif prev_tid in tids and e.ms >= start:
                print("  %+7.1f %s preempted on cpu%d by %s/%d" % (e.ms - start, tids[prev_tid], e.cpu, next_comm,
                                                                  next_tid), file=out)
            if next_tid in tids and e.ms >= start:
                print("  %+7.1f %s runs on cpu%d" % (e.ms - start, tids[next_tid], e.cpu), file=out)
        elif e.kind == "sched_wakeup":
            m = WAKEUP.match(e.fields)
            if not m or int(m.group(2)) not in tids:
                continue
            tid = int(m.group(2))
            homes[tid].append((e.ms, int(m.group(3))))
            since, stack, state = asleep.pop(tid, (None, [], "?"))
            if since is not None and e.ms - since >= 5 and e.ms >= start:
                print("  %+7.1f %s slept %.1f ms (%s) in: %s" % (since - start, tids[tid], e.ms - since, state,
                                                                 short(stack)), file=out)
                print("  %+7.1f   woken by %s/%d on cpu%d (to run on cpu%s) in: %s"
                      % (e.ms - start, e.comm, e.tid, e.cpu, m.group(3), short(e.stack)), file=out)
    for cpu, seen in last_seen.items():
        note_silence(cpu, seen, end, running.get(cpu, ("?", 0))[0])
    for tid, (since, stack, state) in asleep.items():
        if end - since >= 5:
            print("  %+7.1f %s asleep to the end (%s) in: %s" % (since - start, tids[tid], state, short(stack)),
                  file=out)
    for cpu, (name, since) in running.items():
        occupancy[cpu][name] += end - max(since, start)
    for cpu in sorted(occupancy):
        print("  cpu%d ran: %s" % (cpu, ", ".join("%s %.0f" % (n, ms) for n, ms in occupancy[cpu].most_common(6))),
              file=out)
    for cpu, a, b, there in stolen:
        print("  cpu%d ran nothing for %.0f ms, from %+.1f to %+.1f, with %s on it" % (
            cpu, b - a, a - start, b - start, ", ".join(there) or "none of the window's threads"), file=out)
    host = cpu_steal.union_length([(max(a, start), min(b, end)) for _, a, b, there in stolen if there])
    return max(end - start - host, 0.0)


def main(demo_log, perf_data, margin_ms=MARGIN_MS):
    offset_ns, text_of = recording(perf_data)
    text = open(demo_log).read()
    gaps = cpu_steal.listed_gaps(text, cpu_steal.RUN_LISTS[0]) or []
    if not gaps:
        print("no gap > 50 ms in the run")
        return
    rests = []
    for length, at_s, start, end in gaps:
        print("%s ms gap at +%s s of the run:" % (length, at_s))
        a = start - margin_ms
        rest = explain(events(text_of(a, end), offset_ns, a, end), start, end, sys.stdout)
        print("  => %s ms gap, of which %.0f ms not the host's" % (length, rest))
        rests.append(rest)
    print("largest gap less the host's part: %.0f ms" % max(rests))


def excerpt(demo_log, perf_data, out_path, margin_ms=MARGIN_MS):
    """Keeps perf script's text of each gap > 50 ms of the run with margin_ms before it, xz-compressed: what the
    gap report reads, a few hundred kB where the recording takes 100 MB and more."""
    offset_ns, text_of = recording(perf_data)
    with lzma.open(out_path, "wt") as out:
        out.write("%d\n" % offset_ns)
        for _, _, start, end in cpu_steal.listed_gaps(open(demo_log).read(), cpu_steal.RUN_LISTS[0]) or []:
            out.write(text_of(start - margin_ms, end))


def check(perf_data, steal_log):
    """Checks the rule that a busy CPU's silence is the host's over a whole run: each silence >= SILENCE_MS of a
    CPU that was not idle against the steal counter of that CPU (scripts/cpu-steal.py's log, which dates a steal
    when the counter moved: 0-50 ms after the CPU came back), and each steal of 30 ms or more against the
    silences."""
    offset_ns = int(open(perf_data[:-len(".data")] + ".offset").read())
    script = subprocess.Popen(["perf", "script", "-i", perf_data, "--ns", "-F", "comm,cpu,time"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, errors="replace")
    found, last = [], {}
    line_format = re.compile(r"^\s*(.+?)\s+\[(\d+)\]\s+([\d.]+):")
    for line in script.stdout:
        m = line_format.match(line)
        if not m:
            continue
        cpu, ms = int(m.group(2)), (float(m.group(3)) * 1e9 + offset_ns) / 1e6
        if cpu in last and ms - last[cpu] >= SILENCE_MS and not m.group(1).startswith("swapper"):
            found.append((cpu, last[cpu], ms))
        last[cpu] = ms
    first, final = min(last.values(), default=0), max(last.values(), default=0)
    steals = [(int(ms), int(what[3:]), int(n)) for ms, what, n in (line.split() for line in open(steal_log))
              if what.startswith("cpu") and first <= int(ms) <= final + 60]

    def matches(silence, steal):
        (cpu, a, b), (ms, steal_cpu, _) = silence, steal
        return cpu == steal_cpu and b - 10 <= ms <= b + 60

    alone = [s for s in found if not any(matches(s, t) for t in steals)]
    big = [t for t in steals if t[2] >= 3]
    unseen = [t for t in big if not any(matches(s, t) for s in found)]
    print("%d silences of a busy CPU (>= %d ms, %.0f ms in all), %d with the steal counter of that CPU moving as it "
          "ended" % (len(found), SILENCE_MS, sum(b - a for _, a, b in found), len(found) - len(alone)))
    for cpu, a, b in alone:
        print("  without steal: cpu%d %.0f ms at %+.3f s" % (cpu, b - a, (a - first) / 1000))
    print("%d steals of 30 ms or more, %d of them with such a silence" % (len(big), len(big) - len(unseen)))
    for ms, cpu, n in unseen:
        print("  without silence: cpu%d %d ms logged at %+.3f s" % (cpu, n * cpu_steal.TICK_MS, (ms - first) / 1000))


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    if len(sys.argv) == 4 and sys.argv[1] == "check":
        check(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 5 and sys.argv[1] == "excerpt":
        excerpt(sys.argv[2], sys.argv[3], sys.argv[4])
    elif len(sys.argv) in (3, 4):
        main(sys.argv[1], sys.argv[2], *(float(a) for a in sys.argv[3:]))
    else:
        sys.exit(__doc__)
