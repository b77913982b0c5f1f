#!/usr/bin/env bash
# Installs QuestDB (an InfluxDB line-protocol server that accepts the v2 write API /api/v2/write and answers SQL at
# /exec) for the InfluxDB sink's integration tests. Idempotent.
#
# Result: .ci/cache/questdb/questdb-9.3.4.jar, copied from Maven Central (org.questdb:questdb:9.3.4) through the local
# Maven repository. Start it with
#   QDB_HTTP_BIND_TO=127.0.0.1:PORT QDB_PG_ENABLED=false QDB_LINE_TCP_ENABLED=false QDB_LINE_UDP_ENABLED=false \
#   QDB_HTTP_MIN_ENABLED=false java -jar .ci/cache/questdb/questdb-9.3.4.jar -d DATA_DIR
# The tests (io.flightcontroller.testing.QuestDbServer) do this themselves on a free port and wait for /ping.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VERSION="9.3.4"
DIR="$ROOT/.ci/cache/questdb"
JAR="$DIR/questdb-$VERSION.jar"

if [ -s "$JAR" ]; then
  echo "install-questdb: QuestDB $VERSION already at $JAR"
  exit 0
fi
mkdir -p "$DIR"
echo "install-questdb: copying org.questdb:questdb:$VERSION from Maven"
mvn -q -B dependency:copy -Dartifact="org.questdb:questdb:$VERSION" -DoutputDirectory="$DIR"
test -s "$JAR"
echo "install-questdb: QuestDB $VERSION ready at $JAR"
