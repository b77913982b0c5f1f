#!/usr/bin/env bash
# The packaged jar tested as it is deployed: a Flink 1.20 session cluster (JobManager and TaskManager JVMs with only
# Flink's own artifacts on their class path, child-first class loading, RocksDB) runs the shaded jar submitted through
# the REST API with ManagedFlinkJob as entry class, reading EventBridge envelopes from kinesalite, writing SQLite and
# publishing alerts to SNS (moto); it is stopped with a savepoint and the same jar is submitted again from it.
# Every check prints PASS or FAIL; exit code 0 only when all pass. Details: .ci/session-cluster/scenario.py.
#
# Usage: .ci/session-cluster/test.sh [--no-build] [--keep] [--state-layout=per_measure|per_correlation_id]
#   --no-build  use job/target/flight-controller-job-0.1.0-SNAPSHOT.jar as it is (default: mvn package first)
#   --keep      keep the work folder (logs, database, savepoints) also when every check passes
#   --state-layout=L  the job's state.layout (default per_measure, the job's own)
# Needs: Java 17, Maven, node, /usr/bin/python3 with boto3, and kinesalite and moto installed by
# .ci/install-kinesalite.sh and .ci/install-moto.sh (.ci/run does all of this).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
HERE=.ci/session-cluster
JAR=job/target/flight-controller-job-0.1.0-SNAPSHOT.jar
build=1
args=()
for a in "$@"; do
  case "$a" in
    --no-build) build=0 ;;
    --keep) args+=(--keep) ;;
    --state-layout=*) args+=(--state-layout "${a#--state-layout=}") ;;
    *) echo "usage: $0 [--no-build] [--keep] [--state-layout=per_measure|per_correlation_id]" >&2; exit 2 ;;
  esac
done

started=$(date +%s)
# the cluster runs the Flink version the job is built against
want="$(sed -n 's:.*<flink.version>\(.*\)</flink.version>.*:\1:p' pom.xml | head -1)"
have="$(sed -n 's:.*<flink.version>\(.*\)</flink.version>.*:\1:p' $HERE/pom.xml | head -1)"
if [ "$want" != "$have" ]; then
  echo "FAIL $HERE/pom.xml has Flink $have, the build uses $want: keep them equal" >&2
  exit 1
fi
mkdir -p $HERE/target
mvn -B -q -f $HERE/pom.xml dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
if [ "$build" = 1 ]; then
  mvn -B -q -pl job -am package -DskipTests
fi
echo "session-cluster test: Flink $have, jar $(du -m $JAR | cut -f1) MiB, prepared in $(( $(date +%s) - started )) s"
exec /usr/bin/python3 $HERE/scenario.py --root "$ROOT" --classpath $HERE/target/classpath.txt --jar "$JAR" "${args[@]}"
