package io.flightcontroller.pipeline;

import static io.flightcontroller.pipeline.SequenceOperatorTest.H;
import static io.flightcontroller.pipeline.SequenceOperatorTest.MIN;
import static io.flightcontroller.pipeline.SequenceOperatorTest.PROJECT;
import static io.flightcontroller.pipeline.SequenceOperatorTest.T;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.StateBackendLoader;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A sequence measure's open cases survive an upgrade of its state layout. Snapshots written by the two earlier layouts
 * are committed under {@code src/test/resources/snapshots/}, one per layout and backend:
 * <ul>
 *   <li>{@code cep-map-states}: before {@code CepPointLookups}, flink-cep's own map states (its event queue and shared
 *       buffer, one RocksDB entry per map entry), its NFA state and the case, written by {@code 39b4258};
 *   <li>{@code three-values}: CEP's four maps in one value per key, beside CEP's NFA state and the case (three entries
 *       per key), written by {@code 092774f}.
 * </ul>
 * Each restores into today's operator, which moves each key's state into its one value (case, NFA state and maps). The
 * cases then finish exactly as in a run that was never stopped. Regenerate a fixture only with the code of its layout:
 * {@code mvn -pl job test -Dtest=SequenceStateUpgradeTest -Dfc.sequence.snapshot.regenerate=LAYOUT}.
 */
class SequenceStateUpgradeTest {

    /** Before the snapshot: cases in every state CEP keeps something for. */
    static void partA(SequenceHarness s) throws Exception {
        s.send("assigned", "project_requested", T); // partial match at step 2 (its hop row written)
        s.send("assigned", "project_assigned", T + 20 * MIN);
        s.send("requested", "project_requested", T + 5 * MIN); // partial match at step 1
        s.send("done", "project_requested", T); // complete before the snapshot (the case marker is kept)
        s.send("done", "project_assigned", T + 10 * MIN);
        s.send("done", "project_created", T + 30 * MIN);
        s.watermark(T + 40 * MIN);
        // events CEP queues until the watermark reaches them
        s.send("queued", "project_requested", T + 50 * MIN);
        s.send("queued", "project_assigned", T + 55 * MIN);
    }

    /** After the restore. */
    static void partB(SequenceHarness s) throws Exception {
        s.send("assigned", "project_created", T + 2 * H);
        s.send("requested", "project_assigned", T + 45 * MIN);
        s.send("requested", "project_created", T + 3 * H);
        s.send("queued", "project_created", T + 90 * MIN);
        s.send("done", "project_requested", T + H); // a repeat: starts nothing
        s.watermark(T + 4 * H);
        s.send("late_opened", "project_requested", T + 5 * H); // never finishes: times out
        s.watermark(T + 20 * H);
    }

    static Path fixture(String layout, String backend) {
        return Paths.get("src/test/resources/snapshots/sequence-" + layout + "-" + backend + ".snapshot");
    }

