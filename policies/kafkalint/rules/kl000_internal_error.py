"""A rule failed while checking the input: the report lacks its findings.

**What it checks.** Nothing of the input: the engine reports KL000 when a rule raises an
exception instead of reporting findings. The finding names the rule, the exception and the
line of kafkalint's code where it struck; its location is ``<kafkalint>``, no file of the
input. The other rules still run and report.

**Why.** A crashing rule is a bug in kafkalint, and a report that silently lacked that rule's
findings would pass for a complete one. KL000 is always an error; no configuration level,
inline suppression or baseline removes it, and ``kafkalint`` exits with code 2 (input or
internal error) after writing the report, whatever ``--fail-on`` says, so a CI job or the
playbooks' lint gate never takes an incomplete report for a clean one.
``KAFKALINT_DEBUG=1`` re-raises the first failure with its traceback.

Problematic (what the report shows)::

    <kafkalint>: KL000 error: rule KL306 (queued-max-request-bytes) failed: ZeroDivisionError:
        division by zero at kl306_queued_max_request_bytes.py:61 in _problems: this report lacks
        that rule's findings (a kafkalint bug, not a problem of the input); report it with the
        input that caused it

Correct: no KL000. Report the failure with the input that causes it; until it is fixed,
``rules: {KL306: off}`` in ``.kafkalint.yaml`` turns the failing rule off (and the report then
says nothing about what that rule checks).

**Source.** ``policies/kafkalint/engine.py`` (``run``, ``internal_error``) and
``policies/kafkalint/cli.py`` (the exit code); the convention of reporting a checker's own
crash as a diagnostic while the others run follows pylint's ``fatal``/``astroid-error``
messages and ESLint's "Parsing error" results.
"""

from __future__ import annotations

from kafkalint.findings import Severity

ID = "KL000"
NAME = "internal-error"
SEVERITY = Severity.ERROR
