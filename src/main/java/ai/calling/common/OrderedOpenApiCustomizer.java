package ai.calling.common;

import io.swagger.v3.oas.models.OpenAPI;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.core.Ordered;

/**
 * An OpenAPI customizer with its place in the sequence. Springdoc orders customizers by the
 * instance's {@link Ordered}, which a lambda bean cannot carry: operations are added first
 * ({@link #OPERATIONS}), then security is declared ({@link #SECURITY}), then the document-wide
 * rules (tags, problem answers, examples) apply to everything ({@link #DOCUMENT}).
 */
public record OrderedOpenApiCustomizer(int order, OpenApiCustomizer customizer) implements OpenApiCustomizer, Ordered {

    public static final int OPERATIONS = 0;
    public static final int SECURITY = 100;
    public static final int DOCUMENT = 200;

    @Override
    public void customise(OpenAPI openApi) {
        customizer.customise(openApi);
    }

    @Override
    public int getOrder() {
        return order;
    }
}
