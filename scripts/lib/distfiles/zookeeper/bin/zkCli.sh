#!/usr/bin/env bash
# ZooKeeper command-line client: zkCli.sh [-server host:port] [command...]
# shellcheck source-path=SCRIPTDIR source=zkEnv.sh
. "$(dirname -- "$0")/zkEnv.sh"
ZOO_LOG_FILE=${ZOO_LOG_FILE:-zookeeper-$(id -un)-cli-$(hostname).log}
# shellcheck disable=SC2086
exec "$JAVA" "-Dzookeeper.log.dir=$ZOO_LOG_DIR" "-Dzookeeper.log.file=$ZOO_LOG_FILE" \
  -cp "$CLASSPATH" $CLIENT_JVMFLAGS $JVMFLAGS org.apache.zookeeper.ZooKeeperMain "$@"
