package io.flightcontroller.infra;

import java.io.File;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.s3.assets.Asset;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.timestream.CfnDatabase;
import software.amazon.awscdk.services.timestream.CfnTable;
import software.constructs.Construct;

/**
 * Storage: the artifact bucket, where the application's code comes from (the jar as a CDK asset, or a key in the
 * artifact bucket), and the metric store (a Timestream database and table, or the secret holding an InfluxDB token).
 *
 * <p>Shape: the bucket is versioned, S3-encrypted, private, TLS 1.2 or newer only, retained on stack deletion, old
 * versions expire after 90 days; the Timestream table keeps {@code memoryRetentionHours} in the memory store and
 * {@code magneticRetentionDays} in the magnetic store, with magnetic-store writes on (late records).
 */
final class Storage extends StackPart {
    private final Bucket artifacts;
    private final String codeBucketArn;
    private final String codeKey;
    private final String codeObjectArn;
    private final CfnDatabase database;
    private final CfnTable table;
    private final ISecret influxToken;

    /**
     * @param scope the stack
     * @param id construct id
     * @param settings validated parameters
     * @throws IllegalArgumentException naming {@code jarPath} when the jar to upload does not exist
     */
    Storage(Construct scope, String id, StackSettings settings) {
        super(scope, id);
        artifacts = Bucket.Builder.create(this, "ArtifactBucket")
                .versioned(true)
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .minimumTlsVersion(1.2)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .removalPolicy(RemovalPolicy.RETAIN)
                .lifecycleRules(List.of(LifecycleRule.builder()
                        .id("expire-old-versions")
                        .noncurrentVersionExpiration(Duration.days(90))
                        .abortIncompleteMultipartUploadAfter(Duration.days(7))
                        .build()))
                .build();
        if (settings.jarS3Key() != null) {
            codeBucketArn = artifacts.getBucketArn();
            codeKey = settings.jarS3Key();
            codeObjectArn = artifacts.arnForObjects(codeKey);
        } else {
            File jar = new File(settings.jarPath());
            if (!jar.isFile()) {
                throw new IllegalArgumentException("context '" + StackSettings.KEY_JAR_PATH + "': no job jar at "
                        + jar.getAbsolutePath() + " (build it with 'mvn -pl job -am package', pass -c "
                        + StackSettings.KEY_JAR_PATH + "=..., or use -c " + StackSettings.KEY_JAR_S3_KEY + "=...)");
            }
            Asset asset = Asset.Builder.create(this, "JobJar")
                    .path(jar.getAbsolutePath())
                    .build();
            codeBucketArn = asset.getBucket().getBucketArn();
            codeKey = asset.getS3ObjectKey();
            codeObjectArn = asset.getBucket().arnForObjects(codeKey);
        }

        if (settings.usesTimestream()) {
            database = CfnDatabase.Builder.create(this, "TimestreamDatabase")
                    .databaseName(settings.timestreamDatabase())
                    .build();
            table = CfnTable.Builder.create(this, "TimestreamTable")
                    .databaseName(database.getRef())
                    .tableName(settings.timestreamTable())
                    // These two properties are untyped JSON in the L1 construct: the CDK passes a generated property
                    // class through with camelCase keys, which CloudFormation rejects, so they are written as maps.
                    .retentionProperties(Map.of(
                            "MemoryStoreRetentionPeriodInHours", String.valueOf(settings.memoryRetentionHours()),
                            "MagneticStoreRetentionPeriodInDays", String.valueOf(settings.magneticRetentionDays())))
                    .magneticStoreWriteProperties(Map.of("EnableMagneticStoreWrites", true))
                    .build();
            influxToken = null;
        } else {
            database = null;
            table = null;
            influxToken = settings.influxTokenSecretArn() != null
                    ? Secret.fromSecretCompleteArn(this, "InfluxTokenSecret", settings.influxTokenSecretArn())
                    : Secret.Builder.create(this, "InfluxTokenSecret")
                            .description("InfluxDB API token of Flight Controller (" + settings.appName()
                                    + "); replace the generated placeholder with put-secret-value")
                            .build();
        }
    }

    /** @return the hardened bucket for jars and measures files uploaded outside {@code cdk deploy} */
    Bucket artifacts() {
        return artifacts;
    }

    /** @return ARN of the bucket that holds the application's jar */
    String codeBucketArn() {
        return codeBucketArn;
    }

    /** @return object key of the application's jar */
    String codeKey() {
        return codeKey;
    }

    /** @return ARN of the application's jar object */
    String codeObjectArn() {
        return codeObjectArn;
    }

    /** @return the Timestream database, or null when metrics go to InfluxDB */
    CfnDatabase database() {
        return database;
    }

    /** @return the Timestream table, or null when metrics go to InfluxDB */
    CfnTable table() {
        return table;
    }

    /** @return the secret holding the InfluxDB token, or null when metrics go to Timestream */
    ISecret influxToken() {
        return influxToken;
    }
}
