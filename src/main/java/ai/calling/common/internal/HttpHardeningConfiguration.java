package ai.calling.common.internal;

import jakarta.servlet.DispatcherType;

import org.apache.catalina.Container;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerExceptionResolver;

import ai.calling.config.HttpLimitsProperties;

/**
 * Bounds and rules that hold for every request, whatever the endpoint: the body caps, and problem
 * details even for what Tomcat refuses on its own.
 */
@Configuration(proxyBeanMethods = false)
class HttpHardeningConfiguration {

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
}
