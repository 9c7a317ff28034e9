package ai.calling.apidoc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.web.server.LocalServerPort;

import ai.calling.support.IntegrationTest;

/**
 * Swagger UI rendered by a headless Chromium (Debian's package, which .ci/run installs): the page
 * shows the document's title and the Authorize button. Skipped where no Chromium is installed;
 * OpenApiDocumentTest checks the security scheme the button comes from either way.
 */
@IntegrationTest
class SwaggerUiBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @LocalServerPort
    int port;

    @TempDir
    Path profile;

    @Test
    void swaggerUiShowsTheAuthorizeButton() throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(CHROMIUM), "no Chromium at /usr/bin/chromium");
        Path dom = profile.resolve("dom.html");
        Process chromium = new ProcessBuilder(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile.resolve("profile"),
                "--virtual-time-budget=15000", "--dump-dom", "http://localhost:" + port + "/swagger-ui/index.html"))
                .redirectOutput(dom.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(chromium.waitFor(90, TimeUnit.SECONDS)).as("Chromium finished").isTrue();

        String page = Files.readString(dom, StandardCharsets.UTF_8);
        assertThat(page).contains("AI calling agent API").containsPattern("class=\"btn authorize[^\"]*\"");
    }
}
