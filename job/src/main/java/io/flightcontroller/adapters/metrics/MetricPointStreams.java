package io.flightcontroller.adapters.metrics;

import io.flightcontroller.domain.MeasuresConfig;
import io.flightcontroller.domain.Measurement;
import io.flightcontroller.domain.WindowAggregate;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Turns the topology's measurements and aggregates into one stream of {@link MetricPoint}s for the Timestream and
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
    public static DataStream<MetricPoint> of(DataStream<Measurement> measurements,
            DataStream<WindowAggregate> aggregates, MeasuresConfig measures, String uidPrefix) {
        MetricPoints points = MetricPoints.of(measures);
        DataStream<MetricPoint> fromMeasurements = measurements.map(new FromMeasurement(points))
                .name(uidPrefix + " points from measurements").uid(uidPrefix + "-points-measurements");
        DataStream<MetricPoint> fromAggregates = aggregates.map(new FromAggregate(points))
                .name(uidPrefix + " points from aggregates").uid(uidPrefix + "-points-aggregates");
        return fromMeasurements.union(fromAggregates);
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
