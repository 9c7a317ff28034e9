package ai.calling.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.calling.support.TestDatabase;

/**
 * The image's launch, run on this machine from the unpacked image tarball (its own runtime, its
 * jars, its cache; only the root directory differs, which the JVM allows): with
 * {@code -XX:AOTMode=on} added, which makes the JVM refuse to start when the cache cannot be used,
 * the server comes up healthy, so the cache that the build trained fits the image; and after a jar
 * changed (a stale cache), the entrypoint as it is still comes up healthy, the JVM only logging why it
 * ignored the cache (decision 0024). CI runs it after building the image
 * (-Dimage.tar=target/jib-image.tar); without the property it is skipped.
 */
class ImageLaunchTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path root;

    @Test
    void theImageComesUpHealthyWithItsCacheAndStillWithAStaleOne() throws Exception {
        String tarball = System.getProperty("image.tar");
        assumeTrue(tarball != null, "no image tarball given (-Dimage.tar=...); CI's image step runs this test");
        ImageTarball image = ImageTarball.read(Path.of(tarball));
        image.unpack(root);
        List<String> entrypoint = ImageTarball.relocated(image.entrypoint(), root);
        assertThat(entrypoint).anyMatch(part -> part.startsWith("-XX:AOTCache="));

        List<String> strict = new ArrayList<>(entrypoint);
        strict.add(1, "-XX:AOTMode=on");
        Started withCache = start(strict);
        assertThat(withCache.healthy()).as("healthy with -XX:AOTMode=on; log:%n%s", withCache.log()).isTrue();
        System.out.printf("image_launch_with_cache_healthy_s=%.1f%n", withCache.seconds());

        try (Stream<Path> jars = Files.list(root.resolve("app/libs"))) {
            Path jar = jars.filter(path -> path.getFileName().toString().startsWith("postgresql-")).findFirst().orElseThrow();
            Files.setLastModifiedTime(jar, FileTime.from(Instant.now()));
        }
        Started stale = start(entrypoint);
        assertThat(stale.healthy()).as("healthy with a stale cache; log:%n%s", stale.log()).isTrue();
        assertThat(stale.log()).contains("[aot]").contains("timestamp has changed");
        System.out.printf("image_launch_with_stale_cache_healthy_s=%.1f%n", stale.seconds());
    }

    private record Started(boolean healthy, double seconds, String log) {
    }

    /** Starts the command against this run's test database, waits up to 3 minutes for health UP, stops it. */
    private Started start(List<String> command) throws Exception {
        TestDatabase database = TestDatabase.get();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = Files.createTempFile(root.getParent(), "image-launch", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("SPRING_") || name.startsWith("MANAGEMENT_")
                || name.equals("JAVA_TOOL_OPTIONS") || name.equals("JDK_JAVA_OPTIONS"));
        env.put("SPRING_DATASOURCE_URL", database.url());
        env.put("SPRING_DATASOURCE_USERNAME", database.username());
        env.put("SPRING_DATASOURCE_PASSWORD", database.password());
        env.put("SERVER_PORT", String.valueOf(port));
        env.put("JWT_SECRET", TestDatabase.JWT_SECRET);
        env.put("JOBS_ENABLED", "false");
        env.put("CAMPAIGN_DISPATCH", "false");
        long began = System.nanoTime();
        Process server = builder.start();
        boolean healthy = false;
        double seconds = 0;
        try {
            long deadline = began + Duration.ofMinutes(3).toNanos();
            while (!healthy && server.isAlive() && System.nanoTime() < deadline) {
                try {
                    HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/actuator/health")).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    healthy = health.statusCode() == 200 && health.body().contains("\"UP\"");
                    seconds = (System.nanoTime() - began) / 1e9;
                } catch (IOException notYet) {
                    Thread.sleep(100);
                }
            }
        } finally {
            server.destroy();
            if (!server.waitFor(1, TimeUnit.MINUTES)) {
                server.destroyForcibly().waitFor();
            }
        }
        String output = Files.readString(log);
        Files.delete(log);
        return new Started(healthy, seconds, output.length() > 20_000 ? output.substring(0, 20_000) : output);
    }
}
