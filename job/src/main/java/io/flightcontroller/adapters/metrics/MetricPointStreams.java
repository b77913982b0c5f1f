package io.flightcontroller.adapters.metrics;

import io.flightcontroller.domain.event.DeadLetter;
import io.flightcontroller.domain.measure.MeasuresConfig;
import io.flightcontroller.domain.result.Alert;
import io.flightcontroller.domain.result.ErrorBudget;
import io.flightcontroller.domain.result.Measurement;
import io.flightcontroller.domain.result.OpenCase;
import io.flightcontroller.domain.result.WindowAggregate;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Turns the topology's outputs (measurements and aggregates, or with {@link #all} also error budgets, alerts, open cases and dead letters) into one stream of {@link MetricPoint}s for the Timestream and
 * InfluxDB sinks ({@link MetricPoints}). Each point's version is the wall-clock time in ms at mapping, so a replay or
 * a restart from a checkpoint re-maps records with a higher version and Timestream upserts them (see
 * {@code TimestreamSink} for the trade-off).
 */
public final class MetricPointStreams {
    private MetricPointStreams() {}

    /**
     * @param measurements the topology's measurements
     * @param aggregates the topology's window aggregates
     * @param measures the job's measures (for each measure's process)
     * @param uidPrefix prefix of the two map operators' uids and names, e.g. {@code timestream}
     * @return measurements and aggregates as points, in one stream
     */
    public static DataStream<MetricPoint> of(
            DataStream<Measurement> measurements,
            DataStream<WindowAggregate> aggregates,
            MeasuresConfig measures,
            String uidPrefix) {
        MetricPoints points = MetricPoints.of(measures);
        DataStream<MetricPoint> fromMeasurements = measurements
                .map(new FromMeasurement(points))
                .returns(MetricPointSerializer.TYPE)
                .name(uidPrefix + " points from measurements")
                .uid(uidPrefix + "-points-measurements");
        DataStream<MetricPoint> fromAggregates = aggregates
                .map(new FromAggregate(points))
                .returns(MetricPointSerializer.TYPE)
                .name(uidPrefix + " points from aggregates")
                .uid(uidPrefix + "-points-aggregates");
        return fromMeasurements.union(fromAggregates);
    }

    /**
     * Every output the dashboards read, as points: measurements, window aggregates, error budgets, alerts, open cases
     * and dead letters (see {@link MetricPoints} and {@link MetricNames}).
     *
     * @param measurements leads, counts and values
     * @param aggregates window aggregates
     * @param errorBudgets error budget snapshots
     * @param alerts alerts
     * @param openCases open cases at end of input
     * @param deadLetters dead letters
     * @param measures the job's measures (for each measure's process)
     * @param uidPrefix prefix of the map operators' uids and names, e.g. {@code timestream}
     * @return all outputs as points, in one stream
     */
    public static DataStream<MetricPoint> all(
            DataStream<Measurement> measurements,
            DataStream<WindowAggregate> aggregates,
            DataStream<ErrorBudget> errorBudgets,
            DataStream<Alert> alerts,
            DataStream<OpenCase> openCases,
            DataStream<DeadLetter> deadLetters,
            MeasuresConfig measures,
            String uidPrefix) {
        MetricPoints points = MetricPoints.of(measures);
        DataStream<MetricPoint> budgets = errorBudgets
                .map(b -> points.fromErrorBudget(b, versionNow()))
                .returns(MetricPointSerializer.TYPE)
                .name(uidPrefix + " points from error budgets")
                .uid(uidPrefix + "-points-error-budgets");
        DataStream<MetricPoint> alertPoints = alerts.map(a -> points.fromAlert(a, versionNow()))
                .returns(MetricPointSerializer.TYPE)
                .name(uidPrefix + " points from alerts")
                .uid(uidPrefix + "-points-alerts");
        DataStream<MetricPoint> openCasePoints = openCases
                .map(o -> points.fromOpenCase(o, versionNow()))
                .returns(MetricPointSerializer.TYPE)
                .name(uidPrefix + " points from open cases")
                .uid(uidPrefix + "-points-open-cases");
        DataStream<MetricPoint> deadLetterPoints = deadLetters
                .map(d -> points.fromDeadLetter(d, System.currentTimeMillis(), versionNow()))
                .returns(MetricPointSerializer.TYPE)
                .name(uidPrefix + " points from dead letters")
                .uid(uidPrefix + "-points-dead-letters");
        return of(measurements, aggregates, measures, uidPrefix)
                .union(budgets, alertPoints, openCasePoints, deadLetterPoints);
    }

    /** Wall-clock ms, at least 1 (a valid Timestream version). */
    static long versionNow() {
        return Math.max(1L, System.currentTimeMillis());
    }

    private static final class FromMeasurement implements MapFunction<Measurement, MetricPoint> {
        private static final long serialVersionUID = 1L;
        private final MetricPoints points;

        FromMeasurement(MetricPoints points) {
            this.points = points;
        }

        @Override
        public MetricPoint map(Measurement m) {
            return points.fromMeasurement(m, versionNow());
        }
    }

    private static final class FromAggregate implements MapFunction<WindowAggregate, MetricPoint> {
        private static final long serialVersionUID = 1L;
        private final MetricPoints points;

        FromAggregate(MetricPoints points) {
            this.points = points;
        }

        @Override
        public MetricPoint map(WindowAggregate a) {
            return points.fromAggregate(a, versionNow());
        }
    }
}
