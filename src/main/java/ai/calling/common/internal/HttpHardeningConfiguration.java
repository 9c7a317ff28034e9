package ai.calling.common.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import jakarta.servlet.DispatcherType;

import org.apache.catalina.Container;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.http.converter.autoconfigure.ServerHttpMessageConvertersCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.format.Formatter;
import org.springframework.format.FormatterRegistry;
import org.springframework.format.datetime.standard.InstantFormatter;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import ai.calling.config.HttpLimitsProperties;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bounds and rules that hold for every request, whatever the endpoint: the body caps, the strict
 * JSON of request bodies, no NUL in the query string, dates within years 1-9999 in query
 * parameters, and problem details even for what Tomcat refuses on its own.
 */
@Configuration(proxyBeanMethods = false)
class HttpHardeningConfiguration implements WebMvcConfigurer {

    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(HttpLimitsProperties limits,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver errors) {
        var registration = new FilterRegistrationBean<>(new RequestBodyLimitFilter(limits.maxBodySize().toBytes(),
                limits.maxUploadSize().toBytes(), errors));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        registration.addUrlPatterns("/*");
        return registration;
    }

    @Bean
    FilterRegistrationBean<NulQueryFilter> nulQueryFilter(
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver errors) {
        var registration = new FilterRegistrationBean<>(new NulQueryFilter(errors));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        registration.addUrlPatterns("/*");
        return registration;
    }

    /** Request bodies bound by Spring MVC are read with {@link StrictRequestJson}; runs after Boot's own customizer. */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    ServerHttpMessageConvertersCustomizer strictRequestJson(JsonMapper jsonMapper) {
        JacksonJsonHttpMessageConverter converter = new JacksonJsonHttpMessageConverter(StrictRequestJson.mapper(jsonMapper));
        return builder -> builder.withJsonConverter(converter);
    }

    /** Replaces Tomcat's HTML error report (Spring Boot installs one on the host) with problem details. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemDetailsErrorReports() {
        return new WebServerFactoryCustomizer<>() {
            @Override
            public void customize(TomcatServletWebServerFactory factory) {
                factory.addContextCustomizers(context -> {
                    Container host = context.getParent();
                    for (Valve valve : host.getPipeline().getValves()) {
                        if (valve instanceof ErrorReportValve && !(valve instanceof ProblemDetailsErrorReportValve)) {
                            host.getPipeline().removeValve(valve);
                        }
                    }
                    if (host instanceof StandardHost standard) {
                        standard.setErrorReportValveClass(ProblemDetailsErrorReportValve.class.getName());
                    }
                    host.getPipeline().addValve(new ProblemDetailsErrorReportValve());
                });
            }
        };
    }

    @Override
    public void addFormatters(FormatterRegistry registry) {
        registry.addFormatterForFieldType(Instant.class, new BoundedInstants());
        registry.addFormatterForFieldType(LocalDate.class, new BoundedDates());
    }

    /** ISO-8601 instants (as Spring reads them), within years 1-9999. */
    private static final class BoundedInstants implements Formatter<Instant> {

        private final InstantFormatter iso = new InstantFormatter();

        @Override
        public Instant parse(String text, Locale locale) throws java.text.ParseException {
            Instant instant = iso.parse(text, locale);
            if (!StrictRequestJson.boundedYear(instant.atOffset(ZoneOffset.UTC).getYear())) {
                throw new IllegalArgumentException(StrictRequestJson.DATE_MESSAGE);
            }
            return instant;
        }

        @Override
        public String print(Instant instant, Locale locale) {
            return iso.print(instant, locale);
        }
    }

    /** ISO-8601 dates ({@code 2026-03-01}), within years 1-9999. */
    private static final class BoundedDates implements Formatter<LocalDate> {

        @Override
        public LocalDate parse(String text, Locale locale) {
            LocalDate date;
            try {
                date = LocalDate.parse(text.trim());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("must be an ISO-8601 date such as 2026-03-01", e);
            }
            if (!StrictRequestJson.boundedYear(date.getYear())) {
                throw new IllegalArgumentException(StrictRequestJson.DATE_MESSAGE);
            }
            return date;
        }

        @Override
        public String print(LocalDate date, Locale locale) {
            return date.toString();
        }
    }
}
