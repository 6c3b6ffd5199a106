"""Run ``kafkalint.cli.main`` under a Python audit hook and report what the process did.

    python audited_run.py EVENTS.json -- KAFKALINT_ARGS...

Every file the process opens, every program it tries to start (``subprocess``, ``os.system``,
``os.exec*``, ``os.posix_spawn``) and every network connection it tries is written to
EVENTS.json, so a test can assert that linting a hostile inventory read nothing outside it,
ran nothing and sent nothing. The exit code is kafkalint's.
"""

from __future__ import annotations

import json
import os
import sys

EXEC_EVENTS = ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "pty.spawn")
NET_EVENTS = ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "urllib.Request", "http.client.connect")


def main() -> int:
    target = sys.argv[1]
    argv = sys.argv[sys.argv.index("--") + 1 :]
    events: list[list[str]] = []

    def hook(event: str, args: tuple[object, ...]) -> None:
        if event == "open" and args and isinstance(args[0], (str, bytes)):
            events.append(["open", os.path.abspath(os.fsdecode(args[0]))])  # noqa: PTH100 - no symlinks resolved
        elif event.startswith(EXEC_EVENTS):
            events.append(["exec", repr(args)[:300]])
        elif event.startswith(NET_EVENTS):
            events.append(["net", repr(args)[:300]])

    sys.addaudithook(hook)
    from kafkalint import cli

    code = cli.main(argv)
    sys.stdout.flush()
    recorded = list(events)
    with open(target, "w", encoding="utf-8") as handle:  # noqa: PTH123 - recorded before this open
        json.dump(recorded, handle)
    return code


if __name__ == "__main__":
    sys.exit(main())
