# Shared reads of the inventory contract for the five policies beside this file, which
# conftest evaluates with --combine: `input` is then a list of {path, contents}, one entry per
# YAML file of the estate. An inventory is a directory holding hosts.yml; a cluster variable
# is read as a host of kafka_broker sees it: group_vars/kafka_broker.yml over
# group_vars/all.yml (Ansible's group precedence), then the role's defaults sized to the
# broker count (kafkalint.effective.safe_broker_defaults), then Kafka's own defaults.
#
# Not modelled, because bench/lint_estate.py's estate does not use them: host_vars/ and
# variables on host lines overriding a group's, Jinja templating, groups nested below
# kafka_broker, and producers of Kafka releases before 3.0.1 (another idempotence default).
package main

# Every parsed file by its path, built once per evaluation.
documents[doc.path] := doc.contents if {
	some doc in input
}

inventories contains dir if {
	some path, _ in documents
	endswith(path, "/hosts.yml")
	dir := substring(path, 0, count(path) - count("/hosts.yml"))
}

document(dir, relative) := documents[concat("/", [dir, relative])]

broker_hosts(dir) := object.keys(document(dir, "hosts.yml").all.children.kafka_broker.hosts)

broker_count(dir) := count(broker_hosts(dir)) if {
	broker_hosts(dir)
} else := 0

cluster_var(dir, name) := value if {
	value := document(dir, "group_vars/kafka_broker.yml")[name]
} else := value if {
	value := document(dir, "group_vars/all.yml")[name]
}

# kafkalint treats an inventory without kafka_cluster_environment as production.
production(dir) if {
	not cluster_var(dir, "kafka_cluster_environment")
}

production(dir) if {
	cluster_var(dir, "kafka_cluster_environment") == "production"
}

# An integer as Kafka parses INT and LONG values (a boolean is none).
as_int(value) := value if {
	is_number(value)
	value == floor(value)
}

as_int(value) := n if {
	is_string(value)
	n := to_number(trim_space(value))
	n == floor(n)
}

role_replication(dir) := max([1, min([3, broker_count(dir)])])

role_default(dir, "default.replication.factor") := role_replication(dir)

role_default(dir, "min.insync.replicas") := 2 if {
	role_replication(dir) >= 3
} else := 1

kafka_default("default.replication.factor") := 1

kafka_default("min.insync.replicas") := 1

kafka_default("num.partitions") := 1

broker_property(dir, key) := as_int(cluster_var(dir, "kafka_broker_properties")[key])

broker_int(dir, key) := broker_property(dir, key) if {
	broker_property(dir, key)
} else := role_default(dir, key) if {
	role_default(dir, key)
} else := kafka_default(key)

topics(dir) := object.get(document(dir, "group_vars/kafka_broker.yml"), "kafka_topics", []) if {
	document(dir, "group_vars/kafka_broker.yml").kafka_topics
} else := object.get(document(dir, "group_vars/all.yml"), "kafka_topics", [])

producers(dir) := cluster_var(dir, "kafka_producer_profiles") if {
	cluster_var(dir, "kafka_producer_profiles")
} else := []

topic_config(topic) := object.get(topic, "config", {})

# The topic's replication factor: its own, else the brokers' default.replication.factor.
topic_rf(dir, topic) := as_int(topic.replication_factor) if {
	topic.replication_factor != null
} else := broker_int(dir, "default.replication.factor")

topic_min_isr(dir, topic) := as_int(topic_config(topic)["min.insync.replicas"]) if {
	topic_config(topic)["min.insync.replicas"] != null
} else := broker_int(dir, "min.insync.replicas")

topic_partitions(dir, topic) := as_int(topic.partitions) if {
	topic.partitions != null
} else := broker_int(dir, "num.partitions")

# Topics by name, built once per inventory; the first declaration of a name wins, as
# kafkalint's Cluster.topic finds it (the quadratic search only runs when names repeat).
topic_index[dir] := {topic.name: topic | some topic in topics(dir)} if {
	some dir in inventories
	count({topic.name | some topic in topics(dir)}) == count(topics(dir))
}

topic_index[dir] := {name: topics(dir)[i] | some i; name := topics(dir)[i].name; not declared_before(dir, name, i)} if {
	some dir in inventories
	count({topic.name | some topic in topics(dir)}) != count(topics(dir))
}

declared_before(dir, name, i) if {
	some j
	topics(dir)[j].name == name
	j < i
}

DEFAULTS_SUBJECT := "new topics (default.replication.factor)"

finding(rule, dir, subject, message) := {
	"msg": sprintf("%s %s: %s: %s", [rule, dir, subject, message]),
	"rule": rule,
	"inventory": dir,
	"subject": subject,
}
