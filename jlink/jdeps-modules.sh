#!/usr/bin/env bash
# Prints the JDK modules that jdeps finds in the app jar and all its runtime jars (target/lib, JavaFX excluded):
# the static part of jlink/jdk-modules.txt. Needs `mvn package` first.
#
# DL4J/ND4J M2.1 jars carry broken module-info.class files (e.g. nd4j-api names packages it does not contain), which
# make jdeps fail ("Error reading module"); this script analyses copies with module-info.class removed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
java_home="${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}"
[[ -x "$java_home/bin/jdeps" ]] || java_home="$(dirname "$(dirname "$(readlink -f "$(command -v jdeps)")")")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for jar in "$root"/target/mnist-drill-*.jar "$root"/target/lib/*.jar; do
  case "$(basename "$jar")" in javafx-*) continue ;; esac
  cp "$jar" "$tmp/"
done
for jar in "$tmp"/*.jar; do
  zip -q -d "$jar" 'module-info.class' 'META-INF/versions/*/module-info.class' >/dev/null 2>&1 || true
done
echo "# all jars together (what jdk-modules.txt must cover):"
"$java_home/bin/jdeps" -q --multi-release 17 --ignore-missing-deps --print-module-deps "$tmp"/*.jar
if [[ "${1:-}" == "-v" ]]; then
  echo "# per jar:"
  for jar in "$tmp"/*.jar; do
    mods="$("$java_home/bin/jdeps" -q --multi-release 17 --ignore-missing-deps --print-module-deps "$jar" 2>/dev/null || true)"
    [[ -n "$mods" && "$mods" != "java.base" ]] && echo "$(basename "$jar"): $mods"
  done
fi
