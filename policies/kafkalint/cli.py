"""The ``kafkalint`` command.

::

    kafkalint [lint] PATH...          lint inventories, cluster files, .properties, zoo.cfg
    kafkalint rules                   list the rules
    kafkalint explain KL101           print one rule's documentation

The report goes to stdout (or ``--output FILE``), the one-line summary to stderr. Exit codes
are :data:`EXIT_OK` (no finding at or above ``--fail-on``), :data:`EXIT_FINDINGS` and
:data:`EXIT_ERROR` (usage error, unreadable input or configuration, output that cannot be
written, interruption, or a kafkalint bug), each reported as one ``kafkalint: error:`` line,
never a traceback (``KAFKALINT_DEBUG=1`` shows the traceback of a bug). A rule that crashed
is a KL000 finding in the report (the other rules' findings are all there) and makes the
exit code :data:`EXIT_ERROR` whatever ``--fail-on`` says. A reader that closes
the pipe early (``| head``) ends the run quietly with :data:`EXIT_ERROR`.

Imports are lazy on purpose: linting one ``server.properties`` must start in well under a
second, so nothing heavy (Ansible, jsonschema, the formats not asked for) is imported unless
the run needs it.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from kafkalint.config import Config
    from kafkalint.engine import LintResult
    from kafkalint.findings import Finding
    from kafkalint.rules import Rule

#: Exit codes: the contract with CI jobs, pre-commit and the playbooks' lint gate.
EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2

COMMANDS = ("lint", "rules", "explain")
FORMATS = ("text", "json", "sarif", "github", "junit")  # == kafkalint.formatters.FORMATS
RENDER_MODES = ("safe", "ansible")  # == kafkalint.loaders.RENDER_MODES
SEVERITIES = ("error", "warning", "info")
_TOP_LEVEL_FLAGS = ("-h", "--help", "--version")
_INVENTORY_VAR_DIRS = ("group_vars", "host_vars")
_BUG = "a kafkalint bug: please report it; KAFKALINT_DEBUG=1 shows the traceback"


class _Fail(Exception):
    """Ends the command with one ``kafkalint: error:`` line and :data:`EXIT_ERROR`."""


# -- arguments ------------------------------------------------------------------------------


def _version(text: str) -> Any:
    from kafkalint.versions import KafkaVersion

    try:
        return KafkaVersion.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _count(text: str) -> int:
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a number of brokers (1 or more): {text!r}")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    from kafkalint import __version__

    parser = argparse.ArgumentParser(
        prog="kafkalint",
        description="Reject unsafe Kafka and ZooKeeper configurations: Ansible inventories, "
        "cluster files, server.properties, producer .properties and zoo.cfg.",
        epilog="'lint' is the default command: 'kafkalint PATH...' is 'kafkalint lint PATH...'. "
        "Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or input error.",
    )
    parser.add_argument("--version", action="version", version=f"kafkalint {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    lint = commands.add_parser("lint", help="lint inventories and config files (default)")
    lint.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="inventory directory or file, cluster YAML, .properties, zoo.cfg, or a directory of them",
    )
    lint.add_argument("-f", "--format", choices=FORMATS, default="text", help="report format (default: text)")
    lint.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE instead of stdout")
    lint.add_argument(
        "--fail-on",
        choices=SEVERITIES,
        help="lowest severity that makes the run fail with exit code 1 (default: error, or the config's fail_on)",
    )
    lint.add_argument(
        "--kafka-version",
        type=_version,
        metavar="VERSION",
        help="target Kafka version, e.g. 3.9 or 4.0 (overrides inventories' kafka_version)",
    )
    lint.add_argument(
        "--environment",
        choices=("production", "development"),
        help="the environment of clusters that do not state it (loose files, inventories without "
        "kafka_cluster_environment): production gets the stricter severities (default: unknown for loose files, "
        "so nothing escalates; production for inventories)",
    )
    lint.add_argument(
        "--brokers",
        type=_count,
        metavar="N",
        help="how many brokers the cluster of loose files has (default: unknown, so checks that need the count "
        "do not judge)",
    )
    config = lint.add_mutually_exclusive_group()
    config.add_argument(
        "--config",
        metavar="FILE",
        help="configuration file (default: .kafkalint.yaml, else pyproject.toml's [tool.kafkalint], searched upward)",
    )
    config.add_argument("--no-config", action="store_true", help="ignore configuration files")
    lint.add_argument("--baseline", metavar="FILE", help="do not report the findings recorded in this baseline file")
    lint.add_argument(
        "--write-baseline",
        metavar="FILE",
        help="record every current finding in FILE (then exit 0) to adopt kafkalint on an existing estate",
    )
    lint.add_argument("--no-color", "--plain", dest="color", action="store_false", help="no colour in the text report")
    lint.add_argument(
        "--render",
        choices=RENDER_MODES,
        default="safe",
        help="how inventories are read: 'safe' (default) reads hosts files and group_vars/host_vars itself, "
        "runs nothing and renders only a safe subset of Jinja; 'ansible' reads them through ansible-core, "
        "which runs lookups, inventory scripts and plugins: only for inventories you trust",
    )
    lint.add_argument(
        "--vault-password-file",
        metavar="FILE",
        help="read the Ansible Vault password from FILE (read, never executed; default: "
        "$KAFKALINT_VAULT_PASSWORD_FILE, or the password in $KAFKALINT_VAULT_PASSWORD)",
    )

    rules = commands.add_parser("rules", help="list the rules: id, severity, name, summary")
    rules.add_argument("-f", "--format", choices=("text", "json"), default="text", help="table or JSON (default: text)")

    explain = commands.add_parser("explain", help="print a rule's documentation")
    explain.add_argument("rule", metavar="RULE", help="rule id (KL101) or name (min-isr-equals-rf)")
    return parser


def _with_default_command(argv: Sequence[str]) -> list[str]:
    args = list(argv)
    if args and (args[0] in COMMANDS or args[0] in _TOP_LEVEL_FLAGS):
        return args
    return ["lint", *args]


# -- shared pieces --------------------------------------------------------------------------


def _error(message: str) -> None:
    from kafkalint.redact import safe

    sys.stderr.write(f"kafkalint: error: {safe(message)}\n")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 or word == "info" else f"{count} {word}s"


def _load_rules() -> tuple[Rule, ...]:
    """The registry's rules with KL000, which reports list and ``explain`` documents."""
    from kafkalint import engine
    from kafkalint.rules import internal_error_rule

    return (internal_error_rule(), *engine.load_rules())


