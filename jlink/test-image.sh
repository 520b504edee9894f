#!/usr/bin/env bash
# Builds the app image (jlink/build-image.sh) and checks it headless, exiting non-zero on any failure:
#   layout      launcher, jlinked runtime with the JavaFX modules, no JavaFX jars on the class path,
#               no JDK tools/man pages/headers, no other OS's native libraries, no measurement classes
#   --version   exit 0, prints "MNIST Drill <version>"
#   doctor      exit 0 and "fast layers:     OK" (the oneDNN native build, its DL4J helpers and our BatchNorm work in the image)
#   train       --preset code4 --subset 500 --epochs 1 --runs <tmp>: exit 0 and a run folder with
#               config.json, metrics.csv (header + 1 epoch), summary.json, model.zip
#   predict     the trained model on a PNG (ImageIO/java.desktop in the runtime): exit 0, prints a prediction
#   JavaFX      a probe window (jlink/probe/FxProbe.java) shown by the image's runtime under Xvfb, and, when the
#               app jar has the workbench (dev.mnistdrill.ui.WorkbenchApp), the launcher with no args must open its
#               window. Needs xvfb-run and GTK 3 (apt-get install -y xvfb xauth libgtk-3-0, or --install-deps);
#               skipped with a SKIP line when they are missing, unless --require-fx.
#
# Usage: jlink/test-image.sh [--skip-build] [--install-deps] [--require-fx]
#   --skip-build    test target/image/MNIST-Drill as it is (default: run jlink/build-image.sh first)
#   --install-deps  apt-get install the JavaFX check's packages first (root, Debian)
#   --require-fx    fail instead of skipping when the JavaFX check cannot run
# Training data: the usual MNIST cache (~/.cache/mnist-drill/mnist, or MNIST_DRILL_DATA); downloaded if missing.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
t0=$(date +%s)

skip_build=false
install_deps=false
require_fx=false
for arg in "$@"; do
  case "$arg" in
    --skip-build) skip_build=true ;;
    --install-deps) install_deps=true ;;
    --require-fx) require_fx=true ;;
    -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $arg (see --help)" >&2; exit 2 ;;
  esac
done

passed=0
failed=0
skipped=0
ok() { echo "PASS $*"; passed=$((passed + 1)); }
bad() { echo "FAIL $*"; failed=$((failed + 1)); }
skip() { echo "SKIP $*"; skipped=$((skipped + 1)); }
finish() {
  echo "image test: $(( $(date +%s) - t0 )) s"
  echo "image: $passed passed, $failed failed, $skipped skipped"
  [[ $failed -eq 0 ]] && exit 0 || exit 1
}

while IFS='=' read -r key value; do
  [[ "$key" =~ ^[A-Z_]+$ ]] && printf -v "$key" '%s' "$value"
done < assets/app.properties
image="target/image/$APP_NAME"
launcher="$image/bin/$APP_NAME"

if ! $skip_build; then
  t_build=$(date +%s)
  if jlink/build-image.sh; then
    ok "build-image ($(( $(date +%s) - t_build )) s)"
  else
    bad "build-image"; finish
  fi
fi
[[ -x "$launcher" ]] || { bad "no launcher at $launcher"; finish; }
version="$(sed -n 's/^version=//p' target/maven-archiver/pom.properties 2>/dev/null)"

