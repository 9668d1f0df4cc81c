import java.io.FileInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The development broker's ACLs (bin/kafka runs this file at every start, as the admin user): what ingest's and
 * status-service's principals may do. deploy/kubernetes/kafka-users.yaml grants the same on the literal names.
 * Tests, bin/bench and bin/chaos name their topics and groups with the prefixes below; status-service's
 * dead-letter topics there start with "dlq-", so that no prefix it may write covers a statements topic.
 *   java -cp 'LIB/*' bin/lib/KafkaAcls.java BOOTSTRAP ADMIN-CLIENT-PROPERTIES INGEST-USER STATUS-USER
 */
public class KafkaAcls {
    static final String STATEMENTS = "diplomatic-statements";
    /** Statements topics of tests (diplomatic-statements-test-...), bin/chaos, bin/bench and bench/late-report. */
    static final List<String> STATEMENT_PREFIXES = List.of(STATEMENTS + "-", "chaos-", "bench-", "late-");
    static final List<String> GROUP_PREFIXES = List.of("status-", "chaos-", "bench", "late-");

    public static void main(String[] args) throws Exception {
        Properties config = new Properties();
        try (var in = new FileInputStream(args[1])) {
            config.load(in);
        }
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        String ingest = "User:" + args[2];
        String status = "User:" + args[3];
        List<AclBinding> acls = new ArrayList<>();

        // ingest-service: creates and writes the statements topic, in transactions (parley.kafka.transactional-id-prefix).
        statementTopics().forEach(topic -> allow(acls, topic, ingest, AclOperation.WRITE, AclOperation.DESCRIBE,
                AclOperation.CREATE, AclOperation.DESCRIBE_CONFIGS));
        allow(acls, new ResourcePattern(ResourceType.TRANSACTIONAL_ID, "parley-ingest", PatternType.PREFIXED), ingest,
                AclOperation.WRITE, AclOperation.DESCRIBE);
        allow(acls, cluster(), ingest, AclOperation.IDEMPOTENT_WRITE);

        // status-service: reads the statements topic in its group; writes its dead-letter and change topics.
        statementTopics().forEach(topic -> allow(acls, topic, status, AclOperation.READ, AclOperation.DESCRIBE,
                AclOperation.DESCRIBE_CONFIGS));
        for (ResourcePattern topic : List.of(literal(STATEMENTS + "-dlq"), prefixed("dlq-"), literal("relationship-changes"),
                prefixed("relationship-changes-"))) {
            allow(acls, topic, status, AclOperation.WRITE, AclOperation.DESCRIBE, AclOperation.CREATE,
                    AclOperation.DESCRIBE_CONFIGS, AclOperation.READ);
        }
        allow(acls, new ResourcePattern(ResourceType.GROUP, "status-service", PatternType.LITERAL), status,
                AclOperation.READ, AclOperation.DESCRIBE);
        GROUP_PREFIXES.forEach(prefix -> allow(acls, new ResourcePattern(ResourceType.GROUP, prefix, PatternType.PREFIXED),
                status, AclOperation.READ, AclOperation.DESCRIBE));
        allow(acls, cluster(), status, AclOperation.IDEMPOTENT_WRITE);

        try (Admin admin = Admin.create(config)) {
            admin.createAcls(acls).all().get(60, TimeUnit.SECONDS);
        }
        System.out.println(acls.size() + " ACLs set for " + ingest + " and " + status);
    }

    static List<ResourcePattern> statementTopics() {
        List<ResourcePattern> topics = new ArrayList<>(List.of(literal(STATEMENTS)));
        STATEMENT_PREFIXES.forEach(prefix -> topics.add(prefixed(prefix)));
        return topics;
    }

    static ResourcePattern literal(String topic) {
        return new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL);
    }

    static ResourcePattern prefixed(String prefix) {
        return new ResourcePattern(ResourceType.TOPIC, prefix, PatternType.PREFIXED);
    }

    static ResourcePattern cluster() {
        return new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL);
    }

    static void allow(List<AclBinding> acls, ResourcePattern resource, String principal, AclOperation... operations) {
        for (AclOperation operation : operations) {
            acls.add(new AclBinding(resource, new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)));
        }
    }
}
