#!/usr/bin/env python3
"""Why the JavaFX thread did not pulse: each frame gap of a demo run, read from the kernel's own scheduler events.

tools/measure/measure-ui.sh with PERF_SCHED=1 records every context switch and wake-up of the machine, each with its
kernel and user stack (OUT.perf.data, OUT.perf.offset). For each gap > 50 ms that the demo lists, this prints what
the window's threads did in it: when the FX thread ran, slept or waited for a CPU; where it went to sleep (its stack
at the switch) and who woke it (the waker's stack); what each CPU ran meanwhile; and the stretches in which a busy
CPU recorded nothing at all. Such a stretch is the host's where the steal counter of that CPU (DEMO.steal.log, from
tools/measure/cpu-steal.py monitor, beside the demo's log) moves as it ends: the host froze that virtual CPU. A thread
running alone is silent too, so a stretch without steal stays in the gap. Then the gap less the host's stretches on
CPUs that held one of the window's threads (for no more than the counter says), and the largest such rest.

  sched-gaps.py DEMO.log PERF [MARGIN_MS]         PERF: X.perf.data, or an excerpt of it (X.perf.txt.xz);
                                                  MARGIN_MS (default 40) of context before each gap
  sched-gaps.py excerpt DEMO.log PERF.data OUT.xz perf script's text of the gaps, to keep where the data is not
  sched-gaps.py check PERF.data STEAL.log [DEMO.log]   the whole run's silences against the steal counters
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
# was current, is either a thread running alone or time the guest's CPU ran nothing because the host took it; the
# steal counter tells which.
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


def steal_at_end(steals, cpu, a, b, open_ended, used):
    """The steal of cpu (ms logged, ticks), not in used, that ends a silence (a, b) of it, added to used; or None.
    The counter moves at the CPU's first tick once it is back and the monitor polls it every 4 ms, so it is logged
    within 60 ms after the silence (110 where the window cut the silence at b). Where the monitor itself was frozen
    between reading the clock and the counter, it carries a time inside the silence (or up to 5 ms before it: it
    keeps whole ms); such a steal ends this silence only if the silence is about as long as the steal, so that a
    short silence right after a freeze does not take the freeze's steal."""
    tick = cpu_steal.TICK_MS
    late = [(ms, n) for ms, c, n in steals if c == "cpu%d" % cpu and (ms, c, n) not in used
            and b - 10 <= ms <= b + (110 if open_ended else 60)]
    early = [(ms, n) for ms, c, n in steals if c == "cpu%d" % cpu and (ms, c, n) not in used
             and a - 5 <= ms < b - 10 and b - a >= (n - 1) * tick]
    found = (late or early or [None])[0]
    if found:
        used.add((found[0], "cpu%d" % cpu, found[1]))
    return found


def explain(gap_events, start, end, steals, used, out):
    """Prints what the window's threads did in [start, end] (sleeps with where and who woke them, waits for a CPU,
    preemptions), what each CPU ran, and the stretches a busy CPU recorded nothing; returns the gap less the host's
    part: the part of such a stretch that the steal counter of that CPU confirms, where one of the window's threads
    was on that CPU, queued for it or asleep on it (its timers fire there). A stretch without steal is a thread
    running alone, the FX thread's own long frame among them, and stays in the gap."""
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
    silent = []  # (cpu, from, to, open at the window's end, task current, the window's threads homed there)

    def note_silence(cpu, a, b, task, open_ended=False):
        if b - a >= SILENCE_MS and b > start and not task.startswith("swapper"):
            there = sorted({tids[t] for t, moves in homes.items()
                            if any(c == cpu and ms <= b for ms, c in moves[-1:])
                            or any(c == cpu and a <= ms <= b for ms, c in moves)})
            silent.append((cpu, a, b, open_ended, task, there))

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
        note_silence(cpu, seen, end, running.get(cpu, ("?", 0))[0], open_ended=True)
    for tid, (since, stack, state) in asleep.items():
        if end - since >= 5:
            print("  %+7.1f %s asleep to the end (%s) in: %s" % (since - start, tids[tid], state, short(stack)),
                  file=out)
    for cpu, (name, since) in running.items():
        occupancy[cpu][name] += end - max(since, start)
    for cpu in sorted(occupancy):
        print("  cpu%d ran: %s" % (cpu, ", ".join("%s %.0f" % (n, ms) for n, ms in occupancy[cpu].most_common(6))),
              file=out)
    host = []
    for cpu, a, b, open_ended, task, there in sorted(silent, key=lambda silence: silence[2]):
        steal = steal_at_end(steals, cpu, a, b, open_ended, used)
        cut = open_ended or a == gap_events[0].ms
        print("  cpu%d recorded nothing for %s%.0f ms, from %+.1f to %+.1f%s, current %s, with %s on it; %s" % (
            cpu, "at least " if cut else "", b - a, a - start, b - start, " (the window's edge)" if cut else "", task,
            ", ".join(there) or "none of the window's threads",
            "steal of %d ms logged %+.0f ms from its end" % (steal[1] * cpu_steal.TICK_MS, steal[0] - b) if steal
            else "no steal logged: not the host's"), file=out)
        if steal and there:
            # no more than the counter says (to a tick), ending where the CPU came back: at the silence's end, or
            # where the window cut it, as late as the counter allows
            back = max(b, steal[0]) if open_ended else b
            host.append((max(a, start, back - (steal[1] + 1) * cpu_steal.TICK_MS), min(b, end)))
    return max(end - start - cpu_steal.union_length(host), 0.0)


