#!/usr/bin/python
"""Ansible module: send a ZooKeeper four-letter word and return the reply."""

from __future__ import annotations

import re
import socket

from ansible.module_utils.basic import AnsibleModule

DOCUMENTATION = r"""
---
module: zookeeper_four_letter_word
short_description: Ask a ZooKeeper server a four-letter word (srvr, ruok, mntr, stat)
description:
  - Opens a TCP connection to the server's client port, sends the word and reads the reply
    until the server closes the connection.
  - Read-only; never reports a change.
  - The word must be in the server's C(4lw.commands.whitelist).
options:
  command:
    description: The four-letter word.
    type: str
    required: true
  host:
    description: Address of the ZooKeeper server.
    type: str
    default: 127.0.0.1
  port:
    description: The server's client port.
    type: int
    default: 2181
  timeout:
    description: Seconds to wait for the connection and the reply.
    type: float
    default: 5.0
"""

EXAMPLES = r"""
- name: Ask ZooKeeper for its mode
  zookeeper_four_letter_word:
    command: srvr
  register: zookeeper_srvr
"""

RETURN = r"""
reply:
  description: The server's reply.
  type: str
  returned: success
mode:
  description: The C(Mode:) line of C(srvr)/C(stat) (leader, follower, observer, standalone), else null.
  type: str
  returned: success
"""

_MODE = re.compile(r"^Mode:\s*(\S+)", re.MULTILINE)
_NOT_WHITELISTED = "is not executed because it is not in the whitelist"


def ask(host: str, port: int, command: str, timeout: float) -> str:
    """Send ``command`` and read until the server closes the connection."""
    chunks = []
    with socket.create_connection((host, port), timeout=timeout) as connection:
        connection.sendall(command.encode("ascii"))
        while True:
            chunk = connection.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks).decode("utf-8", errors="replace")


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "command": {"type": "str", "required": True},
            "host": {"type": "str", "default": "127.0.0.1"},
            "port": {"type": "int", "default": 2181},
            "timeout": {"type": "float", "default": 5.0},
        },
        supports_check_mode=True,
    )
    command = module.params["command"]
    if not re.fullmatch(r"[a-z]{4}", command):
        module.fail_json(msg=f"'{command}' is not a four-letter word")
    address = f"{module.params['host']}:{module.params['port']}"
    try:
        reply = ask(module.params["host"], module.params["port"], command, module.params["timeout"])
    except OSError as error:
        module.fail_json(msg=f"ZooKeeper at {address} did not answer '{command}': {error}")
    if _NOT_WHITELISTED in reply:
        module.fail_json(msg=f"ZooKeeper at {address} refuses '{command}': add it to the 4lw whitelist", reply=reply)
    match = _MODE.search(reply)
    module.exit_json(changed=False, reply=reply, mode=match.group(1) if match else None)


if __name__ == "__main__":
    main()
