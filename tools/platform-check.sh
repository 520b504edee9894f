#!/usr/bin/env bash
# Resolves MNIST Drill's runtime dependency set for another platform, as Maven would on that machine, and checks that
# it has that platform's native jars, and only those: ND4J (the oneDNN build where one exists), OpenBLAS, JavaCPP and
# JavaFX. Run by `mvn verify` for macOS arm64 and Windows x86_64 (see pom.xml); the first run downloads their jars.
#   tools/platform-check.sh [PLATFORM...]    default: macosx-arm64 windows-x86_64
#   PLATFORM: linux-x86_64 linux-arm64 macosx-x86_64 macosx-arm64 windows-x86_64
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
platforms=("$@")
[[ ${#platforms[@]} -gt 0 ]] || platforms=(macosx-arm64 windows-x86_64)
failed=0
for platform in "${platforms[@]}"; do
  case "$platform" in
    linux-x86_64)   nd4j=linux-x86_64-onednn;   fx=linux ;;
    linux-arm64)    nd4j=linux-arm64;           fx=linux-aarch64 ;;
    macosx-x86_64)  nd4j=macosx-x86_64-onednn;  fx=mac ;;
    macosx-arm64)   nd4j=macosx-arm64;          fx=mac-aarch64 ;;
    windows-x86_64) nd4j=windows-x86_64-onednn; fx=win ;;
    *) echo "unknown platform: $platform" >&2; exit 2 ;;
  esac
  list="$(mktemp)"
  mvn -B -q dependency:list -DincludeScope=runtime -DoutputFile="$list" -DappendOutput=false \
      -Djavacpp.platform="$platform" -Djavafx.platform="$fx" >&2
  # group:artifact:type:classifier:version:scope lines with a classifier
  natives="$(grep -oE '[a-z0-9.-]+:[a-z0-9.-]+:jar:[a-z0-9_-]+:[^: ]+' "$list" | awk -F: '{print $2":"$4}' | sort -u)"
  rm -f "$list"
  problems=()
  expect() { grep -qx "$1" <<< "$natives" || problems+=("missing $1"); }
  expect "nd4j-native:$nd4j"
  expect "openblas:$platform"
  expect "javacpp:$platform"
  for m in javafx-base javafx-graphics javafx-controls javafx-fxml javafx-swing; do expect "$m:$fx"; done
  while IFS=: read -r artifact classifier; do
    [[ -z "$artifact" ]] && continue
    case "$artifact:$classifier" in
      "nd4j-native:$nd4j"|"openblas:$platform"|"javacpp:$platform"|javafx-*:"$fx") ;;
      # the classifier-less preset jar has the Java side of nd4j-native's platform set
      nd4j-native-preset:"$platform") ;;
      *) problems+=("unexpected native jar $artifact:$classifier") ;;
    esac
  done <<< "$natives"
  if [[ ${#problems[@]} -eq 0 ]]; then
    echo "platform-check $platform: OK (nd4j-native:$nd4j, openblas and javacpp:$platform, javafx:$fx; nothing else native)"
  else
    printf 'platform-check %s: FAILED\n' "$platform"; printf '  %s\n' "${problems[@]}"
    echo "  native jars found:"; sed 's/^/    /' <<< "$natives"
    failed=1
  fi
done
exit $failed
