#!/usr/bin/env bash
# Measures start-up of the app image (target/image/MNIST-Drill, built by jlink/build-image.sh):
#   headless  process start -> first training batch done, and -> process exit, of
#             `train --preset code4 --subset 500 --epochs 1` (MNIST already cached), with the JavaCPP native cache
#             warm (~/.javacpp/cache) and cold (an empty cache folder: first start after installing)
#   ui        process start -> first top-level window whose title starts with "MNIST Drill", under Xvfb
#             (needs xvfb-run, xwininfo from x11-utils, libgtk-3-0, and dev.mnistdrill.ui.WorkbenchApp in the app)
# Usage: jlink/measure-startup.sh [headless] [ui] [--dev] [--runs N]     (default: headless ui, 1 run each)
#   --dev   also measure the development launch (java -cp target/mnist-drill-*.jar:target/lib/*) for comparison
#
# "First batch" is when the JVM loads dev.mnistdrill.train.BatchMetrics, which the trainer creates right after the
# first net.fit() returns (-Xlog:class+load with wall-clock time). For the image the option goes into the launcher's
# .cfg of a hard-linked scratch copy of the image, so the measured launch is the real launcher.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
what=()
dev=false
runs=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    headless|ui) what+=("$1") ;;
    --dev) dev=true ;;
    --runs) runs="$2"; shift ;;
    *) echo "usage: $0 [headless] [ui] [--dev] [--runs N]" >&2; exit 2 ;;
  esac
  shift
done
[[ ${#what[@]} -gt 0 ]] || what=(headless ui)
image="target/image/MNIST-Drill"
[[ -x "$image/bin/MNIST-Drill" ]] || { echo "no app image: run jlink/build-image.sh" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
now_ms() { date +%s%3N; }

# A scratch copy of the image (hard links) whose .cfg gets extra JVM options.
scratch_image() { # $1 = name, rest = extra java options
  local dir="$tmp/$1"; shift
  cp -al "$root/$image" "$dir"
  local cfg="$dir/lib/app/MNIST-Drill.cfg"
  cp --remove-destination "$cfg" "$cfg.tmp" && mv "$cfg.tmp" "$cfg"
  for o in "$@"; do echo "java-options=$o" >>"$cfg"; done
  echo "$dir/bin/MNIST-Drill"
}

first_batch_ms() { # $1 = class-load log, $2 = start ms
  local t
  t="$(grep -m1 'dev.mnistdrill.train.BatchMetrics ' "$1" | sed -n 's/^\[\([0-9]*\)ms\].*/\1/p')"
  [[ -n "$t" ]] && echo $((t - $2)) || echo "?"
}

headless_once() { # $1 = label (its class-load log is $tmp/cl-<label>.log), rest = command
  local label="$1"; shift
  local log="$tmp/cl-$label.log" start end
  rm -f "$log"
  start=$(now_ms)
  "$@" train --preset code4 --subset 500 --epochs 1 --runs "$tmp/runs" >"$tmp/out-$label.txt" 2>&1
  end=$(now_ms)
  echo "$label: first batch after $(first_batch_ms "$log" "$start") ms, exit after $((end - start)) ms"
}

if [[ " ${what[*]} " == *" headless "* ]]; then
  xlog='-Xlog:class+load=info:file=%s:timemillis'
  warm="$(scratch_image warm "$(printf -- "$xlog" "$tmp/cl-image-warm.log")")"
  "$warm" doctor >/dev/null 2>&1 || true # loads the natives once, so that ~/.javacpp/cache is warm
  for i in $(seq 1 "$runs"); do
    headless_once image-warm "$warm"
  done
  for i in $(seq 1 "$runs"); do
    rm -rf "$tmp/jcc"
    cold="$(rm -rf "$tmp/cold"; scratch_image cold "$(printf -- "$xlog" "$tmp/cl-image-cold.log")" \
      "-Dorg.bytedeco.javacpp.cachedir=$tmp/jcc")"
    headless_once image-cold "$cold"
  done
  if $dev; then
    jar="$(ls target/mnist-drill-*.jar | head -1)"
    for i in $(seq 1 "$runs"); do
      headless_once dev-warm java -Xmx1g "$(printf -- "$xlog" "$tmp/cl-dev-warm.log")" -cp "$jar:target/lib/*" dev.mnistdrill.app.Main
    done
  fi
fi

ui_once() { # $1 = label, rest = command
  local label="$1"; shift
  timeout 180 xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
    label="$1"; shift
    start=$(date +%s%3N)
    "$@" >/dev/null 2>&1 & pid=$!
    while kill -0 $pid 2>/dev/null; do
      if xwininfo -root -tree 2>/dev/null | grep -q "\"MNIST Drill"; then
        echo "$label: first window after $(( $(date +%s%3N) - start )) ms"
        kill $pid; wait $pid 2>/dev/null; exit 0
      fi
      sleep 0.05
    done
    echo "$label: exited without a window"; exit 1' _ "$label" "$@"
}

if [[ " ${what[*]} " == *" ui "* ]]; then
  if ! "${JAVA_HOME:+$JAVA_HOME/bin/}jar" tf "$(ls "$image"/lib/app/mnist-drill-*.jar)" | grep -q 'dev/mnistdrill/ui/WorkbenchApp.class'; then
    echo "ui: skipped (no dev.mnistdrill.ui.WorkbenchApp in the app jar yet)"
  else
    for i in $(seq 1 "$runs"); do ui_once image "$root/$image/bin/MNIST-Drill"; done
    if $dev; then
      jar="$(ls target/mnist-drill-*.jar | head -1)"
      for i in $(seq 1 "$runs"); do ui_once dev java -Xmx1g -cp "$jar:target/lib/*" dev.mnistdrill.app.Main; done
    fi
  fi
fi
