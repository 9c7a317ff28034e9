package ai.calling.config;

import java.util.Map;

import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Turns on Spring Boot's Docker Compose support (which starts {@code docker-compose.yml}) only
 * when it can work: a Docker engine answers and the user configured no datasource of their own.
 * On a machine with only the docker CLI and no engine, compose support would otherwise abort the
 * start-up. Either way it says in one line which database is used and why.
 */
public class DockerComposeActivation implements EnvironmentPostProcessor, Ordered {

    static final String ENABLED = "spring.docker.compose.enabled";

    private final Log log;

    public DockerComposeActivation(DeferredLogFactory logFactory) {
        this.log = logFactory.getLog(DockerComposeActivation.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.containsProperty(ENABLED)) {
            return; // the user decided (SPRING_DOCKER_COMPOSE_ENABLED, a property or an argument)
        }
        boolean enabled = !datasourceConfiguredByUser(environment) && dockerEngineAnswers(environment);
        environment.getPropertySources().addLast(new MapPropertySource("dockerComposeActivation", Map.of(ENABLED, enabled)));
    }

    private boolean dockerEngineAnswers(ConfigurableEnvironment environment) {
        DockerEngine docker = DockerEngine.detect();
        if (docker.available()) {
            log.info("Database: PostgreSQL from docker-compose.yml (no SPRING_DATASOURCE_URL set; " + docker.reason() + ")");
        } else {
            log.info("Database: " + environment.getProperty("spring.datasource.url")
                    + " (no SPRING_DATASOURCE_URL set, and no Docker engine for docker-compose.yml: " + docker.reason() + ")");
        }
        return docker.available();
    }

    /** SPRING_DATASOURCE_URL exported or in .env, or spring.datasource.url given as a system property or argument. */
    static boolean datasourceConfiguredByUser(ConfigurableEnvironment environment) {
        return StringUtils.hasText(environment.getProperty("SPRING_DATASOURCE_URL"))
                || System.getProperty("spring.datasource.url") != null
                || environment.getPropertySources().stream()
                        .filter(source -> source.getName().startsWith("commandLineArgs"))
                        .anyMatch(source -> source.containsProperty("spring.datasource.url"));
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 10;
    }
}
