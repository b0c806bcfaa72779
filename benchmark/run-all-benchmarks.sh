#!/usr/bin/env bash
# Every user-facing benchmark against a running cluster (scripts/cluster.sh up), written up as docs/BENCHMARKS.md:
#   1. the k6 scenarios (K6Scenarios: update latency per strategy and cold size, read latency),
#   2. 8 MiB ec writes, to see whether a gateway's memory grows with object size,
#   3. YCSB workloads A and B per strategy (load of recordcount records first), with JFR profiles of one gateway,
#      one storage node and Kafka during workload A of $HS_BENCH_PROFILE,
# while sampling the resident memory (sum of RSS) of every process of the cluster once a second, and snapshotting the
# cluster's counters (CPU ticks per service from /proc/<pid>/stat, requests and fsyncs per hop) before and after each
# k6 row and YCSB run, for the cost of one operation (io.hybridstore.benchmark.measure.Snapshot and CostReport).
# Logs and profiles stay in benchmark/target/bench-<date>/. Everything in docs/BENCHMARKS.md from the line
# "<!-- hand-written -->" on is kept across runs (the analysis).
#
# Settings (environment):
#   HS_BENCH_URL            the API (default http://localhost:$((8000 + HS_PORT_OFFSET)))
#   HS_RUN_DIR              the cluster's run directory, for its pid files (default run/)
#   HS_BENCH_QUICK=1        a quick try: 5 s per k6 row, 1,000 YCSB records, 15 s per YCSB workload
#   HS_BENCH_K6_SECONDS     measured seconds per k6 row (30), HS_BENCH_K6_WARMUP warm-up seconds (5)
#   HS_BENCH_YCSB_RECORDS   YCSB recordcount (10000), HS_BENCH_YCSB_SECONDS seconds per workload run (60),
#   HS_BENCH_YCSB_THREADS   YCSB client threads (30)
#   HS_BENCH_STRATEGIES     "replication ec field_hybrid"
#   HS_BENCH_PHASES         which measurements run: "k6 large ycsb-load ycsb-a ycsb-b" (all); e.g. "ycsb-a" for the
#                           CPU cost of workload A alone on tables an earlier run loaded (and warmed the cluster with)
#   HS_BENCH_PROFILE        the strategy whose workload A is profiled with JFR (ec); empty: no profile
#   HS_BENCH_OUT            the report (docs/BENCHMARKS.md)
set -euo pipefail
cd "$(dirname "$0")/.."
REPO_DIR=$PWD
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA=$JAVA_HOME/bin/java

