package io.flightcontroller.infra;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import software.constructs.Construct;

/**
 * One part of {@link FlightControllerStack} (ingestion, storage, alerting, monitoring, IAM, the application): a
 * construct that groups resources in the construct tree without entering their CloudFormation logical ids.
 *
 * <p>Shape: the stack allocates each resource's logical id from its construct path below the stack with every
 * {@code StackPart} left out, by the CDK's own scheme ({@link #logicalId(List)}), so {@code Ingestion/EventStream} keeps
 * the id {@code EventStream271A91DB} it had when the stream was a direct child of the stack. A changed logical id makes
 * CloudFormation replace the resource (a new stream, key, bucket or Timestream table), which is why grouping must not
 * change them. Two parts therefore must not both hold a child of the same id; the CDK refuses such a template at
 * synthesis ("section 'Resources' already contains ...").
 */
abstract class StackPart extends Construct {
    private static final String HIDDEN_ID = "Default";
    private static final String HIDDEN_FROM_HUMAN_ID = "Resource";
    private static final int HASH_LEN = 8;
    private static final int MAX_HUMAN_LEN = 240;
    private static final int MAX_ID_LEN = 255;

    /**
     * @param scope the stack
     * @param id construct id (appears in construct paths, not in logical ids)
     */
    StackPart(Construct scope, String id) {
        super(scope, id);
    }

    /**
     * The CDK's default logical id of a construct path ({@code makeUniqueId} in aws-cdk-lib's
     * {@code core/lib/private/uniqueid.ts}): path components without {@code Default}; a single component is used as is
     * (letters and digits only); otherwise the components without consecutive repeats and without {@code Resource},
     * letters and digits only, at most 240 characters, followed by the first 8 hex digits (upper case) of the MD5 of
     * the full path joined by {@code /}.
     *
     * @param components construct ids below the stack, outermost first
     * @return the logical id
     */
    static String logicalId(List<String> components) {
        List<String> path = new ArrayList<>();
        for (String c : components) {
            if (!HIDDEN_ID.equals(c)) {
                path.add(c);
            }
        }
        if (path.isEmpty()) {
            throw new IllegalArgumentException("a logical id needs at least one path component other than 'Default'");
        }
        if (path.size() == 1) {
            String candidate = alphanumeric(path.get(0));
            if (candidate.length() <= MAX_ID_LEN) {
                return candidate;
            }
        }
        List<String> human = new ArrayList<>();
        for (String c : path) {
            if (human.isEmpty() || !human.get(human.size() - 1).endsWith(c)) {
                human.add(c);
            }
        }
        StringBuilder id = new StringBuilder();
        for (String c : human) {
            if (!HIDDEN_FROM_HUMAN_ID.equals(c)) {
                id.append(alphanumeric(c));
            }
        }
        String readable = id.length() > MAX_HUMAN_LEN ? id.substring(0, MAX_HUMAN_LEN) : id.toString();
        return readable + md5Hex(String.join("/", path)).substring(0, HASH_LEN).toUpperCase(Locale.ROOT);
    }

    private static String alphanumeric(String s) {
        return s.replaceAll("[^A-Za-z0-9]", "");
    }

    private static String md5Hex(String s) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
            return String.format("%032x", new BigInteger(1, digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is a required JDK algorithm", e);
        }
    }
}
