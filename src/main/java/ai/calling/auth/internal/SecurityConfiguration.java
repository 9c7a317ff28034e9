package ai.calling.auth.internal;

import java.util.List;

import jakarta.servlet.DispatcherType;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.servlet.HandlerExceptionResolver;

import ai.calling.auth.ApiKeys;
import ai.calling.config.ApiKeyProperties;
import ai.calling.config.SecurityProperties;

/**
 * Stateless bearer-token security. Public: sign-up and sign-in paths, the provider webhooks (they
 * authenticate themselves), health, and the API documentation. Metrics: see {@link MetricsAccess}. {@code /api/admin/**} needs admin or
 * super_admin; everything else a signed-in user or an API key ({@link ApiKeyAuthenticationFilter}). Failures are rendered by the one problem-details
 * advice, through the handler exception resolver.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    static final String[] PUBLIC_AUTH_PATHS = { "/api/auth/register", "/api/auth/login", "/api/auth/refresh",
            "/api/auth/forgot-password", "/api/auth/reset-password", "/api/auth/verify-email",
            "/api/team/invitations/accept" };

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    /**
     * Bolna's deliveries authenticate themselves (a secret in the URL, compared in constant time, and
     * an optional address allow-list: BolnaWebhookService) and carry no user, no session and no
     * browser: the filter chain would add only its cost, on the busiest path of the product.
     */
    @Bean
    WebSecurityCustomizer webhooksOutsideTheFilterChain() {
        return web -> web.ignoring().requestMatchers("/api/webhooks/bolna");
    }

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, AccessTokens accessTokens, SessionRepository sessions,
            SecurityProperties properties, MetricsAccess metrics, ApiKeys apiKeys, ApiKeyProperties apiKeyProperties,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver errors) throws Exception {
        http.csrf(csrf -> csrf.disable())
                .cors(cors -> cors.configurationSource(corsSource(properties)))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .headers(headers -> headers
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER))
                        .contentSecurityPolicy(csp -> csp.policyDirectives(
                                "default-src 'self'; frame-ancestors 'none'; object-src 'none'")))
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(HttpMethod.OPTIONS, "/**").permitAll()
                        // the dispatch that ends a stream (GET /api/events): its request was authorized when it began
                        .dispatcherTypeMatchers(DispatcherType.ASYNC).permitAll()
                        .requestMatchers(HttpMethod.POST, PUBLIC_AUTH_PATHS).permitAll()
                        .requestMatchers("/api/auth/oauth2/**", "/oauth2/**", "/login/oauth2/**").permitAll()
                        .requestMatchers(HttpMethod.POST, "/api/webhooks/**").permitAll()
                        .requestMatchers("/actuator/health/**", "/actuator/info").permitAll()
                        .requestMatchers("/actuator/prometheus").access(metrics)
                        .requestMatchers("/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**", "/error").permitAll()
                        .requestMatchers("/api/admin/**").hasAnyRole("ADMIN", "SUPER_ADMIN")
                        .anyRequest().authenticated())
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint((request, response, e) -> errors.resolveException(request, response, null, e))
                        .accessDeniedHandler((request, response, e) -> errors.resolveException(request, response, null, e)))
                .addFilterBefore(new JwtAuthenticationFilter(accessTokens, sessions, errors),
                        UsernamePasswordAuthenticationFilter.class)
                .addFilterBefore(new ApiKeyAuthenticationFilter(apiKeys, apiKeyProperties.requestsPerMinute(), errors),
                        JwtAuthenticationFilter.class)
                .addFilterBefore(new AuthRateLimitFilter(properties.authRequestsPerMinute(), errors),
                        JwtAuthenticationFilter.class);
        return http.build();
    }

    private static CorsConfigurationSource corsSource(SecurityProperties properties) {
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOrigins(properties.corsAllowedOrigins());
        cors.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"));
        cors.setAllowedHeaders(List.of("Authorization", "Content-Type", "Idempotency-Key"));
        cors.setExposedHeaders(List.of("Retry-After", "Location"));
        cors.setMaxAge(3600L);
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/**", cors);
        return source;
    }
}
