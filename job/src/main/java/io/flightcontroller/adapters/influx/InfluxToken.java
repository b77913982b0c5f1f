package io.flightcontroller.adapters.influx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Serializable;
import java.net.URI;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;

/**
 * Where the InfluxDB API token comes from: a literal (tests, local runs) or an AWS Secrets Manager secret read when
 * each sink writer starts, so the token is never part of the serialized job graph.
 *
 * <p>The secret's {@code SecretString} is either the token itself or a JSON object with a {@code token} field.
 */
public abstract class InfluxToken implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * @return the token
     * @throws RuntimeException when the secret cannot be read (fails the writer, hence the job, with the SDK's
     *     message)
     */
    public abstract String resolve();

    /**
     * @param token the API token
     * @return a literal token
     */
    public static InfluxToken literal(String token) {
        return new Literal(token);
    }

    /**
     * @param secretId secret name or ARN
     * @param region AWS region of the secret, or null for the SDK's default region chain
     * @param endpoint Secrets Manager endpoint override, or null
     * @return a token read from Secrets Manager
     */
    public static InfluxToken secretsManager(String secretId, String region, String endpoint) {
        return new SecretsManager(secretId, region, endpoint);
    }

    /**
     * @param secretString a secret's value
     * @return the token: the value, or its JSON {@code token} field
     */
    static String fromSecretString(String secretString) {
        String s = secretString == null ? "" : secretString.trim();
        if (s.startsWith("{")) {
            try {
                JsonNode n = new ObjectMapper().readTree(s);
                if (n.hasNonNull("token")) {
                    return n.get("token").asText();
                }
            } catch (Exception e) {
                // not JSON after all: the whole value is the token
            }
        }
        return s;
    }

    private static final class Literal extends InfluxToken {
        private static final long serialVersionUID = 1L;
        private final String token;

        Literal(String token) {
            this.token = token;
        }

        @Override
        public String resolve() {
            return token;
        }

        @Override
        public String toString() {
            return "literal token (***)";
        }
    }

    private static final class SecretsManager extends InfluxToken {
        private static final long serialVersionUID = 1L;
        private final String secretId;
        private final String region;
        private final String endpoint;

        SecretsManager(String secretId, String region, String endpoint) {
            this.secretId = secretId;
            this.region = region;
            this.endpoint = endpoint;
        }

        @Override
        public String resolve() {
            SecretsManagerClientBuilder b = SecretsManagerClient.builder();
            if (region != null && !region.isEmpty()) {
                b.region(Region.of(region));
            }
            if (endpoint != null && !endpoint.isEmpty()) {
                b.endpointOverride(URI.create(endpoint));
            }
            try (SecretsManagerClient client = b.build()) {
                return fromSecretString(
                        client.getSecretValue(r -> r.secretId(secretId)).secretString());
            }
        }

        @Override
        public String toString() {
            return "Secrets Manager secret " + secretId;
        }
    }
}
