"""What a run works out once about a model and every pass shares: the index of the model.

A run reads one model many times: the schema pass, some forty rules and the report all walk
the same brokers, 100,000 topics and 10,000 producer profiles. Most of those walks ask the
same questions of configs that are written alike (an estate's topics repeat a few
retention and replication settings), so the index answers them once:

- **shapes**: the topics (and the producer profiles) of a cluster that are configured alike,
  in the order first met. Items of one shape have the same replication factor and
  partition count, and the same config kind, version and settings: each setting's key, raw
  value, layer and resolution (every :class:`~kafkalint.model.Setting` field but where it
  is), and the same files behind every location. Only their names and lines differ. A
  verdict that reads nothing else (every typed read through
  :mod:`kafkalint.rules._values`, a broker default, a Kafka default) is the same for every
  item of a shape: :func:`topics_where` and :func:`producers_where` judge the first item of
  each shape and return every item of the shapes that pass, in the model's order, so a rule
  that filters with them yields exactly what a loop over every item would.
- **memos**: any other fact a helper computes from one object of the model (a producer's
  semantics, a cluster's broker defaults, topics by name), kept for the rest of the run.

The index lives for one run: :func:`kafkalint.engine.run` opens it (:func:`run`), so a model
changed between two runs is indexed again. Outside a run (a rule's ``check`` called
directly) nothing is kept and every call works its answer out afresh.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, TypeVar

from kafkalint.model import Cluster, ProducerProfile, Setting, Topic

T = TypeVar("T")
Item = TypeVar("Item", Topic, ProducerProfile)


@dataclass(slots=True)
class Shape:
    """Items (topics or producer profiles) of one cluster configured alike: ``first`` stands
    for all of them; ``positions`` are their indices in the cluster's list, ascending."""

    first: Any
    positions: list[int]


class Index:
    """The facts of one run (see the module docstring). ``shared=False`` gives every topic
    and profile a shape of its own (the index then judges each item itself: the tests
    compare both ways)."""

    def __init__(self, *, shared: bool = True) -> None:
        self.shared = shared
        # id(owner) -> (owner, name -> value): the owner is held, so its id is not reused
        self._memo: dict[int, tuple[object, dict[str, Any]]] = {}

    def memo(self, owner: object, name: str, compute: Callable[[], T]) -> T:
        entry = self._memo.get(id(owner))
        if entry is None:
            entry = self._memo[id(owner)] = (owner, {})
        facts = entry[1]
        if name in facts:
            value: T = facts[name]
            return value
        value = facts[name] = compute()
        return value


_current: ContextVar[Index | None] = ContextVar("kafkalint_index", default=None)


@contextmanager
def run(*, shared: bool = True) -> Iterator[Index]:
    """An index for the passes run inside the ``with`` block."""
    index = Index(shared=shared)
    token = _current.set(index)
    try:
        yield index
    finally:
        _current.reset(token)


def memo(owner: object, name: str, compute: Callable[[], T]) -> T:
    """``compute()``, worked out once per run for ``owner`` (every call outside a run)."""
    index = _current.get()
    return compute() if index is None else index.memo(owner, name, compute)


# -- shapes ------------------------------------------------------------------------------------


#: Every field of a setting but its location, then the location's file: a field added to
#: :class:`~kafkalint.model.Setting` (which a rule may read) is part of the shape by itself.
_SETTING = attrgetter(*(name for name in Setting._fields if name != "location"), "location.path")


def _topic_shape(topic: Topic) -> tuple[Any, ...]:
    """What a verdict may read of ``topic``, with the files of its locations (not the lines)."""
    config = topic.config
    rf_at, partitions_at = topic.replication_factor_location, topic.partitions_location
    return (
        topic.replication_factor,
        topic.partitions,
        topic.location.path,
        None if rf_at is None else rf_at.path,
        None if partitions_at is None else partitions_at.path,
        config.kind,
        config.version.key,
        config.location.path,
        *map(_SETTING, config.settings.values()),
    )


def _profile_shape(profile: ProducerProfile) -> tuple[Any, ...]:
    config = profile.config
    return (
        profile.location.path,
        config.kind,
        config.version.key,
        config.location.path,
        *map(_SETTING, config.settings.values()),
    )


def _group(items: Sequence[Any], shape_of: Callable[[Any], tuple[Any, ...]], shared: bool) -> list[Shape]:
    if not shared:
        return [Shape(item, [position]) for position, item in enumerate(items)]
    shapes: dict[Any, Shape] = {}
    for position, key in enumerate(map(shape_of, items)):
        try:
            shapes[key].positions.append(position)
        except KeyError:
            shapes[key] = Shape(items[position], [position])
        except TypeError:  # a list or mapping value (YAML): judged on its own
            shapes[("unhashable", position)] = Shape(items[position], [position])
    return list(shapes.values())


def topic_shapes(cluster: Cluster) -> list[Shape]:
    """The cluster's topics by shape, in the order first met."""
    index = _current.get()
    if index is None:
        return _group(cluster.topics, _topic_shape, True)
    return index.memo(cluster, "topic-shapes", lambda: _group(cluster.topics, _topic_shape, index.shared))


def producer_shapes(cluster: Cluster) -> list[Shape]:
    """The cluster's producer profiles by shape (their ``topics`` aside), in the order first met."""
    index = _current.get()
    if index is None:
        return _group(cluster.producers, _profile_shape, True)
    return index.memo(cluster, "producer-shapes", lambda: _group(cluster.producers, _profile_shape, index.shared))


def _where(items: Sequence[Item], shapes: list[Shape], predicate: Callable[[Item], bool]) -> list[Item]:
    chosen = [shape.positions for shape in shapes if predicate(shape.first)]
    if not chosen:
        return []
    if len(chosen) == 1:
        return [items[position] for position in chosen[0]]
    return [items[position] for position in sorted(position for positions in chosen for position in positions)]


def topics_where(cluster: Cluster, predicate: Callable[[Topic], bool]) -> list[Topic]:
    """The topics for which ``predicate`` holds, in the cluster's order, judging one topic of
    each shape: ``predicate`` may read the topic's replication factor, partitions, config and
    the cluster, never its name or its lines."""
    return _where(cluster.topics, topic_shapes(cluster), predicate)


def producers_where(cluster: Cluster, predicate: Callable[[ProducerProfile], bool]) -> list[ProducerProfile]:
    """The producer profiles for which ``predicate`` holds, in the cluster's order, judging one
    of each shape: ``predicate`` may read the profile's config and the cluster, never its
    name, its topics or its lines."""
    return _where(cluster.producers, producer_shapes(cluster), predicate)
