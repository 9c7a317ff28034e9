package ai.calling.config;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns on Spring Boot's Docker Compose support (which starts {@code docker-compose.yml}) only
 * when it can work: a Docker engine answers and the user configured no datasource of their own.
 * On a machine with only the docker CLI and no engine, compose support would otherwise abort the
 * start-up.
 */
public class DockerComposeActivation implements EnvironmentPostProcessor, Ordered {

    static final String ENABLED = "spring.docker.compose.enabled";

    private final Log log;

    public DockerComposeActivation(DeferredLogFactory logFactory) {
        this.log = logFactory.getLog(DockerComposeActivation.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (System.getenv("SPRING_DOCKER_COMPOSE_ENABLED") != null || System.getProperty(ENABLED) != null) {
            return; // the user decided
        }
        if (datasourceConfiguredByUser(environment) || !dockerEngineAvailable()) {
            return;
        }
        log.info("Docker engine found and no SPRING_DATASOURCE_URL set: starting PostgreSQL from docker-compose.yml");
        environment.getPropertySources().addFirst(new MapPropertySource("dockerComposeActivation", Map.of(ENABLED, true)));
    }

    static boolean datasourceConfiguredByUser(ConfigurableEnvironment environment) {
        return System.getenv("SPRING_DATASOURCE_URL") != null || System.getProperty("spring.datasource.url") != null
                || environment.getPropertySources().stream()
                        .filter(source -> source.getName().startsWith("commandLineArgs"))
                        .anyMatch(source -> source.containsProperty("spring.datasource.url"));
    }

    /** True when a Docker engine accepts connections: DOCKER_HOST is set, or the local socket answers. */
    public static boolean dockerEngineAvailable() {
        if (System.getenv("DOCKER_HOST") != null) {
            return true;
        }
        Path socket = Path.of("/var/run/docker.sock");
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            return channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 10;
    }
}
