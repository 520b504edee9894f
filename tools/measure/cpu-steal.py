#!/usr/bin/env python3
"""CPU steal and the scheduling of the window's threads beside the workbench's frame gaps.

This machine is a VM: when its host takes a virtual CPU away ("steal"), every thread on that CPU stops, the JavaFX
thread too, whatever the app does; the host here takes one for 100 ms at a time. This tool logs each CPU's steal
as it happens and, once the window is up, how the threads that make a frame were scheduled: the FX thread, the
render thread and the X server (time run, time spent runnable waiting for a CPU, which CPU). It then lines both up
with the frame gaps that the workbench's Demo reports, so that a gap says whether it was work, a wait for a CPU
(the training's threads, or another process), the host's steal, or sleep (waiting on another thread).

  cpu-steal.py monitor X.log            logs "wall-ms cpuN ticks" whenever a CPU's steal counter moves, "wall-ms
                                        monitor-stall ms" when its own polling stood still, and
                                        "wall-ms thread run-us wait-us cpu" samples into X.threads.log (until
                                        killed); with STEAL_EVERY_THREAD=1 every JVM thread, not only the window's
  cpu-steal.py report DEMO.log OUT.log  each gap > 50 ms of the run with the steal and the scheduling in its window
  cpu-steal.py summary DEMO.log...      a line per run (its steal log beside it as DEMO.steal.log), then all
                                        predictions
  cpu-steal.py excerpt DEMO.log THREADS.log OUT   keeps the threads log's lines within 0.5 s of a gap of the run
"""
import bisect
import glob
import lzma
import os
import re
import signal
import sys
import time

TICK_MS = 10  # USER_HZ = 100
STALL_MS = 40  # a round of the monitor takes ~5 ms
# /proc comm names are cut at 15 characters
# glass's InvokeLaterDispatcher posts the FX thread's pulses (and every runLater) to it
THREADS = {"JavaFX Applicat": "fx", "QuantumRenderer": "render", "InvokeLaterDisp": "dispatch"}


def find_window_threads(every_thread=False):
    """{label: /proc task path} of the JavaFX window's threads and the X server, once they exist; with every_thread
    also the JVM's other threads, labelled "name#tid"."""
    found = {}
    for comm_path in glob.glob("/proc/[0-9]*/task/[0-9]*/comm"):
        try:
            comm = open(comm_path).read().strip()
        except OSError:
            continue
        if comm in THREADS:
            found[THREADS[comm]] = os.path.dirname(comm_path)
        elif comm == "Xvfb":
            found["xvfb"] = os.path.dirname(comm_path)
    if "fx" not in found:
        return {}
    if every_thread:
        jvm = os.path.dirname(found["fx"])
        for task in glob.glob(jvm + "/[0-9]*"):
            if task not in found.values():
                try:
                    comm = open(task + "/comm").read().strip().replace(" ", "_")
                except OSError:
                    continue
                found["%s#%s" % (comm, os.path.basename(task))] = task
    return found


def sample(task):
    """(run µs, wait-for-a-CPU µs, CPU) of one thread, or None once it is gone."""
    try:
        run_ns, wait_ns, _ = open(task + "/schedstat").read().split()
        stat = open(task + "/stat").read()
    except (OSError, ValueError):
        return None
    cpu = stat[stat.rindex(")") + 2:].split()[36]  # field 39, "processor": the CPU it last ran on
    return int(run_ns) // 1000, int(wait_ns) // 1000, cpu


