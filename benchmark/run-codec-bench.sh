#!/usr/bin/env bash
# Builds the codec and its JMH benchmark, runs it single-threaded and prints MB/s of data per coder.
# Takes about 10 minutes. Extra arguments go to JMH, e.g. -p shape=4x2 to narrow the run.
set -euo pipefail

cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
mvn -q -pl benchmark -am package -DskipTests

results="$(mktemp --suffix=.csv)"
trap 'rm -f "$results"' EXIT
# One thread, one fork per configuration; three warm-up seconds cover the vector kernel's JIT warm-up (~2 s).
"$JAVA_HOME/bin/java" -jar benchmark/target/benchmarks.jar 'io.hybridstore.benchmark.erasure.ReedSolomonBenchmark' \
    -t 1 -f 1 -wi 3 -w 1s -i 3 -r 1s -rf csv -rff "$results" "$@"

# Score is operations per second; an operation covers k shards of data.
awk -F, '
    function unquote(s) { gsub(/"/, "", s); return s }
    function bytes(size) { return size == "4KiB" ? 4096 : size == "64KiB" ? 65536 : 1048576 }
    { sub(/\r$/, "") }
    NR == 1 { for (i = 1; i <= NF; i++) column[unquote($i)] = i; next }
    {
        op = unquote($column["Benchmark"]); sub(/.*\./, "", op)
        coder = unquote($column["Param: coder"]); shape = unquote($column["Param: shape"])
        size = unquote($column["Param: shardSize"])
        split(shape, km, "x")
        row = sprintf("%-13s %-9s %6s", op, "RS(" km[1] "," km[2] ")", size)
        if (!(row in seen)) { seen[row] = 1; rows[++nrows] = row }
        if (!(coder in known)) { known[coder] = 1; coders[++ncoders] = coder }
        mbs[row, coder] = unquote($column["Score"]) * km[1] * bytes(size) / 1e6
    }
    END {
        printf "\nMB/s of data, one thread\n%-30s", "operation"
        for (c = 1; c <= ncoders; c++) printf " %15s", coders[c]
        printf "\n"
        for (r = 1; r <= nrows; r++) {
            printf "%-29s", rows[r]
            for (c = 1; c <= ncoders; c++) {
                value = mbs[rows[r], coders[c]]
                if (value == "") printf " %15s", "-"; else printf " %15.0f", value
            }
            printf "\n"
        }
    }' "$results"
