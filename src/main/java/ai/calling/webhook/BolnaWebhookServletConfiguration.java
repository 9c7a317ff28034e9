package ai.calling.webhook;

import java.util.Map;
import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.ServerHttpObservationFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

import ai.calling.common.OrderedOpenApiCustomizer;

/**
 * Maps {@link BolnaWebhookServlet} to its exact path, ahead of the DispatcherServlet's catch-all,
 * and describes it in the OpenAPI document (springdoc sees controllers only).
 */
@Configuration(proxyBeanMethods = false)
class BolnaWebhookServletConfiguration {

    static final String PATH = "/api/webhooks/bolna";

    @Bean
    ServletRegistrationBean<BolnaWebhookServlet> bolnaWebhookServlet(BolnaWebhookService webhooks,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver errors, MeterRegistry meters) {
        ServletRegistrationBean<BolnaWebhookServlet> registration = new ServletRegistrationBean<>(
                new BolnaWebhookServlet(webhooks, errors, meters), PATH);
        registration.setName("bolnaWebhook");
        registration.setLoadOnStartup(1);
        return registration;
    }

    /**
     * Spring's http.server.requests observation filter serves the DispatcherServlet only; the webhook
     * servlet records the same metric itself, for a fraction of the cost.
     */
    @Bean
    static BeanPostProcessor observationFilterForMvcOnly() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String name) {
                if (bean instanceof FilterRegistrationBean<?> registration
                        && registration.getFilter() instanceof ServerHttpObservationFilter) {
                    registration.setServletNames(Set.of(DispatcherServletAutoConfiguration.DEFAULT_DISPATCHER_SERVLET_BEAN_NAME));
                }
                return bean;
            }
        };
    }

    @Bean
    OpenApiCustomizer bolnaWebhookDocumentation() {
        Content problem = new Content().addMediaType("application/problem+json", new MediaType().schema(new ObjectSchema()));
        Operation receive = new Operation().operationId("receiveBolnaWebhook").addTagsItem("webhooks")
                .summary("Bolna execution update (stored durably, then processed)")
                .addParametersItem(new Parameter().in("query").name("token").required(true)
                        .description("BOLNA_WEBHOOK_SECRET").schema(new StringSchema()))
                .requestBody(new RequestBody().required(true).content(new Content().addMediaType("application/json",
                        new MediaType().schema(new ObjectSchema().description("Bolna's execution object")))))
                .responses(new ApiResponses()
                        .addApiResponse("200", new ApiResponse().description("Stored; {received, eventId}")
                                .content(new Content().addMediaType("application/json",
                                        new MediaType().schema(new ObjectSchema().properties(Map.of(
                                                "received", new BooleanSchema(),
                                                "eventId", new StringSchema().format("uuid")))))))
                        .addApiResponse("400", new ApiResponse().description("Not JSON, or no execution id").content(problem))
                        .addApiResponse("401", new ApiResponse().description("Wrong or missing token, or address not allowed")
                                .content(problem))
                        .addApiResponse("413", new ApiResponse().description("Body over 1 MB").content(problem)));
        // added before the document-wide rules, which tag it and give its errors the problem schema
        return new OrderedOpenApiCustomizer(OrderedOpenApiCustomizer.OPERATIONS,
                openApi -> openApi.path(PATH, new PathItem().post(receive)));
    }
}
