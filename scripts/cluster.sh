#!/usr/bin/env bash
# Runs a whole HybridStore cluster on this machine: etcd, a Kafka broker, storage nodes, API gateways, healers and
# nginx in front of the gateways. This script finds Java 25, installs missing packages, rebuilds stale jars and then
# hands over to the launcher (the cluster module), which starts, watches and stops the processes: each detached into
# its own session and remembered by a pid file, so `down` stops exactly what `up` started and nothing else. The
# topology is cluster/src/main/resources/io/hybridstore/cluster/topology.properties.
#
#   scripts/cluster.sh up [--etcd-members 1|3] [--clean] [--build]
#   scripts/cluster.sh down | clean | status | build
#   scripts/cluster.sh deps [--test]   (installs what the cluster needs, with --test also the S3 command-line
#                                       clients the tests use; prints the JAVA_HOME of a Java 25)
#   scripts/cluster.sh start|stop|kill|restart|pause|resume NAME    (NAME e.g. storage-node-2, gateway-1, etcd-1)
#   scripts/cluster.sh logs NAME
#
# Settings (environment): HS_RUN_DIR, HS_PORT_OFFSET, HS_STORAGE_NODES, HS_GATEWAYS, HS_HEALERS, HS_ETCD_MEMBERS,
# HS_JAVA_OPTS_EXTRA, HS_HEAP_<SERVICE>, HS_HEALTH_TIMEOUT, HS_STOP_TIMEOUT. Any HYBRIDSTORE_*, SPRING_*, SERVER_*,
# MANAGEMENT_* or LOGGING_* variable reaches the Spring services unchanged (relaxed binding).
set -euo pipefail

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
APT_PACKAGES=(etcd-server etcd-client nginx libisal2 curl openssl)
# What the test suite drives the S3 API with, as users do: `deps --test` installs these too.
TEST_APT_PACKAGES=(awscli s3cmd rclone python3-boto3 iproute2)
LAUNCHER_JAR=$REPO_DIR/cluster/target/cluster.jar

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

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

# A jar is stale when it is missing or anything it is built from (its module, the modules it depends on, the root
# pom) changed. The launcher depends on nothing of ours.
jar_stale() {
    local module=$1 jar=$REPO_DIR/$1/target/$1.jar sources=("$REPO_DIR/pom.xml" "$REPO_DIR/$1/pom.xml" "$REPO_DIR/$1/src")
    [[ -f $jar ]] || return 0
    if [[ $module != cluster ]]; then
        local lib
        for lib in common erasure web; do sources+=("$REPO_DIR/$lib/pom.xml" "$REPO_DIR/$lib/src"); done
    fi
    [[ -n $(find "${sources[@]}" -newer "$jar" -type f -print -quit 2>/dev/null) ]]
}

build() {
    local force=$1 module stale=()
    shift
    for module in "$@"; do
        if [[ $force == true ]] || jar_stale "$module"; then stale+=("$module"); fi
    done
    ((${#stale[@]} == 0)) && return 0
    local IFS=,
    log "building ${stale[*]} (mvn package, tests skipped)"
    (cd "$REPO_DIR" && mvn -B -q -DskipTests -pl "${stale[*]}" -am package) || die "build failed"
    # The jar plugin leaves a jar alone when its classes did not change (a test source did, say): the jar is still
    # current, so mark it so.
    for module in "${stale[@]}"; do touch "$REPO_DIR/$module/target/$module.jar"; done
}

launcher() {
    "$JAVA" -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 "-Dhybridstore.repo=$REPO_DIR" \
        -cp "$LAUNCHER_JAR" io.hybridstore.cluster.ClusterCli "$@"
}

main() {
    local command=${1:-help}
    case $command in
        deps)
            [[ ${2:-} == --test ]] && APT_PACKAGES+=("${TEST_APT_PACKAGES[@]}")
            install_packages; find_java; echo "$JAVA_HOME" ;;
        build)
            install_packages; find_java; build true cluster
            # shellcheck disable=SC2046 # a list of module names
            build true $(launcher modules) ;;
        up)
            local force=false arg
            for arg in "$@"; do [[ $arg == --build ]] && force=true; done
            install_packages; find_java; build "$force" cluster
            # shellcheck disable=SC2046
            build "$force" $(launcher modules)
            launcher "$@" ;;
        help | -h | --help) sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' ;;
        *) find_java; build false cluster; launcher "$@" ;;
    esac
}

main "$@"
