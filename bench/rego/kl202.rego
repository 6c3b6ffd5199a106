# KL202: enable.idempotence=true written with acks other than all (the producer refuses to start).
package main

idempotence_written_true(config) if {
	config["enable.idempotence"] == true
}

idempotence_written_true(config) if {
	is_string(config["enable.idempotence"])
	lower(trim_space(config["enable.idempotence"])) == "true"
}

# acks as ProducerConfig.parseAcks reads it: 0 or 1 (all and -1 are the same, and the default).
acks_below_all(config) if {
	not is_boolean(config.acks)
	trim_space(sprintf("%v", [config.acks])) in {"0", "1"}
}

deny contains finding("KL202", dir, sprintf("profile %s", [profile.name]), msg) if {
	some dir in inventories
	some profile in producers(dir)
	config := object.get(profile, "config", {})
	idempotence_written_true(config)
	acks_below_all(config)
	msg := sprintf("enable.idempotence=true needs acks=all, not acks=%v", [config.acks])
}
