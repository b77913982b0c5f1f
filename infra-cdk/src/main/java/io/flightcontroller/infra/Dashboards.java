package io.flightcontroller.infra;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flightcontroller.adapters.grafana.GrafanaDashboards;
import io.flightcontroller.adapters.parse.MeasuresYaml;
import io.flightcontroller.domain.MeasuresConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.services.grafana.CfnWorkspace;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.Policy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.s3.assets.Asset;
import software.constructs.Construct;

/**
 * Grafana ({@code -c grafana=true}): an Amazon Managed Grafana workspace that may read the metric store, and the
 * dashboards {@link GrafanaDashboards} generates from the measures file, uploaded as one S3 asset for import.
 *
 * <p>Shape: the workspace ({@code CURRENT_ACCOUNT}, authentication {@code grafanaAuthentication}, Grafana 10.4, the
 * version the dashboards need at least) uses {@code CUSTOMER_MANAGED} permissions: its own role, trusted by
 * {@code grafana.amazonaws.com} for this account only, whose policy with Timestream grants {@code timestream:Select},
 * {@code DescribeTable} and {@code ListMeasures} on the table, {@code DescribeDatabase} on the database and
 * {@code DescribeEndpoints} on {@code *} (the API has no resource-level permission), nothing else. With InfluxDB the
 * role gets no policy: Grafana's InfluxDB data source keeps its token in Grafana and calls InfluxDB over HTTPS, so it
 * needs no AWS permission (not even the token secret, which only the job reads). The dashboards are the overview plus
 * one per measure; CloudFormation cannot create Grafana dashboards, so they are imported with the workspace's HTTP API
 * after the deployment ({@code infra-cdk/README.md}, "Grafana").
 */
final class Dashboards extends StackPart {
    /** Grafana version of the workspace; the generated dashboards need Grafana 10 or later. */
    static final String GRAFANA_VERSION = "10.4";

    private final Map<String, ObjectNode> dashboards;
    private final Role role;
    private final CfnWorkspace workspace;
    private final Asset files;

    /**
     * @param scope the stack
     * @param id construct id
     * @param settings validated parameters ({@link StackSettings#grafana()} is true)
     * @param storage the Timestream database and table, or neither with InfluxDB
     */
    Dashboards(Construct scope, String id, StackSettings settings, Storage storage) {
        super(scope, id);
        boolean timestream = storage.table() != null;
        dashboards = new GrafanaDashboards(measures(settings),
                timestream ? GrafanaDashboards.Datasource.TIMESTREAM : GrafanaDashboards.Datasource.INFLUXDB,
                settings.timestreamDatabase(), settings.timestreamTable()).build();

        role = Role.Builder.create(this, "GrafanaWorkspaceRole")
                .description("Amazon Managed Grafana workspace of Flight Controller: reads the metric store")
                .assumedBy(new ServicePrincipal("grafana.amazonaws.com").withConditions(
                        Map.of("StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID))))
                .build();
        Policy policy = null;
        if (timestream) {
            List<PolicyStatement> statements = new ArrayList<>();
            statements.add(allow("QueryMetrics", List.of("timestream:Select", "timestream:DescribeTable",
                    "timestream:ListMeasures"), storage.table().getAttrArn()));
            statements.add(allow("DescribeMetricsDatabase", List.of("timestream:DescribeDatabase"),
                    storage.database().getAttrArn()));
            // Allow-listed: DescribeEndpoints (endpoint discovery of the Timestream SDK) has no resource-level permission.
            statements.add(allow("DiscoverTimestreamEndpoints", List.of("timestream:DescribeEndpoints"), "*"));
            policy = Policy.Builder.create(this, "GrafanaWorkspacePolicy")
                    .roles(List.of(role))
                    .statements(statements)
                    .build();
        }
        workspace = CfnWorkspace.Builder.create(this, "GrafanaWorkspace")
                .name(settings.appName())
                .description("Flight Controller dashboards (" + settings.appName() + ")")
                .accountAccessType("CURRENT_ACCOUNT")
                .authenticationProviders(List.of(settings.grafanaAuthentication()))
                .permissionType("CUSTOMER_MANAGED")
                .roleArn(role.getRoleArn())
                .dataSources(timestream ? List.of("TIMESTREAM") : List.of())
                .grafanaVersion(GRAFANA_VERSION)
                .build();
        if (policy != null) {
            workspace.getNode().addDependency(policy);
        }
        files = Asset.Builder.create(this, "GrafanaDashboardFiles").path(write(dashboards).toString()).build();
    }

    /** @return file name -&gt; dashboard model: the overview first, then one per measure */
    Map<String, ObjectNode> dashboards() {
        return dashboards;
    }

    /** @return the workspace's role */
    Role role() {
        return role;
    }

    /** @return the workspace */
    CfnWorkspace workspace() {
        return workspace;
    }

    /** @return the dashboard files, one zip asset of the folder */
    Asset files() {
        return files;
    }

    /**
     * The measures the job reads: {@code grafanaMeasuresFile} when set, else {@code measuresLocation} when it is the
     * bundled resource ({@code classpath:}) or a local file. The stack cannot read S3 at synthesis, so with
     * {@code measuresS3Key} or an {@code s3://} location {@code grafanaMeasuresFile} must name a local copy.
     */
    static MeasuresConfig measures(StackSettings settings) {
        String file = settings.grafanaMeasuresFile();
        String location = settings.measuresLocation();
        try {
            if (file != null) {
                Path path = Path.of(file);
                if (!Files.isRegularFile(path)) {
                    throw new IllegalArgumentException("context '" + StackSettings.KEY_GRAFANA_MEASURES_FILE
                            + "': expected a readable measures file, got '" + file + "'");
                }
                return MeasuresYaml.read(path);
            }
            if (settings.measuresS3Key() != null || location.startsWith("s3://")) {
                throw new IllegalArgumentException("context '" + StackSettings.KEY_GRAFANA_MEASURES_FILE
                        + "': expected a local copy of the measures file when the job reads them from S3 (the "
                        + "dashboards are generated at synthesis), got 'null'");
            }
            if (location.startsWith("classpath:")) {
                String resource = location.substring("classpath:".length());
                try (InputStream in = Dashboards.class.getResourceAsStream(
                        resource.startsWith("/") ? resource : "/" + resource)) {
                    if (in == null) {
                        throw new IllegalArgumentException("context '" + StackSettings.KEY_MEASURES_LOCATION
                                + "': no such resource in the job jar, got '" + location + "'");
                    }
                    return MeasuresYaml.read(in, location);
                }
            }
            return MeasuresYaml.read(Path.of(location));
        } catch (IOException e) {
            throw new UncheckedIOException("reading the measures for the Grafana dashboards: " + e.getMessage(), e);
        }
    }

    private static Path write(Map<String, ObjectNode> dashboards) {
        try {
            Path dir = Files.createTempDirectory("flight-controller-grafana");
            for (Map.Entry<String, ObjectNode> e : dashboards.entrySet()) {
                Files.writeString(dir.resolve(e.getKey()), e.getValue().toPrettyString());
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("writing the Grafana dashboards: " + e.getMessage(), e);
        }
    }

    private static PolicyStatement allow(String sid, List<String> actions, String resource) {
        return PolicyStatement.Builder.create()
                .sid(sid)
                .effect(Effect.ALLOW)
                .actions(actions)
                .resources(List.of(resource))
                .build();
    }
}
