package io.flightcontroller.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * Walks every policy statement in the synthesised templates (IAM role and managed policies, trust policies, and the
 * resource policies of the key, bucket, topic and queue) and fails on wildcard permissions.
 */
class IamPolicyTest {

    /**
     * Actions that AWS grants on no narrower resource than {@code *}; an Allow statement with only these actions may
     * name {@code "Resource": "*"}.
     */
    static final Map<String, String> STAR_RESOURCE_ALLOWED = Map.of(
            // Endpoint discovery of the Timestream write SDK: the API has no resource-level permission.
            "timestream:DescribeEndpoints", "Timestream endpoint discovery; no resource-level permission exists");

    private static final Pattern SERVICE_WILDCARD = Pattern.compile("^[a-z0-9-]+:\\*$");

    /** One policy statement and where it was found. */
    record Found(String resourceId, String resourceType, Map<String, Object> statement) {}

    @Test
    void noAllowStatementGrantsWildcardActionsOrResourcesInAnyConfiguration() {
        for (Map<String, Object> config : Templates.ALL) {
            Template template = Templates.of(config);
            List<Found> statements = statements(template.toJSON());
            assertThat(statements).as("statements found in %s", config).hasSizeGreaterThan(10);
            assertThat(violations(statements))
                    .as("violations in configuration %s", config)
                    .isEmpty();
        }
    }

    @Test
    void theAuditCatchesWildcardsItIsMeantToCatch() {
        Map<String, Object> bad = Map.of(
                "Resources",
                Map.of(
                        "P",
                        Map.of(
                                "Type",
                                "AWS::IAM::Policy",
                                "Properties",
                                Map.of(
                                        "PolicyDocument",
                                        Map.of(
                                                "Statement",
                                                List.of(
                                                        Map.of(
                                                                "Effect",
                                                                "Allow",
                                                                "Action",
                                                                "s3:*",
                                                                "Resource",
                                                                "arn:aws:s3:::b/*"),
                                                        Map.of(
                                                                "Effect",
                                                                "Allow",
                                                                "Action",
                                                                List.of("sns:Publish", "*"),
                                                                "Resource",
                                                                "arn:x"),
                                                        Map.of(
                                                                "Effect",
                                                                "Allow",
                                                                "Action",
                                                                "sns:Publish",
                                                                "Resource",
                                                                "*"),
                                                        Map.of(
                                                                "Effect",
                                                                "Allow",
                                                                "NotAction",
                                                                "iam:*",
                                                                "Resource",
                                                                "arn:x"),
                                                        Map.of(
                                                                "Effect",
                                                                "Allow",
                                                                "Action",
                                                                "timestream:DescribeEndpoints",
                                                                "Resource",
                                                                "*"),
                                                        Map.of(
                                                                "Effect",
                                                                "Deny",
                                                                "Action",
                                                                "s3:*",
                                                                "Resource",
                                                                "*")))))));
        List<String> violations = violations(statements(bad));
        assertThat(violations).hasSize(4);
        assertThat(String.join("\n", violations))
                .contains("wildcard action s3:*")
                .contains("wildcard action *")
                .contains("resource * for [sns:Publish]")
                .contains("NotAction");
    }

    @Test
    void theApplicationRoleGrantsExactlyItsResources() {
        Map<String, Object> policy = applicationPolicy(Templates.of(Templates.DEFAULTS));
        assertThat(sids(policy))
                .containsExactly(
                        "ReadEventStream",
                        "UseEncryptionKey",
                        "ReadApplicationCode",
                        "WriteMetrics",
                        "DiscoverTimestreamEndpoints",
                        "PublishAlerts",
                        "ListLogGroups",
                        "ListLogStreams",
                        "WriteLogs");
        String json = String.valueOf(policy);
        assertThat(json)
                .contains("EventStream")
                .contains("TimestreamTable")
                .contains("AlertTopic")
                .contains("ApplicationLogGroup")
                .contains(".jar");
    }

    @Test
    void alternativesAddEfoS3MeasuresAndTheSecretButNoTimestream() {
        Map<String, Object> app = applicationPolicy(Templates.of(Templates.ALTERNATIVES));
        assertThat(sids(app))
                .contains("ManageEfoConsumer", "ReadWithEfo", "ReadMeasures", "ReadInfluxToken")
                .doesNotContain("WriteMetrics", "DiscoverTimestreamEndpoints");
        assertThat(String.valueOf(app))
                .contains("measures/prod.yaml")
                .contains("jars/flight-controller-job-1.jar")
                .contains("/consumer/fc-test:*");
    }

