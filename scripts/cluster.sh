#!/usr/bin/env bash
# Runs a whole HybridStore cluster on this machine: etcd, a Kafka broker, storage nodes, API gateways, healers and
# nginx in front of the gateways. Every process is started by this script, detached into its own session, and
# remembered by a pid file, so `down` stops exactly what `up` started and nothing else.
#
#   scripts/cluster.sh up [--etcd-members 1|3] [--clean] [--build]
#   scripts/cluster.sh down | clean | status | build
#   scripts/cluster.sh deps      (installs what the cluster needs; prints the JAVA_HOME of a Java 25)
#   scripts/cluster.sh start|stop|kill|restart|pause|resume NAME    (NAME e.g. storage-node-2, gateway-1, etcd-1)
#   scripts/cluster.sh logs NAME
#
# Settings (environment): HS_RUN_DIR, HS_PORT_OFFSET, HS_STORAGE_NODES, HS_GATEWAYS, HS_HEALERS, HS_ETCD_MEMBERS,
# HS_JAVA_OPTS_EXTRA, HS_HEAP_<SERVICE>, HS_HEALTH_TIMEOUT, HS_STOP_TIMEOUT. Any HYBRIDSTORE_*, SPRING_*, SERVER_*,
# MANAGEMENT_* or LOGGING_* variable reaches the Spring services unchanged (relaxed binding).
set -euo pipefail

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUN_DIR=${HS_RUN_DIR:-$REPO_DIR/run}
mkdir -p "$RUN_DIR"
RUN_DIR=$(cd "$RUN_DIR" && pwd)
# `up` records the topology and the pass-through settings here, so that a later `start NAME` (possibly from another
# shell) re-creates exactly the command line `up` used.
CLUSTER_ENV=$RUN_DIR/cluster.env
if [[ -f $CLUSTER_ENV && ${1:-} != up ]]; then
    # shellcheck source=/dev/null
    source "$CLUSTER_ENV"
fi

PORT_OFFSET=${HS_PORT_OFFSET:-0}
STORAGE_NODES=${HS_STORAGE_NODES:-6}
GATEWAYS=${HS_GATEWAYS:-3}
HEALERS=${HS_HEALERS:-2}
ETCD_MEMBERS=${HS_ETCD_MEMBERS:-1}
JAVA_OPTS_EXTRA=${HS_JAVA_OPTS_EXTRA:-}
HEALTH_TIMEOUT=${HS_HEALTH_TIMEOUT:-300}
STOP_TIMEOUT=${HS_STOP_TIMEOUT:-20}

# Heap caps: 2 cores and a dozen JVMs. The gateway holds a whole replication or field_hybrid object (up to 64 MiB)
# and about two stripes of an ec one; the storage node only streams blobs; Kafka needs little for one
# partition-light broker.
HEAP_STORAGE_NODE=${HS_HEAP_STORAGE_NODE:-256m}
HEAP_GATEWAY=${HS_HEAP_GATEWAY:-512m}
HEAP_HEALER=${HS_HEAP_HEALER:-256m}
HEAP_KAFKA=${HS_HEAP_KAFKA:-384m}

PASS_THROUGH_VARS='^(HYBRIDSTORE|SPRING|SERVER|MANAGEMENT|LOGGING)_'
APT_PACKAGES=(etcd-server etcd-client nginx libisal2 curl)

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ---------------------------------------------------------------------------------------------------------------
# Topology: names, ports and jars, all in one place.

# Prints one line "name" per instance, in start order.
all_instances() {
    local i
    for ((i = 1; i <= ETCD_MEMBERS; i++)); do echo "etcd-$i"; done
    echo "kafka-1"
    for ((i = 1; i <= STORAGE_NODES; i++)); do echo "storage-node-$i"; done
    for ((i = 1; i <= HEALERS; i++)); do echo "healer-$i"; done
    for ((i = 1; i <= GATEWAYS; i++)); do echo "gateway-$i"; done
    if ((GATEWAYS > 0)); then echo "nginx-1"; fi
}

service_of() { echo "${1%-*}"; }
index_of() { echo "${1##*-}"; }

