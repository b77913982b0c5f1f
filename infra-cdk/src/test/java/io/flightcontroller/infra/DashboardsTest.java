package io.flightcontroller.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static software.amazon.awscdk.assertions.Match.stringLikeRegexp;

import io.flightcontroller.adapters.grafana.GrafanaDashboards;
import io.flightcontroller.adapters.parse.MeasuresYaml;
import io.flightcontroller.domain.MeasureDefinition;
import io.flightcontroller.domain.MeasuresConfig;
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
        Map<String, Object> props = (Map<String, Object>) template.findResources("AWS::IAM::Policy").entrySet()
                .stream().filter(e -> e.getKey().startsWith(logicalIdPrefix))
                .map(e -> e.getValue().get("Properties")).findFirst().orElseThrow();
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
        assertThat(Templates.of(Templates.DEFAULTS).findResources("AWS::Grafana::Workspace")).isEmpty();
        assertThat(Templates.of(Templates.ALTERNATIVES).findResources("AWS::Grafana::Workspace")).isEmpty();
        assertThat(Templates.of(Templates.DEFAULTS).toJSON().toString()).doesNotContain("grafana");

        Template t = Templates.of(GRAFANA);
        t.resourceCountIs("AWS::Grafana::Workspace", 1);
        t.hasResourceProperties("AWS::Grafana::Workspace", Map.of(
                "AccountAccessType", "CURRENT_ACCOUNT",
                "AuthenticationProviders", List.of("AWS_SSO"),
                "PermissionType", "CUSTOMER_MANAGED",
                "DataSources", List.of("TIMESTREAM"),
                "GrafanaVersion", Dashboards.GRAFANA_VERSION,
                "RoleArn", Map.of("Fn::GetAtt", List.of(stringLikeRegexp("GrafanaWorkspaceRole.*"), "Arn"))));
        t.hasResourceProperties("AWS::IAM::Role", Map.of("AssumeRolePolicyDocument", Map.of("Statement", List.of(
                Map.of("Action", "sts:AssumeRole", "Effect", "Allow",
                        "Principal", Map.of("Service", "grafana.amazonaws.com"),
                        "Condition", Map.of("StringEquals", Map.of("aws:SourceAccount",
                                Map.of("Ref", "AWS::AccountId"))))))));
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
        assertThat(actionsBySid).containsOnlyKeys("QueryMetrics", "DescribeMetricsDatabase",
                "DiscoverTimestreamEndpoints");
        assertThat(actionsBySid.get("QueryMetrics"))
                .containsExactlyInAnyOrder("timestream:Select", "timestream:DescribeTable", "timestream:ListMeasures");
        assertThat(resourceBySid.get("QueryMetrics")).contains("TimestreamTable").contains("Arn");
        assertThat(actionsBySid.get("DescribeMetricsDatabase")).containsExactly("timestream:DescribeDatabase");
        assertThat(resourceBySid.get("DescribeMetricsDatabase")).contains("TimestreamDatabase").contains("Arn");
        assertThat(actionsBySid.get("DiscoverTimestreamEndpoints")).containsExactly("timestream:DescribeEndpoints");
        assertThat(resourceBySid.get("DiscoverTimestreamEndpoints")).isEqualTo("*");
        // and the whole template still passes the wildcard audit
        assertThat(IamPolicyTest.violations(IamPolicyTest.statements(t.toJSON()))).isEmpty();
    }

    @Test
    void withInfluxDbTheWorkspaceRoleHasNoPolicyAndNoAwsDataSource() {
        Template t = Templates.of(with(Templates.EXISTING_SECRET, GRAFANA));
        t.resourceCountIs("AWS::Grafana::Workspace", 1);
        t.hasResourceProperties("AWS::Grafana::Workspace", Map.of("DataSources", List.of()));
        assertThat(t.findResources("AWS::IAM::Policy").keySet()).noneMatch(id -> id.startsWith("GrafanaWorkspace"));
        assertThat(IamPolicyTest.violations(IamPolicyTest.statements(t.toJSON()))).isEmpty();
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
        Files.writeString(yaml, "measures:\n"
                + "  - name: only_lead_time\n    start: a\n    end: b\n    timeout: P1D\n");
        FlightControllerStack stack = Templates.build(with(GRAFANA, Map.of(
                "measuresS3Key", "measures/prod.yaml", "grafanaMeasuresFile", yaml.toString())));
        Dashboards dashboards = (Dashboards) stack.getNode().findChild("Dashboards");
        assertThat(dashboards.dashboards().keySet()).containsExactly(GrafanaDashboards.OVERVIEW_FILE,
                GrafanaDashboards.measureFile("only_lead_time"));
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
