package ai.calling.common.mail;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.util.StringUtils;

/**
 * Exactly one {@link Mailer}: SMTP when {@code spring.mail.host} has a value, the logging mailer
 * when it is unset or blank ({@code SPRING_MAIL_HOST=} exported from an env file is blank, and
 * Spring's {@code @ConditionalOnProperty} would count it as set).
 */
@Configuration(proxyBeanMethods = false)
class MailConfiguration {

    @Bean
    @Conditional(SmtpHostSet.class)
    Mailer smtpMailer(JavaMailSender sender, @Value("${app.mail.from:no-reply@localhost}") String from) {
        return new SmtpMailer(sender, from);
    }

    @Bean
    @Conditional(SmtpHostBlank.class)
    LoggingMailer loggingMailer() {
        return new LoggingMailer();
    }

    static boolean smtpHostSet(ConditionContext context) {
        return StringUtils.hasText(context.getEnvironment().getProperty("spring.mail.host"));
    }

    static class SmtpHostSet implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return smtpHostSet(context);
        }
    }

    static class SmtpHostBlank implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !smtpHostSet(context);
        }
    }
}