jar_bin="${JAVA_HOME:+$JAVA_HOME/bin/}jar"
command -v "$jar_bin" >/dev/null || jar_bin="$(dirname "$(readlink -f "$(command -v javac)")")/jar"
list_jar() { "$jar_bin" tf "$1"; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# --- layout -------------------------------------------------------------------------------------------------------
runtime="$image/lib/runtime"
mods="$("$runtime/bin/java" --list-modules 2>&1 | sed 's/@.*//')"
missing=""
for m in javafx.base javafx.graphics javafx.controls javafx.fxml javafx.swing java.desktop java.net.http jdk.crypto.ec; do
  grep -qx "$m" <<<"$mods" || missing+=" $m"
done
[[ -z "$missing" ]] && ok "runtime has the JavaFX and needed JDK modules ($(wc -l <<<"$mods") modules)" \
  || bad "runtime lacks:$missing"
extra="$(grep -E '^(jdk\.(compiler|jshell|jlink|jpackage|jdeps|jartool|javadoc|jconsole|hotspot\.agent|jfr)|java\.se)$' <<<"$mods")"
[[ -z "$extra" ]] && ok "no JDK tool modules in the runtime" || bad "tool modules in the runtime: $extra"
[[ ! -d "$runtime/man" && ! -d "$runtime/include" && ! -d "$runtime/jmods" ]] && ok "no man pages, headers or jmods" \
  || bad "man pages, headers or jmods in the runtime"
fx_jars="$(ls "$image/lib/app" | grep '^javafx-' || true)"
[[ -z "$fx_jars" ]] && ok "no JavaFX jars on the class path (JavaFX is in the runtime)" || bad "JavaFX jars in lib/app: $fx_jars"
[[ -f "$runtime/lib/libglassgtk3.so" && -f "$runtime/lib/libprism_sw.so" ]] && ok "JavaFX natives in runtime/lib" \
  || bad "JavaFX natives missing from runtime/lib"
foreign="$(find "$image" \( -name '*.dll' -o -name '*.dylib' -o -name '*.jnilib' -o -name '*.exe' \) -print)"
for j in "$image"/lib/app/*.jar; do
  hit="$(list_jar "$j" 2>/dev/null | grep -E '\.(dll|dylib|jnilib)$|(^|/)(windows|macosx|android|ios)-[a-z0-9_]+/' | head -3)"
  [[ -n "$hit" ]] && foreign+=$'\n'"$(basename "$j"): $hit"
done
[[ -z "$foreign" ]] && ok "no other OS's native binaries" || bad "other OS's binaries:$foreign"
# Our measurement tooling (the responsiveness demo, the pulse monitor, the results-table tool) stays in the test
# sources: the app jar must not carry it.
app_jar_file="$(ls "$image"/lib/app/mnist-drill-*.jar | head -1)"
measurement="$(list_jar "$app_jar_file" | grep -E '^dev/mnistdrill/(tools/|ui/Demo|ui/PulseMonitor)' || true)"
[[ -z "$measurement" ]] && ok "no measurement classes in the app jar" \
  || bad "measurement classes in the app jar: $(tr '\n' ' ' <<<"$measurement")"
spark_jars="$(ls "$image/lib/app" | grep -iE '^(spark-|scala-|hadoop-|json4s)' || true)"
[[ -z "$spark_jars" ]] && ok "no Spark or Scala jars (a cluster provides Spark)" || bad "Spark jars in the image: $spark_jars"
mkl="$(ls "$image/lib/app" | grep -iE 'mkl|cuda' || true)"
[[ -z "$mkl" ]] && ok "no MKL/CUDA jars" || bad "MKL/CUDA jars in the image: $mkl"

# --- headless commands --------------------------------------------------------------------------------------------
out="$("$launcher" --version 2>&1)"; rc=$?
[[ $rc -eq 0 && "$out" == *"MNIST Drill $version"* ]] && ok "--version: $(head -1 <<<"$out")" \
  || bad "--version (exit $rc): $out"

out="$("$launcher" doctor 2>&1)"; rc=$?
if [[ $rc -eq 0 && "$out" == *"fast layers:     OK"* ]]; then
  ok "doctor: $(grep -E '^(native build|fast layers)' <<<"$out" | tr -s ' ' | paste -sd ';' -)"
else
  bad "doctor (exit $rc):"$'\n'"$out"
fi

out="$("$launcher" study --preset code1 --seeds 1 --epochs 1 --last 1 --subset 500 --runs "$tmp/spark-runs" --spark 'local[1]' 2>&1)"; rc=$?
[[ $rc -eq 2 && "$out" == *"needs Apache Spark"* && ! -d "$tmp/spark-runs" ]] \
  && ok "study --spark without Spark: exit 2, nothing trained: $(grep -m1 -o 'needs Apache Spark[^:]*' <<<"$out")" \
  || bad "study --spark without Spark (exit $rc): $(tail -3 <<<"$out")"

t_train=$(date +%s)
"$launcher" train --preset code4 --subset 500 --epochs 1 --runs "$tmp/runs" >"$tmp/train.log" 2>&1; rc=$?
run="$(ls -d "$tmp"/runs/*/ 2>/dev/null | head -1)"
files_ok=true
for f in config.json metrics.csv summary.json model.zip; do [[ -s "$run/$f" ]] || files_ok=false; done
if [[ $rc -eq 0 && -n "$run" ]] && $files_ok && [[ $(wc -l <"$run/metrics.csv") -ge 2 ]]; then
  ok "train --subset 500 --epochs 1 ($(( $(date +%s) - t_train )) s): $(basename "$run") with config.json metrics.csv summary.json model.zip"
