package ai.calling.common.mail;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.mail.autoconfigure.MailSenderAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Exactly one mailer whatever the host setting: SMTP for a host, the logging mailer for none or a blank one. */
class MailConfigurationTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MailSenderAutoConfiguration.class))
            .withUserConfiguration(MailConfiguration.class);

    @Test
    void withoutAHostMailsAreLogged() {
        context.run(started -> assertThat(started).hasSingleBean(Mailer.class).hasSingleBean(LoggingMailer.class));
    }

    @Test
    void aBlankHostAsExportedFromAnEnvFileMeansNoHost() {
        context.withPropertyValues("spring.mail.host=", "spring.mail.port=587")
                .run(started -> assertThat(started).hasNotFailed().hasSingleBean(Mailer.class)
                        .hasSingleBean(LoggingMailer.class));
    }

    @Test
    void aHostMeansSmtp() {
        context.withPropertyValues("spring.mail.host=smtp.example.com")
                .run(started -> assertThat(started).hasSingleBean(Mailer.class).hasSingleBean(SmtpMailer.class)
                        .doesNotHaveBean(LoggingMailer.class));
    }
}
