#!/usr/bin/env bash
# Rewrites README.md's results table from the studies committed under docs/results/studies (see ResultsTable).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
mvn -B -q -o -DskipTests package > /dev/null # compiles the tests too and fills target/lib
java -cp "target/test-classes:target/classes:target/lib/*" dev.mnistdrill.tools.ResultsTable "$root"
