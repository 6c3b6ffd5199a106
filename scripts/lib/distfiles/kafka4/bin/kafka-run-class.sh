#!/usr/bin/env bash
# Thin equivalent of Apache Kafka 4.x's bin/kafka-run-class.sh for an archive assembled from Maven
# Central by kafka-iac's scripts/artifacts.py: same environment variables (KAFKA_HEAP_OPTS,
# KAFKA_JVM_PERFORMANCE_OPTS, KAFKA_LOG4J_OPTS, KAFKA_JMX_OPTS, JMX_PORT, KAFKA_OPTS, LOG_DIR,
# JAVA_HOME, CLASSPATH) and options (-daemon, -name NAME, -loggc), one classpath: libs/*.
if [ $# -lt 1 ]; then
  echo "USAGE: $0 [-daemon] [-name servicename] [-loggc] classname [opts]" >&2
  exit 1
fi

base_dir=$(cd -- "$(dirname -- "$0")/.." && pwd)

daemon_mode=false
daemon_name=""
gc_log_enabled=false
while [ $# -gt 0 ]; do
  case "$1" in
    -name) daemon_name=$2; shift 2 ;;
    -loggc) gc_log_enabled=true; shift ;;
    -daemon) daemon_mode=true; shift ;;
    *) break ;;
  esac
done

# The literal '*' is expanded by java, not by the shell.
CLASSPATH="${CLASSPATH:+$CLASSPATH:}$base_dir/libs/*"

LOG_DIR=${LOG_DIR:-$base_dir/logs}
mkdir -p -- "$LOG_DIR" 2>/dev/null || true

KAFKA_HEAP_OPTS=${KAFKA_HEAP_OPTS:--Xmx256M}
KAFKA_JVM_PERFORMANCE_OPTS=${KAFKA_JVM_PERFORMANCE_OPTS:--server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 -Djava.awt.headless=true}
KAFKA_LOG4J_OPTS="-Dkafka.logs.dir=$LOG_DIR ${KAFKA_LOG4J_OPTS:--Dlog4j2.configurationFile=$base_dir/config/tools-log4j2.yaml}"

if [ -n "${JMX_PORT:-}" ]; then
  KAFKA_JMX_OPTS="${KAFKA_JMX_OPTS:--Dcom.sun.management.jmxremote -Dcom.sun.management.jmxremote.authenticate=false -Dcom.sun.management.jmxremote.ssl=false} -Dcom.sun.management.jmxremote.port=$JMX_PORT -Dcom.sun.management.jmxremote.rmi.port=$JMX_PORT"
fi

GC_LOG_OPTS=""
if [ "$gc_log_enabled" = true ] && [ -n "$daemon_name" ]; then
  GC_LOG_OPTS="-Xlog:gc*:file=$LOG_DIR/$daemon_name-gc.log:time,tags:filecount=10,filesize=100M"
fi

if [ -n "${JAVA_HOME:-}" ]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi

# The *_OPTS variables hold several options each: word splitting is intended, as in Apache's script.
# shellcheck disable=SC2086
set -- "$JAVA" $KAFKA_HEAP_OPTS $KAFKA_JVM_PERFORMANCE_OPTS $GC_LOG_OPTS ${KAFKA_JMX_OPTS:-} $KAFKA_LOG4J_OPTS -cp "$CLASSPATH" ${KAFKA_OPTS:-} "$@"

if [ "$daemon_mode" = true ]; then
  nohup "$@" >"$LOG_DIR/${daemon_name:-kafka}.out" 2>&1 </dev/null &
else
  exec "$@"
fi