def monitor(out_path):
    previous = {}
    threads = {}
    last_thread_sample = {}
    next_search = 0
    # every thread of the JVM, to see who took the CPUs in a gap: ~100 threads sampled, so only when diagnosing
    every_thread = os.environ.get("STEAL_EVERY_THREAD") == "1"
    last_round = None
    with open(out_path, "w") as out, open(out_path[:-4] + ".threads.log" if out_path.endswith(".log")
                                          else out_path + ".threads", "w") as thread_out:
        while True:
            now = int(time.time() * 1000)
            if last_round is not None and now - last_round > STALL_MS:
                # this loop itself did not run: its CPU was stolen, or the whole machine stood still
                out.write("%d monitor-stall %d\n" % (now, now - last_round))
            last_round = now
            with open("/proc/stat") as stat:
                for line in stat:
                    if line.startswith("cpu") and line[3] != " ":
                        fields = line.split()
                        steal = int(fields[8])
                        cpu = fields[0]
                        if cpu in previous and steal != previous[cpu]:
                            out.write("%d %s %d\n" % (now, cpu, steal - previous[cpu]))
                            out.flush()
                        previous[cpu] = steal
            if (not threads or every_thread) and now >= next_search:
                threads = find_window_threads(every_thread)
                next_search = now + (1000 if threads else 200)
            for label, task in list(threads.items()):
                s = sample(task)
                if s is None:
                    del threads[label]
                elif last_thread_sample.get(label) != s:
                    thread_out.write("%d %s %d %d %s\n" % (now, label, s[0], s[1], s[2]))
                    last_thread_sample[label] = s
            time.sleep(0.004)


def load_threads(path):
    """{label: [(ms, run µs, wait µs, cpu)]} from a monitor's threads log, if there is one."""
    samples = {}
    if os.path.exists(path):
        lines = open(path)
    elif os.path.exists(path + ".xz"):  # as committed under docs/results
        lines = lzma.open(path + ".xz", "rt")
    else:
        return samples
    for line in lines:
        ms, label, run, wait, cpu = line.split()
        samples.setdefault(label, []).append((int(ms), int(run), int(wait), cpu))
    return samples


def at(series, ms):
    """The counters as of wall-clock ms: the last sample at or before it (counters only move forward)."""
    i = bisect.bisect_right(series, ms, key=lambda sample: sample[0])
    return series[i - 1] if i else None


def during(series, a, b):
    """What a sampled thread did in [a, b]: (the CPUs it was on, as "cpuN"; ms it ran; ms it waited for a CPU),
    or None where it was not sampled then."""
    first, last = (at(series, a), at(series, b)) if series else (None, None)
    if first is None or last is None:
        return None
    cpus = {"cpu" + first[3]} | {"cpu" + s[3] for s in series if a <= s[0] <= b}
    return cpus, (last[1] - first[1]) / 1000, (last[2] - first[2]) / 1000


def scheduling(samples, start, end):
    """What each sampled thread did in [start, end], as text: run and wait ms, and the CPUs it was seen on."""
    parts = []
    for label in ("fx", "render", "dispatch", "xvfb"):
        did = during(samples.get(label), start, end)
        if did:
            cpus, ran, waited = did
            parts.append("%s ran %d waited %d on cpu%s" % (label, ran, waited, "/".join(sorted(c[3:] for c in cpus))))
    others = []
    for label, series in samples.items():
        did = during(series, start, end) if "#" in label else None
        if did and max(did[1], did[2]) >= 3:
            others.append((did[1], did[2], label))
    if others:
        parts.append("others ran/waited " + ", ".join(
            "%s %d/%d" % (label, ran, waited) for ran, waited, label in sorted(others, reverse=True)[:8]))
    return "; ".join(parts)


RUN_LISTS = ("pulses of the run (from the Start, PREPARING)", "pulses while training (from RUNNING)")


def listed_gaps(text, label):
    """The gaps > 50 ms a demo log lists under label, as (length text, time text, from, to) with from and to in
    wall-clock ms; None where it has no such list."""
    m = re.search(re.escape(label) + r": .*?first pulse at (\d+) ms.*?gaps > 50 ms: \[(.*?)\]", text)
    if not m:
        return None
    first = int(m.group(1))
    return [(length, at_s, first + float(at_s) * 1000 - float(length), first + float(at_s) * 1000)
            for length, at_s in re.findall(r"(\d+) ms at \+([\d.]+) s", m.group(2))]


def load_steal_log(path):
    """(steals, stalls) of a monitor's log: [(ms, "cpuN", ticks)] and [(ms, "monitor-stall", ms it stood still)]."""
    entries = [(int(ms), what, int(n)) for ms, what, n in (line.split() for line in open(path))]
    return [e for e in entries if e[1].startswith("cpu")], [e for e in entries if e[1] == "monitor-stall"]


def run_first_pulse(text):
    """Wall-clock ms of the first pulse of the run (from the Start) in a demo log, or None."""
    m = re.search(r"pulses of the run \(.*?first pulse at (\d+) ms", text)
    return int(m.group(1)) if m else None


