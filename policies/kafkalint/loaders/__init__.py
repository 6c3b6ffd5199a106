"""Read what the user named into one :class:`~kafkalint.model.Model`.

Inputs, by what a path is:

- a directory holding ``group_vars/``, ``host_vars/`` or a ``hosts*`` / ``inventory*`` file:
  an Ansible inventory, read by kafkalint's own static reader
  (:mod:`kafkalint.loaders.inventory`: nothing executed, nothing outside the paths given
  read), or with ``render="ansible"`` through ansible-core
  (:mod:`kafkalint.loaders.ansible_inventory`, for operators' own inventories; nothing else
  imports Ansible, so linting a single ``server.properties`` starts fast);
- any other directory: walked for config files (``*.properties``, ``zoo.cfg``, ``*.cfg``,
  and ``*.yml`` / ``*.yaml`` that are cluster files with a host group or Ansible YAML
  inventories); hidden entries are skipped, and so are files whose kind cannot be decided
  (a ``log4j.properties`` beside the broker's file, a playbook, a role's defaults) and YAML
  files of several documents (Kubernetes manifests: a notice says so); a YAML file that does
  not parse is still an input error;
- a ``.yml`` / ``.yaml`` / ``.json`` file: a plain cluster file
  (:mod:`kafkalint.loaders.clusterfile`) or an Ansible YAML inventory;
- an ``.ini`` file or one named ``hosts*`` / ``inventory*``: an Ansible INI inventory;
- a Jinja template (``server.properties.j2``): read as the file it renders, its Jinja lines
  and values left unjudged, with a notice to lint the rendered file or the inventory instead;
- anything else: a Java-properties config (:mod:`kafkalint.loaders.files`), whose kind must
  be decidable.

Each inventory or cluster file is one complete cluster. Loose files form clusters of their
own, or join one, only where they belong to it (:mod:`kafkalint.loaders.grouping`: the same
ZooKeeper ensemble and chroot, the same KRaft quorum, a producer's bootstrap servers); the
run's context (``environment``, ``brokers``) applies to clusters that do not state theirs.

Several inventories are read in parallel, by one forked process per core but one and by the
main process, which takes them from the back of the queue (a model read there needs no
pickling); ``KAFKALINT_JOBS=1`` reads them one after another. Python's cyclic garbage
collector is paused while inventories are read, and a big model is then moved out of its
sight (``gc.freeze``). What a reader skipped or assumed comes back as notices
(:attr:`Model.notices`), and the secrets it decrypted are registered with
:mod:`kafkalint.redact` in this process too.

The Kafka version of a cluster: the ``kafka_version`` argument, else the inventory's
``kafka_version``, else :data:`kafkalint.versions.DEFAULT_VERSION`.

Paths in locations are shown as given: relative to the working directory when the input was
named relatively, absolute otherwise.
"""

from __future__ import annotations

import fnmatch
import gc
import os
import stat
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kafkalint import redact
from kafkalint.errors import InputError
from kafkalint.loaders import files, grouping
from kafkalint.loaders.vault import Vault
from kafkalint.model import Cluster, Location, Model, Notice
from kafkalint.versions import DEFAULT_VERSION, KafkaVersion

__all__ = ["RENDER_MODES", "load"]

#: How inventory values are rendered: ``safe`` (kafkalint's static reader and safe templates,
#: the default) or ``ansible`` (ansible-core, which runs lookups, scripts and plugins).
RENDER_MODES = ("safe", "ansible")
_TEMPLATE_SUFFIXES = (".j2", ".jinja2", ".jinja")

_YAML_SUFFIXES = (".yml", ".yaml", ".json")
_PROPERTY_SUFFIXES = (".properties", ".cfg", ".conf")
_INI_NAME = ("hosts", "inventory")


class _Display:
    """Turns the absolute paths Ansible reports back into the form the user gave."""

    def __init__(self, relative: bool) -> None:
        self.relative = relative
        self.cwd = str(Path.cwd())
        self._cache: dict[str, str] = {}

    def __call__(self, path: str) -> str:
        if not self.relative:
            return path
        shown = self._cache.get(path)
        if shown is None:
            shown = self._cache[path] = self._relative(path)
        return shown

    def _relative(self, path: str) -> str:
        absolute = os.path.abspath(path)  # noqa: PTH100 - no symlink resolution wanted
        try:
            common = os.path.commonpath([absolute, self.cwd])
        except ValueError:
            return absolute
        return os.path.relpath(absolute, self.cwd) if common == self.cwd else absolute


