package ai.calling.auth.internal;

import java.util.List;

import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.AntPathMatcher;

import ai.calling.common.OrderedOpenApiCustomizer;

/**
 * The document's security: the bearer JWT scheme (Swagger UI's Authorize button) or an API key,
 * required by every operation (the JWT alone where keys are refused) except the ones the filter chain lets through without a token
 * (SecurityConfiguration's public paths), which say so with an empty requirement.
 * {@code OpenApiDocumentTest} calls every operation that claims to need a token without one and
 * expects 401, so the document cannot drift from the filter chain.
 */
@Configuration(proxyBeanMethods = false)
class ApiSecurityDocumentation {

    static final String BEARER = "bearerAuth";
    static final String API_KEY = "apiKey";

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
            openApi.getComponents().addSecuritySchemes(API_KEY, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                    .scheme("bearer").bearerFormat("ca_...")
                    .description("An API key of POST /api/api-keys, sent as Authorization: Bearer ca_...; it acts in"
                            + " its workspace with the team role of the member who made it (platform role user), and is"
                            + " refused (403) on /api/auth/**, /api/api-keys/**, /api/team/** and /api/admin/**"));
            // either scheme, except where an API key is refused
            openApi.setSecurity(List.of(new SecurityRequirement().addList(BEARER), new SecurityRequirement().addList(API_KEY)));
            openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
                if (isPublic(path, method)) {
                    operation.setSecurity(List.of());
                } else if (refusesApiKeys(path)) {
                    operation.setSecurity(List.of(new SecurityRequirement().addList(BEARER)));
                    if (operation.getResponses() == null) {
                        operation.setResponses(new ApiResponses());
                    }
                    if (!operation.getResponses().containsKey("403")) {
                        operation.getResponses().addApiResponse("403", new ApiResponse()
                                .description("Refused to an API key (sign in), or the caller's role does not allow this"));
                    }
                }
            }));
        });
    }

    static boolean refusesApiKeys(String path) {
        return List.of(ApiKeyAuthenticationFilter.REFUSED_PATHS).stream().anyMatch(pattern -> PATHS.match(pattern, path));
    }

    static boolean isPublic(String path, PathItem.HttpMethod method) {
        boolean post = method == PathItem.HttpMethod.POST;
        return PUBLIC_ANY_METHOD.stream().anyMatch(pattern -> PATHS.match(pattern, path))
                || post && PUBLIC_POST.stream().anyMatch(pattern -> PATHS.match(pattern, path))
                || post && List.of(SecurityConfiguration.PUBLIC_AUTH_PATHS).contains(path);
    }
}
