"""Documentation the admin modules (kafka_topics, kafka_scram_users, kafka_acls) share: the
options that say where and how a module connects (``kafka_admin.connection_spec``). The other
admin roles link to this file."""

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  bootstrap_servers:
    description: Brokers to bootstrap from, C(host:port) (a list, or one comma-separated string).
    type: list
    elements: str
    required: true
  connect_timeout:
    description: Seconds to wait for the cluster to answer before failing.
    type: int
    default: 10
  client_options:
    description:
      - Extra keyword arguments for kafka-python's C(KafkaAdminClient); they win over
        O(security). Never logged.
    type: dict
    default: {}
  security:
    description:
      - How the module connects (the inventory's C(kafka_admin_security)), that is a super
        user's credentials on a SASL listener and the CA that signed the brokers' certificates.
        Only the passwords are hidden from Ansible's output.
    type: dict
    default: {}
    suboptions:
      protocol:
        description: Kafka's C(security.protocol).
        type: str
        choices: [PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL]
        default: PLAINTEXT
      sasl_mechanism:
        description: The SASL mechanism of O(security.username).
        type: str
        choices: [SCRAM-SHA-512, SCRAM-SHA-256, PLAIN]
        default: SCRAM-SHA-512
      username:
        description: The SASL user (a super user).
        type: str
      password:
        description: Its password (from Ansible Vault).
        type: str
      ca_file:
        description: PEM file of the CA(s) the brokers' certificates must chain to (on the controller).
        type: path
      check_hostname:
        description: Check that each broker's certificate names the address connected to.
        type: bool
        default: true
      cert_file:
        description: Client certificate (PEM) for listeners that require one.
        type: path
      key_file:
        description: Its private key (PEM).
        type: path
      key_password:
        description: The private key's password.
        type: str
"""
