package ai.calling.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import ai.calling.common.mail.LoggingMailer;
import ai.calling.common.mail.Mailer;
import ai.calling.support.Http;
import ai.calling.support.StartedApplication;

/**
 * The application started with {@code .env.example} as its env file, as a new developer copies it
 * to {@code .env}: it starts, picks the logging mailer (the example leaves SMTP unset), reports
 * healthy, and {@code API_DOCS_ENABLED=false} switches the API document and Swagger UI off, as in
 * production. Only the test settings of StartedApplication and that switch are given on top.
 */
class EnvExampleStartupTest {

    static StartedApplication started;
    static ConfigurableApplicationContext application;
    static Http http;

    @BeforeAll
    static void start() {
        started = StartedApplication.start("--app.env-file=.env.example", "--API_DOCS_ENABLED=false",
                // as SPRING_MAIL_HOST= exported from a shell: blank, which must mean "no SMTP"
                "--spring.mail.host=");
        application = started.context();
        http = started.http();
    }

    @AfterAll
    static void stop() {
        if (started != null) {
            started.close();
        }
    }

    @Test
    void startsWithTheLoggingMailerAndReportsHealthy() {
        assertThat(application.getBeansOfType(Mailer.class).values()).singleElement().isInstanceOf(LoggingMailer.class);
        assertThat(application.getEnvironment().getProperty("app.jobs.daily")).isEqualTo("0 15 3 * * *");

        Http.Response health = http.get("/actuator/health");
        assertThat(health.status()).as(health.body()).isEqualTo(200);
        assertThat(health.json().path("status").asString()).isEqualTo("UP");
    }

    @Test
    void theApiDocumentAndSwaggerUiCanBeSwitchedOff() {
        assertThat(http.get("/v3/api-docs").status()).isEqualTo(404);
        assertThat(http.get("/swagger-ui/index.html").status()).isEqualTo(404);
        assertThat(http.get("/swagger-ui.html").status()).isEqualTo(404);
    }
}
