#!/usr/bin/env bash
# Purge old snapshots and transaction logs: zkCleanup.sh [-n count] (keeps 3 by default).
# shellcheck source-path=SCRIPTDIR source=zkEnv.sh
. "$(dirname -- "$0")/zkEnv.sh"
cfg_value() {
  sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*//p" "$ZOOCFG_PATH" | tail -n 1 | tr -d '\r'
}
ZOODATADIR=$(cfg_value dataDir)
ZOODATALOGDIR=$(cfg_value dataLogDir)
# shellcheck disable=SC2086
exec "$JAVA" "-Dzookeeper.log.dir=$ZOO_LOG_DIR" -cp "$CLASSPATH" $JVMFLAGS \
  org.apache.zookeeper.server.PurgeTxnLog "${ZOODATALOGDIR:-$ZOODATADIR}" "$ZOODATADIR" "$@"