URL=${HS_BENCH_URL:-http://localhost:$((8000 + ${HS_PORT_OFFSET:-0}))}
RUN_DIR=${HS_RUN_DIR:-$REPO_DIR/run}
if [[ ${HS_BENCH_QUICK:-0} == 1 ]]; then
    defaults=(5 2 1000 15)
else
    defaults=(30 5 10000 60)
fi
K6_SECONDS=${HS_BENCH_K6_SECONDS:-${defaults[0]}}
K6_WARMUP=${HS_BENCH_K6_WARMUP:-${defaults[1]}}
YCSB_RECORDS=${HS_BENCH_YCSB_RECORDS:-${defaults[2]}}
YCSB_SECONDS=${HS_BENCH_YCSB_SECONDS:-${defaults[3]}}
YCSB_THREADS=${HS_BENCH_YCSB_THREADS:-30}
read -r -a STRATEGIES <<<"${HS_BENCH_STRATEGIES:-replication ec field_hybrid}"
PHASES=" ${HS_BENCH_PHASES:-k6 large ycsb-load ycsb-a ycsb-b} "
PROFILE=${HS_BENCH_PROFILE-ec}
OUT=${HS_BENCH_OUT:-docs/BENCHMARKS.md}
LOGS=$REPO_DIR/benchmark/target/bench-$(date -u +%Y%m%dT%H%M%SZ)
JAR=$REPO_DIR/benchmark/target/benchmarks.jar
MARKER='<!-- hand-written -->'

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# "<total kB> <service>=<kB> ..." over the cluster's processes now.
cluster_rss() {
    ps -eo pgid=,rss= | awk 'NR == FNR { svc[$1] = $2; next }
        ($1 in svc) { by[svc[$1]] += $2; total += $2 }
        END { printf "%d", total; for (s in by) printf " %s=%d", s, by[s]; print "" }' "$LOGS/groups" -
}

# The cluster's cumulative counters now, into $LOGS/costs/<name>.
snapshot() {
    "$JAVA" -cp "$JAR" io.hybridstore.benchmark.measure.Snapshot "${SNAPSHOT_ARGS[@]}" --out "$LOGS/costs/$1"
}

# "<kind> <url>" lines: where Snapshot reads the services' own counters. The gateways listen on 8100 + i and etcd on
# 2379, both plus the cluster's port offset; the storage nodes are the ones the API lists.
metric_targets() {
    local offset i
    offset=$(sed -n 's/.*HS_PORT_OFFSET=\([0-9]*\).*/\1/p' "$RUN_DIR/cluster.env" 2>/dev/null)
    offset=${offset:-${HS_PORT_OFFSET:-0}}
    for ((i = 1; i <= $(compgen -G "$RUN_DIR/pids/gateway-*.pid" | wc -l); i++)); do
        echo "gateway http://127.0.0.1:$((8100 + i + offset))"
    done
    echo "etcd http://127.0.0.1:$((2379 + offset))"
    curl -fsS "$URL/node_status" | grep -o 'http://[^"]*' | sed 's/^/storage-node /'
}

# The operations a YCSB run did: the sum over its operation sections, failed ones included.
ycsb_operations() {
    awk -F', ' '$2 == "Operations" && $1 != "[OVERALL]" && $1 != "[CLEANUP]" { n += $3 } END { print n + 0 }' "$1"
}

# One RSS sample a second, tagged with the phase running; and the machine's 1-minute load average, since other
# work on the machine takes CPU from the cluster.
sampler() {
    while :; do
        echo "$(<"$LOGS/phase") $(cluster_rss)" >>"$LOGS/rss"
        echo "$(<"$LOGS/phase") $(date +%s) $(cut -d' ' -f1 /proc/loadavg)" >>"$LOGS/load"
        sleep 1
    done
}

# "<counter> <value>" lines: what the cluster itself measured so far. Request time inside the gateways (the rest of
# a client's latency is queueing in front of them), etcd's WAL fsyncs and backend commits, the storage nodes' fsyncs.
server_stats() {
    local offset gateways i node
    offset=$(sed -n 's/.*HS_PORT_OFFSET=\([0-9]*\).*/\1/p' "$RUN_DIR/cluster.env" 2>/dev/null)
    gateways=$(sed -n 's/.*HS_GATEWAYS=\([0-9]*\).*/\1/p' "$RUN_DIR/cluster.env" 2>/dev/null)
    for ((i = 1; i <= ${gateways:-3}; i++)); do
        curl -fsS "http://127.0.0.1:$((8100 + i + ${offset:-0}))/actuator/prometheus" || true
    done | awk '/^http_server_requests_seconds_(count|sum)/ && /outcome="SUCCESS"/ && /uri="\/(write|read\/\*\*)"/ {
            op = $0 ~ /uri="\/write"/ ? "write" : "read"; kind = $0 ~ /_count/ ? "count" : "sum"
            v["gateway_" op "_" kind] += $NF } END { for (k in v) printf "%s %.6f\n", k, v[k] }'
    curl -fsS "http://127.0.0.1:$((2379 + ${offset:-0}))/metrics" 2>/dev/null |
        awk '/^etcd_disk_(wal_fsync|backend_commit)_duration_seconds_(sum|count) / { print $1, $2 }
             /^etcd_mvcc_(txn|range)_total / { print $1, $2 }'
    for node in $(curl -fsS "$URL/node_status" | grep -o 'http://[^"]*'); do
        curl -fsS "$node/actuator/prometheus" || true
    done | awk '/^hybridstore_storage_fsync_seconds_(count|sum) / { v[$1] += $2 } END { for (k in v) printf "%s %.6f\n", k, v[k] }'
}
phase() { echo "$1" >"$LOGS/phase"; log "phase: $1"; }

