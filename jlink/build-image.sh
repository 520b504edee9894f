#!/usr/bin/env bash
# Builds the self-contained MNIST Drill app image for the platform it runs on (Linux, macOS, Windows via Git Bash):
#   Linux:   target/image/MNIST-Drill/bin/MNIST-Drill                (lib/runtime, lib/app beside it)
#   macOS:   target/image/MNIST-Drill.app/Contents/MacOS/MNIST-Drill
#   Windows: target/image/MNIST-Drill/MNIST-Drill.exe
# The launcher with no args opens the workbench window, with args runs the headless commands. The runtime is a
# jlinked Java with the JavaFX modules and the JDK modules needed; the app jar and its libraries are on the class path.
#
# Usage: jlink/build-image.sh [--rebuild | --skip-build] [--installer | --deb] [--help]
#   (default)     run `mvn -B -q -DskipTests package` only if the jar is missing or src/main or pom.xml changed
#   --rebuild     always run the maven package first
#   --skip-build  use target/ as it is (fails if the jar or target/lib is missing)
#   --installer   also make this platform's installers in target/installer/: .deb (needs dpkg-deb and fakeroot) and
#                 .rpm when rpmbuild is there on Linux, .dmg on macOS, .msi on Windows (needs the WiX toolset)
#   --deb         only the .deb (Linux)
# Environment: JAVA_HOME = a JDK 17+ with jmods/, jlink, jmod and jpackage (default: the JDK of `javac` on PATH).
#
# Why this layout (details in the report/README): DL4J/ND4J jars are not usable as modules (broken module-info,
# split packages, and the app's own shim in org.nd4j.nativeblas), so the app and its libraries stay on the class
# path; only the runtime is jlinked. JavaFX's Maven jars are modular jars with the native .so files at their root;
# they are turned into jmods (natives in the jmod's lib section) so that jlink puts the .so files into the
# runtime's lib/ next to the JDK's own, strips them, and JavaFX loads them from there (no extraction at start).
set -euo pipefail
start_s=$(date +%s)
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

build=auto
installers=""
for arg in "$@"; do
  case "$arg" in
    --rebuild) build=always ;;
    --skip-build) build=never ;;
    --installer) installers=all ;;
    --deb) installers=deb ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $arg (see --help)" >&2; exit 2 ;;
  esac
done

say() { echo "[build-image] $*" >&2; }
# This platform: its native library suffix, other platforms' (which must not be in the image), the module path
# separator and where jpackage puts the launcher.
case "$(uname -s)" in
  Linux*) os=linux; foreign_libs='dll|dylib|jnilib'; foreign_dirs='windows|macosx|android|ios'; sep=':' ;;
  Darwin*) os=mac; foreign_libs='dll|so'; foreign_dirs='windows|linux|android|ios'; sep=':' ;;
  MINGW*|MSYS*|CYGWIN*) os=windows; foreign_libs='so|dylib|jnilib'; foreign_dirs='linux|macosx|android|ios'; sep=';' ;;
  *) echo "[build-image] ERROR: unsupported OS $(uname -s)" >&2; exit 1 ;;
esac
die() { echo "[build-image] ERROR: $*" >&2; exit 1; }

# --- JDK --------------------------------------------------------------------------------------------------------
if [[ -z "${JAVA_HOME:-}" ]]; then
  javac_bin="$(command -v javac || true)"
  [[ -n "$javac_bin" ]] || die "no JAVA_HOME and no javac on PATH"
  JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$javac_bin")")")"
fi
exe=""; [[ $os == windows ]] && exe=".exe"
for tool in jlink jmod jpackage java; do
  [[ -x "$JAVA_HOME/bin/$tool$exe" ]] || die "$JAVA_HOME/bin/$tool missing: JAVA_HOME must be a full JDK 17+"
done
[[ -d "$JAVA_HOME/jmods" ]] || die "$JAVA_HOME/jmods missing (Debian: apt-get install openjdk-17-jmods)"
jdk_major="$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
[[ "${jdk_major%%.*}" -ge 17 ]] || die "JDK $jdk_major found, 17+ needed"

# --- Maven package ----------------------------------------------------------------------------------------------
jar_glob=(target/mnist-drill-*.jar)
need_build=false
case "$build" in
  always) need_build=true ;;
  never) ;;
  auto)
    if [[ ! -f "${jar_glob[0]}" || ! -d target/lib ]] \
        || [[ -n "$(find src/main pom.xml -newer "${jar_glob[0]}" -print -quit)" ]]; then
      need_build=true
    fi ;;
