package io.flightcontroller.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.domain.event.ProcessEvent;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The network and state format of {@link RoutedEvent}, and what its reads share. */
class RoutedEventSerializerTest {

    @Test
    void recordsOfOneMeasureReadBackShareOneMeasureNameAndTheBytesAreUnchanged() throws Exception {
        RoutedEvent.Serializer serializer = new RoutedEvent.Serializer();
        RoutedEvent a = new RoutedEvent(
                new String("lead".toCharArray()),
                "P1",
                ProcessEvent.of("e1", "P1", "project_requested", 1_000L, null),
                false);
        RoutedEvent b = new RoutedEvent(
                new String("lead".toCharArray()),
                "P2",
                ProcessEvent.of("e2", "P2", "project_created", 2_000L, null),
                true);
        byte[] bytesA = bytes(serializer, a);
        RoutedEvent readA = read(serializer, bytesA);
        RoutedEvent readB = read(serializer, bytes(serializer, b));

        assertThat(readA.measure).isEqualTo("lead").isSameAs(readB.measure);
        assertThat(readA.key()).isEqualTo(a.key());
        assertThat(readB.key()).isEqualTo(b.key());
        assertThat(readB.late).isTrue();
        assertThat(readB.event.getEventType()).isEqualTo("project_created");
        // what a fresh serializer (another JVM, a restore) writes for the record read back is byte for byte the same
        assertThat(bytes(new RoutedEvent.Serializer(), readA)).isEqualTo(bytesA);
    }

    private static byte[] bytes(RoutedEvent.Serializer s, RoutedEvent r) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        s.serialize(r, out);
        return out.getCopyOfBuffer();
    }

    private static RoutedEvent read(RoutedEvent.Serializer s, byte[] b) throws Exception {
        return s.deserialize(new DataInputDeserializer(b));
    }
}
