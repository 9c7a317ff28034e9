package ai.calling.apidoc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.info.BuildProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI document holds every operation to the same standard, including operations added
 * later: a summary, a feature tag declared with a description, an error answer in the 4xx range,
 * every error answer a problem document, a declared security (the bearer scheme, or public), an
 * example for each JSON request body, and a typed answer. The document is written to
 * target/openapi/openapi.json, which CI lints with Redocly's recommended rules.
 */
@IntegrationTest
class OpenApiDocumentTest {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    @LocalServerPort
    int port;

    @Autowired
    BuildProperties build;

    JsonNode document;

    @BeforeEach
    void fetch() throws IOException {
        Http.Response answer = new Http(port).get("/v3/api-docs");
        assertThat(answer.status()).isEqualTo(200);
        document = answer.json();
        Path file = Path.of("target", "openapi", "openapi.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, answer.body());
    }

    @Test
    void theDocumentNamesItselfAndOffersTheBearerSchemeToAuthorize() {
        assertThat(document.path("info").path("title").asString()).isEqualTo("AI calling agent API");
        assertThat(document.path("info").path("version").asString()).isEqualTo(build.getVersion());
        assertThat(document.path("info").path("description").asString()).contains("application/problem+json");
        assertThat(document.path("servers")).isNotEmpty();
        // Swagger UI shows Authorize when the document declares a security scheme
        JsonNode bearer = document.path("components").path("securitySchemes").path("bearerAuth");
        assertThat(bearer.path("type").asString()).isEqualTo("http");
        assertThat(bearer.path("scheme").asString()).isEqualTo("bearer");
        assertThat(document.path("security").get(0).has("bearerAuth")).isTrue();
    }

    @Test
    void everyOperationHasASummaryATagASuccessAndAnErrorAnswerAndDeclaredSecurity() {
        Set<String> declaredTags = new HashSet<>();
        document.path("tags").forEach(tag -> {
            assertThat(tag.path("description").asString()).as("description of tag %s", tag.path("name")).isNotBlank();
            declaredTags.add(tag.path("name").asString());
        });
        List<String> problems = new ArrayList<>();
        forEachOperation((name, operation) -> {
            if (operation.path("summary").asString("").isBlank()) {
                problems.add(name + ": no summary (@Operation(summary = ...))");
            }
            if (operation.path("tags").size() != 1 || !declaredTags.contains(operation.path("tags").get(0).asString())) {
                problems.add(name + ": tag " + operation.path("tags") + " is not one of the declared features");
            }
            boolean clientError = false;
            boolean success = false;
            for (var response : operation.path("responses").properties()) {
                String code = response.getKey();
                clientError |= code.startsWith("4");
                success |= code.startsWith("2");
                if ((code.startsWith("4") || code.startsWith("5")) && !response.getValue().path("content")
                        .path("application/problem+json").path("schema").path("$ref").asString("")
                        .equals("#/components/schemas/Problem")) {
                    problems.add(name + ": answer " + code + " is not a problem document");
                }
            }
            if (!clientError) {
                problems.add(name + ": no 4xx answer");
            }
            if (!success) {
                // springdoc leaves the 200 out when @ApiResponse names others: add @ResponseStatus
                problems.add(name + ": no 2xx answer");
            }
            if (!operation.has("security") && !document.has("security")) {
                problems.add(name + ": no security declared");
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void everyJsonRequestBodyHasAnExampleAndEveryAnswerIsTyped() {
        List<String> problems = new ArrayList<>();
        forEachOperation((name, operation) -> {
            operation.path("requestBody").path("content").properties().forEach(media -> {
                if (media.getKey().contains("json") && !media.getValue().has("example")
                        && !media.getValue().has("examples")) {
                    problems.add(name + ": request body without an example (openapi/request-examples.json)");
                }
            });
            for (var response : operation.path("responses").properties()) {
                response.getValue().path("content").properties().forEach(media -> {
                    if (untyped(media.getValue().path("schema"))) {
                        problems.add(name + ": answer " + response.getKey() + " is an untyped object");
                    }
                });
            }
        });
        assertThat(problems).isEmpty();
    }

    /**
     * Clients (and Redocly) read a schema's {@code pattern} as an ECMAScript regular expression, and
     * Bean Validation as a Java one: each must use only the syntax both share. No Unicode classes
     * such as \\p{Cntrl}, no inline flags or other (?...) groups, no possessive quantifiers, no \\A or \\Z.
     */
    @Test
    void everyPatternIsWrittenInTheSyntaxJavaAndEcmaScriptShare() {
        java.util.regex.Pattern javaOnly = java.util.regex.Pattern.compile(
                "\\\\[pP]\\{|\\(\\?[^:=!]|[*+?}]\\+|\\\\[AZzG]");
        List<String> patterns = new ArrayList<>();
        collectPatterns(document, patterns);
        assertThat(patterns).isNotEmpty();
        assertThat(patterns).noneMatch(pattern -> javaOnly.matcher(pattern).find());
    }

    private static void collectPatterns(JsonNode node, List<String> patterns) {
        if (node.isObject()) {
            node.properties().forEach(field -> {
                if (field.getKey().equals("pattern") && field.getValue().isString()) {
                    patterns.add(field.getValue().asString());
                } else {
                    collectPatterns(field.getValue(), patterns);
                }
            });
        } else if (node.isArray()) {
            node.forEach(element -> collectPatterns(element, patterns));
        }
    }

    /** The document's security matches the filter chain: an operation that claims a token refuses a call without one. */
    @Test
    void everyOperationThatDeclaresTheBearerSchemeRefusesACallWithoutAToken() {
        Http http = new Http(port);
        List<String> problems = new ArrayList<>();
        forEachOperation((name, operation) -> {
            JsonNode security = operation.has("security") ? operation.path("security") : document.path("security");
            if (security.isEmpty()) {
                return;
            }
            String[] parts = name.split(" ", 2);
            String path = parts[1].replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
            int status = http.send(parts[0], path, "application/json", parts[0].equals("GET") ? null : "{}").status();
            if (status != 401) {
                problems.add(name + " answered " + status + " without a token");
            }
        });
        assertThat(problems).isEmpty();
    }

    private static boolean untyped(JsonNode schema) {
        if (schema.has("$ref") || schema.has("properties") || schema.has("oneOf") || schema.has("allOf")) {
            return false;
        }
        if ("array".equals(schema.path("type").asString(""))) {
            return untyped(schema.path("items"));
        }
        boolean object = "object".equals(schema.path("type").asString("")) || schema.isEmpty();
        JsonNode values = schema.path("additionalProperties");
        return object && (values.isMissingNode() || values.isBoolean() || untyped(values));
    }

    private void forEachOperation(BiConsumer<String, JsonNode> check) {
        document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(method -> {
            if (METHODS.contains(method.getKey())) {
                check.accept(method.getKey().toUpperCase() + " " + path.getKey(), method.getValue());
            }
        }));
    }
}
