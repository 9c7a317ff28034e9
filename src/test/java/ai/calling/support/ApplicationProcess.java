package ai.calling.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import ai.calling.Application;

/**
 * The whole application in a JVM process of its own, on this run's database, for tests that kill an
 * instance the way a crash does: {@link #kill()} is SIGKILL (no shutdown hook, no lifecycle stop, no
 * rollback sent: the database sees its connections drop), which an instance in the test JVM cannot be
 * given. Started as {@link StartedApplication} starts one (a port of its own, a small pool, no scheduled
 * jobs, the tests' JWT key), then the caller's arguments (replacing a default of the same name); {@link #start}
 * returns once its health is UP.
 * Its output goes to a file, shown when it does not come up.
 */
public final class ApplicationProcess implements AutoCloseable {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    private final Process process;
    private final int port;
    private final Path log;

    private ApplicationProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static ApplicationProcess start(String... arguments) {
        TestDatabase database = TestDatabase.get();
        int port = freePort();
        List<String> defaults = new ArrayList<>(List.of("--server.port=" + port,
                "--spring.datasource.url=" + database.url(), "--spring.datasource.username=" + database.username(),
                "--spring.datasource.password=" + database.password(), "--app.database.preflight=false",
                "--spring.docker.compose.enabled=false", "--app.jobs.enabled=false",
                "--app.security.jwt-secret=" + TestDatabase.JWT_SECRET, "--spring.datasource.hikari.maximum-pool-size=4",
                "--spring.datasource.hikari.minimum-idle=1"));
        for (String argument : arguments) {
            // the caller's value replaces the default (Spring would join the two); the port stays this one's
            String name = argument.contains("=") ? argument.substring(0, argument.indexOf('=') + 1) : argument;
            if (!name.equals("--server.port=")) {
                defaults.removeIf(given -> given.startsWith(name));
            }
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // a quick start and a small footprint on a shared machine: C1 only, one GC thread
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), Application.class.getName()));
        command.addAll(defaults);
        command.addAll(Arrays.stream(arguments).filter(argument -> !argument.startsWith("--server.port=")).toList());
        try {
            Path log = Files.createTempFile("application-process-", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> env = builder.environment();
            // the arguments alone configure it, whatever the test JVM's environment holds
            env.keySet().removeIf(name -> name.startsWith("SPRING_") || name.startsWith("MANAGEMENT_")
                    || name.startsWith("APP_") || name.equals("JAVA_TOOL_OPTIONS") || name.equals("JDK_JAVA_OPTIONS"));
            ApplicationProcess started = new ApplicationProcess(builder.start(), port, log);
            started.awaitHealthy();
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitHealthy() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String output = tail();
                close();
                throw new IllegalStateException("The application process ended with " + process.exitValue()
                        + " before it was healthy; its log:\n" + output);
            }
            try {
                HttpResponse<String> health = CLIENT.send(HttpRequest.newBuilder(URI.create(url("/actuator/health")))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200 && health.body().contains("\"UP\"")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        String output = tail();
        close();
        throw new IllegalStateException("The application process was not healthy within " + START_TIMEOUT
                + "; its log:\n" + output);
    }

    public int port() {
        return port;
    }

    public Http http() {
        return new Http(port);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL (what {@link Process#destroyForcibly()} sends on Linux), then waits until the process is gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("The application process outlived SIGKILL by 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The end of its output (at most 20,000 characters). */
    public String tail() {
        try {
            String output = Files.readString(log);
            return output.length() > 20_000 ? output.substring(output.length() - 20_000) : output;
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a temporary file
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
