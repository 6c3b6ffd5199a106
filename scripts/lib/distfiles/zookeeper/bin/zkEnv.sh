#!/usr/bin/env bash
# Sourced by the other scripts; equivalent to Apache ZooKeeper's bin/zkEnv.sh for an archive
# assembled by kafka-iac's scripts/artifacts.py. Honours ZOOCFGDIR, ZOOCFG, ZOO_LOG_DIR,
# ZOOPIDFILE, ZK_SERVER_HEAP, ZK_CLIENT_HEAP, SERVER_JVMFLAGS, CLIENT_JVMFLAGS, JVMFLAGS,
# JAVA_HOME and $ZOOCFGDIR/java.env.
# shellcheck disable=SC2034  # the variables are used by the scripts that source this file
ZOOBINDIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
ZOOKEEPER_PREFIX=$(cd -- "$ZOOBINDIR/.." && pwd)
export ZOOBINDIR ZOOKEEPER_PREFIX

ZOOCFGDIR=${ZOOCFGDIR:-$ZOOKEEPER_PREFIX/conf}
ZOOCFG=${ZOOCFG:-zoo.cfg}
ZOOCFG_PATH="$ZOOCFGDIR/$ZOOCFG"
if [ -f "$ZOOCFGDIR/java.env" ]; then
  # shellcheck source=/dev/null
  . "$ZOOCFGDIR/java.env"
fi

ZOO_LOG_DIR=${ZOO_LOG_DIR:-$ZOOKEEPER_PREFIX/logs}
if [ -n "${JAVA_HOME:-}" ]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi

# conf/ first so logback finds conf/logback.xml; the literal '*' is expanded by java.
CLASSPATH="$ZOOCFGDIR:$ZOOKEEPER_PREFIX/lib/*${CLASSPATH:+:$CLASSPATH}"

ZK_SERVER_HEAP=${ZK_SERVER_HEAP:-1000}
SERVER_JVMFLAGS="-Xmx${ZK_SERVER_HEAP}m ${SERVER_JVMFLAGS:-}"
ZK_CLIENT_HEAP=${ZK_CLIENT_HEAP:-256}
CLIENT_JVMFLAGS="-Xmx${ZK_CLIENT_HEAP}m ${CLIENT_JVMFLAGS:-}"
JVMFLAGS=${JVMFLAGS:-}
