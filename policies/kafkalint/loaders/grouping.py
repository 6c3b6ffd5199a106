"""Which loose files form one cluster, and what is known about that cluster.

Files given together are one cluster only when they belong to one:

- broker files of ZooKeeper mode (no ``process.roles``) whose ``zookeeper.connect`` names a
  common server and the same chroot; KRaft nodes (``process.roles``) whose quorum
  (``controller.quorum.voters`` / ``controller.quorum.bootstrap.servers``) has an address in
  common, and the ZooKeeper-mode brokers in migration mode
  (``zookeeper.metadata.migration.enable=true``) that name one of its addresses. A broker
  file with neither is a cluster of its own. Broker files never join an inventory or cluster
  file: those list their brokers completely.
- When two files of such a group describe the same node (the same ``node.id`` /
  ``broker.id`` on the same port: Apache's ``config/kraft/server.properties`` beside
  ``controller.properties``), the files are alternative configurations of one machine, not
  hosts of one cluster; every file of the group is then judged on its own, and a notice
  says so.
- A ``zoo.cfg`` joins every cluster whose brokers connect to one of its ``server.N`` (an
  ensemble may serve several clusters under different chroots); a standalone one (no
  ``server.N``) the one cluster whose brokers connect to a single server on its
  ``clientPort``. ZooKeeper files naming a common server are one ensemble.
- A producer or consumer file joins the one cluster whose brokers it bootstraps from, else
  the only cluster of the run with brokers; otherwise it stays with the other unmatched
  clients.

What a loose file cannot say is its context: whether the cluster is production and how many
brokers it has. A file states it with ``# kafkalint: environment=production`` /
``# kafkalint: brokers=3`` (for its whole cluster; files of one cluster must agree), else the
run's :class:`Context` applies (``--environment`` / ``--brokers``, ``environment:`` /
``brokers:`` in ``.kafkalint.yaml``). Whatever stays unknown is assumed as little as
possible: an unknown environment is not production (rules that are errors only in
production report warnings), an unknown broker count is at least the brokers given (rules
that need the exact count do not judge). One notice per run names the clusters concerned.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kafkalint import listeners
from kafkalint.errors import InputError
from kafkalint.loaders import files
from kafkalint.model import Cluster, Location, Notice
from kafkalint.versions import KafkaVersion

Address = tuple[str, int]
_SERVER_N = "server."


@dataclass(frozen=True)
class Context:
    """What the run states about clusters that do not say it themselves."""

    environment: str | None = None
    brokers: int | None = None


@dataclass
class _Node:
    """A broker file with what decides its cluster."""

    file: files.LooseFile
    kraft: bool
    node_id: int | None
    ports: set[Address]
    quorum: set[Address] = field(default_factory=set)
    ensemble: set[Address] = field(default_factory=set)
    chroot: str = ""

    @property
    def keyed(self) -> bool:
        return bool(self.quorum if self.kraft else self.ensemble)


def _node(loose: files.LooseFile) -> _Node:
    kraft = bool(listeners.entries(loose.value("process.roles")))
    raw_id = loose.value("node.id") if kraft else None
    raw_id = raw_id or loose.value("broker.id") or loose.value("node.id")
    node_id = int(raw_id.strip()) if raw_id is not None and raw_id.strip().isdigit() else None
    bound = listeners.parse(loose.value("listeners") or "PLAINTEXT://:9092")[0]
    node = _Node(loose, kraft, node_id, {endpoint.address for endpoint in bound})
    if kraft:
        node.quorum = listeners.quorum_addresses(
            loose.value("controller.quorum.voters"), loose.value("controller.quorum.bootstrap.servers")
        )
    else:
        if loose.value("zookeeper.connect"):
            addresses, node.chroot = listeners.zookeeper_connect(loose.value("zookeeper.connect") or "")
            node.ensemble = set(addresses)
        if (loose.value("zookeeper.metadata.migration.enable") or "").strip().lower() == "true":
            # a broker in migration mode is one cluster with the KRaft controllers it names
            node.quorum = listeners.quorum_addresses(
                loose.value("controller.quorum.voters"), loose.value("controller.quorum.bootstrap.servers")
            )
    return node


def _same_node(a: _Node, b: _Node) -> bool:
    """Two files describing one machine: one id, and a port they would both bind."""
    if a.node_id is None or a.node_id != b.node_id:
        return False
    for host, port in a.ports:
        for other_host, other_port in b.ports:
            if port == other_port and (host == other_host or not host or not other_host):
                return True
    return False


def _joined(a: _Node, b: _Node) -> bool:
    if a.quorum & b.quorum:  # KRaft nodes, and ZooKeeper-mode brokers migrating to them
        return True
    if a.kraft or b.kraft or not a.keyed or not b.keyed:
        return False
    return a.chroot == b.chroot and bool(a.ensemble & b.ensemble)


def _components(count: int, linked: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Connected components of ``count`` items, each in item order, in order of first item."""
    parent = list(range(count))

    def find(item: int) -> int:
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for a, b in linked:
        parent[find(a)] = find(b)
    groups: dict[int, list[int]] = {}
    for item in range(count):
        groups.setdefault(find(item), []).append(item)
    return sorted(groups.values(), key=lambda group: group[0])