# A load (-load) inserts all recordcount records, however long it takes; a run (-t) stops after YCSB_SECONDS.
ycsb() {
    local strategy=$1 phase=$2 workload=$3 limit=()
    [[ $phase == -t ]] && limit=(-p maxexecutiontime="$YCSB_SECONDS")
    "$JAVA" -cp "$JAR" site.ycsb.Client "$phase" -db io.hybridstore.benchmark.ycsb.HybridStoreClient \
        -P "benchmark/ycsb/$workload" -threads "$YCSB_THREADS" -s \
        -p hybridstore.url="$URL" -p hybridstore.strategy="$strategy" -p table="usertable-$strategy" \
        -p recordcount="$YCSB_RECORDS" "${limit[@]}" \
        >"$LOGS/ycsb/$strategy-$workload${phase}.log" 2>"$LOGS/ycsb/$strategy-$workload${phase}.status"
}

# A YCSB run between two snapshots, appended to the runs CostReport reads.
measured_ycsb() {
    local strategy=$1 phase=$2 workload=$3 label=$4 name=ycsb-$1-$3$2
    snapshot "$name.before"
    ycsb "$strategy" "$phase" "$workload"
    snapshot "$name.after"
    printf '%s\t%s\t%s\t%s\n' "$label" "$name.before" "$name.after" \
        "$(ycsb_operations "$LOGS/ycsb/$strategy-$workload$phase.log")" >>"$LOGS/costs/runs.tsv"
}

# JFR on one gateway, one storage node and Kafka for the middle of a workload A run; with JDK 25's CPU-time sampler
# (JEP 509) besides the execution samples of settings=profile.
profile_start() {
    local name pid
    for name in gateway-1 storage-node-1 kafka-1 healer-1; do
        pid=$(cat "$RUN_DIR/pids/$name.pid" 2>/dev/null) || continue
        "$JAVA_HOME/bin/jcmd" "$pid" JFR.start name=bench settings=profile jdk.CPUTimeSample#enabled=true \
            delay=$((YCSB_SECONDS / 6))s \
            duration=$((YCSB_SECONDS * 2 / 3))s filename="$LOGS/jfr/$name.jfr" >/dev/null || true
    done
}

# ------------------------------------------------------------------------------------------------------------------
# The measurements; everything they produce goes to $LOGS.

