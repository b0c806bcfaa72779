#!/usr/bin/env bash
# Update cost per strategy against the running local cluster (scripts/cluster.sh up): p50/p95 latency, bytes the
# storage nodes wrote per update, storage overhead; cold parts from 10 KiB to 8 MiB. Arguments go to
# HybridUpdateBenchmark, e.g. --url http://127.0.0.1:8000 --updates 100.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME=$(bash scripts/cluster.sh deps)
export JAVA_HOME
[[ -f benchmark/target/benchmarks.jar ]] || mvn -B -q -DskipTests -pl benchmark -am package
exec "$JAVA_HOME/bin/java" -cp benchmark/target/benchmarks.jar io.hybridstore.benchmark.hybrid.HybridUpdateBenchmark "$@"
