#!/usr/bin/env bash
# Opens JShell with kubemesh and its dependencies on the class path and the imports preloaded.
#   ./jshell.sh                       an interactive shell
#   ./jshell.sh samples/jshell/sample.jsh   runs a script
set -euo pipefail
cd "$(dirname "$0")"
version=0.1.0-SNAPSHOT
jar=kubemesh/target/kubemesh-$version.jar
cp_file=kubemesh/target/classpath.txt
if [ ! -f "$jar" ] || [ ! -f "$cp_file" ] || [ -n "$(find kubemesh*/src -newer "$cp_file" -name '*.java' -print -quit)" ]; then
  echo "jshell.sh: building kubemesh (once)..." >&2
  mvn -q -B install -DskipTests -pl kubemesh -am >&2
  mvn -q -B -f kubemesh/pom.xml dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >&2
fi
exec jshell --class-path "$jar:$(cat "$cp_file")" --startup DEFAULT --startup samples/jshell/startup.jsh "$@"