def _excluded(display: str, patterns: Sequence[str]) -> bool:
    if not patterns:
        return False
    parts = Path(display).parts
    for pattern in patterns:
        stripped = pattern.rstrip("/")
        if fnmatch.fnmatch(display, stripped) or fnmatch.fnmatch(display, stripped + "/*"):
            return True
        if any(fnmatch.fnmatch(part, stripped) for part in parts):
            return True
    return False


@contextmanager
def _collector_paused(*, keep: bool = False) -> Iterator[None]:
    """Pause Python's cyclic garbage collector: reading inventories allocates millions of
    objects that live on (the model) or die by reference counting, and each collection
    the allocations trigger walks the growing heap again (a third of the loading time).

    ``keep``: when the pause saw more than :data:`_FREEZE_AFTER` allocations, what is alive
    at the end (the model, for the rest of the run) moves to the collector's permanent
    generation (``gc.freeze``), or the first collection after the pause, and each full one
    during the rule pass, would walk all of it again. Below that a collection costs little
    and is not worth keeping garbage cycles of the process alive for good."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if keep and gc.get_count()[0] > _FREEZE_AFTER:
            gc.freeze()
        if enabled:
            gc.enable()


#: Allocations (less deallocations) while reading after which the model is frozen: one
#: inventory with 2,000 topics and 200 profiles leaves about 27,000, and the collection that
#: not freezing costs walks them all (0.12 s of 2.4 s for ten such inventories).
_FREEZE_AFTER = 100_000


@dataclass(frozen=True)
class _Pending:
    """An inventory to read once every path is known (so several can be read in parallel)."""

    path: Path
    relative: bool


@dataclass(frozen=True)
class _Options:
    """How every inventory of a run is read (the same in the workers)."""

    kafka_version: KafkaVersion | None
    render: str
    vault: Vault
    environment: str | None = None


@dataclass
class _Outcome:
    """What reading one inventory gave, as plain data (an exception would lose its location
    when pickled): the cluster or the error, the notices, the secrets decrypted."""

    cluster: Cluster | None
    error: tuple[str, str | None, int | None, int | None] | None
    notices: list[Notice]
    secrets: frozenset[str]


def _read_inventory(pending: _Pending, options: _Options) -> _Outcome:
    """One inventory (in a worker process or this one)."""
    if options.render == "ansible":
        from kafkalint.loaders import ansible_inventory as reader
    else:
        from kafkalint.loaders import inventory as reader  # type: ignore[no-redef]

    notices: list[Notice] = []
    try:
        cluster = reader.load(
            pending.path, _Display(pending.relative), options.kafka_version, options.environment, options.vault, notices
        )
    except InputError as error:
        where = error.location
        data = (
            error.message,
            where.path if where else None,
            where.line if where else None,
            where.column if where else None,
        )
        return _Outcome(None, data, notices, redact.secrets())
    return _Outcome(cluster, None, notices, redact.secrets())


def _read_in_worker(pending: _Pending, options: _Options) -> bytes:
    """:func:`_read_inventory` in a worker process, pickled there before the collector runs
    again (it would walk the whole model once more just before the model is freed)."""
    import pickle

    with _collector_paused():
        return pickle.dumps(_read_inventory(pending, options), protocol=pickle.HIGHEST_PROTOCOL)


def _jobs(count: int) -> int:
    configured = os.environ.get("KAFKALINT_JOBS", "")
    if configured.isdigit() and int(configured) > 0:
        return min(count, int(configured))
    if sys.platform != "linux":  # fork is the cheap way to share the imported Ansible
        return 1
    return min(count, len(os.sched_getaffinity(0)))


_Result = _Outcome


def _read_shared(pendings: list[_Pending], options: _Options, workers: int) -> list[_Result]:
    """Read ``pendings`` with ``workers`` forked processes and this one: the workers take
    them from the front, this process from the back until it meets them (a model read here
    needs no pickling), unpickling the workers' models as they come."""
    import multiprocessing
    import pickle  # only with workers: kept off the start-up path
    from concurrent.futures import Future, ProcessPoolExecutor

    if options.render == "ansible":
        from kafkalint.loaders import ansible_inventory

        ansible_inventory.import_or_explain()  # once, before the workers fork
    else:
        from kafkalint.loaders import inventory  # noqa: F401 - imported once, before the workers fork

    results: list[_Result | None] = [None] * len(pendings)

    def unpickle(index: int) -> None:
        # the future holds the pickled bytes: drop it once read, or every inventory's
        # pickle would stay in memory beside its model until all are read
        future = futures[index]
        futures[index] = None
        assert future is not None
        results[index] = pickle.loads(future.result())

    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
        futures: list[Future[bytes] | None] = [pool.submit(_read_in_worker, pending, options) for pending in pendings]
        try:
            received = 0
            for index in reversed(range(len(pendings))):
                while received < index and (futures[received] is None or futures[received].done()):  # type: ignore[union-attr]
                    if futures[received] is not None:
                        unpickle(received)
                    received += 1
                pending = futures[index]
                if index < received or pending is None or not pending.cancel():
                    break  # the workers have this one and every one before it
                futures[index] = None
                results[index] = _read_inventory(pendings[index], options)
            for index in range(len(pendings)):
                if results[index] is None and futures[index] is not None:
                    unpickle(index)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
    return [result for result in results if result is not None]


