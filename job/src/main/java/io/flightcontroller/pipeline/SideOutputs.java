package io.flightcontroller.pipeline;

import io.flightcontroller.domain.Outcome;
import io.flightcontroller.domain.event.DeadLetter;
import io.flightcontroller.domain.result.Alert;
import io.flightcontroller.domain.result.ErrorBudget;
import io.flightcontroller.domain.result.OpenCase;
import io.flightcontroller.serialization.DomainSerializers;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

/**
 * The side outputs the operators of {@link FlightControllerTopology} write besides their main output; the operators
 * and the topology share these tags (an operator needs nothing else from the topology).
 */
public final class SideOutputs {
    private SideOutputs() {}

    /** Records that could not be used, with the reason. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));
    /** Case alerts (timeouts, breaches). */
    public static final OutputTag<Alert> ALERTS = new OutputTag<>("alerts", TypeInformation.of(Alert.class));
    /** SLO outcomes and leads for aggregates and burn rates (their own serializer: {@link DomainSerializers#OUTCOME}). */
    public static final OutputTag<Outcome> OUTCOMES = new OutputTag<>("outcomes", DomainSerializers.OUTCOME);
    /** Cases still open at the end of a bounded input. */
    public static final OutputTag<OpenCase> OPEN_CASES =
            new OutputTag<>("open-cases", TypeInformation.of(OpenCase.class));
    /** Error budget snapshots. */
    public static final OutputTag<ErrorBudget> ERROR_BUDGETS =
            new OutputTag<>("error-budgets", TypeInformation.of(ErrorBudget.class));
}
