"""How rules word and group their findings: one message shape, one way of grouping.

**The message.** Every finding says the problem (with the values as written), what it does,
Kafka's own words where Kafka refuses the configuration, then the change to make::

    min.insync.replicas=3 equals the replication factor 3 of topic orders: one broker down
    blocks every acks=all write (NOT_ENOUGH_REPLICAS); set min.insync.replicas to 2

    enable.idempotence=true with acks=1: the producer does not start (Kafka: "Must set acks to
    all in order to use the idempotent producer. ..."); set acks=all

:func:`message` builds exactly that, ``<problem>: <effect>[ (Kafka: "<text>")]; <change>``,
the change starting with a verb in lower case; a test holds every rule's findings to it.

**The grouping.** A setting several brokers or topics share (a ``group_vars`` line, a broker
default topics inherit) is one line to change, so it is one finding naming all of them:
rules collect what they found in a :class:`Collector` under (line to change, kind of
problem) and report each group once.

Not a rule module: the registry lists rules explicitly and never imports this as one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from kafkalint.findings import Finding
from kafkalint.model import Broker, Location, ProducerProfile, Topic


def message(problem: str, effect: str, change: str, *, kafka: str | None = None) -> str:
    """``<problem>: <effect>[ (Kafka: "<kafka>")]; <change>``."""
    quote = f' (Kafka: "{kafka}")' if kafka else ""
    return f"{problem}: {effect}{quote}; {change}"


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def names(items: Iterable[str]) -> str:
    """``a``, ``a and b``, ``a, b and c`` (order kept, duplicates dropped)."""
    unique = list(dict.fromkeys(items))
    if len(unique) <= 1:
        return "".join(unique)
    return ", ".join(unique[:-1]) + " and " + unique[-1]


def brokers_phrase(brokers: Iterable[Broker]) -> str:
    """``broker kafka1`` or ``brokers kafka1, kafka2 and kafka3``."""
    unique = list(dict.fromkeys(broker.name for broker in brokers))
    return f"broker {unique[0]}" if len(unique) == 1 else f"brokers {names(unique)}"


def topic_subject(topic: Topic) -> str:
    return f"topic {topic.name}"


def profile_subject(profile: ProducerProfile) -> str:
    return f"profile {profile.name}"


T = TypeVar("T")


@dataclass
class Group(Generic[T]):
    """What a rule found at one line, of one kind."""

    location: Location
    kind: str
    items: list[T] = field(default_factory=list)


class Collector(Generic[T]):
    """Gathers what a rule found under (line to change, kind of problem), so a setting shared
    by several brokers or topics is reported once, naming all of them. ``kind`` may be the
    whole message when the message does not depend on who shares the line."""

    def __init__(self) -> None:
        self._groups: dict[tuple[Location, str], Group[T]] = {}

    def add(self, location: Location, kind: str, item: T) -> None:
        group = self._groups.get((location, kind))
        if group is None:
            group = self._groups[(location, kind)] = Group(location, kind)
        group.items.append(item)

    def __iter__(self) -> Iterator[Group[T]]:
        return iter(self._groups.values())

    def __len__(self) -> int:
        return len(self._groups)


def per_broker(rule_id: str, found: Iterable[tuple[Broker, Location, str]], hint: str) -> Iterator[Finding]:
    """One finding per (line, message) of ``found``: brokers that share the line (a
    ``group_vars`` setting) are named together."""
    collector: Collector[Broker] = Collector()
    for broker, location, text in found:
        collector.add(location, text, broker)
    for group in collector:
        yield Finding(rule_id, group.kind, group.location, brokers_phrase(group.items), hint)
