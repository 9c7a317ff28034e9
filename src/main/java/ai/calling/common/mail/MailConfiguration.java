package ai.calling.common.mail;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.javamail.JavaMailSender;

@Configuration(proxyBeanMethods = false)
class MailConfiguration {

    @Bean
    @ConditionalOnProperty("spring.mail.host")
    Mailer smtpMailer(JavaMailSender sender, @Value("${app.mail.from:no-reply@localhost}") String from) {
        return new SmtpMailer(sender, from);
    }

    @Bean
    @ConditionalOnExpression("'${spring.mail.host:}'.isBlank()")
    LoggingMailer loggingMailer() {
        return new LoggingMailer();
    }
}
