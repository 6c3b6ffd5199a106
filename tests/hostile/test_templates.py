"""The safe template subset: what renders, and what is left unresolved (with the reason)
instead of running, hanging or exhausting memory."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kafkalint.loaders import load

from .conftest import write

HOSTS = """
all:
  children:
    zookeeper: {hosts: {zk1: {zookeeper_id: 1, ansible_host: 10.0.0.1}, zk2: {zookeeper_id: 2, ansible_host: 10.0.0.2}}}
    kafka_broker: {hosts: {kafka1: {kafka_broker_id: 1, ansible_host: 10.0.1.1}}}
"""


def _broker(tmp_path: Path, variables: str) -> Any:
    write(tmp_path, "inv/hosts.yml", HOSTS)
    write(tmp_path, "inv/group_vars/kafka_broker.yml", variables)
    (cluster,) = load([tmp_path / "inv"]).clusters
    return cluster.brokers[0].config


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{ base * 2 }}", 8),
        ("{{ base | string }}-x", "4-x"),
        ("{{ missing | default(7) }}", 7),
        ("{{ '' | default('d', true) }}", "d"),
        ("{{ names | join(',') }}", "a,b"),
        ("{{ names | length }}", 2),
        ("{{ names[0] | upper }}", "A"),
        ("{{ nested.inner.value }}", 3),
        ("{{ nested['inner']['value'] + 1 }}", 4),
        ("{{ 'yes' | bool }}", True),
        ("{{ '12' | int + 1 }}", 13),
        ("{{ inventory_hostname }}", "kafka1"),
        ("{{ groups['zookeeper'] | first }}", "zk1"),
        ("{{ hostvars['zk2']['ansible_host'] }}", "10.0.0.2"),
        ("{{ base if base > 3 else 0 }}", 4),
        ("{{ names | ansible.builtin.last }}", "b"),
        ("{{ {'a': base} | to_json }}", '{"a": 4}'),
        ("{{ chained }}", 8),
    ],
)
def test_safe_templates_render_as_ansible_renders_them(tmp_path: Path, template: str, expected: Any) -> None:
    config = _broker(
        tmp_path,
        f"""
        base: 4
        names: [a, b]
        nested: {{inner: {{value: 3}}}}
        chained: "{{{{ base * 2 }}}}"
        kafka_broker_properties:
          log.retention.hours: "{template}"
        """,
    )
    setting = config.explicit("log.retention.hours")
    assert setting.unresolved is None, setting.unresolved
    assert setting.raw == expected


@pytest.mark.parametrize(
    ("template", "reason"),
    [
        ("{{ lookup('pipe', 'id') }}", "uses lookup('pipe'), which kafkalint never runs"),
        ("{{ query('env', 'HOME') }}", "uses query('env'), which kafkalint never runs"),
        ("{{ q('file', '/etc/passwd') }}", "uses q('file'), which kafkalint never runs"),
        ("{{ now() }}", "calls 'now'(), which kafkalint never runs"),
        ("{{ range(10**9) | list }}", "calls 'range'(), which kafkalint never runs"),
        ("{{ ''.__class__.__mro__ }}", "uses the undefined variable '__class__'"),
        ("{{ x | regex_replace('a', 'b') }}", "uses the filter 'regex_replace', which kafkalint does not evaluate"),
        ("{% for i in names %}{{ i }}{% endfor %}", "uses a {% for %} statement, which kafkalint does not evaluate"),
        ("{% if true %}1{% endif %}", "uses a {% if %} statement, which kafkalint does not evaluate"),
        ("{{ undefined_thing }}", "uses the undefined variable 'undefined_thing'"),
        ("{{ 'x' * 1000000000 }}", "renders to more than 262,144 characters"),
        ("{{ 9 ** 999999 }}", "raises a number to too high a power"),
        ("{{ ('x' * 99999) | replace('x', 'x' * 99999) }}", "renders to more than 262,144 characters"),
        ("{{ '%999999999s' % 'x' }}", "uses Mod, which kafkalint does not evaluate"),
        ("{{ loop_a }}", "refers to itself through 'loop_a'"),
        ("{{ big20 }}", "renders to more than 262,144 characters"),  # 8 characters doubled 20 times
        ("{{ big40 }}", "nests variable references deeper than 32 levels"),
        ("{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}", "nests too deeply to render"),
        ("{{ broken", "is not a valid Jinja template"),
    ],
)
def test_anything_else_is_unresolved_with_the_reason(tmp_path: Path, template: str, reason: str) -> None:
    lines = [
        "names: [a, b]",
        'loop_a: "{{ loop_b }}"',
        'loop_b: "{{ loop_a }}"',
        "big0: xxxxxxxx",
        *(f'big{index}: "{{{{ big{index - 1} ~ big{index - 1} }}}}"' for index in range(1, 41)),
        "kafka_broker_properties:",
        f"  log.retention.hours: {json.dumps(template)}",
        "  num.partitions: 6",
    ]
    config = _broker(tmp_path, "\n".join(lines) + "\n")
    setting = config.explicit("log.retention.hours")
    assert setting.raw is None
    assert setting.unresolved is not None and setting.unresolved.startswith(reason), setting.unresolved
    assert config.get("num.partitions") == 6  # the rest is judged as usual


def test_a_topology_variable_that_cannot_be_rendered_is_an_input_error(tmp_path: Path) -> None:
    from kafkalint.errors import InputError

    write(tmp_path, "inv/hosts.yml", HOSTS)
    write(tmp_path, "inv/host_vars/zk2.yml", "zookeeper_id: \"{{ lookup('pipe', 'echo 2') }}\"\n")
    with pytest.raises(InputError) as error:
        load([tmp_path / "inv"])
    assert "zookeeper_id uses lookup('pipe'), which kafkalint never runs" in error.value.message
    assert str(error.value.location).endswith("inv/host_vars/zk2.yml:1:1")


def test_a_derived_key_from_an_unresolved_variable_is_unresolved(tmp_path: Path) -> None:
    write(
        tmp_path,
        "inv/hosts.yml",
        HOSTS.replace("ansible_host: 10.0.1.1", "ansible_host: \"{{ lookup('env', 'IP') }}\""),
    )
    (cluster,) = load([tmp_path / "inv"]).clusters
    setting = cluster.brokers[0].config.explicit("advertised.listeners")
    assert setting.raw is None and setting.unresolved == "uses lookup('env'), which kafkalint never runs"


def test_unsafe_strings_are_never_templated(tmp_path: Path) -> None:
    config = _broker(
        tmp_path, "kafka_broker_properties:\n  ssl.cipher.suites: !unsafe \"{{ lookup('pipe', 'id') }}\"\n"
    )
    setting = config.explicit("ssl.cipher.suites")
    assert setting.unresolved is None and setting.raw == "{{ lookup('pipe', 'id') }}"
