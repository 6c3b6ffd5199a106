#!/usr/bin/env bash
# zkServer.sh [--config <conf-dir>] {start|start-foreground|stop|restart|status|print-cmd} [zoo.cfg]
# Equivalent to Apache ZooKeeper's bin/zkServer.sh for the subcommands above.
if [ "${1:-}" = "--config" ]; then
  export ZOOCFGDIR=$2
  shift 2
fi
# shellcheck source-path=SCRIPTDIR source=zkEnv.sh
. "$(dirname -- "$0")/zkEnv.sh"

if [ -n "${2:-}" ]; then
  ZOOCFG_PATH=$2
fi
if [ ! -f "$ZOOCFG_PATH" ] && [ "${1:-}" != "print-cmd" ]; then
  echo "ZooKeeper configuration $ZOOCFG_PATH not found" >&2
  exit 1
fi

cfg_value() {
  sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*//p" "$ZOOCFG_PATH" 2>/dev/null | tail -n 1 | tr -d '\r'
}

ZOO_DATADIR=$(cfg_value dataDir)
ZOOPIDFILE=${ZOOPIDFILE:-${ZOO_DATADIR:-/tmp}/zookeeper_server.pid}
ZOO_LOG_FILE=${ZOO_LOG_FILE:-zookeeper-$(id -un)-server-$(hostname).log}
_ZOO_DAEMON_OUT="$ZOO_LOG_DIR/zookeeper-$(id -un)-server-$(hostname).out"

# shellcheck disable=SC2206
server_cmd=("$JAVA" "-Dzookeeper.log.dir=$ZOO_LOG_DIR" "-Dzookeeper.log.file=$ZOO_LOG_FILE"
  -XX:+HeapDumpOnOutOfMemoryError "-XX:OnOutOfMemoryError=kill -9 %p"
  -cp "$CLASSPATH" $JVMFLAGS $SERVER_JVMFLAGS org.apache.zookeeper.server.quorum.QuorumPeerMain "$ZOOCFG_PATH")

case "${1:-}" in
  start-foreground)
    exec "${server_cmd[@]}"
    ;;
  start)
    mkdir -p -- "$ZOO_LOG_DIR"
    if [ -f "$ZOOPIDFILE" ] && kill -0 "$(cat "$ZOOPIDFILE")" 2>/dev/null; then
      echo "already running as process $(cat "$ZOOPIDFILE")."
      exit 1
    fi
    nohup "${server_cmd[@]}" >"$_ZOO_DAEMON_OUT" 2>&1 </dev/null &
    echo $! >"$ZOOPIDFILE"
    sleep 1
    if kill -0 "$(cat "$ZOOPIDFILE")" 2>/dev/null; then echo STARTED; else echo "FAILED TO START (see $_ZOO_DAEMON_OUT)"; exit 1; fi
    ;;
  stop)
    if [ ! -f "$ZOOPIDFILE" ]; then
      echo "no zookeeper to stop (could not find file $ZOOPIDFILE)"
      exit 0
    fi
    pid=$(cat "$ZOOPIDFILE")
    kill "$pid" 2>/dev/null
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    rm -f -- "$ZOOPIDFILE"
    echo STOPPED
    ;;
  restart)
    "$0" stop "${2:-}"
    sleep 1
    "$0" start "${2:-}"
    ;;
  status)
    port=$(cfg_value clientPort)
    address=$(cfg_value clientPortAddress)
    address=${address:-localhost}
    if [ -z "$port" ]; then
      echo "Unable to find clientPort in $ZOOCFG_PATH" >&2
      exit 1
    fi
    echo "Client port found: $port. Client address: $address."
    # shellcheck disable=SC2086
    if ! stat=$("$JAVA" -cp "$CLASSPATH" $CLIENT_JVMFLAGS $JVMFLAGS \
        org.apache.zookeeper.client.FourLetterWordMain "$address" "$port" srvr 2>/dev/null); then
      echo "Error contacting service. It is probably not running."
      exit 1
    fi
    echo "$stat" | grep -E '^Mode:' || { echo "Error contacting service. It is probably not running."; exit 1; }
    ;;
  print-cmd)
    printf '%q ' "${server_cmd[@]}"
    echo
    ;;
  *)
    echo "Usage: $0 [--config <conf-dir>] {start|start-foreground|stop|restart|status|print-cmd} [zoo.cfg]" >&2
    exit 1
    ;;
esac
