#!/usr/bin/env bash
# Runs every kubemesh test on a fresh machine: builds the local control plane and the real engines used in tests
# from the Go module proxy (cached outside the repo), then the unit, real-engine and real-server tests, then the
# JShell check. CI runs exactly this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")"
export KUBEMESH_CACHE="${KUBEMESH_CACHE:-$HOME/.cache/kubemesh}"
start=$(date +%s)

for tool in tools/*/build.sh; do
  echo "== building $(dirname "$tool") (cached in $KUBEMESH_CACHE)"
  bash "$tool"
done

echo "== maven: unit, golden-file, real-engine and real-server tests"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
mvn -B -ntp install 2>&1 | tee "$log"

echo "== jshell: the design card's line at the prompt"
out=$(./jshell.sh samples/jshell/sample.jsh 2>&1)
echo "$out"
grep -q "domain sales in namespace sales: minio, spark-notebook" <<<"$out" \
  || { echo "jshell check FAILED: the one-domain mesh was not built" >&2; exit 1; }
grep -q "expected error: .*needs an object store" <<<"$out" \
  || { echo "jshell check FAILED: a notebook without an object store was not refused" >&2; exit 1; }

echo "== what ran against real programs"
grep -E "real-server tests run:|real-engine proofs run on:|ran against" "$log" | sed 's/^\[[A-Z]*\] //' | sort | uniq -c || true
echo "== all kubemesh tests passed in $(( $(date +%s) - start ))s"