# The port a service answers on (for etcd the client port), offset included.
port_of() {
    local service index base
    service=$(service_of "$1")
    index=$(index_of "$1")
    case $service in
        # Members sit side by side (2379, 2381, 2383; peers one above), so any offset up to ~30000 keeps all of them
        # below the ephemeral range; the old 22379/32379 left no room for an offset at all.
        etcd) base=$((2379 + 2 * (index - 1))) ;;
        kafka) base=9092 ;;
        storage-node) base=$((8000 + index)) ;;
        gateway) base=$((8100 + index)) ;;
        healer) base=$((8200 + index)) ;;
        nginx) base=8000 ;;
        *) die "unknown service: $service" ;;
    esac
    echo $((base + PORT_OFFSET))
}

etcd_peer_port() { echo $(($(port_of "$1") + 1)); }
kafka_controller_port() { echo $(($(port_of "$1") + 1)); }

etcd_endpoints() {
    local i urls=()
    for ((i = 1; i <= ETCD_MEMBERS; i++)); do urls+=("http://127.0.0.1:$(port_of "etcd-$i")"); done
    local IFS=,
    echo "${urls[*]}"
}

etcd_initial_cluster() {
    local i members=()
    for ((i = 1; i <= ETCD_MEMBERS; i++)); do
        members+=("etcd-$i=http://127.0.0.1:$(etcd_peer_port "etcd-$i")")
    done
    local IFS=,
    echo "${members[*]}"
}

module_of() {
    case $1 in
        storage-node) echo storage-node ;;
        gateway) echo api-gateway ;;
        healer) echo healer ;;
        kafka) echo kafka-launcher ;;
        *) return 1 ;;
    esac
}

# The jar Maven builds for a service.
built_jar_of() {
    local module
    module=$(module_of "$1")
    echo "$REPO_DIR/$module/target/$module.jar"
}

# The jar a service runs from: a copy in the run dir, taken by `up`, so that rebuilding the project while the
# cluster runs cannot swap classes out from under a running JVM.
jar_of() {
    echo "$RUN_DIR/lib/$(module_of "$1").jar"
}

# Copies the built jar of every service in the topology into the run dir (atomically, for a reader mid-start).
install_jars() {
    local service built
    mkdir -p "$RUN_DIR/lib"
    for service in kafka storage-node gateway healer; do
        built=$(built_jar_of "$service")
        [[ -f $built ]] || continue
        cp "$built" "$(jar_of "$service").tmp" && mv -f "$(jar_of "$service").tmp" "$(jar_of "$service")"
    done
}

pid_file() { echo "$RUN_DIR/pids/$1.pid"; }
log_file() { echo "$RUN_DIR/logs/$1.log"; }
data_dir() { echo "$RUN_DIR/data/$1"; }

valid_instance() {
    local name
    while read -r name; do [[ $name == "$1" ]] && return 0; done < <(all_instances)
    return 1
}

# ---------------------------------------------------------------------------------------------------------------
# Prerequisites: Java 25, apt packages, jars.

find_java() {
    local candidate
    for candidate in ${JAVA_HOME:+"$JAVA_HOME"} /usr/lib/jvm/temurin-25*; do
        if [[ -x $candidate/bin/java ]] && "$candidate/bin/java" -version 2>&1 | head -n1 | grep -q '"25[".]'; then
            JAVA_HOME=$candidate
            JAVA=$candidate/bin/java
            export JAVA_HOME
            return 0
        fi
    done
    die "no Java 25 found: set JAVA_HOME to a JDK 25 or install Temurin 25 under /usr/lib/jvm/temurin-25*"
}

