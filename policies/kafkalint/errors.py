"""Input errors: bad input is one clear line naming the file and line, exit code 2."""

from __future__ import annotations

from kafkalint.model import Location


class InputError(Exception):
    """Input kafkalint cannot read: a missing path, unparsable YAML or properties, an
    inventory Ansible rejects, a bad configuration file. Never shown as a traceback."""

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message
