package io.flightcontroller.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.AlarmStatusWidget;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.kinesis.Stream;
import software.amazon.awscdk.services.logs.CfnLogGroup;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.LogStream;
import software.amazon.awscdk.services.sns.Topic;
import software.constructs.Construct;

/**
 * Monitoring: the application's CloudWatch log group and log stream, seven alarms wired to the alert topic (alarm and
 * OK), and a dashboard.
 *
 * <p>Shape: alarms fire above their threshold for all of their evaluation periods, missing data counts as not
 * breaching: downtime &gt; 0 (1 min); rate of the restart counter and of {@code numberOfFailedCheckpoints} &gt; 0
 * (5 min; the restart counter is {@code fullRestarts} on Flink 1.x and {@code numRestarts} on 2.x, where Managed Flink
 * removed {@code fullRestarts}); {@code millisBehindLatest} above {@code millisBehindLatestThresholdMs} for 5 of 5 minutes; the job's
 * dead-letter counter {@code deadLetterMetricName} &gt; 0 (sum over 5 min); SNS notifications failed &gt; 0 and
 * messages in the delivery dead-letter queue &gt; 0 (5 min). Managed Flink metrics are in {@link #MSF_NAMESPACE} with
 * the dimension {@code Application = appName}.
 */
final class Monitoring extends StackPart {
    /** CloudWatch namespace of Managed Flink metrics (also of custom metrics the job registers). */
    static final String MSF_NAMESPACE = "AWS/KinesisAnalytics";
    /** Name of the application's CloudWatch log stream. */
    static final String LOG_STREAM_NAME = "application";

    private final StackSettings settings;
    private final String restarts;
    private final LogGroup logGroup;
    private final LogStream logStream;
    private final String logGroupArn;
    private final String logStreamArn;
    private final List<IAlarm> alarms = new ArrayList<>();

