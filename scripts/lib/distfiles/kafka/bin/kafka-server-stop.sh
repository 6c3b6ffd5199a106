#!/usr/bin/env bash
# Stop the Kafka broker(s) on this host (SIGTERM: a controlled shutdown), as Apache's script does.
SIGNAL=${SIGNAL:-TERM}
PIDS=$(pgrep -f 'java.*kafka\.Kafka ' || true)
if [ -z "$PIDS" ]; then
  echo "No kafka server to stop"
  exit 1
fi
# shellcheck disable=SC2086
kill -s "$SIGNAL" $PIDS
