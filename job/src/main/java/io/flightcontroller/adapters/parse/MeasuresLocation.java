package io.flightcontroller.adapters.parse;

import io.flightcontroller.adapters.InvalidOptionException;
import io.flightcontroller.adapters.Options;
import io.flightcontroller.domain.measure.InvalidMeasureException;
import io.flightcontroller.domain.measure.MeasuresConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

/**
 * Where the measures file comes from: inline YAML, a resource in the jar, an S3 object or a file. Read once at start
 * and validated by {@link MeasuresYaml}; a problem names the key ({@link InvalidOptionException}).
 */
public final class MeasuresLocation {
    private MeasuresLocation() {}

    /** Default of {@link #LOCATION}: the measures file packaged in the job's jar. */
    public static final String DEFAULT_LOCATION = "classpath:/measures.yaml";

    /** Inline measures YAML. */
    public static final ConfigOption<String> YAML = ConfigOptions.key("measures.yaml")
            .stringType()
            .noDefaultValue()
            .withDescription("inline measures YAML (at most one of measures.yaml and measures.location)");
    /** {@code classpath:/x.yaml}, {@code s3://bucket/key} or a file path. */
    public static final ConfigOption<String> LOCATION = ConfigOptions.key("measures.location")
            .stringType()
            .noDefaultValue()
            .withDescription("classpath:/x.yaml | s3://bucket/key | file path; default " + DEFAULT_LOCATION);
    /** AWS region of the S3 bucket for an {@code s3://} location (default: the SDK's default region chain). */
    public static final ConfigOption<String> S3_REGION = ConfigOptions.key("measures.s3.region")
            .stringType()
            .noDefaultValue()
            .withDescription("region of the S3 bucket; default: the AWS default region chain");

    /** @return every option of the measures location */
    public static List<ConfigOption<String>> options() {
        return List.of(YAML, LOCATION, S3_REGION);
    }

    /** Measures read from a location. */
    public static final class Loaded {
        /** The validated measures. */
        public final MeasuresConfig measures;
        /** Where they came from: {@code inline} or the location. */
        public final String origin;

        Loaded(MeasuresConfig measures, String origin) {
            this.measures = measures;
            this.origin = origin;
        }
    }

    /**
     * @param group the property group's settings
     * @return the validated measures and their origin
     * @throws InvalidOptionException naming {@code measures.yaml} or {@code measures.location} when both are set, the
     *     measures cannot be read, or they are invalid
     */
    public static Loaded load(Configuration group) {
        String inline = Options.string(group, YAML);
        String location = Options.string(group, LOCATION);
        if (inline != null && location != null) {
            throw new InvalidOptionException(LOCATION.key(), "set either measures.yaml or measures.location, not both");
        }
        if (inline != null) {
            try {
                return new Loaded(MeasuresYaml.parse(inline), "inline");
            } catch (InvalidMeasureException e) {
                throw new InvalidOptionException(YAML.key(), e.getMessage());
            }
        }
        String loc = location != null ? location : DEFAULT_LOCATION;
        try (InputStream in = open(loc, Options.string(group, S3_REGION))) {
            return new Loaded(MeasuresYaml.read(in), loc);
        } catch (InvalidMeasureException e) {
            throw new InvalidOptionException(LOCATION.key(), loc + ": " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidOptionException) {
                throw (InvalidOptionException) e;
            }
            throw new InvalidOptionException(LOCATION.key(), "cannot read " + loc + ": " + e);
        }
    }

    private static InputStream open(String loc, String s3Region) throws IOException {
        if (loc.startsWith("classpath:")) {
            String res = loc.substring("classpath:".length());
            InputStream in = MeasuresLocation.class.getResourceAsStream(res.startsWith("/") ? res : "/" + res);
            if (in == null) {
                throw new InvalidOptionException(LOCATION.key(), "no resource " + res + " in the jar");
            }
            return in;
        }
        if (loc.startsWith("s3://")) {
            URI uri = URI.create(loc);
            String bucket = uri.getHost();
            String key = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
            if (bucket == null || key.isEmpty()) {
                throw new InvalidOptionException(LOCATION.key(), "expected s3://bucket/key, was " + loc);
            }
            S3ClientBuilder b = S3Client.builder();
            if (s3Region != null) {
                b.region(Region.of(s3Region));
            }
            try (S3Client s3 = b.build()) {
                byte[] bytes = s3.getObject(
                                GetObjectRequest.builder()
                                        .bucket(bucket)
                                        .key(key)
                                        .build(),
                                ResponseTransformer.toBytes())
                        .asByteArray();
                return new ByteArrayInputStream(bytes);
            }
        }
        Path p = loc.startsWith("file:") ? Paths.get(URI.create(loc)) : Paths.get(loc);
        if (!Files.isReadable(p)) {
            throw new InvalidOptionException(LOCATION.key(), "no readable file " + p);
        }
        return Files.newInputStream(p);
    }
}