def resolve_config(args: argparse.Namespace, *, discover: bool = True) -> Config:
    """The configuration file's values with the command line's flags over them."""
    from kafkalint import config
    from kafkalint.findings import Severity

    loaded = config.load(args.config, discover=discover and not args.no_config)
    if args.kafka_version is not None:
        loaded.kafka_version = args.kafka_version
    if args.fail_on is not None:
        loaded.fail_on = Severity.parse(args.fail_on)
    if args.environment is not None:
        loaded.environment = args.environment
    if args.brokers is not None:
        loaded.brokers = args.brokers
    if args.baseline:
        from kafkalint import baseline

        loaded.baseline = baseline.load(args.baseline)
    loaded.render = args.render
    loaded.vault_password_file = args.vault_password_file
    return loaded


def config_from_options(options: Sequence[str]) -> Config:
    """A configuration from lint options alone (``--kafka-version 4.0``), no file search:
    the rule fixtures' ``kafkalint-args.txt`` use it."""
    args = build_parser().parse_args(["lint", *options, "."])
    return resolve_config(args, discover=False)


def inventory_roots(paths: Sequence[str]) -> list[str]:
    """The paths to load: a file or directory inside an inventory's ``group_vars`` or
    ``host_vars`` stands for its whole inventory (pre-commit passes the changed files one by
    one), and a path inside another given directory is read once, with it."""
    result: list[str] = []
    for given in paths:
        path = given
        parts = Path(os.path.normpath(given)).parts
        for index in range(len(parts) - 1, 0, -1):
            if parts[index] in _INVENTORY_VAR_DIRS:
                root = Path(*parts[:index])
                if root.is_dir():
                    path = str(root)
                break
        if path not in result:
            result.append(path)
    absolute = {path: os.path.normpath(Path(path).absolute()) for path in result}
    directories = [absolute[path] for path in result if Path(path).is_dir()]

    def inside_another(path: str) -> bool:
        here = absolute[path]
        return any(here != other and here.startswith(other.rstrip(os.sep) + os.sep) for other in directories)

    return [path for path in result if not inside_another(path)]


def _summary(result: LintResult) -> str:
    from kafkalint.formatters import severity_counts

    counts = severity_counts(result.findings)
    files = _plural(len(result.files), "file")
    if result.findings:
        ranked = sorted(counts.items(), reverse=True)
        parts = ", ".join(_plural(count, str(severity)) for severity, count in ranked if count)
        text = f"{_plural(len(result.findings), 'finding')} ({parts}) in {files}"
    else:
        text = f"no findings in {files}"
    extras = []
    if result.suppressed:
        extras.append(f"{result.suppressed} suppressed inline")
    if result.baselined:
        extras.append(f"{len(result.baselined)} in the baseline")
    return text + (f"; {', '.join(extras)}" if extras else "")


