package io.flightcontroller.infra;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flightcontroller.adapters.grafana.GrafanaDashboards;
import io.flightcontroller.adapters.parse.MeasuresYaml;
import io.flightcontroller.domain.measure.MeasuresConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CustomResource;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.grafana.CfnWorkspace;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.Policy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.logs.CfnLogGroup;
import software.amazon.awscdk.services.logs.LogGroup;
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
 * one per measure, uploaded as one zip asset.
 *
 * <p>CloudFormation has no resource for Grafana dashboards, so a custom resource ({@value #RESOURCE_TYPE}) loads them:
 * a Node.js function ({@value #PROVISIONER_CODE}, {@link #PROVISIONER_RUNTIME} with the AWS SDK v3 it bundles) that
 * on create and update reads the zip, creates a workspace service account (Grafana role ADMIN) and a token living
 * 900 s, with Timestream installs the Timestream plugin if missing (the workspace has plugin administration enabled
 * for it) and creates the data source {@value #DATA_SOURCE_NAME} (the workspace's IAM role) if none has that name,
 * POSTs every dashboard to {@code /api/dashboards/db} with {@code overwrite: true}, and deletes the service account
 * (and with it the token); on delete it does nothing (the dashboards go with the workspace). Its role may do exactly
 * that: {@code grafana:CreateWorkspaceServiceAccount}, {@code CreateWorkspaceServiceAccountToken} and
 * {@code DeleteWorkspaceServiceAccount} on the workspace's ARN, {@code s3:GetObject} on the one asset object, and
 * {@code logs:CreateLogStream} / {@code PutLogEvents} on its own log group (no managed policy). The custom resource
 * depends on the workspace and on that policy; its properties carry the asset's key (a content hash), so changed
 * measures update it and it reloads the dashboards.
 */
final class Dashboards extends StackPart {
    /** Grafana version of the workspace; the generated dashboards need Grafana 10 or later. */
    static final String GRAFANA_VERSION = "10.4";
    /** CloudFormation type of the custom resource that loads the dashboards. */
    static final String RESOURCE_TYPE = "Custom::GrafanaDashboards";
    /** Classpath resource of the provisioning function's code (an ES module exporting {@code handler}). */
    static final String PROVISIONER_CODE = "/grafana-dashboards-provisioner/index.mjs";
    /** Lambda runtime of the provisioning function; Node.js 18 and later bundle the AWS SDK for JavaScript v3. */
    static final Runtime PROVISIONER_RUNTIME = Runtime.NODEJS_22_X;
    /** Name of the Timestream data source the provisioning function creates when missing. */
    static final String DATA_SOURCE_NAME = "Flight Controller Timestream";
    /** IAM actions of the provisioning function on the workspace. */
    static final List<String> PROVISIONER_GRAFANA_ACTIONS = List.of(
            "grafana:CreateWorkspaceServiceAccount",
            "grafana:CreateWorkspaceServiceAccountToken",
            "grafana:DeleteWorkspaceServiceAccount");

    private final Map<String, ObjectNode> dashboards;
    private final Role role;
    private final CfnWorkspace workspace;
    private final Asset files;
    private final Policy provisionerPolicy;
    private final CustomResource provisioning;

    /**
     * @param scope the stack
     * @param id construct id
     * @param settings validated parameters ({@link StackSettings#grafana()} is true)
     * @param storage the Timestream database and table, or neither with InfluxDB
     */
    Dashboards(Construct scope, String id, StackSettings settings, Storage storage) {
        super(scope, id);
        boolean timestream = storage.table() != null;
        dashboards = new GrafanaDashboards(
                        measures(settings),
                        timestream ? GrafanaDashboards.Datasource.TIMESTREAM : GrafanaDashboards.Datasource.INFLUXDB,
                        settings.timestreamDatabase(),
                        settings.timestreamTable())
                .build();

        role = Role.Builder.create(this, "GrafanaWorkspaceRole")
                .description("Amazon Managed Grafana workspace of Flight Controller: reads the metric store")
                .assumedBy(new ServicePrincipal("grafana.amazonaws.com")
                        .withConditions(Map.of("StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID))))
                .build();
        Policy policy = null;
        if (timestream) {
            List<PolicyStatement> statements = new ArrayList<>();
            statements.add(allow(
                    "QueryMetrics",
                    List.of("timestream:Select", "timestream:DescribeTable", "timestream:ListMeasures"),
                    storage.table().getAttrArn()));
            statements.add(allow(
                    "DescribeMetricsDatabase",
                    List.of("timestream:DescribeDatabase"),
                    storage.database().getAttrArn()));
            // Allow-listed: DescribeEndpoints (endpoint discovery of the Timestream SDK) has no resource-level
            // permission.
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
                // Grafana 9+ workspaces may lack the Timestream plugin; the provisioning function installs it
                .pluginAdminEnabled(timestream ? Boolean.TRUE : null)
                .build();
        if (policy != null) {
            workspace.getNode().addDependency(policy);
        }
        files = Asset.Builder.create(this, "GrafanaDashboardFiles")
                .path(write(dashboards).toString())
                .build();

        LogGroup logs = LogGroup.Builder.create(this, "GrafanaDashboardsProvisionerLogs")
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        ((CfnLogGroup) logs.getNode().getDefaultChild()).setRetentionInDays(settings.logRetentionDays());
        Role provisionerRole = Role.Builder.create(this, "GrafanaDashboardsProvisionerRole")
                .description("Loads the generated dashboards into the Flight Controller Grafana workspace")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .build();
        provisionerPolicy = Policy.Builder.create(this, "GrafanaDashboardsProvisionerPolicy")
                .roles(List.of(provisionerRole))
                .statements(List.of(
                        allow("ProvisionDashboards", PROVISIONER_GRAFANA_ACTIONS, workspaceArn()),
                        allow(
                                "ReadDashboardFiles",
                                List.of("s3:GetObject"),
                                files.getBucket().arnForObjects(files.getS3ObjectKey())),
                        allow(
                                "WriteLogs",
                                List.of("logs:CreateLogStream", "logs:PutLogEvents"),
                                logs.getLogGroupArn())))
                .build();
        Function provisioner = Function.Builder.create(this, "GrafanaDashboardsProvisioner")
                .description("Loads the generated Grafana dashboards into the workspace (custom resource)")
                .runtime(PROVISIONER_RUNTIME)
                .handler("index.handler")
                .code(Code.fromAsset(provisionerCode().toString()))
                .role(provisionerRole)
                .logGroup(logs)
                .memorySize(256)
                .timeout(Duration.minutes(5))
                .build();
        provisioner.getNode().addDependency(provisionerPolicy);

        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("WorkspaceId", workspace.getAttrId());
        properties.put("GrafanaUrl", "https://" + workspace.getAttrEndpoint());
        properties.put("DashboardsBucket", files.getS3BucketName());
        properties.put("DashboardsKey", files.getS3ObjectKey());
        properties.put("Region", Aws.REGION);
        if (timestream) {
            properties.put("TimestreamDatabase", storage.database().getRef());
            properties.put("TimestreamTable", storage.table().getAttrName());
            properties.put("DataSourceName", DATA_SOURCE_NAME);
        }
        provisioning = CustomResource.Builder.create(this, "GrafanaDashboardsProvisioning")
                .resourceType(RESOURCE_TYPE)
                .serviceToken(provisioner.getFunctionArn())
                // CloudFormation gives up after this instead of an hour should the function never answer
                .serviceTimeout(Duration.minutes(10))
                .properties(properties)
                .build();
        provisioning.getNode().addDependency(workspace);
        provisioning.getNode().addDependency(provisionerPolicy);
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

    /** @return the policy of the function that loads the dashboards into the workspace */
    Policy provisionerPolicy() {
        return provisionerPolicy;
    }

    /** @return the custom resource that loads the dashboards into the workspace */
    CustomResource provisioning() {
        return provisioning;
    }

    /** The workspace's ARN ({@code arn:aws:grafana:REGION:ACCOUNT:/workspaces/ID}), the resource of its IAM actions. */
    private String workspaceArn() {
        return Stack.of(this)
                .formatArn(ArnComponents.builder()
                        .service("grafana")
                        .resource("/workspaces")
                        .resourceName(workspace.getAttrId())
                        .arnFormat(ArnFormat.SLASH_RESOURCE_NAME)
                        .build());
    }

    /** The provisioning function's code, copied from the classpath into a folder of its own for the code asset. */
    private static Path provisionerCode() {
        try (InputStream in = Dashboards.class.getResourceAsStream(PROVISIONER_CODE)) {
            if (in == null) {
                throw new IllegalStateException("the CDK app's jar lacks the resource " + PROVISIONER_CODE);
            }
            Path dir = Files.createTempDirectory("flight-controller-grafana-provisioner");
            try (OutputStream out = Files.newOutputStream(dir.resolve("index.mjs"))) {
                in.transferTo(out);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("writing the Grafana provisioning function: " + e.getMessage(), e);
        }
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
                try (InputStream in =
                        Dashboards.class.getResourceAsStream(resource.startsWith("/") ? resource : "/" + resource)) {
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