@dataclass
class _Group:
    """A cluster in the making: loose files, or an inventory cluster they join."""

    files: list[files.LooseFile] = field(default_factory=list)
    nodes: list[_Node] = field(default_factory=list)
    cluster: Cluster | None = None

    def connects(self) -> list[tuple[set[Address], str]]:
        """The ZooKeeper servers and chroot each ZooKeeper-mode broker connects to."""
        if self.cluster is not None:
            result = []
            for broker in self.cluster.brokers:
                setting = broker.config.explicit("zookeeper.connect")
                if setting is not None:
                    addresses, chroot = listeners.zookeeper_connect(str(setting.raw))
                    result.append((set(addresses), chroot))
            return result
        return [(node.ensemble, node.chroot) for node in self.nodes if node.ensemble]

    def reaches(self, wanted: set[Address]) -> bool:
        """Whether a client bootstrapping from ``wanted`` names an address a broker of the
        group has (a loose broker bound to every interface has no known host: no match)."""
        if self.cluster is not None:
            for broker in self.cluster.brokers:
                exact, wildcard = listeners.client_addresses(broker.config, {broker.name})
                if wanted & (exact | wildcard):
                    return True
            return False
        for node in self.nodes:
            advertised = listeners.parse(node.file.value("advertised.listeners") or "")[0]
            if wanted & ({address for address in node.ports if address[0]} | {item.address for item in advertised}):
                return True
        return False

    @property
    def has_brokers(self) -> bool:
        return bool(self.nodes) or (self.cluster is not None and bool(self.cluster.brokers))


def _zookeeper_addresses(loose: files.LooseFile) -> tuple[set[Address], int]:
    client_port_text = loose.value("clientPort") or ""
    client_port = int(client_port_text) if client_port_text.strip().isdigit() else listeners.ZOOKEEPER_PORT
    addresses = set()
    for key, entry in loose.parsed.entries.items():
        if key.startswith(_SERVER_N) and key[len(_SERVER_N) :].isdigit():
            address = listeners.zookeeper_server(entry.value, client_port)
            if address is not None:
                addresses.add(address)
    return addresses, client_port


def _zookeeper_homes(addresses: set[Address], client_port: int, groups: Sequence[_Group]) -> list[_Group]:
    """Every cluster whose brokers connect to the ensemble (one ensemble may serve several
    clusters under different chroots); for a standalone server, the one cluster whose
    brokers all connect to a single server on its port."""
    if addresses:
        return [group for group in groups if any(addresses & servers for servers, _ in group.connects())]
    matches = [
        group
        for group in groups
        if group.connects()
        and all(len(servers) == 1 and next(iter(servers))[1] == client_port for servers, _ in group.connects())
    ]
    return matches if len(matches) == 1 else []


def _client_home(loose: files.LooseFile, groups: Sequence[_Group]) -> _Group | None:
    wanted = loose.bootstrap_servers()
    matches = [group for group in groups if wanted and group.reaches(wanted)]
    if len(matches) == 1:
        return matches[0]
    with_brokers = [group for group in groups if group.has_brokers]
    return with_brokers[0] if not matches and len(with_brokers) == 1 else None


def _stated(group: _Group, key: str) -> files.Stated | None:
    found: files.Stated | None = None
    for loose in group.files:
        stated = loose.context.get(key)
        if stated is None:
            continue
        if found is not None and found.value != stated.value:
            raise InputError(
                f"files of one cluster state different {key}: {found.location} says {found.value}, this file "
                f"{stated.value}",
                stated.location,
            )
        found = found or stated
    return found


def _names(clusters: Sequence[Cluster]) -> str:
    """``a``, ``a and b``, ``a, b, c and 2 more``."""
    shown = [cluster.source.path for cluster in clusters[:3]]
    more = len(clusters) - len(shown)
    if more:
        return ", ".join(shown) + f" and {more} more"
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


@dataclass
class Grouped:
    """The clusters with the loose files attached, and what the grouping assumed."""

    clusters: list[Cluster]
    notices: list[Notice]


