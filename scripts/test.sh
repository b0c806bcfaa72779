#!/usr/bin/env bash
# The whole test suite: every module's unit tests, then the system tests, which start a real cluster of their own
# with the cluster module's launcher (run dir system-tests/target/cluster, every port +10000, so a cluster on :8000
# is left alone) and stop it when they finish. Installs what it needs first: Debian packages (the cluster's, and the S3
# clients aws-cli, s3cmd, rclone and boto3), Java 25, Maven dependencies.
#
#   scripts/test.sh [extra mvn arguments, e.g. -pl common -am]
set -euo pipefail

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAVA_HOME=$(bash "$REPO_DIR/scripts/cluster.sh" deps --test)
export JAVA_HOME
cd "$REPO_DIR"
exec mvn -B verify "$@"