def main(demo_log, perf_data, margin_ms=MARGIN_MS):
    offset_ns, text_of = recording(perf_data)
    text = open(demo_log).read()
    steals, _ = cpu_steal.load_steal_log(demo_log[:-4] + ".steal.log")
    gaps = cpu_steal.listed_gaps(text, cpu_steal.RUN_LISTS[0]) or []
    if not gaps:
        print("no gap > 50 ms in the run")
        return
    rests = []
    used = set()  # a steal ends one silence
    for length, at_s, start, end in gaps:
        print("%s ms gap at +%s s of the run:" % (length, at_s))
        a = start - margin_ms
        rest = explain(events(text_of(a, end), offset_ns, a, end), start, end, steals, used, sys.stdout)
        print("  => %s ms gap, of which %.0f ms not the host's" % (length, rest))
        rests.append(rest)
    print("largest gap less the host's part: %.0f ms" % max(rests))


def excerpt(demo_log, perf_data, out_path, margin_ms=MARGIN_MS):
    """Keeps perf script's text of each gap > 50 ms of the run with margin_ms before it, xz-compressed: what the
    gap report reads, a few hundred kB where the recording takes 100 MB and more."""
    offset_ns, text_of = recording(perf_data)
    with lzma.open(out_path, "wt") as out:
        out.write("%d\n" % offset_ns)
        windows = []  # merged where a margin reaches into the gap before, so that no event is written twice
        for _, _, start, end in cpu_steal.listed_gaps(open(demo_log).read(), cpu_steal.RUN_LISTS[0]) or []:
            if windows and start - margin_ms <= windows[-1][1]:
                windows[-1] = (windows[-1][0], max(end, windows[-1][1]))
            else:
                windows.append((start - margin_ms, end))
        for a, b in windows:
            out.write(text_of(a, b))


def check(perf_data, steal_log, demo_log=None):
    """Holds a whole run's silences against the steal counters (tools/measure/cpu-steal.py's log, which dates a steal when
    the counter moved, once the CPU was back): each steal of 30 ms or more should end a silence of its CPU, which
    is what makes a silence the host's. Silences without steal are threads running alone (16 ms between two frames
    on a CPU with one training thread, start-up, screenshots); the gap report leaves those in the gap. Times are
    from the run's Start where the demo's log is given, else from the recording's start."""
    offset_ns = int(open(perf_data[:-len(".data")] + ".offset").read())
    script = subprocess.Popen(["perf", "script", "-i", perf_data, "--ns", "-F", "comm,cpu,time"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, errors="replace")
    found, last, first = [], {}, None
    line_format = re.compile(r"^\s*(.+?)\s+\[(\d+)\]\s+([\d.]+):")
    for line in script.stdout:
        m = line_format.match(line)
        if not m:
            continue
        cpu, ms = int(m.group(2)), (float(m.group(3)) * 1e9 + offset_ns) / 1e6
        first = ms if first is None else first
        if cpu in last and ms - last[cpu] >= SILENCE_MS and not m.group(1).startswith("swapper"):
            found.append((cpu, last[cpu], ms))
        last[cpu] = ms
    final = max(last.values(), default=0)
    run_start = cpu_steal.run_first_pulse(open(demo_log).read()) if demo_log else None
    origin, since = (run_start, "the run's Start") if run_start else (first, "the recording's start")
    steals = [(ms, c, n) for ms, c, n in cpu_steal.load_steal_log(steal_log)[0] if first <= ms <= final + 60]
    used = set()
    with_steal = [(cpu, a, b) for cpu, a, b in sorted(found, key=lambda silence: silence[2])
                  if steal_at_end(steals, cpu, a, b, False, used)]
    big = [(ms, c, n) for ms, c, n in steals if n >= 3]
    unseen = [(ms, c, n) for ms, c, n in big if (ms, c, n) not in used]
    print("%d steals of 30 ms or more, %d of them at the end of a silence of their CPU" % (len(big),
                                                                                        len(big) - len(unseen)))
    for ms, cpu, n in unseen:
        print("  without silence: %s %d ms logged at %+.3f s from %s" % (cpu, n * cpu_steal.TICK_MS,
                                                                     (ms - origin) / 1000, since))
    print("%d silences of a busy CPU of %d ms or more, %d of them ending with a steal of their CPU" % (
        len(found), SILENCE_MS, len(with_steal)))
    for low, high in ((SILENCE_MS, 20), (20, 50), (50, 100), (100, 10 ** 9)):
        alone = [(cpu, a, b) for cpu, a, b in found if low <= b - a < high and (cpu, a, b) not in with_steal]
        print("  %s ms without steal: %d%s" % (
            "%d-%d" % (low, high) if high < 10 ** 9 else "%d+" % low, len(alone),
            " (%s)" % ", ".join("cpu%d %.0f ms at %+.1f s from %s" % (cpu, b - a, (a - origin) / 1000, since)
                                for cpu, a, b in alone) if low >= 50 and alone else ""))


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    if len(sys.argv) in (4, 5) and sys.argv[1] == "check":
        check(*sys.argv[2:])
    elif len(sys.argv) == 5 and sys.argv[1] == "excerpt":
        excerpt(sys.argv[2], sys.argv[3], sys.argv[4])
    elif len(sys.argv) in (3, 4):
        main(sys.argv[1], sys.argv[2], *(float(a) for a in sys.argv[3:]))
    else:
        sys.exit(__doc__)
