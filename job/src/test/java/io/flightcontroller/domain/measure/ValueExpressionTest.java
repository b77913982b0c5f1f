package io.flightcontroller.domain.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flightcontroller.domain.event.ProcessEvent;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValueExpressionTest {
    @Test
    void arithmeticWithPrecedenceAndFunctions() {
        Map<String, Object> p = new HashMap<>();
        p.put("ok", Arrays.asList("a", "b", "c"));
        p.put("failed", "x, y");
        p.put("n", "4");
        ProcessEvent e = ProcessEvent.of(null, "c", "t", 0, p);
        assertThat(ValueExpression.compile("1 + 2 * 3").evaluate(e)).isEqualTo(7.0);
        assertThat(ValueExpression.compile("(1 + 2) * 3").evaluate(e)).isEqualTo(9.0);
        assertThat(ValueExpression.compile("count(ok) + count(payload.failed)").evaluate(e))
                .isEqualTo(5.0);
        assertThat(ValueExpression.compile("n / 2").evaluate(e)).isEqualTo(2.0);
        assertThat(ValueExpression.compile("-num(n)").evaluate(e)).isEqualTo(-4.0);
        assertThat(ValueExpression.compile("1 / (count(missing))").evaluate(e)).isNull();
        assertThat(ValueExpression.compile("missing + 1").evaluate(e)).isNull();
        assertThat(ValueExpression.countItems("[\"i-1\", \"i-2\"]")).isEqualTo(2);
        assertThat(ValueExpression.countItems(" ")).isZero();
        assertThatThrownBy(() -> ValueExpression.compile("1 +")).hasMessageContaining("position");
        assertThatThrownBy(() -> ValueExpression.compile("sum(a)")).hasMessageContaining("unknown function");
    }
}