    static StateBackend backend(String name) {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, name);
        conf.setString("execution.checkpointing.incremental", "false");
        try {
            return StateBackendLoader.loadStateBackendFromConfig(
                    conf, SequenceStateUpgradeTest.class.getClassLoader(), null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the keys with an entry in the state {@code state}, as stored (on RocksDB: written) */
    static List<String> keysWith(SequenceHarness s, String state) {
        org.apache.flink.runtime.state.KeyedStateBackend<Object> backend =
                s.h.getOperator() instanceof org.apache.flink.streaming.api.operators.AbstractStreamOperator
                        ? ((org.apache.flink.streaming.api.operators.AbstractStreamOperator<?>) s.h.getOperator())
                                .getKeyedStateBackend()
                        : null;
        try (java.util.stream.Stream<Object> keys =
                backend.getKeys(state, org.apache.flink.runtime.state.VoidNamespace.INSTANCE)) {
            return keys.map(Object::toString).sorted().collect(Collectors.toList());
        }
    }

    static List<String> results(SequenceHarness s) {
        List<String> r = new ArrayList<>(s.rowKeys());
        r.addAll(s.alerts().stream()
                .map(a -> "alert|" + a.getCaseKey() + "|" + a.getMissingStep() + "|" + a.getDeadlineMs())
                .collect(Collectors.toList()));
        return r;
    }

    /** @return what part B adds in a run that reads A then B without stopping */
    static List<String> resultsOfPartB(String backend) throws Exception {
        try (SequenceHarness whole = new SequenceHarness(PROJECT, 30L * 24 * H, null, backend(backend), null)) {
            partA(whole);
            List<String> referenceA = results(whole);
            partB(whole);
            List<String> afterA = new ArrayList<>(results(whole));
            referenceA.forEach(afterA::remove);
            return afterA;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void aSnapshotOfTodaysLayoutHoldsEveryChange_theCasesFinishAsIfTheJobHadNeverStopped(String backend)
            throws Exception {
        List<String> afterA = resultsOfPartB(backend);

        OperatorSubtaskState state;
        try (SequenceHarness a = new SequenceHarness(PROJECT, 30L * 24 * H, null, backend(backend), null)) {
            partA(a); // ends with events of one key: on RocksDB its changes to CEP's maps are kept until the snapshot
            state = a.h.snapshot(1, 1);
        }
        try (SequenceHarness b = new SequenceHarness(PROJECT, 30L * 24 * H, null, backend(backend), state)) {
            partB(b);
            assertThat(results(b)).containsExactlyInAnyOrderElementsOf(afterA);
        }
    }

    @ParameterizedTest
    @CsvSource({"cep-map-states, hashmap", "cep-map-states, rocksdb", "three-values, hashmap", "three-values, rocksdb"})
    void openSequencesInASnapshotOfAnEarlierLayoutFinishAsIfTheJobHadNeverStopped(String layout, String backend)
            throws Exception {
        Path fixture = fixture(layout, backend);
        if (layout.equals(System.getProperty("fc.sequence.snapshot.regenerate"))) {
            try (SequenceHarness a = new SequenceHarness(PROJECT, 30L * 24 * H, null, backend(backend), null)) {
                partA(a);
                OperatorSubtaskState state = a.h.snapshot(1, 1);
                Files.createDirectories(fixture.getParent());
                OperatorSnapshotUtil.writeStateHandle(state, fixture.toString());
            }
        }

        List<String> afterA = resultsOfPartB(backend);

        OperatorSubtaskState restored = OperatorSnapshotUtil.readStateHandle(fixture.toString());
        try (SequenceHarness b = new SequenceHarness(PROJECT, 30L * 24 * H, null, backend(backend), restored)) {
            // moved: one value per key, nothing left in the earlier layout's states
            assertThat(keysWith(b, CepPointLookups.VALUE_NAME))
                    .containsExactly("assigned", "done", "queued", "requested");
            for (String earlier : new String[] {
                CepPointLookups.MAPS_VALUE_NAME, CepPointLookups.NFA_STATE, SequenceOperator.CASES.getName()
            }) {
                assertThat(keysWith(b, earlier)).as(earlier).isEmpty();
            }
            for (String earlier : CepPointLookups.CEP_MAP_STATES) {
                assertThat(keysWith(b, earlier)).as(earlier).isEmpty();
            }
            partB(b);
            // every case: the hop and whole rows of the cases open at the snapshot, no second case for the repeat
            assertThat(results(b)).containsExactlyInAnyOrderElementsOf(afterA);
            assertThat(afterA)
                    .anyMatch(r -> r.startsWith(SequenceOperatorTest.WHOLE + "|assigned|"))
                    .anyMatch(r -> r.startsWith(SequenceOperatorTest.WHOLE + "|requested|"))
                    .anyMatch(r -> r.startsWith(SequenceOperatorTest.WHOLE + "|queued|"))
                    .anyMatch(r -> r.startsWith("alert|late_opened|"))
                    .noneMatch(r -> r.contains("|done|"));
        }
    }
}