esac
if $need_build; then
  say "mvn -B -q -DskipTests package"
  JAVA_HOME="$JAVA_HOME" mvn -B -q -DskipTests package >&2
fi
jar_glob=(target/mnist-drill-*.jar)
[[ -f "${jar_glob[0]}" && -d target/lib ]] || die "target/mnist-drill-*.jar or target/lib missing: run without --skip-build"
app_jar="$(basename "${jar_glob[0]}")"
version="$(sed -n 's/^version=//p' target/maven-archiver/pom.properties 2>/dev/null || true)"
if [[ -z "$version" ]]; then version="${app_jar#mnist-drill-}"; version="${version%.jar}"; fi

# --- Metadata ---------------------------------------------------------------------------------------------------
# assets/app.properties: KEY=value lines (value taken verbatim, spaces allowed).
while IFS='=' read -r key value; do
  [[ "$key" =~ ^[A-Z_]+$ ]] && printf -v "$key" '%s' "$value"
done < assets/app.properties
# jpackage takes a PNG icon on Linux, .icns on macOS and .ico on Windows; without one of those it uses its own.
case $os in
  linux) icon="src/main/resources/dev/mnistdrill/ui/mnist-drill.png" ;;
  mac) icon="assets/icon/mnist-drill.icns" ;;
  windows) icon="assets/icon/mnist-drill.ico" ;;
esac
mapfile -t java_options < <(grep -v '^[[:space:]]*\(#\|$\)' jlink/java-options.txt)
mapfile -t jdk_modules < <(grep -v '^[[:space:]]*\(#\|$\)' jlink/jdk-modules.txt)

work="target/jlink"
dest="target/image"
rm -rf "$work" "$dest/$APP_NAME" "$dest/$APP_NAME.app"
mkdir -p "$work/fx-jmods" "$work/input" "$dest"

