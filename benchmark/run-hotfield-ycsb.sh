#!/usr/bin/env bash
# YCSB workload A with one field updated 80 % of the time (benchmark/ycsb/workloada-hotfield), field_hybrid, against
# the running local cluster (scripts/cluster.sh up): once with hot-field learning off, once on. Each pass restarts the
# gateways with hybridstore.gateway.learning.enabled set, loads its own collection, runs a warm-up and then the
# measured run, and reports ops/s, update latency, and how many updates of each kind were pure hot (the binding's
# UPDATE-<field>-PURE-HOT / -COLD series). The last pass leaves the gateways on the default, learning on.
#
#   benchmark/run-hotfield-ycsb.sh [--seconds 60] [--warm-up 30] [--threads 16]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_RUN=60 WARM_UP=30 THREADS=16
while (($#)); do
    case $1 in
        --seconds) SECONDS_RUN=$2; shift 2 ;;
        --warm-up) WARM_UP=$2; shift 2 ;;
        --threads) THREADS=$2; shift 2 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
JAVA_HOME=$(bash scripts/cluster.sh deps)
export JAVA_HOME
[[ -f benchmark/target/benchmarks.jar ]] || mvn -B -q -DskipTests -pl benchmark -am package
JAR=benchmark/target/benchmarks.jar
RUN_DIR=${HS_RUN_DIR:-$PWD/run}
URL=http://127.0.0.1:$((8000 + ${HS_PORT_OFFSET:-0}))
LOGS=$(mktemp -d /tmp/hybridstore-hotfield-ycsb.XXXXXX)
log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

restart_gateways() { # learning enabled: true|false
    local pid name
    for pid in "$RUN_DIR"/pids/gateway-*.pid; do
        name=$(basename "$pid" .pid)
        HYBRIDSTORE_GATEWAY_LEARNING_ENABLED=$1 bash scripts/cluster.sh restart "$name" >&2
    done
}

ycsb() { # phase (-load|-t), key prefix, log name, extra -p arguments...
    local phase=$1 prefix=$2 name=$3
    shift 3
    "$JAVA_HOME/bin/java" -cp "$JAR" site.ycsb.Client "$phase" -db io.hybridstore.benchmark.ycsb.HybridStoreClient \
        -P benchmark/ycsb/workloada-hotfield -threads "$THREADS" -s -p hybridstore.url="$URL" \
        -p hybridstore.strategy=field_hybrid -p hybridstore.key-prefix="$prefix" "$@" \
        >"$LOGS/$name.log" 2>"$LOGS/$name.status"
}

value() { # log, section, metric -> value, 0 when absent
    awk -F', ' -v s="[$2]" -v m="$3" '$1 == s && $2 == m { v = $3 } END { print v + 0 }' "$1"
}
updates() { # log, outcome (PURE-HOT|COLD), fields regex -> updates of those fields with that outcome
    awk -F', ' -v o="$2" -v f="$3" '$2 == "Operations" && $1 ~ ("^\\[UPDATE-(" f ")-" o "\\]$") { n += $3 }
        END { print n + 0 }' "$1"
}
ms() { awk -v v="$1" 'BEGIN { if (v > 0) printf "%.1f", v / 1000; else print "-" }'; }
share() { awk -v a="$1" -v b="$2" 'BEGIN { printf (a + b > 0 ? "%.1f %%" : "-"), 100 * a / (a + b) }'; }

rows=()
for learning in false true; do
    label=$([[ $learning == true ]] && echo on || echo off)
    log "learning $label: restarting the gateways"
    restart_gateways "$learning"
    prefix="ycsb-hotfield-$label-$(date +%s)/"
    log "learning $label: loading 1,000 records under $prefix"
    ycsb -load "$prefix" "$label-load"
    log "learning $label: warm-up, ${WARM_UP}s"
    ycsb -t "$prefix" "$label-warm-up" -p maxexecutiontime="$WARM_UP"
    log "learning $label: measured run, ${SECONDS_RUN}s"
    ycsb -t "$prefix" "$label-run" -p maxexecutiontime="$SECONDS_RUN"
    run=$LOGS/$label-run.log
    rows+=("$(printf '| %s | %.0f | %s | %s | %s | %s |' "$label" \
        "$(value "$run" OVERALL 'Throughput(ops/sec)')" \
        "$(ms "$(value "$run" UPDATE '99thPercentileLatency(us)')")" \
        "$(ms "$(value "$run" UPDATE-field0-PURE-HOT '99thPercentileLatency(us)')")" \
        "$(share "$(updates "$run" PURE-HOT field0)" "$(updates "$run" COLD field0)")" \
        "$(share "$(updates "$run" PURE-HOT 'field[1-9]')" "$(updates "$run" COLD 'field[1-9]')")")")
done

echo "YCSB workload A, field0 updated 80 % of the time, field_hybrid, $THREADS threads, ${WARM_UP}s warm-up then a"
echo "${SECONDS_RUN}s run; logs in $LOGS."
echo
echo "| learning | ops/s | update p99 ms | pure hot update p99 ms | field0 updates pure hot | other updates pure hot |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
printf '%s\n' "${rows[@]}"
