# KL101: the effective min.insync.replicas equals the replication factor (RF > 1).
package main

deny contains finding("KL101", dir, sprintf("topic %s", [topic.name]), msg) if {
	some dir in inventories
	some topic in topics(dir)
	rf := topic_rf(dir, topic)
	rf > 1
	topic_min_isr(dir, topic) == rf
	msg := sprintf("min.insync.replicas equals the replication factor %d", [rf])
}

deny contains finding("KL101", dir, DEFAULTS_SUBJECT, msg) if {
	some dir in inventories
	broker_count(dir) > 0
	rf := broker_int(dir, "default.replication.factor")
	rf > 1
	broker_int(dir, "min.insync.replicas") == rf
	msg := sprintf("the brokers' min.insync.replicas equals default.replication.factor %d", [rf])
}
