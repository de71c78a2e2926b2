#!/usr/bin/env bash
# Runs io.kubemesh.it.ApplyBenchmark against kubemesh-testing's local control plane and prints a Markdown table.
# Usage: kubemesh-it/run-benchmark.sh [domains=20] [runs=3] [renderDomains=100]
# Env: BENCH_JFR=1 also records a JFR profile to /tmp/kubemesh-bench.jfr; BENCH_SKIP_BUILD=1 skips the Maven steps.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${BENCH_SKIP_BUILD:-}" != 1 ]]; then
  mvn -q -o install -Dmaven.test.skip=true  # tests of other modules need not compile
  mvn -q -o -f kubemesh-it/pom.xml dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/it.cp
  mvn -q -o -f kubemesh-it/pom.xml compile
fi
# Compile the benchmark alone, so that other test sources being edited do not stop it.
out=kubemesh-it/target/benchmark-classes
mkdir -p "$out"
javac -d "$out" -cp "kubemesh-it/target/classes:$(cat /tmp/it.cp)" \
  kubemesh-it/src/test/java/io/kubemesh/it/ApplyBenchmark.java kubemesh-it/src/test/java/io/kubemesh/it/RenderFootprint.java 2>&1 | grep -v '^Note:' || true
# Snapshot the project's own jars and classes: another build's `mvn install` must not swap them under the JVM.
snap=kubemesh-it/target/benchmark-lib
rm -rf "$snap" && mkdir -p "$snap"
cp -r kubemesh-it/target/classes "$snap/it-classes"
cp=""
IFS=: read -ra entries < /tmp/it.cp || true  # no trailing newline
for e in "${entries[@]}"; do
  if [[ "$e" == */io/kubemesh/* ]]; then cp "$e" "$snap/"; e="$snap/$(basename "$e")"; fi
  cp="$cp:$e"
done
jvm=()
if [[ "${BENCH_JFR:-}" == 1 ]]; then
  jvm+=(-XX:StartFlightRecording=filename=/tmp/kubemesh-bench.jfr,settings=profile,dumponexit=true)
fi
exec java "${jvm[@]}" -cp "$out:$snap/it-classes$cp" \
  io.kubemesh.it.ApplyBenchmark "$@"