def _use_color(args: argparse.Namespace, stream: TextIO) -> bool:
    if not args.color or args.output or args.format != "text" or os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _write(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise _Fail(f"{output}: cannot write the report: {exc.strerror or exc}") from None


def _notices(result: LintResult) -> None:
    from kafkalint.redact import safe

    for notice in result.notices:
        sys.stderr.write(f"kafkalint: notice: {safe(str(notice))}\n")


def _printable(finding: Finding) -> Finding:
    """``finding`` with no secret in it and its texts bounded (every format escapes the
    rest its own way)."""
    from dataclasses import replace

    from kafkalint.redact import scrub, truncate

    def clean(text: str) -> str:
        return truncate(scrub(text))

    return replace(finding, message=clean(finding.message), hint=clean(finding.hint), subject=clean(finding.subject))


# -- commands -------------------------------------------------------------------------------


def _lint(args: argparse.Namespace) -> int:
    from kafkalint import engine
    from kafkalint.formatters import Report, render

    config = resolve_config(args)
    result = engine.run_paths(inventory_roots(args.paths), config)
    if not result.files:
        _notices(result)
        raise _Fail(
            "nothing was linted: no path given is, or holds, a file kafkalint reads "
            "(an inventory, a cluster file, server.properties, a producer or consumer .properties, zoo.cfg), "
            "or every one was excluded"
        )
    result.findings = [_printable(finding) for finding in result.findings]
    if args.write_baseline:
        from kafkalint import baseline

        count = baseline.write(result.current, args.write_baseline)
        sys.stderr.write(f"kafkalint: wrote {_plural(count, 'finding')} to the baseline {args.write_baseline}\n")
        return EXIT_OK
    report = Report(
        findings=result.findings,
        rules=_load_rules(),
        files=result.files,
        fail_on=config.fail_on,
        color=_use_color(args, sys.stdout),
        suppressed=result.suppressed,
        baselined=len(result.baselined),
        notices=result.notices,
    )
    _write(render(args.format, report), args.output)
    _notices(result)
    sys.stderr.write(_summary(result) + "\n")
    if result.failures:
        if os.environ.get("KAFKALINT_DEBUG"):
            raise result.failures[0].error
        for failure in result.failures:
            _error(f"internal error: {failure} ({_BUG})")
        return EXIT_ERROR
    failing = any((finding.severity or 0) >= config.fail_on for finding in result.findings)
    return EXIT_FINDINGS if failing else EXIT_OK


def _rules(args: argparse.Namespace) -> int:
    rules = _load_rules()
    if args.format == "json":
        import json

        data = [{"id": r.id, "name": r.name, "severity": str(r.severity), "summary": r.summary} for r in rules]
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return EXIT_OK
    rows = [("ID", "SEVERITY", "NAME", "SUMMARY")]
    rows += [
        (rule.id, str(rule.severity), rule.name, rule.summary.replace("``", "`"))
        for rule in sorted(rules, key=lambda r: r.id)
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        sys.stdout.write("  ".join([*cells, row[3]]) + "\n")
    return EXIT_OK


def _explain(args: argparse.Namespace) -> int:
    import difflib
    import inspect

    rules = _load_rules()
    wanted = args.rule.strip()
    rule = next((r for r in rules if wanted.upper() == r.id or wanted.lower() == r.name), None)
    if rule is None:
        known = [r.id for r in rules] + [r.name for r in rules]
        close = difflib.get_close_matches(wanted.upper() if wanted[:2].lower() == "kl" else wanted.lower(), known, n=1)
        hint = f"; did you mean {close[0]}?" if close else "; 'kafkalint rules' lists them"
        raise _Fail(f"unknown rule {wanted!r}{hint}")
    sys.stdout.write(f"{rule.id} {rule.name} ({rule.severity})\n\n{inspect.cleandoc(rule.doc)}\n")
    return EXIT_OK


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "rules":
        return _rules(args)
    if args.command == "explain":
        return _explain(args)
    return _lint(args)


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the interpreter's final flush
    does not raise again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv`` (default ``sys.argv[1:]``); returns the exit code."""
    # Start-up (the engine's and the rules' imports, the registry) allocates tens of
    # thousands of objects that live for the whole run and frees almost none: the
    # collections they trigger find nothing and were a twentieth of linting one file. The
    # collector runs again from the first file read (the loader pauses it itself where
    # reading allocates millions).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _main(argv, collecting)
    finally:
        if collecting:
            gc.enable()


def _main(argv: Sequence[str] | None, collecting: bool) -> int:
    from kafkalint.engine import InternalError
    from kafkalint.errors import InputError

    try:
        try:
            args = build_parser().parse_args(_with_default_command(sys.argv[1:] if argv is None else argv))
        except SystemExit as exit_:  # argparse: --help / --version (0) or a usage error (2)
            return exit_.code if isinstance(exit_.code, int) else EXIT_ERROR
        if args.command is None:
            build_parser().print_usage(sys.stderr)
            return EXIT_ERROR
        _load_rules()  # every command reads the registry: imported before the collector resumes
        if collecting:
            gc.enable()
        return _dispatch(args)
    except InputError as exc:
        _error(str(exc))
    except _Fail as exc:
        _error(str(exc))
    except InternalError as exc:
        if os.environ.get("KAFKALINT_DEBUG"):
            raise
        for failure in exc.failures:
            _error(f"internal error: {failure} ({_BUG})")
    except BrokenPipeError:
        # The reader went away (`kafkalint rules | head`): like other Unix tools, stop quietly.
        _silence_stdout()
    except KeyboardInterrupt:
        _error("interrupted")
    except Exception as exc:
        if os.environ.get("KAFKALINT_DEBUG"):
            raise
        from kafkalint.engine import describe

        _error(f"internal error: {describe(exc)} ({_BUG})")
    return EXIT_ERROR
