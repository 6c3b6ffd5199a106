# KL207: buffer.memory no larger than batch.size times the partitions a producer writes to.
package main

producer_int(config, key, default_value) := as_int(config[key]) if {
	config[key] != null
} else := default_value

written_partitions(dir, profile) := sum([n |
	some name in {name | some name in object.get(profile, "topics", [])}
	topic := topic_index[dir][name]
	n := topic_partitions(dir, topic)
	n > 0
])

warn contains finding("KL207", dir, sprintf("profile %s", [profile.name]), msg) if {
	some dir in inventories
	some profile in producers(dir)
	config := object.get(profile, "config", {})
	buffer := producer_int(config, "buffer.memory", 33554432)
	batch := producer_int(config, "batch.size", 16384)
	batch > 0
	partitions := written_partitions(dir, profile)
	partitions > 0
	buffer <= batch * partitions
	msg := sprintf("buffer.memory %d holds no more than one batch of %d bytes for each of %d partitions", [buffer, batch, partitions])
}
