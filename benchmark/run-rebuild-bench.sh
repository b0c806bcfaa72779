#!/usr/bin/env bash
# Rebuild benchmark against a running local cluster (scripts/cluster.sh up): writes N objects (--size bytes, 100 KB) of mixed
# strategies, wipes storage-node-1 (SIGKILL, delete its data directory, start it) and times the healer until every
# object is fully redundant again. Usage: benchmark/run-rebuild-bench.sh [--objects 2000] [other RebuildBenchmark args]
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
RUN_DIR=${HS_RUN_DIR:-$PWD/run}
OFFSET=${HS_PORT_OFFSET:-0}
NODE=${HS_BENCH_WIPED_NODE:-1}

classes=benchmark/target/rebuild-bench-classes
mkdir -p "$classes"
"$JAVA_HOME/bin/javac" --release 25 -d "$classes" benchmark/src/main/java/io/hybridstore/benchmark/healer/*.java
exec "$JAVA_HOME/bin/java" -cp "$classes" io.hybridstore.benchmark.healer.RebuildBenchmark \
    --gateway "http://127.0.0.1:$((8000 + OFFSET))" \
    --healers "http://127.0.0.1:$((8201 + OFFSET)),http://127.0.0.1:$((8202 + OFFSET))" \
    --wiped-node-url "http://127.0.0.1:$((8000 + NODE + OFFSET))" \
    --wipe-command "scripts/cluster.sh kill storage-node-$NODE && rm -rf '$RUN_DIR/data/storage-node-$NODE' && scripts/cluster.sh start storage-node-$NODE" \
    "$@"
