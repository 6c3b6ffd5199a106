"""kafkalint: a policy linter that rejects unsafe Kafka and ZooKeeper configurations."""

__version__ = "0.1.0"
