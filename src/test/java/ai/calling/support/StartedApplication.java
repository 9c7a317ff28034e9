package ai.calling.support;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import ai.calling.Application;

/**
 * The whole application started as its own context, for tests that need start-up arguments which
 * {@link IntegrationTest}'s shared context cannot take (read before the environment is complete):
 * this run's database, a random port, a small pool, no scheduled jobs, the tests' JWT key, then the
 * caller's arguments (which replace a default of the same name: Spring would join the two values).
 */
public record StartedApplication(ConfigurableApplicationContext context, Http http) implements AutoCloseable {

    public static StartedApplication start(String... arguments) {
        List<String> all = new ArrayList<>(List.of("--server.port=0", "--app.database.preflight=false",
                "--spring.docker.compose.enabled=false", "--app.jobs.enabled=false",
                "--app.security.jwt-secret=" + TestDatabase.JWT_SECRET, "--spring.datasource.hikari.maximum-pool-size=3",
                "--spring.datasource.hikari.minimum-idle=1"));
        for (String argument : arguments) {
            String name = argument.contains("=") ? argument.substring(0, argument.indexOf('=') + 1) : argument;
            all.removeIf(given -> given.startsWith(name));
        }
        all.addAll(Arrays.asList(arguments));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
                .initializers(new TestDatabaseInitializer()).run(all.toArray(String[]::new));
        return new StartedApplication(context, new Http(((WebServerApplicationContext) context).getWebServer().getPort()));
    }

    @Override
    public void close() {
        context.close();
    }
}
