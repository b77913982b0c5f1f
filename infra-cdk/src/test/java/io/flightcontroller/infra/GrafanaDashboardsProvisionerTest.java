package io.flightcontroller.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;

/**
 * The custom resource function that loads the dashboards into the Grafana workspace
 * ({@code src/main/resources/grafana-dashboards-provisioner/index.mjs}), run by Node's test runner on the dashboards
 * this stack generates: {@code src/test/js/grafana-dashboards-provisioner.test.mjs} drives its create, update, delete
 * and failure paths against a local HTTP server standing in for Grafana and CloudFormation, with the workspace control
 * plane and S3 injected (no AWS call).
 */
class GrafanaDashboardsProvisionerTest {
    private static final Path NODE_TESTS = Path.of("src/test/js/grafana-dashboards-provisioner.test.mjs");
    private static final int NODE_TEST_COUNT = 6;

    @Test
    void theFunctionLoadsTheStacksDashboardsIntoAStandInGrafana() throws Exception {
        FlightControllerStack stack = Templates.build(Map.of("grafana", "true"));
        Dashboards dashboards = (Dashboards) stack.getNode().findChild("Dashboards");
        Path staged = Path.of(((App) stack.getNode().getRoot()).getOutdir())
                .resolve(dashboards.files().getAssetPath());
        Path zip = Files.createTempFile("grafana-dashboards", ".zip");
        zip.toFile().deleteOnExit();
        zipFolder(staged, zip);
        List<String> uids = dashboards.dashboards().values().stream()
                .map((ObjectNode d) -> d.get("uid").asText())
                .toList();
        assertThat(uids).hasSize(dashboards.dashboards().size()).doesNotContain("");

        ProcessBuilder node =
                new ProcessBuilder("node", "--test", NODE_TESTS.toAbsolutePath().toString()).redirectErrorStream(true);
        node.environment().put("FC_DASHBOARDS_ZIP", zip.toString());
        node.environment().put("FC_DASHBOARD_UIDS", String.join(",", uids));
        Process p = node.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("node finished").isTrue();
        assertThat(p.exitValue())
                .as("node --test exit code; output:%n%s", output)
                .isZero();
        assertThat(count(output, "pass")).as(output).isEqualTo(NODE_TEST_COUNT);
        assertThat(count(output, "fail")).as(output).isZero();
    }

    private static int count(String tap, String what) {
        Matcher m =
                Pattern.compile("^# " + what + " (\\d+)$", Pattern.MULTILINE).matcher(tap);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /**
     * Zips the staged asset folder as the CDK CLI does before the upload (deflated entries with data descriptors);
     * the first file is stored uncompressed so both compression methods the function reads are exercised.
     */
    private static void zipFolder(Path folder, Path zip) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(folder)) {
            files = s.sorted().collect(Collectors.toList());
        }
        try (OutputStream out = Files.newOutputStream(zip);
                ZipOutputStream z = new ZipOutputStream(out)) {
            boolean first = true;
            for (Path f : files) {
                byte[] data = Files.readAllBytes(f);
                ZipEntry e = new ZipEntry(f.getFileName().toString());
                if (first) {
                    CRC32 crc = new CRC32();
                    crc.update(data);
                    e.setMethod(ZipEntry.STORED);
                    e.setSize(data.length);
                    e.setCompressedSize(data.length);
                    e.setCrc(crc.getValue());
                    first = false;
                }
                z.putNextEntry(e);
                z.write(data);
                z.closeEntry();
            }
        }
    }
}