def steal_intervals(steals, cpu, start, end):
    """The parts of [start, end] the host took from cpu, as (from, to) in wall-clock ms. A steal of k ticks logged
    at T happened in the k ticks before T, give or take one: the counter moves at the CPU's first tick once it is
    back, and is polled every 4 ms. Each part is at most its steal's length, placed as late as that allows (so up to
    a tick more than the truth may fall in the gap)."""
    parts = []
    for ms, c, ticks in steals:
        if c == cpu and ms >= start:
            length = ticks * TICK_MS
            a, b = max(start, ms - length - TICK_MS), min(end, ms)
            if b > a:
                parts.append((max(a, b - length), b))
    return parts


def union_length(parts):
    total, reach = 0.0, float("-inf")
    for a, b in sorted(parts):
        if b > reach:
            total += b - max(a, reach)
            reach = b
    return total


def report(demo_log, steal_log, out=None):
    """Prints each gap's line-up; returns the largest gap less its steal of the run from the Start."""
    out = out or sys.stdout
    largest = {}
    text = open(demo_log).read()
    steals, stalls = load_steal_log(steal_log)
    samples = load_threads(steal_log[:-4] + ".threads.log" if steal_log.endswith(".log") else steal_log + ".threads")
    for label in RUN_LISTS:
        gaps = listed_gaps(text, label)
        if gaps is None:
            continue
        ended = re.search(r"run ended at \+([\d.]+) s", text)
        # the gaps of both lists are counted from their own first pulse; the end is in the run's clock
        run_first = run_first_pulse(text)
        end_ms = run_first and ended and run_first + float(ended.group(1)) * 1000
        rows = []
        own_max = 0.0
        for length, at_s, start, end in gaps:
            sched = scheduling(samples, start, end)
            all_cpus = sorted({cpu for _, cpu, _ in steals})
            if "fx" in samples:
                # A steal counts where the FX thread was on the stolen CPU, or where it slept through it (neither
                # ran nor waited for a CPU): it waits for other threads too, for its pulse, which glass's
                # InvokeLaterDispatcher posts to it, and for the render thread's previous frame, and a steal of
                # their CPU stalls it as well.
                # Or where the thread that posts its pulses (or paints its frames) was on the stolen CPU and
                # waited for it for at least half of it.
                on_fx, while_asleep, chain = [], [], []
                for c in all_cpus:
                    for a, b in steal_intervals(steals, c, start, end):
                        fx = during(samples["fx"], a, b)
                        if fx and c in fx[0]:
                            on_fx.append((a, b))
                        elif fx and fx[1] + fx[2] <= TICK_MS:
                            while_asleep.append((a, b))
                        elif any(did and c in did[0] and did[2] >= (b - a) / 2
                                 for did in (during(samples.get(t), a, b) for t in ("dispatch", "render"))):
                            chain.append((a, b))
                stolen = union_length(on_fx + while_asleep + chain)
                where = "up to %d ms on the FX thread's CPU" % union_length(on_fx) + (
                    ", %d ms on the other while it slept" % union_length(while_asleep) if while_asleep else "") + (
                    ", %d ms on the other while its dispatcher or renderer waited for it" % union_length(chain)
                    if chain else "")
            else:
                # not known: the CPU that lost the most in the window, not the sum of both
                stolen = max((union_length(steal_intervals(steals, c, start, end)) for c in all_cpus), default=0)
                where = "up to %d ms on one CPU" % stolen
            # The monitor wakes every 4 ms at the window's priority: where it did not run while no thread of the
            # window even waited for a CPU, no CPU ran anything of this machine, whatever the steal counters say
            # (the host stopped the whole VM, which it does not count as steal).
            machine = []
            for ms, _, n in stalls:
                a, b = max(start, ms - n + 5), min(end, ms)  # it sleeps 4 ms a round
                # a thread not sampled then counts as idle
                if b > a and all(not did or did[1] + did[2] <= TICK_MS
                                 for did in (during(samples.get(t), a, b) for t in ("fx", "render", "dispatch"))):
                    machine.append((a, b))
            if machine:
                stolen = union_length(on_fx + while_asleep + chain + machine) if "fx" in samples else stolen
                where += "; the whole machine stood still %d ms (the monitor too, nothing of the window runnable)" \
                    % union_length(machine)
            own = max(float(length) - stolen, 0)
            own_max = max(own_max, own)
            rows.append("%s ms at +%s s (%ssteal %s, rest %d ms%s)"
                        % (length, at_s, "after the run's end; " if end_ms and end > end_ms else "", where, own,
                           "; " + sched if sched else ""))
        largest[label] = own_max
        print("%s: gaps > 50 ms with the CPU steal in their window: [%s]; largest gap less its steal: %.0f ms"
              % (label, ", ".join(rows), own_max), file=out)
    print("steal over the whole log: %d ms in %d events, %d of 100 ms or more"
          % (sum(t for _, _, t in steals) * TICK_MS, len(steals), sum(1 for _, _, t in steals if t >= 10)), file=out)
    return next((v for k, v in largest.items() if k.startswith("pulses of the run")), None)


