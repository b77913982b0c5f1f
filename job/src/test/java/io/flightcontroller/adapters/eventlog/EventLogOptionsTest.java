package io.flightcontroller.adapters.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Paths;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class EventLogOptionsTest {

    @Test
    void defaults() {
        EventLogOptions o = EventLogOptions.defaults();
        assertThat(o.format()).isEmpty();
        assertThat(o.caseColumn()).isEqualTo("case:concept:name");
        assertThat(o.activityColumn()).isEqualTo("concept:name");
        assertThat(o.timeColumn()).isEqualTo("time:timestamp");
        assertThat(o.delimiter()).isEqualTo(',');
        assertThat(o.zone()).isEqualTo(ZoneOffset.UTC);
        assertThat(o.timeFormat()).isEmpty();
    }

    @Test
    void builderSetsEverythingAndToBuilderRoundTrips() {
        EventLogOptions o = EventLogOptions.builder()
                .format("xes")
                .caseColumn("c")
                .activityColumn("a")
                .timeColumn("t")
                .delimiter(';')
                .zone("Europe/Amsterdam")
                .timeFormat("dd.MM.yyyy HH:mm")
                .build();
        assertThat(o.format()).contains(EventLogFormat.XES);
        assertThat(o.zone()).isEqualTo(ZoneId.of("Europe/Amsterdam"));
        assertThat(o.timeFormat()).contains("dd.MM.yyyy HH:mm");
        assertThat(o.toBuilder().build()).isEqualTo(o);
    }

    @Test
    void detectsFormatFromFileName() {
        EventLogOptions o = EventLogOptions.defaults();
        assertThat(o.resolveFormat(Paths.get("a/log.csv"))).isEqualTo(EventLogFormat.CSV);
        assertThat(o.resolveFormat(Paths.get("log.CSV.GZ"))).isEqualTo(EventLogFormat.CSV);
        assertThat(o.resolveFormat(Paths.get("log.xes"))).isEqualTo(EventLogFormat.XES);
        assertThat(o.resolveFormat(Paths.get("log.xes.gz"))).isEqualTo(EventLogFormat.XES);
        assertThat(EventLogOptions.builder().format(EventLogFormat.CSV).build().resolveFormat(Paths.get("x.xes")))
                .isEqualTo(EventLogFormat.CSV);
        assertThatThrownBy(() -> o.resolveFormat(Paths.get("log.txt")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("format:");
    }

    @Test
    void rejectsBadValuesNamingTheOption() {
        assertThatThrownBy(() -> EventLogOptions.builder().zone("Mars/Olympus"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("zone:");
        assertThatThrownBy(() -> EventLogOptions.builder().timeFormat("yyyy-MM-dd {"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("timeFormat:");
        assertThatThrownBy(() -> EventLogOptions.builder().timeFormat("yyyy-MM-dd bb"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("timeFormat:");
        assertThatThrownBy(() -> EventLogOptions.builder().format("parquet"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("format:");
        assertThatThrownBy(() -> EventLogOptions.builder().caseColumn(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("caseColumn:");
        assertThatThrownBy(() -> EventLogOptions.builder().delimiter('"'))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("delimiter:");
    }
}