else
  bad "train (exit $rc, run folder '${run:-none}'):"$'\n'"$(tail -20 "$tmp/train.log")"$'\n'"$(ls -la "$run" 2>&1)"
fi

if [[ -n "$run" && -s "$run/model.zip" ]]; then
  out="$("$launcher" predict --model "$run" src/main/resources/dev/mnistdrill/ui/mnist-drill.png 2>&1)"; rc=$?
  [[ $rc -eq 0 && "$out" == *"prediction:"* ]] && ok "predict: $(grep -m1 '^prediction:' <<<"$out")" \
    || bad "predict (exit $rc): $(tail -5 <<<"$out")"
fi

# --- JavaFX under Xvfb --------------------------------------------------------------------------------------------
if $install_deps; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq xvfb xauth libgtk-3-0 x11-utils) \
    >"$tmp/apt.log" 2>&1 || { bad "apt-get install xvfb xauth libgtk-3-0 x11-utils"; tail -5 "$tmp/apt.log"; }
fi
fx_ready=true
why=""
command -v xvfb-run >/dev/null || { fx_ready=false; why+=" xvfb-run"; }
ldconfig -p 2>/dev/null | grep -q 'libgtk-3\.so\.0' || { fx_ready=false; why+=" libgtk-3-0"; }
if ! $fx_ready; then
  if $require_fx; then bad "JavaFX check needs:$why (use --install-deps)"; else skip "JavaFX check: missing$why (use --install-deps)"; fi
else
  xvfb=(xvfb-run -a -s "-screen 0 1280x800x24")
  fx_path="$(ls target/lib/javafx-*-*-*.jar | tr '\n' ':')"
  if javac -d "$tmp/probe" --module-path "$fx_path" --add-modules javafx.controls jlink/probe/FxProbe.java 2>"$tmp/javac.log"; then
    out="$(timeout 120 "${xvfb[@]}" "$runtime/bin/java" --add-exports javafx.graphics/com.sun.prism=ALL-UNNAMED \
      -cp "$tmp/probe" FxProbe 2>&1)"; rc=$?
    if [[ $rc -eq 0 && "$out" == *"FX_PROBE_SHOWN"*"module javafx.graphics"* ]]; then
      ok "JavaFX window from the image runtime: $(grep -m1 FX_PROBE_SHOWN <<<"$out")"
    else
      bad "JavaFX probe (exit $rc): $(tail -10 <<<"$out")"
    fi
  else
    bad "compiling jlink/probe/FxProbe.java: $(cat "$tmp/javac.log")"
  fi
  app_jar="$(ls "$image"/lib/app/mnist-drill-*.jar | head -1)"
  if ! list_jar "$app_jar" | grep -qx 'dev/mnistdrill/ui/WorkbenchApp.class'; then
    skip "workbench window: the app jar has no dev.mnistdrill.ui.WorkbenchApp yet"
  elif ! command -v xwininfo >/dev/null; then
    if $require_fx; then bad "workbench window check needs xwininfo (x11-utils)"; else skip "workbench window: no xwininfo (x11-utils)"; fi
  else
    # Start the launcher with no args under Xvfb, wait for a top-level window named like the app, then stop it.
    out="$(timeout 150 "${xvfb[@]}" bash -c '
      "$1" >"$2/ui.log" 2>&1 & pid=$!
      for i in $(seq 1 240); do
        if xwininfo -root -tree 2>/dev/null | grep -q "\"MNIST Drill"; then
          echo "WINDOW_AFTER_MS $((i * 500))"; kill $pid; wait $pid 2>/dev/null; exit 0
        fi
        kill -0 $pid 2>/dev/null || { echo "EXITED"; cat "$2/ui.log"; exit 1; }
        sleep 0.5
      done
      echo "NO_WINDOW"; kill $pid; cat "$2/ui.log"; exit 1' _ "$launcher" "$tmp" 2>&1)"; rc=$?
    [[ $rc -eq 0 ]] && ok "launcher without args opens the workbench window ($(grep -m1 WINDOW_AFTER_MS <<<"$out"))" \
      || bad "workbench window (exit $rc): $(tail -15 <<<"$out")"
  fi
fi

finish
