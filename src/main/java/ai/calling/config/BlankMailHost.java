package ai.calling.config;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * A blank {@code SPRING_MAIL_HOST} (exported from an env file with nothing after the '=') means "no
 * SMTP", as unset does: the logging mailer is used (MailConfiguration), and Spring Boot's mail health
 * check, which would try to reach an SMTP server on localhost:25 and turn the whole health DOWN, is
 * switched off unless configured explicitly.
 */
public class BlankMailHost implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.containsProperty("spring.mail.host")
                && !StringUtils.hasText(environment.getProperty("spring.mail.host"))) {
            environment.getPropertySources().addLast(new MapPropertySource("blankMailHost",
                    Map.of("management.health.mail.enabled", false)));
        }
    }
}