    @Test
    void theEventBridgeRoleOnlyWritesToTheStream() {
        Map<String, Map<String, Object>> policies =
                Templates.of(Templates.DEFAULTS).findResources("AWS::IAM::Policy");
        assertThat(policies).hasSize(2);
        String events = policies.entrySet().stream()
                .filter(e -> e.getKey().startsWith("EventStreamEventsRole"))
                .map(e -> String.valueOf(e.getValue()))
                .findFirst()
                .orElseThrow();
        assertThat(events)
                .contains("kinesis:PutRecord")
                .contains("kinesis:PutRecords")
                .contains("kms:GenerateDataKey*")
                .doesNotContain("kinesis:GetRecords")
                .doesNotContain("kms:Decrypt");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> applicationPolicy(Template template) {
        return template.findResources("AWS::IAM::Policy").entrySet().stream()
                .filter(e -> e.getKey().startsWith("ApplicationPolicy"))
                .map(e -> (Map<String, Object>) e.getValue().get("Properties"))
                .findFirst()
                .orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static List<String> sids(Map<String, Object> policyProperties) {
        List<Map<String, Object>> st = (List<Map<String, Object>>)
                ((Map<String, Object>) policyProperties.get("PolicyDocument")).get("Statement");
        return st.stream().map(s -> String.valueOf(s.get("Sid"))).toList();
    }

    /**
     * @param template template JSON
     * @return every statement of every policy document anywhere in the resources' properties
     */
    @SuppressWarnings("unchecked")
    static List<Found> statements(Map<String, Object> template) {
        List<Found> out = new ArrayList<>();
        Map<String, Object> resources = (Map<String, Object>) template.get("Resources");
        resources.forEach((id, r) -> {
            Map<String, Object> resource = (Map<String, Object>) r;
            collect(resource.get("Properties"), id, String.valueOf(resource.get("Type")), out);
        });
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void collect(Object node, String id, String type, List<Found> out) {
        if (node instanceof Map<?, ?> map) {
            if (map.get("Statement") instanceof List<?> st) {
                for (Object s : st) {
                    if (s instanceof Map<?, ?> m && m.containsKey("Effect")) {
                        out.add(new Found(id, type, (Map<String, Object>) m));
                    }
                }
            }
            for (Object v : map.values()) {
                collect(v, id, type, out);
            }
        } else if (node instanceof List<?> list) {
            for (Object v : list) {
                collect(v, id, type, out);
            }
        }
    }

    private static List<String> strings(Object actionOrResource) {
        if (actionOrResource == null) {
            return List.of();
        }
        if (actionOrResource instanceof List<?> list) {
            return list.stream().map(x -> x instanceof String s ? s : "<token>").toList();
        }
        return List.of(actionOrResource instanceof String s ? s : "<token>");
    }

    /**
     * @param statements statements to audit
     * @return one message per violation; Deny statements only take permissions away and are not audited
     */
    static List<String> violations(List<Found> statements) {
        List<String> out = new ArrayList<>();
        for (Found f : statements) {
            Map<String, Object> s = f.statement();
            if (!"Allow".equals(s.get("Effect"))) {
                continue;
            }
            String where = f.resourceType() + " " + f.resourceId() + " " + s.get("Sid") + ": ";
            if (s.containsKey("NotAction") || s.containsKey("NotResource")) {
                out.add(where + "NotAction/NotResource in an Allow statement");
                continue;
            }
            List<String> actions = strings(s.get("Action"));
            for (String a : actions) {
                if (a.equals("*") || SERVICE_WILDCARD.matcher(a).matches()) {
                    out.add(where + "wildcard action " + a);
                }
            }
            if (strings(s.get("Resource")).contains("*")) {
                // In a KMS key policy "*" means "this key": there is no other way to write it.
                boolean keyPolicy = f.resourceType().equals("AWS::KMS::Key");
                boolean allowListed = Set.copyOf(STAR_RESOURCE_ALLOWED.keySet()).containsAll(actions);
                if (!keyPolicy && !allowListed) {
                    out.add(where + "resource * for " + actions);
                }
            }
        }
        return out;
    }
}