package_missing() { ! dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

install_packages() {
    local missing=() pkg
    for pkg in "${APT_PACKAGES[@]}"; do
        if package_missing "$pkg"; then missing+=("$pkg"); fi
    done
    if ! command -v mvn >/dev/null; then missing+=(maven); fi
    ((${#missing[@]} == 0)) && return 0
    log "installing missing packages: ${missing[*]}"
    local sudo=()
    if ((EUID != 0)); then
        command -v sudo >/dev/null || die "need root (or sudo) to install: ${missing[*]}"
        sudo=(sudo)
    fi
    "${sudo[@]}" apt-get update >&2
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >&2
}

nginx_binary() {
    command -v nginx 2>/dev/null || { [[ -x /usr/sbin/nginx ]] && echo /usr/sbin/nginx; } || die "nginx not installed"
}

# The modules whose jars this topology runs.
needed_modules() {
    local modules=(kafka-launcher)
    ((STORAGE_NODES > 0)) && modules+=(storage-node)
    ((GATEWAYS > 0)) && modules+=(api-gateway)
    ((HEALERS > 0)) && modules+=(healer)
    echo "${modules[@]}"
}

# A jar is stale when it is missing or anything it is built from (its module, common, erasure, the root pom) changed.
jar_stale() {
    local module=$1 jar=$REPO_DIR/$1/target/$1.jar
    [[ -f $jar ]] || return 0
    [[ -n $(find "$REPO_DIR/pom.xml" "$REPO_DIR/$module/pom.xml" "$REPO_DIR/$module/src" \
        "$REPO_DIR/common/pom.xml" "$REPO_DIR/common/src" "$REPO_DIR/erasure/pom.xml" "$REPO_DIR/erasure/src" \
        "$REPO_DIR/web/pom.xml" "$REPO_DIR/web/src" \
        -newer "$jar" -type f -print -quit 2>/dev/null) ]]
}

build_jars() {
    local force=$1 module stale=()
    for module in $(needed_modules); do
        if [[ $force == true ]] || jar_stale "$module"; then stale+=("$module"); fi
    done
    ((${#stale[@]} == 0)) && return 0
    local IFS=,
    log "building ${stale[*]} (mvn package, tests skipped)"
    (cd "$REPO_DIR" && mvn -B -q -DskipTests -pl "${stale[*]}" -am package) || die "build failed"
}

# ---------------------------------------------------------------------------------------------------------------
# Command lines, one function per service. `start NAME` and `up` both go through these.

java_base_opts() {
    local name=$1 heap=$2
    # -Dhybridstore.instance marks the process as ours: stop/kill refuse a pid whose command line lacks it.
    # SerialGC: no GC threads competing for the 2 cores; ExitOnOutOfMemoryError: a crash the tests can see and
    # restart beats a JVM limping on. -Xms32m and the free ratios: the default initial heap is 1/64 of RAM, more
    # than every cap here, so without them each JVM would hold its whole cap from the start; now a heap grows with
    # use and shrinks back after a full collection.
    # shellcheck disable=SC2206 # HS_JAVA_OPTS_EXTRA is a list of flags, split on purpose
    JAVA_CMD=("$JAVA" -Xms32m "-Xmx$heap" -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30
        -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError
        "-Dhybridstore.instance=$(data_dir "$name")" $JAVA_OPTS_EXTRA)
}

cmd_etcd() {
    local name=$1 port peer
    port=$(port_of "$name")
    peer=$(etcd_peer_port "$name")
    CMD=(etcd --name "$name" --data-dir "$(data_dir "$name")" --logger zap
        --listen-client-urls "http://127.0.0.1:$port" --advertise-client-urls "http://127.0.0.1:$port"
        --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer"
        --initial-cluster "$(etcd_initial_cluster)" --initial-cluster-token "hybridstore-$PORT_OFFSET"
        --initial-cluster-state new --auto-compaction-mode periodic --auto-compaction-retention 10m)
}

cmd_kafka() {
    local name=$1
    java_base_opts "$name" "$HEAP_KAFKA"
    CMD=("${JAVA_CMD[@]}" -jar "$(jar_of kafka)" --port "$(port_of "$name")"
        --controller-port "$(kafka_controller_port "$name")" --node-id 1 --data-dir "$(data_dir "$name")")
}

cmd_storage_node() {
    local name=$1 port
    port=$(port_of "$name")
    java_base_opts "$name" "$HEAP_STORAGE_NODE"
    CMD=("${JAVA_CMD[@]}" -jar "$(jar_of storage-node)" "--server.port=$port"
        "--hybridstore.storage-node.node-id=$name" "--hybridstore.storage-node.data-dir=$(data_dir "$name")"
        "--hybridstore.storage-node.advertised-url=http://127.0.0.1:$port"
        "--hybridstore.etcd.endpoints=$(etcd_endpoints)")
}

cmd_gateway() {
    local name=$1
    java_base_opts "$name" "$HEAP_GATEWAY"
    CMD=("${JAVA_CMD[@]}" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED
        -jar "$(jar_of gateway)" "--server.port=$(port_of "$name")" "--hybridstore.etcd.endpoints=$(etcd_endpoints)"
        "--spring.kafka.bootstrap-servers=127.0.0.1:$(port_of kafka-1)" "--hybridstore.gateway.id=$name")
}

cmd_healer() {
    local name=$1
    java_base_opts "$name" "$HEAP_HEALER"
    CMD=("${JAVA_CMD[@]}" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED
        -jar "$(jar_of healer)" "--server.port=$(port_of "$name")" "--hybridstore.etcd.endpoints=$(etcd_endpoints)"
        "--spring.kafka.bootstrap-servers=127.0.0.1:$(port_of kafka-1)" "--hybridstore.healer.id=$name")
}

cmd_nginx() {
    local name=$1 conf
    conf=$(data_dir "$name")/nginx.conf
    render_nginx_conf "$name" "$conf"
    CMD=("$(nginx_binary)" -c "$conf" -p "$(data_dir "$name")" -e "$(log_file "$name")" -g 'daemon off;')
}

# The repository's nginx.conf with every "# local:" line rewritten for this run dir and these ports.
render_nginx_conf() {
    local name=$1 out=$2 dir i servers=""
    dir=$(data_dir "$name")
    for ((i = 1; i <= GATEWAYS; i++)); do
        servers+="server 127.0.0.1:$(port_of "gateway-$i") max_fails=3 fail_timeout=5s;"$'\n'
    done
    awk -v dir="$dir" -v errlog="$(log_file "$name")" -v access="$RUN_DIR/logs/$name.access.log" \
        -v listen="127.0.0.1:$(port_of "$name")" -v servers="$servers" '
        match($0, /# local: [a-z_]+/) {
            key = substr($0, RSTART + 9, RLENGTH - 9)
            indent = $0; sub(/[^ ].*$/, "", indent)
            if (key == "gateway") {
                if (!done_gateways) {
                    n = split(servers, lines, "\n")
                    for (i = 1; i < n; i++) print indent lines[i]
                    done_gateways = 1
                }
                next
            }
            if (key == "error_log") line = "error_log " errlog " warn;"
            else if (key == "pid") line = "pid " dir "/nginx.pid;"
            else if (key == "access_log") line = "access_log " access " combined buffer=64k flush=1s;"
            else if (key == "listen") line = "listen " listen ";"
            else if (key ~ /_temp_path$/) line = key " " dir "/" substr(key, 1, length(key) - 10) ";"
            else { print "unknown local: marker " key > "/dev/stderr"; exit 1 }
            print indent line
            next
        }
        { print }' "$REPO_DIR/nginx.conf" >"$out"
}

command_for() {
    local name=$1
    case $(service_of "$name") in
        etcd) cmd_etcd "$name" ;;
        kafka) cmd_kafka "$name" ;;
        storage-node) cmd_storage_node "$name" ;;
        gateway) cmd_gateway "$name" ;;
        healer) cmd_healer "$name" ;;
        nginx) cmd_nginx "$name" ;;
    esac
}

# ---------------------------------------------------------------------------------------------------------------
# Processes.

# The pid of a running instance we started, or nothing. A pid file whose process is gone, or whose pid now belongs
# to some other program, does not count.
running_pid() {
    local file pid
    file=$(pid_file "$1")
    [[ -f $file ]] || return 1
    pid=$(<"$file")
    [[ $pid =~ ^[0-9]+$ ]] && [[ -r /proc/$pid/cmdline ]] || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$(data_dir "$1")" || return 1
    echo "$pid"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_instance() {
    local name=$1 pid port
    if pid=$(running_pid "$name"); then
        log "$name already running (pid $pid)"
        return 0
    fi
    port=$(port_of "$name")
    port_in_use "$port" && die "$name: port $port is taken by a process this script did not start"
    mkdir -p "$RUN_DIR/pids" "$RUN_DIR/logs" "$(data_dir "$name")"
    command_for "$name"
    printf '\n=== %s starting %s: %s\n' "$(date -Is)" "$name" "${CMD[*]}" >>"$(log_file "$name")"
    # setsid: the instance leads its own process group, so signals reach all of it (nginx workers too) and a
    # Ctrl-C in this shell does not reach the cluster.
    setsid "${CMD[@]}" >>"$(log_file "$name")" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$(pid_file "$name")"
    # Until the background shell has exec'd setsid, /proc/$pid/cmdline is still this script's, and running_pid
    # would report the instance as gone ("exited during start-up"); on a loaded machine that window is long.
    local deadline=$((SECONDS + 30))
    while [[ -d /proc/$pid ]] && ! running_pid "$name" >/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
    log "started $name (pid $pid, port $port)"
}

# Sends a signal to the process group of each named running instance.
signal_instances() {
    local signal=$1 name pid
    shift
    for name in "$@"; do
        if pid=$(running_pid "$name"); then
            kill "-$signal" -- "-$pid" 2>/dev/null || true
        fi
    done
}

# TERM, then KILL whatever is still alive after STOP_TIMEOUT seconds.
stop_instances() {
    local name alive=() deadline
    for name in "$@"; do running_pid "$name" >/dev/null && alive+=("$name"); done
    ((${#alive[@]} == 0)) && return 0
    log "stopping ${alive[*]}"
    signal_instances TERM "${alive[@]}"
    signal_instances CONT "${alive[@]}" # a paused process can only act on TERM once it runs again
    deadline=$((SECONDS + STOP_TIMEOUT))
    while ((SECONDS < deadline)); do
        local still=()
        for name in "${alive[@]}"; do running_pid "$name" >/dev/null && still+=("$name"); done
        alive=("${still[@]}")
        ((${#alive[@]} == 0)) && break
        sleep 0.2
    done
    if ((${#alive[@]} > 0)); then
        log "still running after ${STOP_TIMEOUT}s, killing: ${alive[*]}"
        signal_instances KILL "${alive[@]}"
        sleep 0.5
    fi
    for name in "$@"; do
        running_pid "$name" >/dev/null || rm -f "$(pid_file "$name")"
    done
}

# SIGKILL, and wait until it is really gone so that a `start` right after finds the port free.
kill_instance() {
    local deadline=$((SECONDS + 10))
    signal_instances KILL "$1"
    while running_pid "$1" >/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
    log "killed $1"
}

# ---------------------------------------------------------------------------------------------------------------
# Health.

is_healthy() {
    local name=$1 port
    port=$(port_of "$name")
    case $(service_of "$name") in
        etcd) ETCDCTL_API=3 etcdctl --endpoints="http://127.0.0.1:$port" --command-timeout=2s endpoint health \
            >/dev/null 2>&1 ;;
        # The port opens before the broker serves requests; its own "started" line, after the last start marker,
        # is the earliest moment clients get answers.
        kafka) port_in_use "$port" && awk '/^=== .* starting /{started = 0} /Kafka Server started/{started = 1}
            END {exit !started}' "$(log_file "$name")" ;;
        *) curl -fs -o /dev/null -m 2 "http://127.0.0.1:$port/health" ;;
    esac
}

# Waits until every named instance is healthy; on timeout or death prints the log tail and fails. Each round checks
# all pending instances in parallel, so one slow answer does not stall the others.
await_healthy() {
    local deadline=$((SECONDS + HEALTH_TIMEOUT)) pending=("$@") name
    while ((${#pending[@]} > 0)); do
        local still=() checks=()
        for name in "${pending[@]}"; do
            running_pid "$name" >/dev/null || fail_with_log "$name" "exited during start-up"
            is_healthy "$name" &
            checks+=("$!")
        done
        local i
        for i in "${!pending[@]}"; do
            if wait "${checks[$i]}"; then log "${pending[$i]} healthy"; else still+=("${pending[$i]}"); fi
        done
        pending=("${still[@]}")
        ((${#pending[@]} == 0)) && return 0
        ((SECONDS < deadline)) || fail_with_log "${pending[0]}" "not healthy after ${HEALTH_TIMEOUT}s (also pending: ${pending[*]:1})"
        sleep 1
    done
}

fail_with_log() {
    log "$1: $2; last lines of $(log_file "$1"):"
    tail -n 40 "$(log_file "$1")" >&2 || true
    exit 1
}

# ---------------------------------------------------------------------------------------------------------------
# Commands.

save_cluster_env() {
    {
        echo "# Written by scripts/cluster.sh up; read by every later command on this run dir."
        printf 'export HS_PORT_OFFSET=%q HS_STORAGE_NODES=%q HS_GATEWAYS=%q HS_HEALERS=%q HS_ETCD_MEMBERS=%q\n' \
            "$PORT_OFFSET" "$STORAGE_NODES" "$GATEWAYS" "$HEALERS" "$ETCD_MEMBERS"
        printf 'export HS_JAVA_OPTS_EXTRA=%q\n' "$JAVA_OPTS_EXTRA"
        local var
        while read -r var; do
            printf 'export %s=%q\n' "$var" "${!var}"
        done < <(compgen -e | grep -E "$PASS_THROUGH_VARS" || true)
    } >"$CLUSTER_ENV"
}

instances_of() {
    local name
    all_instances | while read -r name; do
        if [[ " $* " == *" $(service_of "$name") "* ]]; then echo "$name"; fi
    done
}

# Starts every instance of the given services and waits until all of them are healthy.
start_wave() {
    local names name
    mapfile -t names < <(instances_of "$@")
    ((${#names[@]} > 0)) || return 0
    for name in "${names[@]}"; do start_instance "$name"; done
    await_healthy "${names[@]}"
}

# Ports inside the kernel's ephemeral range can be taken at any moment by some outgoing connection's local port.
warn_ephemeral_ports() {
    local low high name port
    read -r low high </proc/sys/net/ipv4/ip_local_port_range || return 0
    while read -r name; do
        port=$(port_of "$name")
        if ((port >= low && port <= high + 1)); then
            log "warning: $name port $port (or the one above it) is in the ephemeral range $low-$high; it may be taken"
        fi
    done < <(all_instances)
}

# etcd members keep the cluster they were created in: a member count other than the one the run dir's data was made
# with would start the old members as one cluster and the new ones as another, each answering for itself.
require_same_etcd_members() {
    local previous
    [[ -d $RUN_DIR/data/etcd-1/member && -f $CLUSTER_ENV ]] || return 0
    previous=$(sed -n 's/.*HS_ETCD_MEMBERS=\([0-9]*\).*/\1/p' "$CLUSTER_ENV")
    [[ -z $previous || $previous == "$ETCD_MEMBERS" ]] ||
        die "$RUN_DIR holds the data of a cluster with $previous etcd member(s), not $ETCD_MEMBERS: run 'up --etcd-members $previous', or 'up --clean --etcd-members $ETCD_MEMBERS' to start afresh (deletes every object)"
}

cmd_up() {
    local clean=false build=false
    while (($# > 0)); do
        case $1 in
            --etcd-members) ETCD_MEMBERS=${2:?--etcd-members needs 1 or 3}; shift 2 ;;
            --etcd-members=*) ETCD_MEMBERS=${1#*=}; shift ;;
            --clean) clean=true; shift ;;
            --build) build=true; shift ;;
            *) die "up: unknown option $1" ;;
        esac
    done
    [[ $ETCD_MEMBERS == 1 || $ETCD_MEMBERS == 3 ]] || die "--etcd-members must be 1 or 3"
    if [[ $clean == true ]]; then cmd_clean; fi
    require_same_etcd_members
    install_packages
    find_java
    build_jars "$build"
    install_jars
    warn_ephemeral_ports
    save_cluster_env

    # In dependency order: gateways and healers need etcd and the log, and find no nodes until nodes registered.
    # Waves also keep a dozen JVMs from starting at once on two cores.
    start_wave etcd
    start_wave kafka storage-node
    start_wave healer gateway
    start_wave nginx
    cmd_status
    echo
    if ((GATEWAYS > 0)); then
        echo "HybridStore is up: http://127.0.0.1:$(port_of nginx-1)/"
    else
        echo "HybridStore is up without gateways (HS_GATEWAYS=0), so without nginx."
    fi
    echo "Logs: $RUN_DIR/logs/   (scripts/cluster.sh logs NAME)"
}

cmd_down() {
    local front back
    mapfile -t front < <(instances_of nginx gateway healer storage-node)
    stop_instances "${front[@]}"
    # The log and etcd go last: gateways and healers finish their writes and give their leases back first.
    mapfile -t back < <(instances_of kafka etcd)
    stop_instances "${back[@]}"
    stop_strays
}

# Instances outside the current topology (say, etcd-3 after switching back to one member) still have pid files.
stray_instances() {
    local file name
    for file in "$RUN_DIR"/pids/*.pid; do
        [[ -e $file ]] || continue
        name=$(basename "$file" .pid)
        valid_instance "$name" || echo "$name"
    done
}

stop_strays() {
    local strays
    mapfile -t strays < <(stray_instances)
    ((${#strays[@]} == 0)) || stop_instances "${strays[@]}"
}

cmd_clean() {
    cmd_down
    log "wiping $RUN_DIR (data, logs, pids)"
    rm -rf "$RUN_DIR/data" "$RUN_DIR/logs" "$RUN_DIR/pids" "$CLUSTER_ENV"
}

status_line() {
    local name=$1 pid state
    if pid=$(running_pid "$name"); then
        if [[ $(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) == T ]]; then
            state=paused
        elif is_healthy "$name"; then
            state=healthy
        else
            state=up
        fi
    else
        pid=-
        state=down
    fi
    printf '%-16s %-8s %-6s %s\n' "$name" "$pid" "$(port_of "$name")" "$state"
}

# Health checks run in parallel (a paused or busy service costs its curl timeout); lines print in topology order.
cmd_status() {
    local names tmp i checks=()
    mapfile -t names < <(all_instances)
    tmp=$(mktemp -d)
    for i in "${!names[@]}"; do
        status_line "${names[$i]}" >"$tmp/$i" &
        checks+=("$!")
    done
    # Only these pids: a bare `wait` would also wait for the services `up` just started from this shell.
    wait "${checks[@]}"
    printf '%-16s %-8s %-6s %s\n' NAME PID PORT STATE
    for i in "${!names[@]}"; do cat "$tmp/$i"; done
    rm -rf "$tmp"
}

require_instance() {
    [[ -n ${1:-} ]] || die "missing NAME (one of: $(all_instances | tr '\n' ' '))"
    valid_instance "$1" || die "unknown instance '$1' (one of: $(all_instances | tr '\n' ' '))"
}

cmd_start() {
    require_instance "${1:-}"
    find_java
    [[ $(service_of "$1") == etcd || $(service_of "$1") == nginx ]] || [[ -f $(jar_of "$(service_of "$1")") ]] ||
        die "$(jar_of "$(service_of "$1")") missing; run scripts/cluster.sh up first"
    start_instance "$1"
    await_healthy "$1"
}

usage() {
    sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

main() {
    local command=${1:-help}
    (($# > 0)) && shift
    case $command in
        up) cmd_up "$@" ;;
        down) cmd_down ;;
        clean) cmd_clean ;;
        status) cmd_status ;;
        build) install_packages; find_java; build_jars true ;;
        deps) install_packages; find_java; echo "$JAVA_HOME" ;;
        start) cmd_start "${1:-}" ;;
        stop) require_instance "${1:-}"; stop_instances "$1" ;;
        restart) require_instance "${1:-}"; stop_instances "$1"; cmd_start "$1" ;;
        kill) require_instance "${1:-}"; kill_instance "$1" ;;
        pause) require_instance "${1:-}"; signal_instances STOP "$1"; log "paused $1" ;;
        resume) require_instance "${1:-}"; signal_instances CONT "$1"; log "resumed $1" ;;
        logs) require_instance "${1:-}"; exec tail -n 100 -F "$(log_file "$1")" ;;
        help | -h | --help) usage ;;
        *) usage; exit 2 ;;
    esac
}

main "$@"
