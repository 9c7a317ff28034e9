package ai.calling.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.logging.DeferredLogs;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** A .env file acts as exported variables: relaxed names bind, and the real environment wins. */
class EnvFileTest {

    @TempDir
    Path folder;

    @Test
    void variablesBindLikeEnvironmentVariablesAndTheRealEnvironmentWins() throws IOException {
        Path file = folder.resolve(".env");
        Files.writeString(file, """
                # a comment
                SPRING_MAIL_HOST=smtp.example.com
                export JOBS_DAILY="0 15 3 * * *"
                PATH=/not/the/real/path
                # SPRING_DATASOURCE_URL=jdbc:postgresql://commented/out
                """);
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("commandLineArgs",
                Map.of(EnvFile.LOCATION, file.toString())));

        new EnvFile(new DeferredLogs()).postProcessEnvironment(environment, null);

        assertThat(Binder.get(environment).bind("spring.mail.host", String.class).get()).isEqualTo("smtp.example.com");
        assertThat(environment.getProperty("JOBS_DAILY")).isEqualTo("0 15 3 * * *");
        assertThat(environment.getProperty("PATH")).isEqualTo(System.getenv("PATH"));
        assertThat(environment.containsProperty("SPRING_DATASOURCE_URL")).isFalse();
    }

    @Test
    void noFileNoChange() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("commandLineArgs",
                Map.of(EnvFile.LOCATION, folder.resolve("missing").toString())));
        int before = environment.getPropertySources().size();

        new EnvFile(new DeferredLogs()).postProcessEnvironment(environment, null);

        assertThat(environment.getPropertySources().size()).isEqualTo(before);
    }
}
