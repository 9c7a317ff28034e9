package ai.calling.team.internal;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Puts the role check in front of every endpoint and the audit recorder behind every change. */
@Configuration(proxyBeanMethods = false)
class TeamWebConfiguration implements WebMvcConfigurer {

    private final TeamRoleCheck roleCheck;
    private final TeamAuditRecorder auditRecorder;

    TeamWebConfiguration(TeamRoleCheck roleCheck, TeamAuditRecorder auditRecorder) {
        this.roleCheck = roleCheck;
        this.auditRecorder = auditRecorder;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(roleCheck).addPathPatterns("/api/**");
        registry.addInterceptor(auditRecorder).addPathPatterns("/api/**");
    }
}