def gap_windows(text):
    """(from, to) wall-clock ms of every gap > 50 ms of the run that a demo log lists."""
    return [(start, end) for label in RUN_LISTS for _, _, start, end in listed_gaps(text, label) or []]


def excerpt(demo_log, threads_log, out_path, margin_ms=500):
    """The threads log's lines within margin_ms of a gap > 50 ms of the run, and each thread's last line before
    such a stretch (its counters there): all that report needs."""
    windows = gap_windows(open(demo_log).read())
    lines = open(threads_log).readlines()
    keep = set()
    last_of = {}
    for index, line in enumerate(lines):
        ms, label = line.split(" ", 2)[:2]
        ms = int(ms)
        if any(a - margin_ms <= ms <= b + margin_ms for a, b in windows):
            keep.add(index)
            keep.update(last_of.values())
            last_of.clear()
        else:
            last_of[label] = index
    with open(out_path, "w") as out:
        out.writelines(lines[i] for i in sorted(keep))


def numbers(text, label):
    m = re.search(re.escape(label) + r"\s*\[([^]]*)\]", text)
    return [float(x) for x in m.group(1).split(",") if x.strip()] if m else []


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def summary(demo_logs):
    """One line per demo log (frames from the Start, gaps net of steal, predictions), then all predictions."""
    import io
    worker, network = [], []
    for log in demo_logs:
        text = open(log).read()
        run = re.search(r"pulses of the run \(.*?\): (\d+) pulses, max gap ([\d.]+) ms, p99 ([\d.]+) ms, "
                        r"median ([\d.]+) ms", text)
        if not run:
            print("%s: no report (the run did not finish)" % log)
            continue
        if not os.path.exists(log[:-4] + ".steal.log"):
            print("%s: no steal log beside it" % log)
            continue
        net = report(log, log[:-4] + ".steal.log", io.StringIO())
        w, n = numbers(text, "draw predictions, worker: rasterise+preprocess+network (ms):"), numbers(
            text, "draw predictions, network alone (ms):")
        worker += w
        network += n
        print("%s: from Start %s pulses, max %s ms, p99 %s, median %s; largest not the host's %.0f ms | predictions "
              "n=%d median %.1f max %.1f >20: %d" % (log, run.group(1), run.group(2), run.group(3), run.group(4),
                                                      net, len(w), percentile(w, 0.5), max(w, default=0),
                                                      sum(1 for x in w if x > 20)))
    print("all predictions: n=%d worker median %.1f ms p95 %.1f max %.1f, %d over 20 ms; network alone median %.1f "
          "max %.1f" % (len(worker), percentile(worker, 0.5), percentile(worker, 0.95), max(worker, default=0),
                        sum(1 for x in worker if x > 20), percentile(network, 0.5), max(network, default=0)))


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # quietly, when piped into head
    if len(sys.argv) == 3 and sys.argv[1] == "monitor":
        monitor(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "report":
        report(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 5 and sys.argv[1] == "excerpt":
        excerpt(sys.argv[2], sys.argv[3], sys.argv[4])
    elif len(sys.argv) >= 3 and sys.argv[1] == "summary":
        summary(sys.argv[2:])
    else:
        sys.exit(__doc__)