    /**
     * @param scope the stack
     * @param id construct id
     * @param settings validated parameters
     * @param ingestion the stream, rule and delivery dead-letter queue to watch
     * @param alerting the topic the alarms notify
     */
    Monitoring(Construct scope, String id, StackSettings settings, Ingestion ingestion, Alerting alerting) {
        super(scope, id);
        this.settings = settings;
        // AWS, "Metrics and dimensions in Managed Service for Apache Flink": Flink 2.2 removed fullRestarts.
        restarts = settings.flink1() ? "fullRestarts" : "numRestarts";
        logGroup = LogGroup.Builder.create(this, "ApplicationLogGroup")
                .logGroupName("/aws/kinesis-analytics/" + settings.appName())
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        ((CfnLogGroup) logGroup.getNode().getDefaultChild()).setRetentionInDays(settings.logRetentionDays());
        logStream = LogStream.Builder.create(this, "ApplicationLogStream")
                .logGroup(logGroup)
                .logStreamName(LOG_STREAM_NAME)
                .build();
        logGroupArn = logsArn(this, logGroup.getLogGroupName());
        logStreamArn = logGroupArn + ":log-stream:" + LOG_STREAM_NAME;

        Topic topic = alerting.topic();
        SnsAction toTopic = new SnsAction(topic);
        alarm(
                "DowntimeAlarm",
                "Application is down (downtime > 0): it is not processing events",
                appMetric("downtime", "Maximum", 1),
                0,
                1,
                TreatMissingData.NOT_BREACHING,
                toTopic);
        alarm(
                "RestartsAlarm",
                "Application restarted (rate of " + restarts + " > 0)",
                rate("restarts", appMetric(restarts, "Maximum", 5)),
                0,
                1,
                TreatMissingData.NOT_BREACHING,
                toTopic);
        alarm(
                "CheckpointFailuresAlarm",
                "Checkpoints are failing (rate of numberOfFailedCheckpoints > 0)",
                rate("failed", appMetric("numberOfFailedCheckpoints", "Maximum", 5)),
                0,
                1,
                TreatMissingData.NOT_BREACHING,
                toTopic);
        alarm(
                "SourceLagAlarm",
                "The Kinesis source is more than " + settings.millisBehindLatestThresholdMs()
                        + " ms behind the stream's tip (millisBehindLatest) for 5 minutes",
                appMetric("millisBehindLatest", "Maximum", 1),
                settings.millisBehindLatestThresholdMs(),
                5,
                TreatMissingData.NOT_BREACHING,
                toTopic);
        alarm(
                "DeadLettersAlarm",
                "The job dead-lettered records (" + settings.deadLetterMetricName() + " > 0)",
                appMetric(settings.deadLetterMetricName(), "Sum", 5),
                0,
                1,
                TreatMissingData.NOT_BREACHING,
                toTopic);
        alarm(
                "AlertDeliveryFailuresAlarm",
                "SNS failed to deliver alerts to subscribers",
                topic.metricNumberOfNotificationsFailed(MetricOptions.builder()
                        .statistic("Sum")
                        .period(Duration.minutes(5))
                        .build()),
                0,
                1,
                TreatMissingData.NOT_BREACHING,
                toTopic);
        alarm(
                "EventDeliveryFailuresAlarm",
                "EventBridge could not put events into the stream (dead-letter queue)",
                ingestion
                        .deliveryDeadLetters()
                        .metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                                .statistic("Maximum")
                                .period(Duration.minutes(5))
                                .build()),
                0,
                1,
                TreatMissingData.NOT_BREACHING,
                toTopic);
        dashboard(ingestion.stream(), ingestion.rule(), topic);
    }

    /** @return the application's log group */
    LogGroup logGroup() {
        return logGroup;
    }

    /** @return the application's log stream */
    LogStream logStream() {
        return logStream;
    }

    /** @return ARN of the log group (without the {@code :*} suffix) */
    String logGroupArn() {
        return logGroupArn;
    }

    /** @return ARN of the log stream the application writes to */
    String logStreamArn() {
        return logStreamArn;
    }

    /**
     * @param scope any construct of the stack
     * @param logGroupName a log group name, or {@code *}
     * @return the ARN of that log group in the stack's account and region
     */
    static String logsArn(Construct scope, String logGroupName) {
        return Stack.of(scope)
                .formatArn(ArnComponents.builder()
                        .service("logs")
                        .resource("log-group")
                        .resourceName(logGroupName)
                        .arnFormat(ArnFormat.COLON_RESOURCE_NAME)
                        .build());
    }

    private Metric appMetric(String name, String statistic, int periodMinutes) {
        return Metric.Builder.create()
                .namespace(MSF_NAMESPACE)
                .metricName(name)
                .dimensionsMap(Map.of("Application", settings.appName()))
                .statistic(statistic)
                .period(Duration.minutes(periodMinutes))
                .build();
    }

    private static MathExpression rate(String label, Metric counter) {
        return MathExpression.Builder.create()
                .expression("RATE(m1)")
                .usingMetrics(Map.of("m1", counter))
                .label(label)
                .period(counter.getPeriod())
                .build();
    }

    private void alarm(
            String id,
            String description,
            IMetric metric,
            double threshold,
            int evaluationPeriods,
            TreatMissingData missing,
            SnsAction action) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .alarmName(settings.appName() + "-" + id)
                .alarmDescription(description)
                .metric(metric)
                .threshold(threshold)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .evaluationPeriods(evaluationPeriods)
                .datapointsToAlarm(evaluationPeriods)
                .treatMissingData(missing)
                .build();
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
        alarms.add(alarm);
    }

    private void dashboard(Stream stream, Rule rule, Topic topic) {
        List<IWidget> health = List.of(
                graph(
                        "Uptime and downtime (ms)",
                        List.of(appMetric("uptime", "Maximum", 1), appMetric("downtime", "Maximum", 1))),
                graph("Restarts", List.of(appMetric(restarts, "Maximum", 1))),
                graph(
                        "Checkpoints",
                        List.of(
                                appMetric("lastCheckpointDuration", "Maximum", 1),
                                appMetric("numberOfFailedCheckpoints", "Maximum", 1))));
        List<IWidget> flow = List.of(
                graph(
                        "Events matched by the rule / put into the stream",
                        List.of(
                                Metric.Builder.create()
                                        .namespace("AWS/Events")
                                        .metricName("MatchedEvents")
                                        .dimensionsMap(Map.of("RuleName", rule.getRuleName()))
                                        .statistic("Sum")
                                        .period(Duration.minutes(1))
                                        .build(),
                                stream.metricIncomingRecords(MetricOptions.builder()
                                        .statistic("Sum")
                                        .period(Duration.minutes(1))
                                        .build()))),
                graph("Source lag: millisBehindLatest", List.of(appMetric("millisBehindLatest", "Maximum", 1))),
                graph(
                        "Records in / out per second",
                        List.of(
                                appMetric("numRecordsInPerSecond", "Average", 1),
                                appMetric("numRecordsOutPerSecond", "Average", 1))));
        List<IWidget> results = List.of(
                graph("Dead letters", List.of(appMetric(settings.deadLetterMetricName(), "Sum", 1))),
                graph(
                        "Alerts published / failed deliveries",
                        List.of(topic.metricNumberOfMessagesPublished(), topic.metricNumberOfNotificationsFailed())),
                graph(
                        "Resources: KPUs, CPU %, heap %",
                        List.of(
                                appMetric("KPUs", "Maximum", 1),
                                appMetric("cpuUtilization", "Average", 1),
                                appMetric("heapMemoryUtilization", "Average", 1))));
        Dashboard.Builder.create(this, "Dashboard")
                .dashboardName(settings.appName())
                .widgets(List.of(
                        List.of(TextWidget.Builder.create()
                                .markdown("# Flight Controller: " + settings.appName()
                                        + "\nEventBridge -> Kinesis -> Managed Flink -> metrics and SNS alerts")
                                .width(24)
                                .height(2)
                                .build()),
                        List.of(AlarmStatusWidget.Builder.create()
                                .title("Alarms")
                                .alarms(alarms)
                                .width(24)
                                .build()),
                        health,
                        flow,
                        results))
                .build();
    }

    private static GraphWidget graph(String title, List<? extends IMetric> metrics) {
        return GraphWidget.Builder.create()
                .title(title)
                .left(metrics)
                .width(8)
                .height(6)
                .build();
    }
}
