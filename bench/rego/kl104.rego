# KL104: a replication factor above the number of brokers (topic creation fails).
package main

deny contains finding("KL104", dir, sprintf("topic %s", [topic.name]), msg) if {
	some dir in inventories
	brokers := broker_count(dir)
	brokers > 0
	some topic in topics(dir)
	rf := topic_rf(dir, topic)
	rf > brokers
	msg := sprintf("replication factor %d is larger than the cluster's %d brokers", [rf, brokers])
}

deny contains finding("KL104", dir, DEFAULTS_SUBJECT, msg) if {
	some dir in inventories
	brokers := broker_count(dir)
	brokers > 0
	rf := broker_int(dir, "default.replication.factor")
	rf > brokers
	msg := sprintf("default.replication.factor %d is larger than the cluster's %d brokers", [rf, brokers])
}
