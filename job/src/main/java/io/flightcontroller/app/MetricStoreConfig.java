package io.flightcontroller.app;

import java.io.Serializable;

/**
 * Settings of the Timestream or InfluxDB metrics sink (group {@code FlightController.Sinks}), validated by
 * {@link JobConfig}. Only the fields of the configured sink are set; the others are null. The plain InfluxDB token is
 * never printed.
 */
public final class MetricStoreConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String timestreamDatabase;
    private final String timestreamTable;
    private final String timestreamRegion;
    private final String timestreamEndpoint;
    private final String influxUrl;
    private final String influxOrg;
    private final String influxBucket;
    private final String influxTokenSecret;
    private final String influxToken;

    private MetricStoreConfig(String timestreamDatabase, String timestreamTable, String timestreamRegion,
            String timestreamEndpoint, String influxUrl, String influxOrg, String influxBucket,
            String influxTokenSecret, String influxToken) {
        this.timestreamDatabase = timestreamDatabase;
        this.timestreamTable = timestreamTable;
        this.timestreamRegion = timestreamRegion;
        this.timestreamEndpoint = timestreamEndpoint;
        this.influxUrl = influxUrl;
        this.influxOrg = influxOrg;
        this.influxBucket = influxBucket;
        this.influxTokenSecret = influxTokenSecret;
        this.influxToken = influxToken;
    }

    /**
     * @param database database name
     * @param table table name
     * @param region AWS region id
     * @param endpoint endpoint override, or null
     * @return Timestream settings
     */
    static MetricStoreConfig timestream(String database, String table, String region, String endpoint) {
        return new MetricStoreConfig(database, table, region, endpoint, null, null, null, null, null);
    }

    /**
     * @param url server base URL
     * @param org organisation
     * @param bucket bucket
     * @param tokenSecret Secrets Manager secret id of the token, or null
     * @param token plain token, or null (exactly one of the two is set)
     * @return InfluxDB settings
     */
    static MetricStoreConfig influx(String url, String org, String bucket, String tokenSecret, String token) {
        return new MetricStoreConfig(null, null, null, null, url, org, bucket, tokenSecret, token);
    }

    /** @return Timestream database */
    public String getTimestreamDatabase() { return timestreamDatabase; }
    /** @return Timestream table */
    public String getTimestreamTable() { return timestreamTable; }
    /** @return Timestream region */
    public String getTimestreamRegion() { return timestreamRegion; }
    /** @return Timestream endpoint override, or null */
    public String getTimestreamEndpoint() { return timestreamEndpoint; }
    /** @return InfluxDB base URL */
    public String getInfluxUrl() { return influxUrl; }
    /** @return InfluxDB organisation */
    public String getInfluxOrg() { return influxOrg; }
    /** @return InfluxDB bucket */
    public String getInfluxBucket() { return influxBucket; }
    /** @return Secrets Manager secret id (name or ARN) of the InfluxDB token, or null */
    public String getInfluxTokenSecret() { return influxTokenSecret; }
    /** @return plain InfluxDB token, or null */
    public String getInfluxToken() { return influxToken; }

    /**
     * @return the region of a secret given as ARN ({@code arn:aws:secretsmanager:REGION:...}), else null (the SDK's
     *     default region chain applies)
     */
    public String getInfluxTokenSecretRegion() {
        if (influxTokenSecret == null || !influxTokenSecret.startsWith("arn:")) {
            return null;
        }
        String[] parts = influxTokenSecret.split(":");
        return parts.length > 3 && !parts[3].isEmpty() ? parts[3] : null;
    }

    @Override
    public String toString() {
        if (timestreamDatabase != null) {
            return "timestream " + timestreamDatabase + "." + timestreamTable + " in " + timestreamRegion
                    + (timestreamEndpoint != null ? " via " + timestreamEndpoint : "");
        }
        return "influxdb " + influxUrl + " org=" + influxOrg + " bucket=" + influxBucket + " token="
                + (influxTokenSecret != null ? "secret " + influxTokenSecret : "***");
    }
}
