package io.flightcontroller.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static software.amazon.awscdk.assertions.Match.stringLikeRegexp;

import io.flightcontroller.adapters.grafana.GrafanaDashboards;
import io.flightcontroller.adapters.parse.MeasuresYaml;
import io.flightcontroller.domain.measure.MeasureDefinition;
import io.flightcontroller.domain.measure.MeasuresConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;

/** The Grafana workspace and dashboards of {@code -c grafana=true} (issue 15, point 4). */
class DashboardsTest {
    private static final Map<String, Object> GRAFANA = Map.of("grafana", "true");

    private static Map<String, Object> with(Map<String, Object> base, Map<String, Object> more) {
        Map<String, Object> m = new HashMap<>(base);
        m.putAll(more);
        return Map.copyOf(m);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> statementsOf(Template template, String logicalIdPrefix) {
        Map<String, Object> props = (Map<String, Object>) template.findResources("AWS::IAM::Policy").entrySet().stream()
                .filter(e -> e.getKey().startsWith(logicalIdPrefix))
                .map(e -> e.getValue().get("Properties"))
                .findFirst()
                .orElseThrow();
        return (List<Map<String, Object>>) ((Map<String, Object>) props.get("PolicyDocument")).get("Statement");
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Object o) {
        return o instanceof List<?> l ? (List<String>) l : List.of(String.valueOf(o));
    }

    private static MeasuresConfig packagedMeasures() throws IOException {
        try (InputStream in = DashboardsTest.class.getResourceAsStream("/measures.yaml")) {
            return MeasuresYaml.read(in, "classpath:/measures.yaml");
        }
    }

    @Test
    void theWorkspaceExistsOnlyWithTheFlag() {
        assertThat(Templates.of(Templates.DEFAULTS).findResources("AWS::Grafana::Workspace"))
                .isEmpty();
        assertThat(Templates.of(Templates.ALTERNATIVES).findResources("AWS::Grafana::Workspace"))
                .isEmpty();
        assertThat(Templates.of(Templates.DEFAULTS).toJSON().toString()).doesNotContain("grafana");

        Template t = Templates.of(GRAFANA);
        t.resourceCountIs("AWS::Grafana::Workspace", 1);
        t.hasResourceProperties(
                "AWS::Grafana::Workspace",
                Map.of(
                        "AccountAccessType",
                        "CURRENT_ACCOUNT",
                        "AuthenticationProviders",
                        List.of("AWS_SSO"),
                        "PermissionType",
                        "CUSTOMER_MANAGED",
                        "DataSources",
                        List.of("TIMESTREAM"),
                        "GrafanaVersion",
                        Dashboards.GRAFANA_VERSION,
                        "RoleArn",
                        Map.of("Fn::GetAtt", List.of(stringLikeRegexp("GrafanaWorkspaceRole.*"), "Arn"))));
        t.hasResourceProperties(
                "AWS::IAM::Role",
                Map.of(
                        "AssumeRolePolicyDocument",
                        Map.of(
                                "Statement",
                                List.of(Map.of(
                                        "Action",
                                        "sts:AssumeRole",
                                        "Effect",
                                        "Allow",
                                        "Principal",
                                        Map.of("Service", "grafana.amazonaws.com"),
                                        "Condition",
                                        Map.of(
                                                "StringEquals",
                                                Map.of("aws:SourceAccount", Map.of("Ref", "AWS::AccountId"))))))));
        assertThat(t.findOutputs("*").keySet())
                .contains("GrafanaWorkspaceId", "GrafanaWorkspaceUrl", "GrafanaDashboardsZip");
    }

    @Test
    void theWorkspaceRoleMayOnlyReadTheTimestreamTable() {
        Template t = Templates.of(GRAFANA);
        List<Map<String, Object>> statements = statementsOf(t, "GrafanaWorkspacePolicy");
        Map<String, List<String>> actionsBySid = new HashMap<>();
        Map<String, String> resourceBySid = new HashMap<>();
        for (Map<String, Object> s : statements) {
            assertThat(s.get("Effect")).isEqualTo("Allow");
            assertThat(s).doesNotContainKeys("NotAction", "NotResource", "Condition");
            String sid = String.valueOf(s.get("Sid"));
            actionsBySid.put(sid, list(s.get("Action")));
            resourceBySid.put(sid, String.valueOf(s.get("Resource")));
        }
        assertThat(actionsBySid)
                .containsOnlyKeys("QueryMetrics", "DescribeMetricsDatabase", "DiscoverTimestreamEndpoints");
        assertThat(actionsBySid.get("QueryMetrics"))
                .containsExactlyInAnyOrder("timestream:Select", "timestream:DescribeTable", "timestream:ListMeasures");
        assertThat(resourceBySid.get("QueryMetrics"))
                .contains("TimestreamTable")
                .contains("Arn");
        assertThat(actionsBySid.get("DescribeMetricsDatabase")).containsExactly("timestream:DescribeDatabase");
        assertThat(resourceBySid.get("DescribeMetricsDatabase"))
                .contains("TimestreamDatabase")
                .contains("Arn");
        assertThat(actionsBySid.get("DiscoverTimestreamEndpoints")).containsExactly("timestream:DescribeEndpoints");
        assertThat(resourceBySid.get("DiscoverTimestreamEndpoints")).isEqualTo("*");
        // and the whole template still passes the wildcard audit
        assertThat(IamPolicyTest.violations(IamPolicyTest.statements(t.toJSON())))
                .isEmpty();
    }

    @Test
    void withInfluxDbTheWorkspaceRoleHasNoPolicyAndNoAwsDataSource() {
        Template t = Templates.of(with(Templates.EXISTING_SECRET, GRAFANA));
        t.resourceCountIs("AWS::Grafana::Workspace", 1);
        t.hasResourceProperties("AWS::Grafana::Workspace", Map.of("DataSources", List.of()));
        assertThat(t.findResources("AWS::IAM::Policy").keySet()).noneMatch(id -> id.startsWith("GrafanaWorkspace"));
        assertThat(IamPolicyTest.violations(IamPolicyTest.statements(t.toJSON())))
                .isEmpty();
    }

    @Test
    void samlIsAcceptedAndAnotherAuthenticationProviderFailsNamingTheKey() {
        Templates.of(with(GRAFANA, Map.of("grafanaAuthentication", "saml")))
                .hasResourceProperties("AWS::Grafana::Workspace", Map.of("AuthenticationProviders", List.of("SAML")));
        assertThatThrownBy(() -> Templates.build(with(GRAFANA, Map.of("grafanaAuthentication", "LDAP"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("context 'grafanaAuthentication': ")
                .hasMessageContaining("AWS_SSO, SAML")
                .hasMessageEndingWith("got 'LDAP'");
        assertThatThrownBy(() -> Templates.build(Map.of("grafana", "yes")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("context 'grafana': expected true or false, got 'yes'");
    }

    @Test
    void oneDashboardPerMeasurePlusTheOverviewInTheUploadedFolder() throws IOException {
        MeasuresConfig measures = packagedMeasures();
        FlightControllerStack stack = Templates.build(GRAFANA);
        Dashboards dashboards = (Dashboards) stack.getNode().findChild("Dashboards");
        List<String> expected = new ArrayList<>();
        expected.add(GrafanaDashboards.OVERVIEW_FILE);
        for (MeasureDefinition d : measures.getMeasures()) {
            expected.add(GrafanaDashboards.measureFile(d.getName()));
        }
        assertThat(expected).hasSize(measures.getMeasures().size() + 1);
        assertThat(dashboards.dashboards().keySet()).containsExactlyElementsOf(expected);

        Path staged = Path.of(((App) stack.getNode().getRoot()).getOutdir())
                .resolve(dashboards.files().getAssetPath());
        try (Stream<Path> files = Files.list(staged)) {
            assertThat(files.map(f -> f.getFileName().toString()).toList())
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
        // the Timestream queries default to the stack's database and table
        assertThat(dashboards.dashboards().get(GrafanaDashboards.OVERVIEW_FILE).toString())
                .contains("grafana-timestream-datasource");
    }

    @Test
    void aLocalMeasuresFileChoosesTheDashboards() throws IOException {
        Path yaml = Files.createTempFile("grafana-measures", ".yaml");
        yaml.toFile().deleteOnExit();
        Files.writeString(
                yaml, "measures:\n" + "  - name: only_lead_time\n    start: a\n    end: b\n    timeout: P1D\n");
        FlightControllerStack stack = Templates.build(
                with(GRAFANA, Map.of("measuresS3Key", "measures/prod.yaml", "grafanaMeasuresFile", yaml.toString())));
        Dashboards dashboards = (Dashboards) stack.getNode().findChild("Dashboards");
        assertThat(dashboards.dashboards().keySet())
                .containsExactly(GrafanaDashboards.OVERVIEW_FILE, GrafanaDashboards.measureFile("only_lead_time"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> provisioning(Template t) {
        Map<String, Map<String, Object>> found = t.findResources(Dashboards.RESOURCE_TYPE);
        assertThat(found).containsOnlyKeys("GrafanaDashboardsProvisioning");
        return found.get("GrafanaDashboardsProvisioning");
    }

    private static String logicalId(Template t, String type, String prefix) {
        List<String> ids = t.findResources(type).keySet().stream()
                .filter(id -> id.startsWith(prefix))
                .toList();
        assertThat(ids).as("%s %s*", type, prefix).hasSize(1);
        return ids.get(0);
    }

    @Test
    void theDashboardsAreProvisionedByACustomResourceOnlyWithTheFlag() {
        for (Map<String, Object> config : List.of(Templates.DEFAULTS, Templates.ALTERNATIVES)) {
            Template t = Templates.of(config);
            assertThat(t.findResources(Dashboards.RESOURCE_TYPE)).isEmpty();
            assertThat(t.findResources("AWS::Lambda::Function")).isEmpty();
        }
        Template t = Templates.of(GRAFANA);
        provisioning(t);
        t.resourceCountIs("AWS::Lambda::Function", 1);
        t.hasResourceProperties(
                "AWS::Lambda::Function",
                Map.of(
                        "Runtime", Dashboards.PROVISIONER_RUNTIME.getName(),
                        "Handler", "index.handler",
                        "Role",
                                Map.of(
                                        "Fn::GetAtt",
                                        List.of(stringLikeRegexp("GrafanaDashboardsProvisionerRole.*"), "Arn")),
                        "LoggingConfig",
                                Map.of(
                                        "LogGroup",
                                        Map.of("Ref", stringLikeRegexp("GrafanaDashboardsProvisionerLogs.*")))));
        // the function may install the Timestream plugin, which Grafana 9+ workspaces may lack
        t.hasResourceProperties("AWS::Grafana::Workspace", Map.of("PluginAdminEnabled", true));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theProvisioningRoleMayOnlyUseTheWorkspaceReadTheDashboardsObjectAndWriteItsLog() {
        Template t = Templates.of(GRAFANA);
        FlightControllerStack stack = Templates.build(GRAFANA);
        String assetKey =
                ((Dashboards) stack.getNode().findChild("Dashboards")).files().getS3ObjectKey();
        String logGroup = logicalId(t, "AWS::Logs::LogGroup", "GrafanaDashboardsProvisionerLogs");
        String role = logicalId(t, "AWS::IAM::Role", "GrafanaDashboardsProvisionerRole");

        Map<String, List<String>> actionsBySid = new HashMap<>();
        Map<String, Object> resourceBySid = new HashMap<>();
        for (Map<String, Object> s : statementsOf(t, "GrafanaDashboardsProvisionerPolicy")) {
            assertThat(s.get("Effect")).isEqualTo("Allow");
            assertThat(s).doesNotContainKeys("NotAction", "NotResource");
            actionsBySid.put(String.valueOf(s.get("Sid")), list(s.get("Action")));
            resourceBySid.put(String.valueOf(s.get("Sid")), s.get("Resource"));
        }
        assertThat(actionsBySid).containsOnlyKeys("ProvisionDashboards", "ReadDashboardFiles", "WriteLogs");
        assertThat(actionsBySid.get("ProvisionDashboards"))
                .containsExactlyInAnyOrder(
                        "grafana:CreateWorkspaceServiceAccount",
                        "grafana:CreateWorkspaceServiceAccountToken",
                        "grafana:DeleteWorkspaceServiceAccount");
        assertThat(actionsBySid.get("ReadDashboardFiles")).containsExactly("s3:GetObject");
        assertThat(actionsBySid.get("WriteLogs"))
                .containsExactlyInAnyOrder("logs:CreateLogStream", "logs:PutLogEvents");
        // arn:PARTITION:grafana:REGION:ACCOUNT:/workspaces/<the workspace's id>
        assertThat(resourceBySid.get("ProvisionDashboards"))
                .isEqualTo(Map.of(
                        "Fn::Join",
                        List.of(
                                "",
                                List.of(
                                        "arn:",
                                        Map.of("Ref", "AWS::Partition"),
                                        ":grafana:",
                                        Map.of("Ref", "AWS::Region"),
                                        ":",
                                        Map.of("Ref", "AWS::AccountId"),
                                        ":/workspaces/",
                                        Map.of("Fn::GetAtt", List.of("GrafanaWorkspace", "Id"))))));
        // arn:PARTITION:s3:::<asset bucket>/<the dashboards zip>, not the bucket's other objects
        assertThat(resourceBySid.get("ReadDashboardFiles"))
                .isEqualTo(Map.of(
                        "Fn::Join",
                        List.of(
                                "",
                                List.of(
                                        "arn:",
                                        Map.of("Ref", "AWS::Partition"),
                                        ":s3:::",
                                        Map.of("Fn::Sub", "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}"),
                                        "/" + assetKey))));
        assertThat(resourceBySid.get("WriteLogs")).isEqualTo(Map.of("Fn::GetAtt", List.of(logGroup, "Arn")));

        // the role: trusted by Lambda, no managed or inline policy besides the one above
        Map<String, Object> roleProps = (Map<String, Object>)
                t.findResources("AWS::IAM::Role").get(role).get("Properties");
        assertThat(roleProps).doesNotContainKeys("ManagedPolicyArns", "Policies");
        assertThat(String.valueOf(roleProps.get("AssumeRolePolicyDocument")))
                .contains("lambda.amazonaws.com")
                .doesNotContain("grafana.amazonaws.com");
        assertThat(t.findResources("AWS::IAM::Policy").values().stream()
                        .filter(p -> String.valueOf(p).contains(role))
                        .count())
                .isEqualTo(1);
        assertThat(IamPolicyTest.violations(IamPolicyTest.statements(t.toJSON())))
                .isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theProvisioningDependsOnTheWorkspaceAndItsPolicyAndReadsTheDashboardsAsset() {
        Template t = Templates.of(GRAFANA);
        Map<String, Object> resource = provisioning(t);
        String policy = logicalId(t, "AWS::IAM::Policy", "GrafanaDashboardsProvisionerPolicy");
        String function = logicalId(t, "AWS::Lambda::Function", "GrafanaDashboardsProvisioner");
        assertThat((List<String>) resource.get("DependsOn")).contains("GrafanaWorkspace", policy);

        Map<String, Object> props = (Map<String, Object>) resource.get("Properties");
        assertThat(props.get("ServiceToken")).isEqualTo(Map.of("Fn::GetAtt", List.of(function, "Arn")));
        assertThat(props.get("WorkspaceId")).isEqualTo(Map.of("Fn::GetAtt", List.of("GrafanaWorkspace", "Id")));
        assertThat(String.valueOf(props.get("GrafanaUrl"))).contains("https://").contains("GrafanaWorkspace, Endpoint");
        // the same asset the GrafanaDashboardsZip output names: its key is the hash of the generated files
        FlightControllerStack stack = Templates.build(GRAFANA);
        Dashboards dashboards = (Dashboards) stack.getNode().findChild("Dashboards");
        assertThat(props.get("DashboardsKey"))
                .isEqualTo(dashboards.files().getS3ObjectKey())
                .isEqualTo(dashboards.files().getAssetHash() + ".zip");
        assertThat(props.get("DashboardsBucket"))
                .isEqualTo(Map.of("Fn::Sub", "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}"));
        assertThat(props.get("TimestreamDatabase")).isEqualTo(Map.of("Ref", "TimestreamDatabase"));
        assertThat(props.get("TimestreamTable")).isEqualTo(Map.of("Fn::GetAtt", List.of("TimestreamTable", "Name")));
        assertThat(props.get("DataSourceName")).isEqualTo(Dashboards.DATA_SOURCE_NAME);
    }

    @Test
    @SuppressWarnings("unchecked")
    void otherMeasuresChangeTheDashboardsKeySoCloudFormationReloadsThem() throws IOException {
        Path yaml = Files.createTempFile("grafana-measures", ".yaml");
        yaml.toFile().deleteOnExit();
        Files.writeString(yaml, "measures:\n  - name: only_lead_time\n    start: a\n    end: b\n    timeout: P1D\n");
        Template other =
                Template.fromStack(Templates.build(with(GRAFANA, Map.of("grafanaMeasuresFile", yaml.toString()))));
        Object otherKey = ((Map<String, Object>) provisioning(other).get("Properties")).get("DashboardsKey");
        Object key = ((Map<String, Object>) provisioning(Templates.of(GRAFANA)).get("Properties")).get("DashboardsKey");
        assertThat(otherKey).isInstanceOf(String.class).isNotEqualTo(key);
    }

    @Test
    @SuppressWarnings("unchecked")
    void withInfluxDbOnlyTheDashboardsAreProvisioned() {
        Template t = Templates.of(with(Templates.EXISTING_SECRET, GRAFANA));
        Map<String, Object> props = (Map<String, Object>) provisioning(t).get("Properties");
        assertThat(props)
                .containsKeys("WorkspaceId", "GrafanaUrl", "DashboardsBucket", "DashboardsKey")
                .doesNotContainKeys("TimestreamDatabase", "TimestreamTable", "DataSourceName");
        Map<String, Object> workspace = Templates.onlyProperties(t, "AWS::Grafana::Workspace");
        assertThat(workspace).doesNotContainKey("PluginAdminEnabled");
    }

    @Test
    void measuresInS3WithoutALocalCopyFailNamingTheKey() {
        assertThatThrownBy(() -> Templates.build(with(GRAFANA, Map.of("measuresS3Key", "measures/prod.yaml"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("context 'grafanaMeasuresFile': ");
        assertThatThrownBy(() -> Templates.build(with(GRAFANA, Map.of("grafanaMeasuresFile", "/no/such.yaml"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("context 'grafanaMeasuresFile': expected a readable measures file, got '/no/such.yaml'");
    }
}
