package ai.calling.auth.internal;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.user.OAuth2User;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.client.RestClient;

import ai.calling.auth.AuthDtos.AuthResponse;
import ai.calling.common.ApiException;

/**
 * The browser side of social sign-in, on its own filter chain for {@code /oauth2/**} and
 * {@code /login/oauth2/**}: the only place the product keeps an HTTP session, and only for the
 * authorization request between the redirect and the callback. On success the session is dropped
 * and the browser is sent to the frontend with the token pair in the URL fragment (never sent to a
 * server, kept out of logs). Without any configured provider these paths answer 404.
 */
@Configuration(proxyBeanMethods = false)
class SocialSignInConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SocialSignInConfiguration.class);

    @Bean
    @Order(1)
    SecurityFilterChain socialSignInChain(HttpSecurity http, ObjectProvider<ClientRegistrationRepository> registrations,
            ObjectProvider<OAuth2AuthorizedClientService> authorizedClients, SocialSignInService socialSignIn,
            @Value("${app.security.oauth2-success-redirect:http://localhost:3000/auth/callback}") String redirect,
            @Value("${app.security.github-emails-uri:https://api.github.com/user/emails}") String githubEmailsUri)
            throws Exception {
        http.securityMatcher("/oauth2/**", "/login/oauth2/**")
                .csrf(csrf -> csrf.disable())
                .authorizeHttpRequests(auth -> auth.anyRequest().permitAll());
        if (registrations.getIfAvailable() == null) {
            return http.build();
        }
        RestClient github = RestClient.create();
        OAuth2AuthorizationRequestResolver resolver = unknownProviderIsNotFound(
                new DefaultOAuth2AuthorizationRequestResolver(registrations.getObject(), "/oauth2/authorization"));
        http.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.IF_REQUIRED))
                .oauth2Login(login -> login
                        .authorizationEndpoint(endpoint -> endpoint.authorizationRequestResolver(resolver))
                        .successHandler((request, response, authentication) -> {
                            try {
                                AuthResponse tokens = signIn(request, (OAuth2AuthenticationToken) authentication,
                                        authorizedClients.getObject(), socialSignIn, github, githubEmailsUri);
                                finish(request, response, redirect + "#accessToken=" + enc(tokens.accessToken())
                                        + "&refreshToken=" + enc(tokens.refreshToken()) + "&tokenType=Bearer&expiresIn="
                                        + tokens.expiresIn());
                            } catch (ApiException e) {
                                finish(request, response, redirect + "#error=" + enc(e.getMessage()));
                            }
                        })
                        .failureHandler((request, response, e) -> {
                            log.info("Social sign-in failed: {}", e.getMessage());
                            finish(request, response, redirect + "#error=" + enc("Sign-in with the provider failed"));
                        }));
        return http.build();
    }

    private static AuthResponse signIn(HttpServletRequest request, OAuth2AuthenticationToken token,
            OAuth2AuthorizedClientService clients, SocialSignInService socialSignIn, RestClient github,
            String githubEmailsUri) {
        String provider = token.getAuthorizedClientRegistrationId();
        OAuth2User user = token.getPrincipal();
        String email = user.getAttribute("email");
        boolean verified = Boolean.TRUE.equals(user.getAttribute("email_verified"));
        if (provider.equals("github")) {
            // GitHub's profile gives no verification flag: ask for the primary verified address
            OAuth2AuthorizedClient client = clients.loadAuthorizedClient(provider, token.getName());
            List<Map<String, Object>> emails = github.get().uri(githubEmailsUri)
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + client.getAccessToken().getTokenValue())
                    .header(HttpHeaders.ACCEPT, "application/vnd.github+json")
                    .retrieve().body(new ParameterizedTypeReference<>() { });
            Map<String, Object> primary = emails == null ? null : emails.stream()
                    .filter(e -> Boolean.TRUE.equals(e.get("primary"))).findFirst().orElse(null);
            email = primary == null ? email : (String) primary.get("email");
            verified = primary != null && Boolean.TRUE.equals(primary.get("verified"));
        }
        String name = user.getAttribute("name");
        return socialSignIn.signIn(provider, email, verified, name,
                new AuthService.ClientInfo(request.getRemoteAddr(), request.getHeader(HttpHeaders.USER_AGENT)));
    }

    /** A provider that is not configured is absent: the request falls through to a plain 404. */
    private static OAuth2AuthorizationRequestResolver unknownProviderIsNotFound(OAuth2AuthorizationRequestResolver resolver) {
        return new OAuth2AuthorizationRequestResolver() {
            @Override
            public OAuth2AuthorizationRequest resolve(HttpServletRequest request) {
                try {
                    return resolver.resolve(request);
                } catch (IllegalArgumentException unknownRegistration) {
                    return null;
                }
            }

            @Override
            public OAuth2AuthorizationRequest resolve(HttpServletRequest request, String clientRegistrationId) {
                try {
                    return resolver.resolve(request, clientRegistrationId);
                } catch (IllegalArgumentException unknownRegistration) {
                    return null;
                }
            }
        };
    }

    private static void finish(HttpServletRequest request, HttpServletResponse response, String location)
            throws IOException {
        SecurityContextHolder.clearContext();
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        response.sendRedirect(location);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }
}
