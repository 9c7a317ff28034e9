package ai.calling.config;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Whether a Docker engine answers, asked the way Spring Boot's Docker Compose support and a
 * developer talk to it: through the {@code docker} command and its current context. That covers
 * Docker Desktop, Colima, OrbStack, rootless Docker and Podman's docker command alike, which a check
 * of {@code /var/run/docker.sock} and {@code DOCKER_HOST} alone misses.
 *
 * @param available whether the engine answered
 * @param reason    one line saying why, for the start-up log
 */
public record DockerEngine(boolean available, String reason) {

    private static final long TIMEOUT_SECONDS = 10;

    public static DockerEngine detect() {
        Path docker = onPath(isWindows() ? "docker.exe" : "docker");
        if (docker == null) {
            return new DockerEngine(false, "no docker command on the PATH");
        }
        try {
            Process process = new ProcessBuilder(docker.toString(), "info", "--format", "{{.ServerVersion}}")
                    .redirectErrorStream(true).start();
            process.getOutputStream().close();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new DockerEngine(false, "'docker info' did not answer within " + TIMEOUT_SECONDS + " s");
            }
            String output = firstLine(process.getInputStream());
            return process.exitValue() == 0
                    ? new DockerEngine(true, "'docker info' answered (engine " + output + ")")
                    : new DockerEngine(false, "'docker info' failed: " + output);
        } catch (IOException e) {
            return new DockerEngine(false, "'docker info' could not run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new DockerEngine(false, "interrupted while asking 'docker info'");
        }
    }

    private static Path onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String directory : path.split(File.pathSeparator)) {
            if (directory.isBlank()) {
                continue;
            }
            Path candidate = Path.of(directory, command);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static String firstLine(InputStream output) throws IOException {
        String text = new String(output.readAllBytes(), StandardCharsets.UTF_8).strip();
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline).strip();
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase().startsWith("windows");
    }
}