measure() {
    mkdir -p "$LOGS/ycsb" "$LOGS/jfr" "$LOGS/costs"
    curl -fsS "$URL/health" >/dev/null || { log "no healthy cluster at $URL (scripts/cluster.sh up)"; exit 1; }
    compgen -G "$RUN_DIR/pids/*.pid" >/dev/null || { log "no pid files under $RUN_DIR/pids (set HS_RUN_DIR)"; exit 1; }
    [[ -f $JAR ]] || mvn -B -q -DskipTests -pl benchmark -am package

    # Every instance leads its own process group (cluster.sh starts it with setsid), so a group holds all its
    # processes (nginx's workers too). One line per instance: "<pgid> <service>".
    local f name strategy
    for f in "$RUN_DIR"/pids/*.pid; do
        name=$(basename "$f" .pid)
        echo "$(cat "$f") ${name%-*}"
    done >"$LOGS/groups"
    metric_targets >"$LOGS/targets"
    SNAPSHOT_ARGS=(--groups "$LOGS/groups" --targets "$LOGS/targets" --access-logs "$RUN_DIR/logs")
    {
        printf 'URL=%q RUN_DIR=%q PROFILE=%q\n' "$URL" "$RUN_DIR" "$PROFILE"
        printf 'K6_SECONDS=%q K6_WARMUP=%q YCSB_RECORDS=%q YCSB_SECONDS=%q YCSB_THREADS=%q\n' "$K6_SECONDS" \
            "$K6_WARMUP" "$YCSB_RECORDS" "$YCSB_SECONDS" "$YCSB_THREADS"
        printf 'STRATEGIES=(%s)\n' "${STRATEGIES[*]}"
        printf 'STARTED=%q LOAD_BEFORE=%q\n' "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(cut -d' ' -f1-3 /proc/loadavg)"
        printf 'CLK_TCK=%q\n' "$(getconf CLK_TCK)"
        printf 'JAVA_VERSION=%q\n' "$("$JAVA" -version 2>&1 | head -n1)"
        printf 'HEAPS=%q\n' "$(for name in gateway storage-node healer kafka; do
            f=$RUN_DIR/pids/$name-1.pid
            [[ -f $f ]] && printf '%s %s; ' "$name" "$(tr '\0' '\n' <"/proc/$(cat "$f")/cmdline" | grep -m1 -- -Xmx | cut -c5-)"
        done)"
    } >"$LOGS/settings"

    echo rest >"$LOGS/phase"
    sampler &
    SAMPLER=$!
    trap 'kill "$SAMPLER" 2>/dev/null || true' EXIT
    sleep 5

    touch "$LOGS/k6.md" "$LOGS/large.md"
    if [[ $PHASES == *" k6 "* ]]; then
        phase k6
        "$JAVA" -cp "$JAR" io.hybridstore.benchmark.k6.K6Scenarios --url "$URL" --warmup "$K6_WARMUP" \
            --duration "$K6_SECONDS" --snapshots "$LOGS/costs" "${SNAPSHOT_ARGS[@]}" >"$LOGS/k6.md" 2>"$LOGS/k6.err"
    fi
    if [[ $PHASES == *" large "* ]]; then
        phase large
        "$JAVA" -cp "$JAR" io.hybridstore.benchmark.k6.K6Scenarios --url "$URL" --warmup 2 \
            --duration "$(((K6_SECONDS + 1) / 2))" --sizes 8388608 --strategies ec --reads false \
            --snapshots "$LOGS/costs" "${SNAPSHOT_ARGS[@]}" \
            >"$LOGS/large.md" 2>"$LOGS/large.err"
    fi

    for strategy in "${STRATEGIES[@]}"; do
        if [[ $PHASES == *" ycsb-load "* ]]; then
            phase "ycsb-load-$strategy"
            measured_ycsb "$strategy" -load workloada "YCSB load $strategy"
        fi
        if [[ $PHASES == *" ycsb-a "* ]]; then
            phase "ycsb-a-$strategy"
            if [[ $strategy == "$PROFILE" ]]; then profile_start; fi
            server_stats >"$LOGS/ycsb/$strategy-workloada.server-before"
            measured_ycsb "$strategy" -t workloada "YCSB A $strategy"
            server_stats >"$LOGS/ycsb/$strategy-workloada.server-after"
        fi
        if [[ $PHASES == *" ycsb-b "* ]]; then
            phase "ycsb-b-$strategy"
            server_stats >"$LOGS/ycsb/$strategy-workloadb.server-before"
            measured_ycsb "$strategy" -t workloadb "YCSB B $strategy"
            server_stats >"$LOGS/ycsb/$strategy-workloadb.server-after"
        fi
    done
    phase done
    sleep 2
    kill "$SAMPLER"

    # JFR writes a recording when its duration ends.
    for name in gateway-1 storage-node-1 kafka-1 healer-1; do
        [[ -z $PROFILE ]] && break
        for _ in $(seq 30); do [[ -s $LOGS/jfr/$name.jfr ]] && break; sleep 1; done
    done
}

# ------------------------------------------------------------------------------------------------------------------
# The report. Figures come from the logs above; nothing here is typed in by hand.

ycsb_value() { # file, section, metric -> value ("-" when absent or the section has no operations)
    awk -F', ' -v s="[$2]" -v m="$3" '$1 == s && $2 == "Operations" { ops = $3 }
        $1 == s && $2 == m { value = $3; found = 1 }
        END { print (found && (s == "[OVERALL]" || ops > 0) ? value : "-") }' "$1"
}
ms() { [[ $1 == - ]] && echo - || awk -v v="$1" 'BEGIN { printf "%.1f", v / 1000 }'; }
ycsb_errors() { # operations that did not return OK
    awk -F', ' '$2 ~ /^Return=/ && $2 != "Return=OK" { n += $3 } END { print n + 0 }' "$1"
}
peak() { # phase regex -> peak total RSS sample line
    awk -v p="$1" '$1 ~ p && $2 > max { max = $2; line = $0 } END { print line }' "$LOGS/rss"
}
delta() { # before-file, after-file, counter -> the counter's increase
    awk -v k="$3" 'NR == FNR { if ($1 == k) b = $2; next } $1 == k { printf "%.0f", $2 - b }' "$1" "$2"
}
delta_mean() { # before-file, after-file, seconds-sum counter, count counter -> mean ms over the interval
    awk -v s="$3" -v c="$4" 'NR == FNR { b[$1] = $2; next } { a[$1] = $2 }
        END { n = a[c] - b[c]; if (n > 0) printf "%.1f", 1000 * (a[s] - b[s]) / n; else print "-" }' "$1" "$2"
}
gib() { awk -v kb="$1" 'BEGIN { printf "%.2f", kb / 1048576 }'; }
service_kb() { tr ' ' '\n' <<<"$1" | awk -F= -v s="$2" '$1 == s { print $2 }'; }

report() {
    local cpu_model cores
    cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
    cores=$(nproc)
    echo "# HybridStore benchmarks"
    echo
    echo "Generated by \`benchmark/run-all-benchmarks.sh\` from a run started $STARTED against $URL."
    echo "The whole cluster (etcd, Kafka, 6 storage nodes, 3 gateways, 2 healers, nginx) and the load generators run"
    echo "on the one machine below, so every figure includes the load generator's own CPU use."
    echo
    echo "| machine | |"
    echo "| --- | --- |"
    echo "| CPU | $cpu_model |"
    echo "| cores | $cores |"
    echo "| memory | $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) |"
    echo "| kernel | $(uname -r) |"
    echo "| Java | $JAVA_VERSION |"
    echo "| load average before the run (1/5/15 min) | $LOAD_BEFORE |"
    echo "| heap caps (-Xmx) | $HEAPS |"
    echo
    echo "| setting | value |"
    echo "| --- | --- |"
    echo "| k6 scenarios | 10 clients, 20 keys (reads: 30 keys), warm-up ${K6_WARMUP} s, ${K6_SECONDS} s per row |"
    echo "| YCSB | core 0.17.0, recordcount $YCSB_RECORDS, fieldcount 10, fieldlength 100, zipfian, $YCSB_THREADS threads, ${YCSB_SECONDS} s per workload run |"
    echo "| profile | JFR (settings=profile) on gateway-1, storage-node-1, kafka-1, healer-1 during workload A of \`${PROFILE:-none}\` |"
    echo
    echo "## Targets"
    echo
    echo "| target | measured | met |"
    echo "| --- | --- | --- |"
    local strategy log tput rp99 up99 p99 ec95 hy95
    for strategy in "${STRATEGIES[@]}"; do
        log=$LOGS/ycsb/$strategy-workloada-t.log
        tput=$(ycsb_value "$log" OVERALL 'Throughput(ops/sec)')
        rp99=$(ycsb_value "$log" READ '99thPercentileLatency(us)')
        up99=$(ycsb_value "$log" UPDATE '99thPercentileLatency(us)')
        p99=$(awk -v a="$rp99" -v b="$up99" 'BEGIN { print (a + 0 > b + 0 ? a : b) }')
        echo "| YCSB A, $strategy: ≥ 1,000 ops/s, p99 < 100 ms | $(printf '%.0f' "${tput/-/0}") ops/s, p99 $(ms "$p99") ms | $(awk -v t="${tput/-/0}" -v p="$p99" 'BEGIN { print (t >= 1000 && p < 100000 ? "yes" : "no") }') |"
    done
    ec95=$(awk -F' *[|] *' '$2 == "ec" && $3 == "800 KiB" { print $7 }' "$LOGS/k6.md")
    hy95=$(awk -F' *[|] *' '$2 == "field_hybrid" && $3 == "800 KiB" { print $7 }' "$LOGS/k6.md")
    if [[ -n $ec95 && -n $hy95 ]]; then
        echo "| k6 update at 800 KiB: field_hybrid p95 ≤ 1/3 of ec p95 | $hy95 ms vs $ec95 ms (ratio $(awk -v h="$hy95" -v e="$ec95" 'BEGIN { printf "%.2f", h / e }')) | $(awk -v h="$hy95" -v e="$ec95" 'BEGIN { print (h * 3 <= e ? "yes" : "no") }') |"
    fi
    local peak_line
    peak_line=$(peak '^ycsb-')
    echo "| total RSS under YCSB load ≤ 3 GiB | $(gib "$(cut -d' ' -f2 <<<"$peak_line")") GiB peak | $(awk -v kb="$(cut -d' ' -f2 <<<"$peak_line")" 'BEGIN { print (kb <= 3 * 1048576 ? "yes" : "no") }') |"
    echo
    echo "The original system: YCSB A replication 85 ops/s, ec 43, field_hybrid 35 (average update 372 / 726 / 990 ms)."
    echo
    echo "## k6 scenarios"
    echo
    echo "Java load generator \`io.hybridstore.benchmark.k6.K6Scenarios\` (the same scenarios as \`benchmark/k6/*.js\`)."
    echo "Storage overhead: blob bytes the cluster added per logical byte when the keys were first written."
    echo
    cat "$LOGS/k6.md"
    echo
    echo "## YCSB"
    echo
    echo "Binding \`io.hybridstore.benchmark.ycsb.HybridStoreClient\`: an update is one merge write (\`merge=true\`):"
    echo "the gateway reads the record, lays the given fields over it and writes it back atomically, so its latency"
    echo "includes that read (inside the gateway, not a client round trip). YCSB's fields (\`field0\`..\`field9\`) are"
    echo "none of the gateway's hot fields: with field_hybrid every YCSB record is all cold, and every update a cold"
    echo "update. Latencies in ms; errors are operations that did not return OK."
    echo
    echo "| strategy | phase | ops/s | read avg | read p95 | read p99 | update avg | update p95 | update p99 | insert avg | insert p99 | errors |"
    echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    local run label
    for strategy in "${STRATEGIES[@]}"; do
        for run in workloada-load workloada-t workloadb-t; do
            log=$LOGS/ycsb/$strategy-$run.log
            [[ -f $log ]] || continue
            case $run in workloada-load) label="load ($YCSB_RECORDS inserts)" ;; workloada-t) label="workload A" ;; *) label="workload B" ;; esac
            printf '| %s | %s | %.0f | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$strategy" "$label" \
                "$(ycsb_value "$log" OVERALL 'Throughput(ops/sec)' | sed 's/^-$/0/')" \
                "$(ms "$(ycsb_value "$log" READ 'AverageLatency(us)')")" \
                "$(ms "$(ycsb_value "$log" READ '95thPercentileLatency(us)')")" \
                "$(ms "$(ycsb_value "$log" READ '99thPercentileLatency(us)')")" \
                "$(ms "$(ycsb_value "$log" UPDATE 'AverageLatency(us)')")" \
                "$(ms "$(ycsb_value "$log" UPDATE '95thPercentileLatency(us)')")" \
                "$(ms "$(ycsb_value "$log" UPDATE '99thPercentileLatency(us)')")" \
                "$(ms "$(ycsb_value "$log" INSERT 'AverageLatency(us)')")" \
                "$(ms "$(ycsb_value "$log" INSERT '99thPercentileLatency(us)')")" \
                "$(ycsb_errors "$log")"
        done
    done
    echo
    echo "### Where a YCSB operation's time is spent"
    echo
    echo "What the cluster itself measured during each run (counter deltas): the mean time a write or read spent inside"
    echo "a gateway (from the request's arrival at Tomcat to its answer), next to the client's mean; the difference is"
    echo "spent in front of the gateways (nginx, the client, waiting for a CPU). Then the fsyncs every write waits"
    echo "for: etcd's WAL (one per commit, batched by raft) and the storage nodes' group commits. The machine's"
    echo "mean 1-minute load average during the run tells how many runnable threads shared the $(nproc) cores."
    echo
    echo "| strategy | run | load avg | client read ms | gateway read ms | client update ms (read + write) | gateway write ms | etcd txns | etcd WAL fsyncs (mean ms) | etcd backend commits (mean ms) | storage-node fsyncs (mean ms) |"
    echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    local wl before after
    for strategy in "${STRATEGIES[@]}"; do
        for wl in workloada workloadb; do
            before=$LOGS/ycsb/$strategy-$wl.server-before
            after=$LOGS/ycsb/$strategy-$wl.server-after
            [[ -f $before && -f $after ]] || continue
            log=$LOGS/ycsb/$strategy-$wl-t.log
            printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$strategy" "workload $(tr a-z A-Z <<<"${wl#workload}")" \
                "$(awk -v p="ycsb-${wl#workload}-$strategy" '$1 == p { n++; t += $3 } END { printf "%.1f", n ? t / n : 0 }' "$LOGS/load")" \
                "$(ms "$(ycsb_value "$log" READ 'AverageLatency(us)')")" \
                "$(delta_mean "$before" "$after" gateway_read_sum gateway_read_count)" \
                "$(ms "$(ycsb_value "$log" UPDATE 'AverageLatency(us)')")" \
                "$(delta_mean "$before" "$after" gateway_write_sum gateway_write_count)" \
                "$(delta "$before" "$after" etcd_mvcc_txn_total)" \
                "$(delta "$before" "$after" etcd_disk_wal_fsync_duration_seconds_count) ($(delta_mean "$before" "$after" etcd_disk_wal_fsync_duration_seconds_sum etcd_disk_wal_fsync_duration_seconds_count))" \
                "$(delta "$before" "$after" etcd_disk_backend_commit_duration_seconds_count) ($(delta_mean "$before" "$after" etcd_disk_backend_commit_duration_seconds_sum etcd_disk_backend_commit_duration_seconds_count))" \
                "$(delta "$before" "$after" hybridstore_storage_fsync_seconds_count) ($(delta_mean "$before" "$after" hybridstore_storage_fsync_seconds_sum hybridstore_storage_fsync_seconds_count))"
        done
    done
    echo
    echo "## Memory"
    echo
    echo "Sum of the resident set sizes of every process of the cluster (all processes of each instance's process"
    echo "group, from the pid files in \`$RUN_DIR/pids\`), sampled once a second; peak = the largest sample."
    echo
    local services rest line p s
    services=$(awk '{ print $2 }' "$LOGS/groups" | sort -u)
    rest=$(grep '^rest ' "$LOGS/rss" | tail -n1)
    printf '| moment | total GiB |'
    for s in $services; do printf ' %s MiB |' "$s"; done
    echo
    printf '| --- | ---: |'
    for s in $services; do printf ' ---: |'; done
    echo
    for p in rest k6 large '^ycsb-'; do
        if [[ $p == rest ]]; then line=$rest; else line=$(peak "$p"); fi
        [[ -n $line ]] || continue
        case $p in rest) label="at rest, before the run" ;; k6) label="peak, k6 scenarios" ;;
            large) label="peak, 8 MiB ec writes" ;; *) label="peak, YCSB load/A/B" ;; esac
        printf '| %s | %s |' "$label" "$(gib "$(cut -d' ' -f2 <<<"$line")")"
        for s in $services; do printf ' %s |' "$(awk -v kb="$(service_kb "$line" "$s")" 'BEGIN { printf "%.0f", kb / 1024 }')"; done
        echo
    done
    echo
    echo "Per-service columns are the sum over that service's instances (3 gateways, 6 storage nodes, 2 healers)."
    echo "8 MiB ec writes, 10 clients:"
    echo
    grep '^| ec' "$LOGS/large.md" | sed 's/^/    /' || true
    echo
    echo "## Cost per operation"
    echo
    echo "The cluster's counters snapshotted before and after each measured k6 row (after its warm-up) and YCSB run,"
    echo "divided by the operations the run did (failed ones included). CPU: user and system time (fields 14 and 15"
    echo "of \`/proc/<pid>/stat\`, ${CLK_TCK:-100} ticks a second) summed over every process of each service's process"
    echo "groups, so the resolution is $(awk -v t="${CLK_TCK:-100}" 'BEGIN { printf "%g", 1000 / t }') ms per process per snapshot. It includes what the"
    echo "services do in the background meanwhile (healers' scrubs, etcd's and Kafka's heartbeats) and the gateways'"
    echo "and nodes' answers to the snapshots' own metric scrapes; the load generator is not part of any service."
    echo
    echo "Hops: client→nginx is the lines nginx wrote to its access logs (buffered up to 1 s, so a row may get a second"
    echo "of its neighbour's requests); nginx→gateway and →storage-node are the requests the gateways and nodes served"
    echo "(\`http_server_requests_seconds_count\`, their /actuator endpoints left out); etcd's gRPC calls, proposals"
    echo "and WAL fsyncs are its own \`grpc_server_handled_total\`, \`etcd_server_proposals_committed_total\` and"
    echo "\`etcd_disk_wal_fsync_duration_seconds_count\`; the nodes' fsyncs their \`hybridstore_storage_fsync_seconds_count\`."
    echo "gateway→Kafka is the gateways' producers' \`kafka_producer_record_send_total\`. The healers talk to etcd and the"
    echo "storage nodes too, so those hops count their calls as well. \"not measured\": no service exposed the counter"
    echo "(the Kafka broker has no metrics endpoint, so its fsyncs are never measured)."
    echo
    if [[ -s $LOGS/costs/runs.tsv ]]; then
        "$JAVA" -cp "$JAR" io.hybridstore.benchmark.measure.CostReport "$LOGS/costs/runs.tsv" "${CLK_TCK:-100}"
    else
        echo "(These logs have no snapshots: they are from a run before the benchmark took them.)"
    fi
    echo
    echo "Mean 1-minute load average of the machine: $(awk '$1 ~ /^ycsb-/ { n++; t += $3 } END { printf "%.1f", n ? t / n : 0 }' "$LOGS/load") during YCSB, $(awk '$1 == "rest" { n++; t += $3 } END { printf "%.1f", n ? t / n : 0 }' "$LOGS/load") at rest before the run."
    echo
    if compgen -G "$LOGS/jfr/*.jfr" >/dev/null; then
        echo "## Profiles of this run"
        echo
        echo "The top 10 frames per profiled service during workload A of \`$PROFILE\`, three ways: cpu, JDK 25's CPU-time"
        echo "sampler (\`jfr view cpu-time-hot-methods\`, samples of threads using CPU, in Java or native code); Java,"
        echo "execution samples of threads running Java code (\`hot-methods\`); wall, samples of threads in native code,"
        echo "mostly waiting on sockets, disks and locks (\`native-methods\`). The recordings are"
        echo "in \`${LOGS#"$REPO_DIR"/}/jfr/\`."
        local jfr view
        for jfr in "$LOGS"/jfr/*.jfr; do
            echo
            echo "<details><summary>$(basename "$jfr" .jfr)</summary>"
            echo
            echo '```'
            # Each view starts with five lines of title and heading.
            for view in cpu-time-hot-methods hot-methods native-methods; do
                "$JAVA_HOME/bin/jfr" view --width 160 "$view" "$jfr" 2>&1 | head -n 15
            done
            echo '```'
            echo "</details>"
        done
        echo
    fi
    echo "Logs of this run: \`${LOGS#"$REPO_DIR"/}/\` (YCSB output per strategy and workload, k6 tables, RSS samples)."
    echo
    if [[ -f $OUT ]] && grep -qF "$MARKER" "$OUT"; then
        sed -n "/^$MARKER\$/,\$p" "$OUT"
    else
        echo "$MARKER"
    fi
}

# The whole script is read before main starts (bash reads a script as it runs it), so editing this file during a
# long run cannot derail it.
main() {
    if [[ -n ${HS_BENCH_REPORT_FROM:-} ]]; then
        LOGS=$(cd "$HS_BENCH_REPORT_FROM" && pwd)
    else
        measure
    fi
    # shellcheck source=/dev/null
    source "$LOGS/settings"
    log "writing $OUT"
    mkdir -p "$(dirname "$OUT")"
    report >"$OUT.tmp"
    mv "$OUT.tmp" "$OUT"
    log "done: $OUT (logs in $LOGS)"
}

main "$@"; exit
