#!/usr/bin/env bash
# step.sh NAME COMMAND...: run one step of a make target, print its name and duration.
set -uo pipefail
name=$1; shift
start=${EPOCHREALTIME/./}
printf '\n==> %s\n' "$name"
"$@"
rc=$?
elapsed_ms=$(( (${EPOCHREALTIME/./} - start) / 1000 ))
elapsed=$(printf '%d.%01d' $((elapsed_ms / 1000)) $(((elapsed_ms % 1000) / 100)))
if [ "$rc" -eq 0 ]; then
  printf '<== %s: ok in %s s\n' "$name" "$elapsed"
else
  printf '<== %s: FAILED (exit %s) after %s s\n' "$name" "$rc" "$elapsed" >&2
fi
exit "$rc"
