package io.flightcontroller.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.adapters.eventlog.EventLogConverter;
import io.flightcontroller.adapters.eventlog.EventLogOptions;
import io.flightcontroller.adapters.file.JsonLinesFormat;
import io.flightcontroller.adapters.parse.EventParser;
import io.flightcontroller.adapters.parse.MeasuresYaml;
import io.flightcontroller.domain.event.ParsedRecord;
import io.flightcontroller.domain.event.ProcessEvent;
import io.flightcontroller.pipeline.PipelineOptions;
import io.flightcontroller.serialization.DomainSerializers;
import io.flightcontroller.testing.SharedData;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flink CEP as the reference for the matcher: the same real logs through a flink-cep pattern ("start followed by end",
 * relaxed contiguity, event time, skip past the last event, first match per case) and through Flight Controller's
 * state machine give the same lead for every case. (Which kinds run on CEP and why: README, "Design notes".)
 */
class CepReferenceTest {
    @TempDir
    Path dir;

    /** Leads by case from flink-cep: the first match of each case (the earliest start). */
    static Map<String, Long> cepLeads(Path events, String start, String end) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        FileSource<ParsedRecord> src = FileSource.forRecordStreamFormat(
                        new JsonLinesFormat(new EventParser()), new org.apache.flink.core.fs.Path(events.toUri()))
                .build();
        DataStream<ProcessEvent> in = env.fromSource(
                        src,
                        WatermarkStrategy.<ParsedRecord>forMonotonousTimestamps()
                                .withTimestampAssigner((r, t) -> r.eventTimeOrMin()),
                        "events")
                .setParallelism(1)
                .filter(ParsedRecord::isEvent)
                .setParallelism(1)
                .map(ParsedRecord::getEvent)
                .returns(DomainSerializers.PROCESS_EVENT)
                .setParallelism(1);
        Pattern<ProcessEvent, ProcessEvent> pattern = Pattern.<ProcessEvent>begin(
                        "start", AfterMatchSkipStrategy.skipPastLastEvent())
                .where(SimpleCondition.of(e -> start.equals(e.getEventType())))
                .followedBy("end")
                .where(SimpleCondition.of(e -> end.equals(e.getEventType())));
        org.apache.flink.util.CloseableIterator<Tuple3<String, Long, Long>> matches = CEP.pattern(
                        in.keyBy(ProcessEvent::getCorrelationId), pattern)
                .inEventTime()
                .process(new PatternProcessFunction<ProcessEvent, Tuple3<String, Long, Long>>() {
                    @Override
                    public void processMatch(
                            Map<String, List<ProcessEvent>> match,
                            Context ctx,
                            Collector<Tuple3<String, Long, Long>> out) {
                        ProcessEvent s = match.get("start").get(0);
                        out.collect(Tuple3.of(
                                s.getCorrelationId(),
                                s.getTimeMs(),
                                match.get("end").get(0).getTimeMs()));
                    }
                })
                .executeAndCollect("flink-cep reference");
        Map<String, Tuple3<String, Long, Long>> first = new HashMap<>();
        try {
            while (matches.hasNext()) {
                Tuple3<String, Long, Long> m = matches.next();
                first.merge(m.f0, m, (a, b) -> a.f1 <= b.f1 ? a : b);
            }
        } finally {
            matches.close();
        }
        Map<String, Long> leads = new HashMap<>();
        first.forEach((k, m) -> leads.put(k, m.f2 - m.f1));
        return leads;
    }

    Map<String, Long> flightControllerLeads(Path events, String start, String end) throws Exception {
        LocalRun.Settings s = new LocalRun.Settings();
        s.measures = MeasuresYaml.parse("measures:\n  - name: m\n    start: " + start + "\n    end: " + end + "\n");
        s.inputs.add(events);
        s.jdbcUrl = "jdbc:sqlite:" + dir.resolve("results.db");
        s.pipeline = PipelineOptions.builder(s.measures).caseRetention(Duration.ofDays(3650));
        s.progress = false;
        LocalRun.run(s, null);
        Map<String, Long> leads = new HashMap<>();
        try (Connection c = DriverManager.getConnection(s.jdbcUrl);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT case_key, duration_ms FROM lead_times WHERE measure = 'm'")) {
            while (rs.next()) {
                leads.put(rs.getString(1), rs.getLong(2));
            }
        }
        return leads;
    }

    @Test
    void bpic2013_sameLeadForEveryCaseAsFlinkCep() throws Exception {
        Path events = dir.resolve("bpic.jsonl");
        EventLogConverter.convert(
                SharedData.path("bpic2013_incidents_volvo_ibm.csv.gz"),
                events,
                EventLogOptions.builder()
                        .caseColumn("SR Number")
                        .activityColumn("Activity")
                        .timeColumn("Change Date+Time")
                        .build());
        Map<String, Long> cep = cepLeads(events, "Queued-Awaiting Assignment", "Accepted-In Progress");
        Map<String, Long> fc = flightControllerLeads(events, "Queued-Awaiting Assignment", "Accepted-In Progress");
        assertThat(cep).hasSize(4487);
        assertThat(fc.equals(cep))
                .as("same lead per case (%d vs %d cases)", fc.size(), cep.size())
                .isTrue();
    }

    @Test
    void sepsis_sameLeadForEveryCaseAsFlinkCep() throws Exception {
        Path events = dir.resolve("sepsis.jsonl");
        EventLogConverter.convert(
                SharedData.path("sepsis_cases_eventdataR.csv"),
                events,
                EventLogOptions.builder()
                        .delimiter(';')
                        .caseColumn("Case ID")
                        .activityColumn("Activity")
                        .timeColumn("Complete Timestamp")
                        .build());
        Map<String, Long> cep = cepLeads(events, "ER Registration", "IV Antibiotics");
        Map<String, Long> fc = flightControllerLeads(events, "ER Registration", "IV Antibiotics");
        assertThat(cep).hasSize(821);
        assertThat(fc.equals(cep))
                .as("same lead per case (%d vs %d cases)", fc.size(), cep.size())
                .isTrue();
    }
}
