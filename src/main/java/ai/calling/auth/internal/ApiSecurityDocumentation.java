package ai.calling.auth.internal;

import java.util.List;

import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.AntPathMatcher;

import ai.calling.common.OrderedOpenApiCustomizer;

/**
 * The document's security: the bearer JWT scheme (Swagger UI's Authorize button), required by
 * every operation except the ones the filter chain lets through without a token
 * (SecurityConfiguration's public paths), which say so with an empty requirement.
 * {@code OpenApiDocumentTest} calls every operation that claims to need a token without one and
 * expects 401, so the document cannot drift from the filter chain.
 */
@Configuration(proxyBeanMethods = false)
class ApiSecurityDocumentation {

    static final String BEARER = "bearerAuth";

    /** Public without a token for any method, beside the POST-only PUBLIC_AUTH_PATHS and webhooks. */
    private static final List<String> PUBLIC_ANY_METHOD = List.of("/api/auth/oauth2/**");
    private static final List<String> PUBLIC_POST = List.of("/api/webhooks/**");

    private static final AntPathMatcher PATHS = new AntPathMatcher();

    @Bean
    OpenApiCustomizer bearerSecurity() {
        return new OrderedOpenApiCustomizer(OrderedOpenApiCustomizer.SECURITY, openApi -> {
            openApi.getComponents().addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                    .scheme("bearer").bearerFormat("JWT")
                    .description("The accessToken of POST /api/auth/login, /register or /refresh (15 minutes)"));
            openApi.setSecurity(List.of(new SecurityRequirement().addList(BEARER)));
            openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
                if (isPublic(path, method)) {
                    operation.setSecurity(List.of());
                }
            }));
        });
    }

    static boolean isPublic(String path, PathItem.HttpMethod method) {
        boolean post = method == PathItem.HttpMethod.POST;
        return PUBLIC_ANY_METHOD.stream().anyMatch(pattern -> PATHS.match(pattern, path))
                || post && PUBLIC_POST.stream().anyMatch(pattern -> PATHS.match(pattern, path))
                || post && List.of(SecurityConfiguration.PUBLIC_AUTH_PATHS).contains(path);
    }
}