def group(
    loose: Sequence[files.LooseFile], clusters: Sequence[Cluster], version: KafkaVersion, context: Context
) -> Grouped:
    """``clusters`` (inventories and cluster files) with the loose files attached where they
    belong, followed by the clusters the other loose files form."""
    notices: list[Notice] = []
    nodes = [_node(item) for item in loose if item.kind == "broker"]
    pairs = [(a, b) for a in range(len(nodes)) for b in range(a + 1, len(nodes)) if _joined(nodes[a], nodes[b])]
    groups: list[_Group] = []
    for component in _components(len(nodes), pairs):
        members = [nodes[index] for index in component]
        same = [(a, b) for a in members for b in members if a is not b and _same_node(a, b)]
        if same:
            a, b = same[0]
            notices.append(
                Notice(
                    f"{a.file.display} and {b.file.display} both describe node {a.node_id} on the same port: read as "
                    f"alternative configurations, each of the {len(members)} files of their "
                    f"{'quorum' if a.kraft else 'ZooKeeper ensemble'} judged on its own",
                    Location(b.file.display),
                )
            )
            groups.extend(_Group([node.file], [node]) for node in members)
        else:
            groups.append(_Group([node.file for node in members], members))
    known = [_Group(cluster=cluster) for cluster in clusters]

    zookeepers = [item for item in loose if item.kind == "zookeeper"]
    addresses = [_zookeeper_addresses(item) for item in zookeepers]
    linked = [
        (a, b)
        for a in range(len(zookeepers))
        for b in range(a + 1, len(zookeepers))
        if addresses[a][0] & addresses[b][0]
    ]
    for component in _components(len(zookeepers), linked):
        servers = set().union(*(addresses[index][0] for index in component))
        homes = _zookeeper_homes(servers, addresses[component[0]][1], [*known, *groups])
        ensemble = [zookeepers[index] for index in component]
        for home in homes:
            home.files.extend(ensemble)
        if not homes:
            groups.append(_Group(ensemble))

    unmatched = _Group()
    for item in loose:
        if item.kind in ("producer", "consumer"):
            client_home = _client_home(item, [*known, *groups])
            (client_home or unmatched).files.append(item)
    if unmatched.files:
        groups.append(unmatched)

    result = list(clusters)
    for target in known:
        assert target.cluster is not None
        for item in target.files:
            _attach(target.cluster, item)
    new = []
    for pending in groups:
        new.append(_build(pending, version, context))
    result.extend(new)
    notice = _context_notice(new)
    if notice is not None:
        notices.append(notice)
    return Grouped(result, notices)


def _context_notice(clusters: Sequence[Cluster]) -> Notice | None:
    """One notice for what the run assumed about loose clusters that do not state it."""
    environment = [
        cluster for cluster in clusters if cluster.production is None and (cluster.nodes or cluster.zookeepers)
    ]
    count = [cluster for cluster in clusters if cluster.brokers and cluster.stated_brokers is None]
    if not environment and not count:
        return None
    parts = []
    if environment:
        parts.append(
            f"the environment of {_names(environment)} (judged as not production: findings that are errors only in "
            f"production stay warnings)"
        )
    if count:
        parts.append(
            f"the broker count of {_names(count)} (at least the brokers given: checks that need the exact count do "
            f"not judge)"
        )
    return Notice(
        f"not stated: {' and '.join(parts)}; state it with --environment / --brokers, a line "
        f"'# kafkalint: environment=production' / '# kafkalint: brokers=N' in a file, or environment: / brokers: "
        f"in .kafkalint.yaml"
    )


def _build(pending: _Group, version: KafkaVersion, context: Context) -> Cluster:
    first = pending.files[0]
    name = f"files {first.display}" + (f" and {len(pending.files) - 1} more" if len(pending.files) > 1 else "")
    environment = _stated(pending, "environment")
    brokers = _stated(pending, "brokers")
    stated_environment = environment.value if environment is not None else context.environment
    cluster = Cluster(
        name=name,
        source=Location(first.display),
        version=version,
        production=None if stated_environment is None else stated_environment == "production",
        complete=False,
        stated_brokers=int(brokers.value) if brokers is not None else context.brokers,
    )
    for item in pending.files:
        _attach(cluster, item)
    return cluster


def _attach(cluster: Cluster, loose: files.LooseFile) -> None:
    version = cluster.version
    if loose.kind == "broker":
        node = files.to_broker(loose, version)
        if node.is_broker:
            cluster.brokers.append(node)
        if node.is_controller:
            cluster.controllers.append(node)
    elif loose.kind == "zookeeper":
        cluster.zookeepers.append(files.to_zookeeper(loose, version))
    elif loose.kind == "producer":
        cluster.producers.append(files.to_producer(loose, version))
    else:
        cluster.consumers.append(files.to_consumer(loose, version))
