package io.flightcontroller.infra;

import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;

/**
 * Entry point of the CDK app ({@code cdk.json} runs it): reads {@link StackSettings} from the CDK context and
 * synthesises one {@link FlightControllerStack} named after {@code appName}.
 */
public final class FlightControllerApp {
    private FlightControllerApp() {}

    /**
     * Synthesises the app into {@code cdk.out}.
     *
     * @param args ignored; parameters come from CDK context ({@code -c key=value})
     */
    public static void main(String[] args) {
        App app = new App();
        StackSettings settings = StackSettings.fromContext(app.getNode()::tryGetContext);
        String account = System.getenv("CDK_DEFAULT_ACCOUNT");
        String region = System.getenv("CDK_DEFAULT_REGION");
        StackProps.Builder props = StackProps.builder()
                .stackName(settings.appName())
                .description("Flight Controller: EventBridge -> Kinesis -> Managed Service for Apache Flink "
                        + "-> Timestream/InfluxDB metrics and SNS alerts");
        if (account != null && region != null) {
            props.env(Environment.builder().account(account).region(region).build());
        }
        new FlightControllerStack(app, "FlightController", props.build(), settings);
        app.synth();
    }
}
