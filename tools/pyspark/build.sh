#!/usr/bin/env bash
# Installs the pinned PySpark from PyPI into a virtual environment outside the repo, so that kubemesh-spark's
# real-engine test can run the sample notebook's batch script (samples/notebooks/delta_smoke.py) with the Spark
# configuration kubemesh generates. Spark's own jars come with the package; Delta and hadoop-aws come from the
# Maven test class path, so nothing is downloaded when the test runs.
#
#   tools/pyspark/build.sh              install if missing, print the venv's python last
#   tools/pyspark/build.sh --print-dir  print the venv dir the pin maps to, install nothing
#   tools/pyspark/build.sh --force      reinstall
#
# Cache: ${KUBEMESH_CACHE:-$HOME/.cache/kubemesh}/pyspark/<version>-<python>, recorded in .../pyspark/current.
set -euo pipefail

# The same Spark as kubemesh-spark's SparkVersions.SPARK (SparkVersionsTest checks the two stay in step).
PYSPARK_VERSION="4.0.1"

CACHE_ROOT="${KUBEMESH_CACHE:-$HOME/.cache/kubemesh}/pyspark"
MODE=build
case "${1:-}" in
  --print-dir) MODE=print ;;
  --force) MODE=force ;;
  "") ;;
  *) echo "usage: $0 [--print-dir|--force]" >&2; exit 2 ;;
esac
command -v python3 >/dev/null || { echo "build.sh: 'python3' not found on PATH" >&2; exit 1; }
PY="$(python3 -c 'import sys; print("py%d.%d" % sys.version_info[:2])')"
VENV="$CACHE_ROOT/$PYSPARK_VERSION-$PY"
if [[ "$MODE" == print ]]; then echo "$VENV"; exit 0; fi

echo "pyspark: $PYSPARK_VERSION for $PY, venv $VENV" >&2
if [[ "$MODE" != force && -x "$VENV/bin/python" ]] && "$VENV/bin/python" -c "import pyspark" 2>/dev/null; then
  echo "  pyspark: present, skipped" >&2
else
  start=$SECONDS
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  log="$(mktemp)"
  if ! "$VENV/bin/pip" install --disable-pip-version-check --no-input "pyspark==$PYSPARK_VERSION" >"$log" 2>&1; then
    echo "build.sh: FAILED to install pyspark==$PYSPARK_VERSION after $((SECONDS - start))s; pip said:" >&2
    cat "$log" >&2
    rm -f "$log"
    rm -rf "$VENV"
    exit 1
  fi
  rm -f "$log"
  echo "  pyspark: installed in $((SECONDS - start))s: $("$VENV/bin/python" -c 'import pyspark; print(pyspark.__version__)')" >&2
fi
mkdir -p "$CACHE_ROOT"
echo "$VENV" >"$CACHE_ROOT/current"
echo "$VENV/bin/python"
