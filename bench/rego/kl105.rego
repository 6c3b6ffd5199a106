# KL105: replication factor 1 in a production cluster of two or more brokers.
package main

warn contains finding("KL105", dir, sprintf("topic %s", [topic.name]), msg) if {
	some dir in inventories
	production(dir)
	brokers := broker_count(dir)
	brokers >= 2
	some topic in topics(dir)
	topic_rf(dir, topic) == 1
	msg := sprintf("replication factor 1 in a cluster of %d brokers", [brokers])
}

warn contains finding("KL105", dir, DEFAULTS_SUBJECT, msg) if {
	some dir in inventories
	production(dir)
	brokers := broker_count(dir)
	brokers >= 2
	broker_int(dir, "default.replication.factor") == 1
	msg := sprintf("default.replication.factor 1 in a cluster of %d brokers", [brokers])
}