def _read_inventories(pendings: list[_Pending], options: _Options, notices: list[Notice]) -> list[Cluster]:
    jobs = _jobs(len(pendings))
    with _collector_paused(keep=True):
        if jobs <= 1:
            results = [_read_inventory(pending, options) for pending in pendings]
        else:
            results = _read_shared(pendings, options, jobs - 1)
    clusters = []
    for result in results:
        for secret in result.secrets:
            redact.register(secret)
        notices.extend(result.notices)
        if result.error is not None:
            message, path, line, column = result.error
            raise InputError(message, Location(path, line, column) if path is not None else None)
        assert result.cluster is not None
        clusters.append(result.cluster)
    return clusters


class _Run:
    def __init__(self, options: _Options, exclude: Sequence[str], context: grouping.Context) -> None:
        self.options = options
        self.kafka_version = options.kafka_version
        self.context = context
        self.exclude = tuple(exclude)
        self.clusters: list[Cluster | _Pending] = []
        self.loose: list[files.LooseFile] = []
        self.notices: list[Notice] = []

    # -- dispatch --------------------------------------------------------------------------

    def add(self, given: str | Path) -> None:
        text = str(given)
        path = Path(text)
        display = _Display(not path.is_absolute())
        shown = display(text)
        if _excluded(shown, self.exclude):
            return
        if not path.exists():
            raise InputError("no such file or directory", Location(shown))
        if path.is_dir():
            self._directory(path, shown, display)
        else:
            self._file(path, shown, display, required=True)

    def _directory(self, path: Path, shown: str, display: _Display) -> None:
        from kafkalint.loaders.inventory import is_inventory_dir

        try:
            inventory = is_inventory_dir(path)
        except OSError as error:
            raise InputError(f"cannot read directory: {error.strerror or error}", Location(shown)) from None
        if inventory:
            self._inventory(path, display)
            return
        root_real = os.path.realpath(path)
        for root, dirs, names in os.walk(path):
            root_path = Path(root)
            dirs[:] = sorted(
                d for d in dirs if not d.startswith(".") and not _excluded(display(str(root_path / d)), self.exclude)
            )
            if root_path != path and is_inventory_dir(root_path):
                dirs[:] = []
                self._inventory(root_path, display)
                continue
            for name in sorted(names):
                if name.startswith("."):
                    continue
                child = root_path / name
                child_shown = display(str(child))
                if not _excluded(child_shown, self.exclude) and self._readable(child, child_shown, root_real):
                    self._file(child, child_shown, display, required=False)

    def _readable(self, path: Path, shown: str, root: str) -> bool:
        """Whether a file met in a directory walk may be read: a regular file that does not
        resolve outside the directory given (a symbolic link to a secret, a FIFO that would
        block the run); a notice says why one is not."""
        real = os.path.realpath(path)
        if real != root and not real.startswith(root.rstrip(os.sep) + os.sep):
            self.notices.append(Notice("not read: it resolves outside the directory given", Location(shown)))
            return False
        try:
            regular = stat.S_ISREG(path.stat().st_mode)
        except OSError:
            regular = False
        if not regular:
            self.notices.append(Notice("not read: not a regular file", Location(shown)))
        return regular

    def _file(self, path: Path, shown: str, display: _Display, *, required: bool) -> None:
        name = path.name.lower()
        if required and name.endswith(_TEMPLATE_SUFFIXES):
            loose = files.read_template(path, shown, self.notices)
            if loose is not None:
                self.loose.append(loose)
        elif name.endswith(_YAML_SUFFIXES):
            self._yaml(path, shown, display, required=required)
        elif name.endswith(".ini") or (name.startswith(_INI_NAME) and not name.endswith(_PROPERTY_SUFFIXES)):
            self._inventory(path, display)
        elif required or name.endswith(_PROPERTY_SUFFIXES):
            loose = files.read(path, shown, required=required)
            if loose is not None:
                self.loose.append(loose)

    def _yaml(self, path: Path, shown: str, display: _Display, *, required: bool) -> None:
        from kafkalint.loaders import clusterfile, yamlpos, yamlread

        try:
            data = yamlpos.load_file(path, shown)
        except yamlread.MultipleDocuments as error:
            if required:
                raise
            self.notices.append(
                Notice(
                    "skipped: several YAML documents (a Kubernetes manifest?), not an inventory or cluster file",
                    error.location,
                )
            )
            return
        if clusterfile.looks_like_inventory(data):
            self._inventory(path, display)
        elif clusterfile.looks_like_cluster_file(data, strict=not required):
            self.clusters.append(clusterfile.load(path, shown, self.kafka_version, data, self.context.environment))
        elif required:
            raise InputError(
                "neither a kafkalint cluster file (top-level kafka_broker, zookeeper, kafka_topics, ...) "
                "nor an Ansible YAML inventory (groups with hosts/children/vars)",
                Location(shown, 1),
            )

    def _inventory(self, path: Path, display: _Display) -> None:
        self.clusters.append(_Pending(path, display.relative))

    # -- joining loose files ---------------------------------------------------------------

    def _resolved(self) -> list[Cluster]:
        pendings = [item for item in self.clusters if isinstance(item, _Pending)]
        read = iter(_read_inventories(pendings, self.options, self.notices)) if pendings else iter(())
        return [next(read) if isinstance(item, _Pending) else item for item in self.clusters]

    def model(self) -> Model:
        grouped = grouping.group(self.loose, self._resolved(), self.kafka_version or DEFAULT_VERSION, self.context)
        return Model(grouped.clusters, list(dict.fromkeys([*self.notices, *grouped.notices])))


def load(
    paths: Sequence[str | Path],
    *,
    kafka_version: KafkaVersion | None = None,
    exclude: Sequence[str] = (),
    environment: str | None = None,
    brokers: int | None = None,
    render: str = "safe",
    vault: Vault | None = None,
) -> Model:
    """Read ``paths`` (inventories, cluster files, config files, directories) into a model.

    ``kafka_version`` overrides every inventory's ``kafka_version``; ``exclude`` holds glob
    patterns matched against each path as shown and against each of its parts;
    ``environment`` and ``brokers`` are the run's context for clusters that do not state
    theirs (:mod:`kafkalint.loaders.grouping`); ``render`` is one of :data:`RENDER_MODES`;
    ``vault`` holds the vault password given, if any. Raises
    :class:`kafkalint.errors.InputError` for input that cannot be read.
    """
    if render not in RENDER_MODES:
        raise ValueError(f"unknown render mode {render!r} (expected one of {', '.join(RENDER_MODES)})")
    run = _Run(
        _Options(kafka_version, render, vault or Vault(), environment), exclude, grouping.Context(environment, brokers)
    )
    for given in paths:
        run.add(given)
    return run.model()
