#!/usr/bin/env bash
# Builds the storage node and runs the put benchmark (sync vs async durability, 4 KiB and 256 KiB blobs,
# 64 writers). Extra arguments go to StoragePutBenchmark, e.g. --seconds 30 --warmup-seconds 10.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"

mvn -q -pl storage-node -am install -DskipTests

# The benchmark is JDK-only, so it is compiled on its own rather than through the benchmark module's shaded build.
classes=benchmark/target/storage-bench-classes
mkdir -p "$classes"
"$JAVA_HOME/bin/javac" --release 25 -d "$classes" benchmark/src/main/java/io/hybridstore/benchmark/storage/*.java
exec "$JAVA_HOME/bin/java" -cp "$classes" io.hybridstore.benchmark.storage.StoragePutBenchmark \
    --jar storage-node/target/storage-node.jar "$@"
