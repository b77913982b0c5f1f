package io.flightcontroller.adapters.influx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flightcontroller.adapters.metrics.MetricPoint;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Line protocol and its escaping, as the InfluxDB v2 documentation ("Special characters") specifies them. */
class InfluxLineProtocolTest {

    @Test
    void measurementEscapesCommasAndSpacesOnly() {
        assertThat(InfluxLineProtocol.measurement("lead time,v2=x")).isEqualTo("lead\\ time\\,v2=x");
    }

    @Test
    void tagKeysTagValuesAndFieldKeysEscapeCommasEqualsSignsAndSpaces() {
        assertThat(InfluxLineProtocol.key("a b,c=d")).isEqualTo("a\\ b\\,c\\=d");
        assertThat(InfluxLineProtocol.key("plain_key")).isEqualTo("plain_key");
    }

    @Test
    void newlinesCannotBeInAnIdentifierAndBecomeEscapedSpaces() {
        assertThat(InfluxLineProtocol.key("a\nb\rc")).isEqualTo("a\\ b\\ c");
    }

    @Test
    void stringFieldValuesAreQuotedWithDoubleQuotesAndBackslashesEscaped() {
        assertThat(InfluxLineProtocol.stringField("say \"hi\" C:\\dir, a=b"))
                .isEqualTo("\"say \\\"hi\\\" C:\\\\dir, a=b\"");
    }

    @Test
    void integersHaveTheISuffixFloatsAndBooleansArePlain() {
        assertThat(InfluxLineProtocol.fieldValue(42L)).isEqualTo("42i");
        assertThat(InfluxLineProtocol.fieldValue(-7L)).isEqualTo("-7i");
        assertThat(InfluxLineProtocol.fieldValue(3.0)).isEqualTo("3.0");
        assertThat(InfluxLineProtocol.fieldValue(1.5e-9)).isEqualTo("1.5e-9");
        assertThat(InfluxLineProtocol.fieldValue(true)).isEqualTo("true");
        assertThatThrownBy(() -> InfluxLineProtocol.fieldValue(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pointBecomesOneLineWithSortedEscapedTagsFieldsAndMillisecondTimestamp() {
        MetricPoint p = MetricPoint.builder("lead time", 1_700_000_000_123L)
                .dimension("team", "blue, green")
                .dimension("measure", "assign")
                .dimension("k=v", "x=y")
                .field("duration_ms", 1_000L)
                .field("good", true)
                .field("compliance", 0.25)
                .build();

        assertThat(InfluxLineProtocol.line(p))
                .isEqualTo("lead\\ time,k\\=v=x\\=y,measure=assign,team=blue\\,\\ green"
                        + " duration_ms=1000i,good=true,compliance=0.25 1700000000123");
    }

    @Test
    void writeUriCarriesOrgBucketAndMillisecondPrecisionUrlEncoded() {
        assertThat(InfluxLineProtocolSink.writeUri("http://h:8086/", "my org", "b&1"))
                .isEqualTo(URI.create("http://h:8086/api/v2/write?org=my+org&bucket=b%261&precision=ms"));
    }

    @Test
    void secretStringIsTheTokenOrItsJsonTokenField() {
        assertThat(InfluxToken.fromSecretString(" abc== ")).isEqualTo("abc==");
        assertThat(InfluxToken.fromSecretString("{\"token\":\"t-1\",\"org\":\"o\"}"))
                .isEqualTo("t-1");
    }
}
