package ai.calling.team.internal;

import java.util.Arrays;
import java.util.stream.Stream;

import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;

import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;

import ai.calling.common.TeamRole;

/**
 * Publishes in the API document the lowest team role each operation allows, as
 * {@code x-team-role}, with its 403: the same rule {@link TeamRoleCheck} applies.
 */
@Configuration(proxyBeanMethods = false)
class TeamRoleDocumentation {

    @Bean
    OperationCustomizer teamRoleOfEachOperation() {
        return (operation, handler) -> {
            if (!handler.getBeanType().getPackageName().startsWith("ai.calling") || adminConsoleOrCallback(handler)) {
                return operation;
            }
            RequestMapping mapping = AnnotatedElementUtils.findMergedAnnotation(handler.getMethod(), RequestMapping.class);
            String method = mapping == null || mapping.method().length == 0 ? RequestMethod.GET.name()
                    : mapping.method()[0].name();
            TeamRole required = TeamRoleCheck.required(handler, method);
            operation.addExtension("x-team-role", required.wireName());
            if (required != TeamRole.VIEWER) {
                if (operation.getResponses() == null) {
                    operation.setResponses(new ApiResponses());
                }
                operation.getResponses().putIfAbsent("403", new ApiResponse().description(
                        "The caller's role in the workspace is below " + required.wireName()));
            }
            return operation;
        };
    }

    private static boolean adminConsoleOrCallback(HandlerMethod handler) {
        RequestMapping type = AnnotatedElementUtils.findMergedAnnotation(handler.getBeanType(), RequestMapping.class);
        RequestMapping method = AnnotatedElementUtils.findMergedAnnotation(handler.getMethod(), RequestMapping.class);
        return Stream.concat(type == null ? Stream.empty() : Arrays.stream(type.path()),
                        method == null ? Stream.empty() : Arrays.stream(method.path()))
                .anyMatch(path -> path.startsWith("/api/admin") || path.startsWith("/api/webhooks")
                        || path.startsWith("/admin/"));
    }
}