# --- JavaFX: Maven's modular jars -> jmods ----------------------------------------------------------------------
# The platform jars are javafx-<name>-<version>-<classifier>.jar (linux, linux-aarch64, mac, mac-aarch64, win);
# the classifier-less ones next to them are empty placeholders.
fx_jars=()
while IFS= read -r f; do fx_jars+=("$f"); done < <(ls target/lib/javafx-*-*-*.jar 2>/dev/null || true)
[[ ${#fx_jars[@]} -gt 0 ]] || die "no JavaFX platform jars in target/lib"
fx_modules=()
for fx_jar in "${fx_jars[@]}"; do
  base="$(basename "$fx_jar" .jar)"                     # javafx-graphics-21.0.11-linux
  short="${base#javafx-}"; short="${short%%-*}"         # graphics
  mod="javafx.$short"
  d="$work/fx/$mod"
  mkdir -p "$d/classes" "$d/lib"
  (cd "$d/classes" && "$JAVA_HOME/bin/jar" xf "$root/$fx_jar")
  [[ -f "$d/classes/module-info.class" ]] || die "$fx_jar is not a modular jar"
  # Natives go to the jmod's lib section (-> runtime/lib/); javafx-swt.jar (SWT interop) is not needed.
  find "$d/classes" -maxdepth 1 \( -name '*.so' -o -name '*.dll' -o -name '*.dylib' \) -exec mv {} "$d/lib/" \;
  rm -f "$d/classes/javafx-swt.jar"
  libs=()
  [[ -n "$(ls -A "$d/lib")" ]] && libs=(--libs "$d/lib")
  "$JAVA_HOME/bin/jmod" create --class-path "$d/classes" "${libs[@]}" "$work/fx-jmods/$mod.jmod"
  fx_modules+=("$mod")
done
say "JavaFX modules: ${fx_modules[*]}"

# --- jlink ------------------------------------------------------------------------------------------------------
modules="$(IFS=,; echo "${jdk_modules[*]},${fx_modules[*]}")"
strip_native=()
command -v objcopy >/dev/null && strip_native=(--strip-native-debug-symbols=exclude-debuginfo-files)
say "jlink --add-modules $modules"
"$JAVA_HOME/bin/jlink" \
  --module-path "$JAVA_HOME/jmods$sep$work/fx-jmods" \
  --add-modules "$modules" \
  --strip-debug "${strip_native[@]}" --no-man-pages --no-header-files --compress=2 \
  --output "$work/runtime"

# --- App input: the app jar and its libraries, JavaFX excluded (it is in the runtime) ----------------------------
cp "target/$app_jar" "$work/input/"
for lib in target/lib/*.jar; do
  case "$(basename "$lib")" in javafx-*) continue ;; esac
  cp "$lib" "$work/input/"
done

# Native binaries for this platform only: no other OS's libraries in any jar (nor in the runtime).
foreign="$(for j in "$work"/input/*.jar; do
  "$JAVA_HOME/bin/jar" tf "$j" | grep -E "\\.($foreign_libs)\$|(^|/)($foreign_dirs)-[a-z0-9_]+/" \
    | sed "s|^|$(basename "$j"): |" || true
done)"
[[ -z "$foreign" ]] || die "other platforms' binaries on the class path:"$'\n'"$foreign"
[[ -z "$(find "$work/runtime" -type f | grep -E "\\.($foreign_libs)\$")" ]] || die "foreign natives in runtime"

# --- jpackage app image -----------------------------------------------------------------------------------------
jpackage_common=(
  --name "$APP_NAME" --app-version "$version" --vendor "$APP_VENDOR"
  --description "$APP_DESCRIPTION" --copyright "$APP_COPYRIGHT"
)
[[ -f "$icon" ]] && jpackage_common+=(--icon "$icon")
jopts=()
for o in "${java_options[@]}"; do jopts+=(--java-options "$o"); done
# The window's frames: G1's young pauses (30-60 ms under training, whatever the pause goal) stall the JavaFX thread;
# Shenandoah's stay under 2 ms. Not every JDK 17 build has it, and the image runs this JDK's VM, so ask it.
if "$JAVA_HOME/bin/java" -XX:+UseShenandoahGC -version > /dev/null 2>&1; then
  jopts+=(--java-options "-XX:+UseShenandoahGC")
fi
say "jpackage --type app-image -> $dest/$APP_NAME"
"$JAVA_HOME/bin/jpackage" --type app-image --dest "$dest" "${jpackage_common[@]}" \
  --input "$work/input" --main-jar "$app_jar" --main-class "$APP_MAIN_CLASS" \
  --runtime-image "$work/runtime" "${jopts[@]}"

case $os in
  linux) image="$dest/$APP_NAME"; launcher="$image/bin/$APP_NAME" ;;
  mac) image="$dest/$APP_NAME.app"; launcher="$image/Contents/MacOS/$APP_NAME" ;;
  windows) image="$dest/$APP_NAME"; launcher="$image/$APP_NAME.exe" ;;
esac
[[ -x "$launcher" || -f "$launcher" ]] || die "launcher $launcher missing"
rm -rf "$work" # staging copies (~230 MB); the image has its own
say "app image: $image ($(du -sh "$image" | cut -f1))"

# --- Optional installers -----------------------------------------------------------------------------------------
package() { # TYPE [extra jpackage options...]
  local type="$1"; shift
  mkdir -p target/installer
  say "jpackage --type $type -> target/installer/"
  "$JAVA_HOME/bin/jpackage" --type "$type" --dest target/installer --app-image "$image" "${jpackage_common[@]}" "$@"
  say "installer: $(ls -1t target/installer/*."$type" | head -1) ($(du -sh "$(ls -1t target/installer/*."$type" | head -1)" | cut -f1))"
}
if [[ -n "$installers" ]]; then
  case $os in
    linux)
      command -v dpkg-deb >/dev/null && command -v fakeroot >/dev/null \
        || die "the .deb needs dpkg-deb and fakeroot (apt-get install -y fakeroot dpkg)"
      linux_opts=(--linux-package-name "$DEB_PACKAGE_NAME" --linux-deb-maintainer "$DEB_MAINTAINER"
        --linux-app-category "$DEB_CATEGORY" --linux-menu-group "$DEB_MENU_GROUP" --linux-shortcut
        --resource-dir jlink/deb-resources)
      package deb "${linux_opts[@]}" --linux-package-deps "$DEB_EXTRA_DEPS"
      if [[ $installers == all ]]; then
        if command -v rpmbuild >/dev/null; then package rpm "${linux_opts[@]}"; else say "no rpmbuild: .rpm skipped"; fi
      fi ;;
    mac) [[ $installers == deb ]] && die "--deb is for Linux"; package dmg ;;
    windows) [[ $installers == deb ]] && die "--deb is for Linux"
      package msi --win-menu --win-shortcut --win-dir-chooser --win-menu-group "$APP_DISPLAY_NAME" ;;
  esac
fi
say "done in $(( $(date +%s) - start_s )) s"
echo "$image"
