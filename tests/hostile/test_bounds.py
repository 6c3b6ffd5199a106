"""Bounds: input built to exhaust time or memory is refused in one line naming the file and
line (exit 2), or, for a template, left unresolved with the reason; never a hang, a crash of
the interpreter or a traceback. (No timings are asserted; bench/ prints figures.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from kafkalint import cli, limits
from kafkalint.loaders import load, properties

from .conftest import write

HOSTS = """
all:
  children:
    zookeeper: {hosts: {zk1: {zookeeper_id: 1}}}
    kafka_broker: {hosts: {kafka1: {kafka_broker_id: 1}}}
"""

#: The billion laughs in YAML: 9 levels of 9 aliases, about 600 bytes, 387 million strings.
ALIAS_BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]\n"
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
)


def _one_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code = cli.main(["--no-config", *argv])
    err = capsys.readouterr().err
    assert code == cli.EXIT_ERROR, err
    lines = [line for line in err.splitlines() if line.startswith("kafkalint: error:")]
    assert len(lines) == 1, err
    assert "Traceback" not in err and "internal error" not in err
    return lines[0]


def test_the_alias_bomb_is_600_bytes() -> None:
    assert len(ALIAS_BOMB) < 650


@pytest.mark.parametrize("where", ["group_vars/all.yml", "hosts.yml", "cluster.yml", ".kafkalint.yaml"])
def test_an_alias_bomb_is_refused_at_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    monkeypatch.chdir(tmp_path)
    if where == "cluster.yml":
        write(tmp_path, "cluster.yml", "kafka_broker: {k1: {kafka_broker_id: 1}}\n" + ALIAS_BOMB)
        target = ["cluster.yml"]
    elif where == ".kafkalint.yaml":
        write(
            tmp_path, ".kafkalint.yaml", "rules:\n  KL002:\n    options:\n      " + ALIAS_BOMB.replace("\n", "\n      ")
        )
        write(tmp_path, "server.properties", "broker.id=1\n")
        code = cli.main(["server.properties"])
        err = capsys.readouterr().err
        assert code == cli.EXIT_ERROR and ".kafkalint.yaml:" in err and "alias" in err, err
        return
    else:
        write(
            tmp_path,
            "inv/hosts.yml",
            HOSTS
            + ("\nungrouped:\n  vars:\n    " + ALIAS_BOMB.replace("\n", "\n    ") if where == "hosts.yml" else ""),
        )
        if where != "hosts.yml":
            write(tmp_path, f"inv/{where}", ALIAS_BOMB)
        target = ["inv"]
    line = _one_error(capsys, *target)
    assert "aliases expand to more than" in line
    assert f"{where}:" in line


@pytest.mark.parametrize(
    "text",
    [
        "x: " + "[" * 100_000 + "]" * 100_000,  # crashes libyaml's composer if it gets it
        "x: " + "{a: " * 50_000 + "1" + "}" * 50_000,
        "x:\n" + "- " * 100_000 + "deep",
        # closing brackets in a scalar or a comment cannot hide the opening ones after them
        "x: 1\ny: '" + "]" * 500 + "' # " + "}" * 500 + "\nz: " + "[" * 5_000 + "]" * 5_000,
        "[" * 100_000 + "]" * 100_000,  # JSON
    ],
)
def test_deep_nesting_is_refused_at_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "inv/hosts.yml", HOSTS)
    write(tmp_path, "inv/group_vars/all.yml", text)
    line = _one_error(capsys, "inv")
    assert "nested deeper than" in line and "inv/group_vars/all.yml" in line


def test_a_file_over_the_size_bound_is_refused_at_the_line_it_crosses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 1000)
    text = "".join(f"key{index}=value\n" for index in range(200))
    write(tmp_path, "server.properties", text)
    line = _one_error(capsys, "server.properties")
    assert "larger than kafkalint reads" in line
    crossed = text[:1000].count("\n") + 1
    assert line.startswith(f"kafkalint: error: server.properties:{crossed}: ")


def test_a_host_range_bomb_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "inv/hosts", "[kafka_broker]\nkafka[1:100000000] kafka_broker_id=1\n[zookeeper]\nzk1\n")
    line = _one_error(capsys, "inv")
    assert "inv/hosts:2" in line and "expands to more than" in line


def test_ini_values_that_are_not_literals_stay_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path,
        "inv/hosts",
        "[kafka_broker]\nkafka1 kafka_broker_id=1\n[zookeeper]\nzk1\n[kafka_broker:vars]\n"
        f"deep={'(' * 10_000}\nlong={'1+' * 20_000}1\nkafka_cluster_name={'[' * 150}{']' * 150}\n",
    )
    (cluster,) = load(["inv"]).clusters
    assert cluster.brokers


def test_100000_continuation_lines_parse() -> None:
    parsed = properties.parse("key=start\\\n" + "    more\\\n" * 100_000 + "end")
    assert parsed.entries["key"].value == "start" + "more" * 100_000 + "end"


def test_a_redos_pattern_in_an_option_is_refused_at_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path,
        ".kafkalint.yaml",
        "rules:\n  KL002:\n    options:\n      allow:\n        - '^ok\\.'\n        - '(a+)+$'\n",
    )
    write(tmp_path, "server.properties", "broker.id=1\n")
    code = cli.main(["server.properties"])
    err = capsys.readouterr().err
    assert code == cli.EXIT_ERROR
    assert err.startswith(
        "kafkalint: error: .kafkalint.yaml:6: rules.KL002.options.allow: '(a+)+$' is a regular expression"
    )


def test_values_quoted_in_messages_are_cut(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "server.properties", "num.partitions=" + "x" * 100_000 + "\n")
    cli.main(["--no-config", "server.properties"])
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) < 1_200
    assert "(100065 characters)" in out or "characters)" in out
