package ai.calling.common.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Contact;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.oas.models.tags.Tag;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import ai.calling.common.OrderedOpenApiCustomizer;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI document as a document: title and version from the build, a description, the server,
 * tags per feature in reading order, the problem-details schema on every error answer, and an
 * example for every JSON request body ({@code openapi/request-examples.json}, keyed by
 * "METHOD path"). Summaries are written on the controller methods ({@code @Operation}); the
 * security schemes come from the auth module. {@code OpenApiDocumentTest} fails when an operation
 * lacks any of these.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

    static {
        // an event stream's Java type says nothing to a client (its answer is documented as text/event-stream);
        // left alone it would be an unused "SseEmitter" component, which Redocly warns about
        SpringDocUtils.getConfig().replaceWithSchema(SseEmitter.class, new StringSchema());
    }

    static final String PROBLEM = "Problem";
    static final String PROBLEM_JSON = "application/problem+json";

    /** Feature tags in the order a reader meets them, with the path prefixes they cover. */
    static final List<Feature> FEATURES = List.of(
            new Feature("Auth", "Sign-up, sign-in, tokens, sessions, password reset and e-mail verification",
                    "/api/auth"),
            new Feature("Agents", "AI voice agents on Bolna.ai and their goals", "/api/agents"),
            new Feature("Calls", "Outbound calls, call history, transcripts and recordings", "/api/calls",
                    "/api/transcripts"),
            new Feature("Contacts", "The address book and CSV uploads", "/api/contacts"),
            new Feature("Campaigns", "Calling lists worked through within calling windows, and the do-not-call list",
                    "/api/campaigns", "/api/do-not-call"),
            new Feature("Leads", "Lead intelligence from OpenAI's analyses, notifications, follow-ups and customers",
                    "/api/leads", "/api/notifications", "/api/follow-ups", "/api/customers"),
            new Feature("Prompts", "The OpenAI prompts that score leads", "/api/openai-prompts"),
            new Feature("Billing", "Credits: balance, ledger and Stripe Checkout", "/api/credits", "/api/billing"),
            new Feature("Analytics", "Dashboards and analytics over the call and lead rollups", "/api/dashboard",
                    "/api/analytics"),
            new Feature("Team", "Workspace members, roles and invitations", "/api/team"),
            new Feature("Integrations", "API keys, outbound webhooks and live events for customers' systems",
                    "/api/api-keys", "/api/webhook-endpoints", "/api/events"),
            new Feature("Admin", "The admin console: accounts, credits, phone numbers, configuration, jobs, health",
                    "/api/admin"),
            new Feature("Provider webhooks", "Callbacks from Bolna.ai and Stripe (they authenticate themselves)",
                    "/api/webhooks"));

    @Bean
    OpenAPI apiDocument(ObjectProvider<BuildProperties> build) {
        BuildProperties properties = build.getIfAvailable();
        return new OpenAPI()
                .info(new Info().title("AI calling agent API")
                        .version(properties == null ? "development" : properties.getVersion())
                        .description(resource("openapi/description.md"))
                        .contact(new Contact().name("Calling agent backend team"))
                        .license(new License().name("Proprietary").identifier("LicenseRef-Proprietary")))
                // relative: Swagger UI and clients call the deployment that serves the document, whatever its host
                .servers(List.of(new Server().url("/").description("This deployment")))
                .tags(FEATURES.stream().map(feature -> new Tag().name(feature.name()).description(feature.description()))
                        .toList());
    }

    /** Runs after the security documentation (auth module), which decides which operations are public. */
    @Bean
    OpenApiCustomizer tagsErrorsAndExamples() {
        Map<String, Object> examples = requestExamples();
        return new OrderedOpenApiCustomizer(OrderedOpenApiCustomizer.DOCUMENT, openApi -> {
            // added here, not in the base document: springdoc drops schemas no operation refers to yet
            openApi.getComponents().addSchemas(PROBLEM, problemSchema()).addSchemas("FieldError", fieldErrorSchema());
            openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
                operation.setTags(List.of(feature(path)));
                errorAnswers(path, method, operation);
                example(examples.get(method + " " + path), operation);
            }));
        });
    }

    static String feature(String path) {
        return FEATURES.stream().filter(feature -> feature.covers(path)).findFirst().map(Feature::name)
                // an unlisted feature still gets its own tag; the test asks for its description here
                .orElseGet(() -> {
                    String segment = path.replaceFirst("^/api/", "").split("/")[0];
                    return segment.isEmpty() ? "Other" : Character.toUpperCase(segment.charAt(0)) + segment.substring(1);
                });
    }

    /**
     * Every error answer is a problem document. Beside the ones an operation declares itself (402,
     * 409, ...), the answers every such operation can give are added: 400 when it takes input, 401
     * when it needs a token, 403 on admin paths, 404 when the path names a resource, 429 on the
     * rate-limited auth paths.
     */
    private static void errorAnswers(String path, PathItem.HttpMethod method, Operation operation) {
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        operation.setResponses(responses);
        boolean input = operation.getRequestBody() != null
                || (operation.getParameters() != null && !operation.getParameters().isEmpty());
        boolean secured = operation.getSecurity() == null || !operation.getSecurity().isEmpty();
        addIfMissing(responses, "400", input, "The input is malformed or invalid (see errors)");
        addIfMissing(responses, "401", secured, "No valid access token");
        addIfMissing(responses, "403", path.startsWith("/api/admin"), "The caller's role does not allow this");
        addIfMissing(responses, "404", path.contains("{"), "Not found, or another tenant's");
        addIfMissing(responses, "429", path.startsWith("/api/auth"), "Too many requests; see Retry-After");
        responses.forEach((code, response) -> {
            if (code.startsWith("4") || code.startsWith("5")) {
                response.setContent(new Content().addMediaType(PROBLEM_JSON,
                        new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
            }
        });
    }

    private static void addIfMissing(ApiResponses responses, String code, boolean applies, String description) {
        if (applies && !responses.containsKey(code)) {
            responses.addApiResponse(code, new ApiResponse().description(description));
        }
    }

    private static void example(Object example, Operation operation) {
        if (example == null || operation.getRequestBody() == null || operation.getRequestBody().getContent() == null) {
            return;
        }
        operation.getRequestBody().getContent().forEach((type, media) -> {
            if (type.contains("json")) {
                media.setExample(example);
            }
        });
    }

    private static Schema<?> fieldErrorSchema() {
        return new ObjectSchema().description("One invalid input")
                .addProperty("field", new StringSchema().example("email"))
                .addProperty("message", new StringSchema().example("must be a well-formed email address"));
    }

    private static Schema<?> problemSchema() {
        return new ObjectSchema().description("RFC 9457 problem details")
                .addProperty("type", new StringSchema().format("uri").example("about:blank"))
                .addProperty("title", new StringSchema().example("Validation failed"))
                .addProperty("status", new IntegerSchema().example(400))
                .addProperty("detail", new StringSchema().example("email: must be a well-formed email address"))
                .addProperty("instance", new StringSchema().format("uri-reference").example("/api/auth/register"))
                .addProperty("errors", new ArraySchema().description("for validation failures: each invalid input")
                        .items(new Schema<>().$ref("#/components/schemas/FieldError")))
                .required(List.of("title", "status"));
    }

    private static Map<String, Object> requestExamples() {
        try (InputStream in = new ClassPathResource("openapi/request-examples.json").getInputStream()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> examples = JsonMapper.builder().build().readValue(in, LinkedHashMap.class);
            return examples;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String resource(String path) {
        try (InputStream in = new ClassPathResource(path).getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Feature(String name, String description, String... prefixes) {

        Feature {
            prefixes = prefixes.clone();
        }

        boolean covers(String path) {
            for (String prefix : prefixes) {
                if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                    return true;
                }
            }
            return false;
        }
    }
}
