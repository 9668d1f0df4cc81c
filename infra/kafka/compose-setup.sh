#!/usr/bin/env bash
# docker compose's broker: starts Kafka (the image's own run script), then, as its admin user, creates the
# services' SCRAM-SHA-512 users and their ACLs (the same rules as deploy/kubernetes/kafka-users.yaml), and only
# then reports healthy (the services start after). Passwords from the environment (.env, see .env.example).
set -euo pipefail
: "${PARLEY_KAFKA_ADMIN_PASSWORD:?}" "${PARLEY_KAFKA_INGEST_PASSWORD:?}" "${PARLEY_KAFKA_STATUS_PASSWORD:?}"
rm -f /tmp/parley-ready
/etc/kafka/docker/run &
broker=$!
printf 'security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\nsasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="%s";\n' \
  "$PARLEY_KAFKA_ADMIN_PASSWORD" >/tmp/admin.properties
k() { local tool="$1"; shift; /opt/kafka/bin/"$tool" --bootstrap-server localhost:9092 --command-config /tmp/admin.properties "$@"; }
until k kafka-broker-api-versions.sh >/dev/null 2>&1; do
  kill -0 "$broker" 2>/dev/null || exit 1
  sleep 2
done
k kafka-configs.sh --alter --entity-type users --entity-name ingest-service \
  --add-config "SCRAM-SHA-512=[password=$PARLEY_KAFKA_INGEST_PASSWORD]"
k kafka-configs.sh --alter --entity-type users --entity-name status-service \
  --add-config "SCRAM-SHA-512=[password=$PARLEY_KAFKA_STATUS_PASSWORD]"
acl() { local who="$1"; shift; k kafka-acls.sh --add --allow-principal "User:$who" "$@" >/dev/null; }
acl ingest-service --operation Write --operation Describe --operation Create --operation DescribeConfigs \
  --topic diplomatic-statements
acl ingest-service --operation Write --operation Describe --transactional-id parley-ingest --resource-pattern-type prefixed
acl status-service --operation Read --operation Describe --operation DescribeConfigs --topic diplomatic-statements
acl status-service --operation Write --operation Describe --operation Create --operation DescribeConfigs \
  --topic diplomatic-statements-dlq --topic relationship-changes
acl status-service --operation Read --operation Describe --group status-service
echo "parley: broker users and ACLs set"
touch /tmp/parley-ready
wait "$broker"
