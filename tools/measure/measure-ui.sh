#!/usr/bin/env bash
# Measures the workbench's responsiveness as a user would meet it: the real window under Xvfb, a code4 training
# started from the window, stored runs overlaid, a digit redrawn twice a second on the drawing pad. Prints the
# pulse-gap and prediction figures of the workbench's Demo (from the Start until 3 s after the run's end) and saves
# screenshots of every tab; keeps the demo's output as OUT.log, the steal as OUT.steal.log and the threads'
# scheduling as OUT.steal.threads.log (tools/measure/cpu-steal.py report/summary read them again).
# Usage: tools/measure/measure-ui.sh OUT.png [RUNS_DIR]    (RUNS_DIR: stored runs to overlay, copied; default none)
# Environment: DEMO_EPOCHS (5), DEMO_SUBSET (12000), DEMO_SHOT_EPOCH (4), DEMO_WATCHDOG (ms; prints the FX
# thread's stack on longer gaps), DEMO_ZOOM (false), EXTRA_JAVA_OPTS, STEAL_EVERY_THREAD=1 (cpu-steal.py samples
# every JVM thread, to name who ran in a gap; costs some CPU, so for diagnosis only), PERF_SCHED=1 (records every
# context switch and wake-up of the machine with its kernel and user stack as OUT.perf.data, for
# tools/measure/sched-gaps.py; needs perf from linux-perf and root).
# Needs xvfb-run and GTK 3 (apt-get install -y xvfb xauth libgtk-3-0). Run nothing else heavy meanwhile: the
# machine has two cores and the figures are about sharing them with the training.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:?usage: tools/measure/measure-ui.sh OUT.png [RUNS_DIR]}"
runs="${2:-}"
(cd "$here" && mvn -B -q -DskipTests package)
gc="-XX:MaxGCPauseMillis=10"
if java -XX:+UseShenandoahGC -version > /dev/null 2>&1; then
  gc="-XX:+UseShenandoahGC" # as ./drill opens the window, with its 2 GB heap
fi
opts=(-Xmx2g "$gc" -Dprism.order=sw "-Dmnistdrill.cpuGuard=${CPU_GUARD:-true}" -Dmnistdrill.demo.preset=code4
  "-Dmnistdrill.demo.subset=${DEMO_SUBSET:-12000}" "-Dmnistdrill.demo.epochs=${DEMO_EPOCHS:-5}"
  "-Dmnistdrill.demo.shotEpoch=${DEMO_SHOT_EPOCH:-4}" "-Dmnistdrill.demo.zoom=${DEMO_ZOOM:-false}"
  "-Dmnistdrill.screenshot=$out")
# A copy of the runs to overlay, so that every measurement overlays the same ones (the demo stores its own run
# there too); without RUNS_DIR a fresh empty folder, so that measuring never adds runs to the user's.
copy="$(mktemp -d)"
log="${out%.png}.log"
steal_log="${out%.png}.steal.log"
monitor=""
recorder=""
cleanup() {
  [[ -n "$monitor" ]] && kill "$monitor" 2>/dev/null
  [[ -n "$recorder" ]] && kill -INT "$recorder" 2>/dev/null
  rm -rf "$copy"
}
trap cleanup EXIT
[[ -n "$runs" ]] && cp -r "$runs/." "$copy/"
opts+=("-Dmnistdrill.runs=$copy")
[[ -n "${DEMO_WATCHDOG:-}" ]] && opts+=("-Dmnistdrill.demo.watchdog=$DEMO_WATCHDOG")
# This machine is a VM: CPU time its host takes ("steal") stalls every thread, the FX thread too, whatever the
# app does. Log it as it happens (kept as OUT.steal.log) and line it up with the frame gaps afterwards.
python3 "$here/tools/measure/cpu-steal.py" monitor "$steal_log" &
monitor=$!
if [[ "${PERF_SCHED:-}" == 1 ]]; then
  # perf stamps events with CLOCK_MONOTONIC (it refuses CLOCK_REALTIME here); the demo logs wall-clock ms, so
  # keep the offset between the two beside the recording
  python3 -c 'import time; print(int((time.time() - time.monotonic()) * 1e9))' > "${out%.png}.perf.offset"
  perf record -q -k mono -e sched:sched_switch,sched:sched_wakeup -a -g -o "${out%.png}.perf.data" \
    > /dev/null 2>&1 &
  recorder=$!
fi
read -r _ u0 n0 s0 i0 w0 q0 sq0 st0 _ < /proc/stat
rc=0
# shellcheck disable=SC2086
timeout 600 xvfb-run -a -s "-screen 0 1600x1000x24" java "${opts[@]}" ${EXTRA_JAVA_OPTS:-} \
  -cp "$here/target/mnist-drill-0.1.0.jar:$here/target/test-classes:$here/target/lib/*" dev.mnistdrill.ui.Demo 2>&1 \
  | tee "$log" || rc=$?
read -r _ u1 n1 s1 i1 w1 q1 sq1 st1 _ < /proc/stat
kill "$monitor" 2>/dev/null || true
monitor=""
if [[ -n "$recorder" ]]; then
  kill -INT "$recorder" 2>/dev/null || true
  wait "$recorder" || true
  recorder=""
fi
total=$(( (u1+n1+s1+i1+w1+q1+sq1+st1) - (u0+n0+s0+i0+w0+q0+sq0+st0) ))
echo "cpu steal during the run: $(( 100 * (st1 - st0) / (total > 0 ? total : 1) ))% of CPU time ($(( st1 - st0 )) of $total ticks); load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$here/tools/measure/cpu-steal.py" report "$log" "$steal_log"
exit "$rc"
