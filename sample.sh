#!/usr/bin/env bash
# The main job on a fresh machine: builds kubemesh and the local control plane (cached), builds the sample mesh,
# renders it to samples/target/deploy, and applies it to a local Kubernetes control plane started for the run.
set -euo pipefail
cd "$(dirname "$0")"
export KUBEMESH_CACHE="${KUBEMESH_CACHE:-$HOME/.cache/kubemesh}"
bash tools/control-plane/build.sh
mvn -B -ntp -q install -DskipTests
mvn -B -ntp -q -f samples/pom.xml exec:java -Dexec.mainClass=io.kubemesh.samples.RunSample \
  -Dexec.args="${1:-target/deploy}"
